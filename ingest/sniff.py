"""Decide how to read a file from its content (magic bytes), not only its name.

Users rename files ("bao_cao.doc" saved as .docx, a web page saved as .docx);
the extension alone would send them to the wrong reader and produce an
obscure crash instead of a clear message.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ingest.document import IngestError

MAX_FILE_BYTES = 50 * 1024 * 1024
# Plain text over ~8 MB is thousands of pages: no single report is that long,
# and indexing it would tie up the ingester for a very long time.
MAX_TEXT_BYTES = 8 * 1024 * 1024
TEXT_SUFFIXES = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md"}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEAD = 8192


def sniff(path: Path) -> str:
    """Return "pdf", "docx", "doc", "xlsx", "xls", "txt" or "md" for a readable file, else raise IngestError.

    "doc" (an OLE2 Word file) is readable only when LibreOffice is installed; its loader says so.
    An OLE2 file is told Word from Excel by the streams it holds, not by its name.
    """
    size = _size(path)
    with path.open("rb") as fh:
        head = fh.read(_HEAD)
    suffix = path.suffix.lower()
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(path, suffix)
    if head.startswith(_OLE2):
        return _ole_kind(path, suffix)
    if suffix == ".pdf":
        raise IngestError("corrupt_pdf", "Tệp .pdf bị hỏng: không có phần đầu PDF hợp lệ.")
    if _looks_html(head):
        if suffix == ".docx":
            raise IngestError(
                "invalid_docx",
                "Tệp .docx không hợp lệ: nội dung là trang web (HTML), không phải gói Word (ZIP).",
            )
        raise IngestError("unsupported_type", "Tệp này là trang web (HTML), không phải PDF, DOCX hay TXT.")
    if suffix == ".docx":
        raise IngestError("invalid_docx", "Tệp không phải .docx hợp lệ (không phải gói ZIP của Word).")
    if suffix in TEXT_SUFFIXES and _is_text(head):
        if size > MAX_TEXT_BYTES:
            raise _too_large(size, MAX_TEXT_BYTES, "văn bản thuần")
        return TEXT_SUFFIXES[suffix]
    raise IngestError(
        "unsupported_type",
        f"Không hỗ trợ loại tệp này ({suffix or 'không có đuôi'}). Hãy dùng PDF, DOCX, DOC, XLSX, XLS, TXT hoặc MD.",
    )


def _size(path: Path) -> int:
    if not path.is_file():
        raise IngestError("not_found", f"Không tìm thấy tệp: {path.name}")
    size = path.stat().st_size
    if size == 0:
        raise IngestError("empty_file", "Tệp rỗng (0 byte), không có nội dung để đọc.")
    if size > MAX_FILE_BYTES:
        raise _too_large(size, MAX_FILE_BYTES, "tệp")
    return size


def _too_large(size: int, limit: int, what: str) -> IngestError:
    return IngestError(
        "too_large",
        f"Tệp quá lớn ({size / 1048576:.1f} MB); giới hạn cho {what} là {limit // 1048576} MB.",
    )


def _zip_kind(path: Path, suffix: str) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError) as exc:
        if suffix == ".docx":
            raise IngestError("invalid_docx", "Tệp .docx bị hỏng (gói ZIP không đọc được).") from exc
        raise IngestError(
            "unsupported_type", "Tệp nén bị hỏng hoặc không phải tài liệu được hỗ trợ."
        ) from exc
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if suffix == ".docx":
        raise IngestError("invalid_docx", "Tệp không phải .docx hợp lệ (gói ZIP không chứa văn bản Word).")
    raise IngestError("unsupported_type",
                      "Không hỗ trợ loại tệp nén này. Hãy dùng PDF, DOCX, DOC, XLSX, XLS, TXT hoặc MD.")


def _ole_kind(path: Path, suffix: str) -> str:
    """"doc" or "xls" for an OLE2 (Office 97-2003) file, by the main stream its directory names."""
    data = path.read_bytes()  # at most MAX_FILE_BYTES, checked by _size
    if _has_stream(data, "WordDocument"):
        return "doc"
    if _has_stream(data, "Workbook") or _has_stream(data, "Book"):  # Book: Excel 5/95
        return "xls"
    if suffix == ".xls":
        return "xls"  # damaged (no directory found): the Excel reader says so
    if suffix in (".doc", ".docx", ".rtf", ""):
        return "doc"  # the Word reader says what is wrong with it
    raise IngestError(
        "unsupported_type", "Không hỗ trợ tệp Office định dạng cũ này (không phải Word hay Excel). "
        "Hãy dùng PDF, DOCX, DOC, XLSX, XLS, TXT hoặc MD."
    )


def _has_stream(data: bytes, name: str) -> bool:
    """Whether an OLE2 directory entry (128 bytes, name in UTF-16LE then NUL) names `name`."""
    needle = name.encode("utf-16-le") + b"\x00\x00"
    start = data.find(needle, 512)
    while start != -1:
        if (start - 512) % 128 == 0:
            return True
        start = data.find(needle, start + 1)
    return False


def _looks_html(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:200].lower()
    return start.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in start


def _is_text(head: bytes) -> bool:
    """No NUL bytes, unless the file is UTF-16 (which starts with a byte-order mark)."""
    return head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" not in head
