"""Uploaded files -> a staging folder under the index, with names that are safe to store and serve.

The file name becomes the report's id (a re-upload of the same name replaces
it) and the name of the stored original, so it is reduced to a plain
basename: no folders, no control or reserved characters, no leading dots,
Vietnamese letters kept (NFC).
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

from ingest.document import IngestError
from ingest.sniff import MAX_FILE_BYTES, sniff

MAX_NAME = 150
MAX_UPLOAD_BYTES = MAX_FILE_BYTES  # also given to Gradio, which refuses bigger uploads before storing them
ALLOWED = {".pdf": "pdf", ".docx": "docx", ".doc": "doc", ".xlsx": "xlsx", ".xls": "xls", ".txt": "txt", ".md": "md"}
_RESERVED = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_SPACES = re.compile(r"\s+")


def safe_name(name: str, fallback: str = "tai-lieu") -> str:
    """A storable basename for an uploaded file: 'C:\\x\\Báo cáo?.pdf' -> 'Báo cáo_.pdf'."""
    base = unicodedata.normalize("NFC", str(name)).replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co"))
    base = _SPACES.sub(" ", _RESERVED.sub("_", base)).strip(" .")
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    stem = stem.strip(" .") or fallback
    ext = re.sub(r"[^0-9A-Za-z]", "", ext)[:10].lower()
    stem = stem[: MAX_NAME - len(ext) - 1].rstrip(" .") or fallback
    return f"{stem}.{ext}" if ext else stem


def refusal(path: Path) -> str | None:
    """Why an upload is not accepted, or None: the extension must be allowed and the content must agree."""
    suffix = path.suffix.lower()
    if suffix not in ALLOWED:
        return f"Không nhận loại tệp {suffix or '(không có đuôi)'}; chỉ nhận PDF, DOCX, DOC, XLSX, XLS, TXT, MD."
    try:
        kind = sniff(path)  # magic bytes, size limits, HTML and old Word files
    except IngestError as exc:
        return exc.message
    if kind != ALLOWED[suffix] and {kind, ALLOWED[suffix]} != {"txt", "md"}:
        return f"Nội dung tệp là {kind.upper()} nhưng tên tệp có đuôi {suffix}; hãy đặt đúng đuôi rồi tải lại."
    return None


def staging_dir(index_dir: Path) -> Path:
    return index_dir / "uploads"


def stage(uploaded: list[str | Path], index_dir: Path) -> list[Path]:
    """Copy uploads into `<index>/uploads/` under safe names (one file per name: the last one wins)."""
    target = staging_dir(index_dir)
    target.mkdir(parents=True, exist_ok=True)
    staged: dict[str, Path] = {}
    for src in uploaded:
        src = Path(src)
        dst = target / safe_name(src.name)
        shutil.copyfile(src, dst)
        staged[dst.name] = dst
    return list(staged.values())


def discard(paths: list[Path]) -> None:
    """Drop staged copies once ingested (the index keeps its own copy under files/)."""
    for p in paths:
        p.unlink(missing_ok=True)
