"""Read any supported report file into a `LoadedDocument`.

`load` is the single entry point: it checks the file (size, real type by
content), picks the reader and turns every failure into an `IngestError`
with a stable code and a Vietnamese message, so callers never see a raw
parser exception.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ingest.document import IngestError, LoadedDocument
from ingest.sniff import sniff

log = logging.getLogger(__name__)


def load(path: Path, password: str | None = None) -> LoadedDocument:
    """Load a PDF, DOCX, TXT or MD report; raises IngestError(code, vi_message)."""
    path = Path(path)
    kind = sniff(path)
    try:
        doc = _read(path, kind, password)
    except IngestError:
        raise
    except MemoryError as exc:
        raise IngestError("too_large", "Tệp quá lớn, không đủ bộ nhớ để đọc.") from exc
    except Exception as exc:  # a parser bug or a damaged file must not crash the ingest run
        log.exception("loader failed on %s", path)
        raise IngestError("unreadable", f"Không đọc được tệp {path.name}: tệp có thể bị hỏng.") from exc
    if not doc.blocks:
        raise IngestError("no_text", "Tệp không có nội dung văn bản nào để lập chỉ mục.")
    return doc


def _read(path: Path, kind: str, password: str | None) -> LoadedDocument:
    if kind == "pdf":
        from ingest.loaders.pdf import load_pdf

        return load_pdf(path, password)
    if kind == "docx":
        from ingest.loaders.docx import load_docx

        return load_docx(path)
    from ingest.loaders.text import load_text

    return load_text(path, kind)
