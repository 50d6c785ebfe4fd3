"""Read scanned PDF pages with Tesseract's Vietnamese model, as positioned text runs.

Only pages without a text layer come here (see `pdf.load_pdf`). Each page is
rendered with pdfium and read by Tesseract through pytesseract (chosen over
ocrmypdf by bench/ocr_bench.py: same engine and model, word confidences
available, no PDF rewrite). Lines come back as `Run`s in PDF points, so
scanned pages go through the same layout (paragraphs across pages, footnote
zone by type size) as pages with text. Pages are read in parallel, one
single-threaded Tesseract per core.

The pages of the last files read are kept (by content hash): the app reads an upload once to check
it against the indexed reports and again to index it, and a scan must not be OCR'd twice.

OCR is optional: `ocr_unavailable()` says in Vietnamese what to install when
Tesseract, its Vietnamese model or the Python packages are missing.
"""

from __future__ import annotations

import copy
import logging
import os
import shutil
import subprocess
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Any

from ingest.document import PageCallback
from ingest.file_hash import file_sha256
from ingest.loaders.ocr_numbers import figures_in, repair_token
from ingest.loaders.pdf_lines import Run
from vectorstore.settings import default_environment

log = logging.getLogger(__name__)
LANG = "vie"
RENDER_DPI = 300  # bench/ocr_bench.py: lower CER than 150 dpi on the 150 dpi corpus scan
LOW_CONFIDENCE = 90  # a figure Tesseract reads below this confidence (0-100) is unverified
PAGE_TIMEOUT_S = 180
# Font size over Tesseract's line box (tone marks to descenders), measured on the corpus
# scan: 14 pt body lines are ~27.5 px high at 150 dpi, i.e. 13.2 pt.
_POINTS_PER_BOX = 1.06
_DESCENT = 0.2  # the baseline sits this share of the font size above the box bottom
_BATCH_PER_WORKER = 2  # pages rendered ahead per worker (a 300 dpi A4 page is ~9 MB in memory)
ENABLE_HINT = (
    "Để bật OCR: cài Tesseract và mô hình tiếng Việt (apt-get install tesseract-ocr tesseract-ocr-vie) "
    "và gói Python (pip install 'baocao[ocr]')."
)


@dataclass
class OcrPage:
    """One page read by OCR: its runs, and the figures Tesseract was not sure of."""

    number: int
    runs: list[Run] = field(default_factory=list)
    doubtful: set[str] = field(default_factory=set)


def ocr_unavailable() -> str | None:
    """None when OCR can run here, else the missing piece and how to install it (Vietnamese)."""
    try:
        import pypdfium2  # noqa: F401
        import pytesseract  # noqa: F401
    except ImportError:
        return "Thiếu gói Python cho OCR. " + ENABLE_HINT
    exe = shutil.which("tesseract")
    if exe is None:
        return "Chưa cài Tesseract OCR. " + ENABLE_HINT
    if LANG not in _languages(exe):
        return "Tesseract chưa có mô hình tiếng Việt (tesseract-ocr-vie). " + ENABLE_HINT
    return None


def _languages(exe: str) -> set[str]:
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return set()
    return {line.strip() for line in out.stdout.splitlines()[1:]}


def ocr_pdf_pages(path: Path, numbers: list[int], password: str | None = None,
                  on_page: PageCallback | None = None) -> list[OcrPage]:
    """OCR the given 1-based pages of a PDF, in parallel on the available cores.

    `on_page(done, total)` is called once before the first page and after each page read, in
    page order, so a progress display can show pages while they are being read.
    """
    report = on_page or (lambda done, total: None)
    key = file_sha256(path)
    kept = _recent.pages(key)
    pages: list[OcrPage] = [kept[n] for n in numbers if n in kept]
    todo = [n for n in numbers if n not in kept]
    report(len(pages), len(numbers))
    if todo:
        pages.extend(_read_pages(path, todo, password, lambda done: report(len(numbers) - len(todo) + done,
                                                                             len(numbers))))
        _recent.keep(key, [p for p in pages if p.runs])  # a page that failed is tried again next time
    return sorted(pages, key=lambda p: p.number)


def _read_pages(path: Path, numbers: list[int], password: str | None, done: Callable[[int], None]
                ) -> list[OcrPage]:
    """Render pages a few at a time (memory) and read them on one Tesseract per core."""
    import pypdfium2

    default_environment("OMP_THREAD_LIMIT", "1")  # one Tesseract per core, not N threads each
    workers = max(1, min(len(numbers), os.cpu_count() or 1))
    batch = workers * _BATCH_PER_WORKER
    pages: list[OcrPage] = []
    pdf = pypdfium2.PdfDocument(str(path), password=password)
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for start in range(0, len(numbers), batch):
                images = [(n, _render(pdf[n - 1])) for n in numbers[start : start + batch]]
                for page in pool.map(lambda item: read_image(item[1], item[0]), images):
                    pages.append(page)
                    done(len(pages))
    finally:
        pdf.close()
    return pages


class _RecentScans:
    """The OCR'd pages of the last few files read, by content hash (a few KB of text runs a page)."""

    def __init__(self, files: int) -> None:
        self._lock = threading.Lock()
        self._files = files
        self._pages: OrderedDict[str, dict[int, OcrPage]] = OrderedDict()

    def pages(self, key: str) -> dict[int, OcrPage]:
        with self._lock:
            return copy.deepcopy(self._pages.get(key, {}))  # layout may edit the runs it is given

    def keep(self, key: str, pages: list[OcrPage]) -> None:
        with self._lock:
            self._pages.setdefault(key, {}).update((p.number, p) for p in pages)
            self._pages.move_to_end(key)
            while len(self._pages) > self._files:
                self._pages.popitem(last=False)


_recent = _RecentScans(files=16)  # more than one upload holds


def _render(page: Any) -> Any:
    """The page as a grayscale image at RENDER_DPI, with its size in points."""
    image = page.render(scale=RENDER_DPI / 72, grayscale=True).to_pil()
    image.info["page_height_pt"] = page.get_height()
    return image


def read_image(image: Any, number: int) -> OcrPage:
    """Tesseract's words of one page image -> line runs in PDF points, doubtful figures noted."""
    import pytesseract

    page = OcrPage(number)
    try:
        data = pytesseract.image_to_data(
            image, lang=LANG, output_type=pytesseract.Output.DICT, timeout=PAGE_TIMEOUT_S
        )
    except (RuntimeError, pytesseract.TesseractError):  # timed out or failed: this page stays unread
        log.warning("OCR failed on page %d", number, exc_info=True)
        return page
    height_pt = float(image.info.get("page_height_pt") or image.height * 72 / RENDER_DPI)
    for words in _lines(data):
        page.runs.extend(_line_runs(words, number, height_pt, page.doubtful))
    return page


@dataclass
class _Word:
    text: str
    left: int
    top: int
    width: int
    height: int
    conf: float


def _lines(data: dict[str, list]) -> list[list[_Word]]:
    """Words grouped by Tesseract's (block, paragraph, line), in reading order."""
    lines: dict[tuple[int, int, int], list[_Word]] = {}
    for i, text in enumerate(data["text"]):
        if int(data["level"][i]) != 5 or not str(text).strip():
            continue
        key = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        lines.setdefault(key, []).append(
            _Word(str(text).strip(), int(data["left"][i]), int(data["top"][i]), int(data["width"][i]),
                  int(data["height"][i]), float(data["conf"][i]))
        )
    return list(lines.values())


def _line_runs(words: list[_Word], number: int, height_pt: float, doubtful: set[str]) -> list[Run]:
    """One run for the line's text; a small raised leading number becomes its own run (a footnote mark)."""
    scale = 72 / RENDER_DPI
    top = min(w.top for w in words)
    bottom = max(w.top + w.height for w in words)
    line_h = median(w.height for w in words) if len(words) > 2 else bottom - top
    size = max(1.0, (bottom - top) * scale * _POINTS_PER_BOX)
    y = height_pt - bottom * scale + _DESCENT * size
    runs: list[Run] = []
    first = words[0]
    if len(words) > 1 and first.text.isdigit() and len(first.text) <= 2 and first.height < 0.75 * line_h:
        runs.append(Run(first.text, first.left * scale, y + 0.4 * size, 0.6 * size, False, number))
        words = words[1:]
    texts = []
    for i, w in enumerate(words):
        fixed, unsure = repair_token(w.text, line_start=i == 0)
        if unsure or (w.conf < LOW_CONFIDENCE and figures_in(fixed)):
            doubtful.update(figures_in(fixed))
        texts.append(fixed)
    runs.append(Run(" ".join(texts), words[0].left * scale, y, size, False, number))
    return runs
