"""An ingest's progress as the upload panel shows it: a bar, the current file, files and passages done
(or, for a scan, pages read by OCR), and an estimate of the time left (what `baocao ingest` prints in
the terminal)."""

from __future__ import annotations

import time
from collections.abc import Callable

from ingest.job import FileResult, Progress

ProgressFn = Callable[[float, str], None]
# Share of a scanned file's time spent in OCR, so the bar moves with the pages: a 20-page scan uploaded
# through the app took 81 s of OCR, then 50 s to embed its 90 passages (cold vector cache).
OCR_SHARE = 0.6


class UiProgress(Progress):
    """Turns ingest hooks into one overall fraction and a Vietnamese caption, as the CLI shows them:
    files and passages done, the current file and an estimate of the time left."""

    def __init__(self, report: ProgressFn, clock: Callable[[], float] = time.monotonic) -> None:
        self.report = report
        self.clock = clock
        self.started = clock()
        self.total_files = 1
        self.file_no = 0
        self.files_done = 0
        self.name = ""
        self.total_chunks = 0
        self.done_chunks = 0
        self.pages: tuple[int, int] | None = None  # OCR pages read / to read of the current file

    def fraction(self) -> float:
        pages_read = self.pages[0] / self.pages[1] if self.pages and self.pages[1] else 0.0
        within = OCR_SHARE * pages_read if self.pages else 0.0
        if self.total_chunks:
            within += (1 - OCR_SHARE if self.pages else 1.0) * self.done_chunks / self.total_chunks
        return max(0.0, min((max(self.file_no, 1) - 1 + within) / self.total_files, 1.0))

    def caption(self) -> str:
        step = f"đoạn {self.done_chunks}/{self.total_chunks}" if self.total_chunks else "đang đọc tệp"
        if self.pages and not self.total_chunks:
            step = f"nhận dạng ảnh quét: trang {self.pages[0]}/{self.pages[1]}"
        done = f"đã xong {self.files_done}/{self.total_files} tệp"
        if not self.file_no:  # reading the uploads to check for duplicates, before the ingest
            return f"Đang kiểm tra {self.name} — {step}{self._eta()}"
        return f"Tệp {self.file_no}/{self.total_files}: {self.name} — {step} · {done}{self._eta()}"

    def _eta(self) -> str:
        fraction, elapsed = self.fraction(), self.clock() - self.started
        if fraction < 0.05 or elapsed < 2:
            return ""
        left = elapsed * (1 - fraction) / fraction
        return f" · còn khoảng {round(left)} giây" if left < 90 else f" · còn khoảng {round(left / 60)} phút"

    def _emit(self) -> None:
        self.report(self.fraction(), self.caption())

    def files(self, total: int) -> None:
        self.total_files = max(total, 1)

    def file_started(self, name: str) -> None:
        self.file_no += 1
        self.name, self.total_chunks, self.done_chunks, self.pages = name, 0, 0, None
        self._emit()

    def chunks(self, total: int) -> None:
        self.total_chunks, self.done_chunks = total, 0
        self._emit()

    def chunks_done(self, n: int) -> None:
        self.done_chunks += n
        self._emit()

    def ocr_pages(self, name: str, done: int, total: int) -> None:
        self.name, self.pages = name, (done, total)
        self._emit()

    def file_done(self, result: FileResult) -> None:
        self.files_done += 1
        self._emit()


def progress_markdown(fraction: float, caption: str) -> str:
    """The upload's progress as the library tab shows it: a bar, the percentage and the caption."""
    filled = round(fraction * 20)
    return f"**Đang nạp** `{'█' * filled}{'░' * (20 - filled)}` {round(fraction * 100)}%\n\n{caption}"
