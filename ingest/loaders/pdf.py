"""Load PDF reports with pypdf: refuse what cannot be read, then rebuild paragraphs and footnotes.

pypdf's plain text loses what a report needs (which small raised digit is a
footnote mark, which lines are footnotes or page numbers, which lines wrap
one paragraph), so text is collected with its position and font size
(`extract_text(visitor_text=...)`) and laid out again in `pdf_lines` and
`pdf_layout`.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

from ingest.document import IngestError, LoadedDocument, PageCallback
from ingest.loaders.ocr import OcrPage, ocr_pdf_pages, ocr_unavailable
from ingest.loaders.pdf_layout import layout
from ingest.loaders.pdf_lines import Run

log = logging.getLogger(__name__)
MAX_PDF_PAGES = 1500
_NO_TEXT = "PDF chỉ có ảnh quét, không có lớp văn bản, cần OCR. "
_CORRUPT = "Tệp PDF bị hỏng hoặc không trọn vẹn (thiếu phần cuối tệp), không đọc được."


def load_pdf(path: Path, password: str | None = None, on_page: PageCallback | None = None) -> LoadedDocument:
    """Read a PDF; pages without a text layer are OCR'd (when installed), reported through `on_page`."""
    reader = _open(path, password)
    pages = [_runs(reader, i) for i in range(len(reader.pages))]
    empty = [i + 1 for i, runs in enumerate(pages) if _blank(runs) and _has_image(reader, i)]
    notes: list[str] = []
    scanned = _read_scans(path, empty, password, pages, notes, on_page)
    if all(_blank(runs) for runs in pages):
        raise IngestError("no_text_layer", _NO_TEXT + (notes[0] if notes else ""))
    blocks, footnotes = layout(pages)
    doc = LoadedDocument(path, "pdf", blocks, footnotes, pages=len(pages), notes=notes)
    doc.ocr_pages = [p.number for p in scanned]
    doc.doubtful_figures = {p.number: p.doubtful for p in scanned if p.doubtful}
    return doc


def _blank(runs: list[Run]) -> bool:
    return sum(len(r.text.strip()) for r in runs) < 5


def _has_image(reader: PdfReader, index: int) -> bool:
    """Whether a page draws any image (a page without one has nothing to OCR)."""
    try:
        resources = reader.pages[index].get("/Resources") or {}
        return bool(resources.get_object().get("/XObject"))
    except Exception:  # damaged resources: let OCR try the page
        return True


def _read_scans(path: Path, empty: list[int], password: str | None, pages: list[list[Run]], notes: list[str],
                on_page: PageCallback | None = None) -> list[OcrPage]:
    """OCR the pages without a text layer into `pages` when OCR is installed; say what happened in `notes`."""
    if not empty:
        return []
    listed = ", ".join(map(str, empty[:20])) + (", ..." if len(empty) > 20 else "")
    missing = ocr_unavailable()
    if missing:
        notes.append(f"Các trang {listed} chỉ có ảnh quét (không có lớp văn bản) nên chưa được đọc. {missing}")
        return []
    scanned = ocr_pdf_pages(path, empty, password, on_page)
    for page in scanned:
        pages[page.number - 1] = page.runs
    notes.append(f"Các trang {listed} là ảnh quét, đã được nhận dạng chữ (OCR) bằng Tesseract.")
    return scanned


def _open(path: Path, password: str | None) -> PdfReader:
    data_tail = _tail(path)
    if b"%%EOF" not in data_tail and b"startxref" not in data_tail:
        raise IngestError("corrupt_pdf", _CORRUPT)
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted and not _decrypt(reader, password):
            raise IngestError(
                "encrypted_pdf",
                "PDF được bảo vệ bằng mật khẩu. Hãy nhập mật khẩu để mở."
                if password is None
                else "Mật khẩu PDF không đúng.",
            )
        count = len(reader.pages)
    except IngestError:
        raise
    except Exception as exc:  # pypdf raises many types (PdfReadError, KeyError, ...) on damaged files
        raise IngestError("corrupt_pdf", _CORRUPT) from exc
    if count == 0:
        raise IngestError("corrupt_pdf", "Tệp PDF không có trang nào.")
    if count > MAX_PDF_PAGES:
        raise IngestError("too_large", f"PDF quá dài ({count} trang); giới hạn là {MAX_PDF_PAGES} trang.")
    return reader


def _tail(path: Path, size: int = 4096) -> bytes:
    with path.open("rb") as fh:
        fh.seek(max(0, path.stat().st_size - size))
        return fh.read()


def _decrypt(reader: PdfReader, password: str | None) -> bool:
    """Try the given password, or the empty one (PDFs locked only against editing)."""
    try:
        return bool(reader.decrypt(password or ""))
    except DependencyError as exc:
        raise IngestError("encrypted_pdf", "PDF được mã hóa AES; máy chủ thiếu thư viện giải mã.") from exc
    except (FileNotDecryptedError, PdfReadError, ValueError):
        return False


def _runs(reader: PdfReader, index: int) -> list[Run]:
    """Text pieces of one page with position and effective font size, in content order."""
    runs: list[Run] = []

    def visit(text: str, cm: list[float], tm: list[float], font: dict | None, size: float) -> None:
        if not text or text == "\n":
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3]) or 1.0
        name = str(font.get("/BaseFont", "")) if font else ""
        runs.append(Run(text.replace("\n", " "), x, y, size * scale, "Bold" in name, index + 1))

    try:
        reader.pages[index].extract_text(visitor_text=visit)
    except Exception as exc:  # pypdf raises many types on damaged content streams
        raise IngestError("corrupt_pdf", f"Trang {index + 1} của tệp PDF bị hỏng, không đọc được.") from exc
    return runs
