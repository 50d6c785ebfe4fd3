"""Read any supported report file into a `LoadedDocument`.

`load` is the single entry point: it checks the file (size, real type by
content), picks the reader and turns every failure into an `IngestError`
with a stable code and a Vietnamese message, so callers never see a raw
parser exception.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from ingest.document import IngestError, LoadedDocument, PageCallback
from ingest.encodings import fix_legacy_mojibake, refuse_vni, remap_tcvn3, remap_vni
from ingest.sniff import sniff

log = logging.getLogger(__name__)


def load(path: Path, password: str | None = None, on_page: PageCallback | None = None) -> LoadedDocument:
    """Load a PDF, DOCX, DOC, XLS, XLSX, TXT or MD report; raises IngestError(code, vi_message).

    `on_page(done, total)` follows the pages of a scan being read by OCR (the slow step of a scan).
    """
    path = Path(path)
    kind = sniff(path)
    try:
        doc = _read(path, kind, password, on_page)
    except IngestError:
        raise
    except MemoryError as exc:
        raise IngestError("too_large", "Tệp quá lớn, không đủ bộ nhớ để đọc.") from exc
    except Exception as exc:  # a parser bug or a damaged file must not crash the ingest run
        log.exception("loader failed on %s", path)
        raise IngestError("unreadable", f"Không đọc được tệp {path.name}: tệp có thể bị hỏng.") from exc
    if not doc.blocks:
        raise IngestError("no_text", "Tệp không có nội dung văn bản nào để lập chỉ mục.")
    _repair_legacy_font(doc)
    return doc


def _repair_legacy_font(doc: LoadedDocument) -> None:
    """Files typed in legacy fonts carry mojibake: convert VNI and TCVN3 (.VnTime) in place."""
    text = "\n".join([b.text for b in doc.blocks] + [f.text for f in doc.footnotes.values()])
    fixed = fix_legacy_mojibake(text)
    if fixed is None:
        refuse_vni(text)  # looks like VNI but does not convert into readable Vietnamese
        return
    font = fixed[1]
    _remap(doc, remap_vni if font == "VNI" else remap_tcvn3)
    doc.notes.append(f"Đã sửa chữ lỗi phông {font} sang Unicode.")


def _remap(doc: LoadedDocument, remap: Callable[[str], str]) -> None:
    for item in [*doc.blocks, *doc.footnotes.values()]:
        item.text = remap(item.text)
    for b in doc.blocks:
        b.cells = [remap(c) for c in b.cells] if b.cells else b.cells
        b.table_header = [remap(c) for c in b.table_header] if b.table_header else b.table_header
        b.table_title = remap(b.table_title) if b.table_title else b.table_title


def _read(path: Path, kind: str, password: str | None, on_page: PageCallback | None) -> LoadedDocument:
    if kind == "pdf":
        from ingest.loaders.pdf import load_pdf

        return load_pdf(path, password, on_page)
    if kind == "docx":
        from ingest.loaders.docx import load_docx

        return load_docx(path)
    if kind == "doc":
        from ingest.loaders.legacy_doc import load_doc

        return load_doc(path)
    if kind == "xls":
        from ingest.loaders.xls import load_xls

        return load_xls(path)
    if kind == "xlsx":
        from ingest.loaders.xlsx import load_xlsx

        return load_xlsx(path)
    from ingest.loaders.text import load_text

    return load_text(path, kind)
