"""The "Tài liệu" tab's actions: list the indexed reports, ingest uploads with progress, remove one.

Thin adapters over `ingest.job`: the UI only stages uploads, reports
progress and words the results for people.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from pathlib import Path

from ingest.job import FileResult, Progress, remove_document, run_ingest
from ui import uploads
from ui.catalog import ReportInfo
from ui.sources import file_link
from vectorstore.index import Index

log = logging.getLogger(__name__)

STATUS_VI = {"indexed": "đã nạp", "replaced": "đã thay bản cũ", "unchanged": "không đổi (đã có)",
             "refused": "bị từ chối"}
ProgressFn = Callable[[float, str], None]


class UiProgress(Progress):
    """Turns ingest hooks into one overall fraction and a Vietnamese caption."""

    def __init__(self, report: ProgressFn) -> None:
        self.report = report
        self.total_files = 1
        self.file_no = 0
        self.name = ""
        self.total_chunks = 0
        self.done_chunks = 0

    def _emit(self) -> None:
        within = self.done_chunks / self.total_chunks if self.total_chunks else 0.0
        fraction = (self.file_no - 1 + within) / self.total_files
        step = f"đoạn {self.done_chunks}/{self.total_chunks}" if self.total_chunks else "đang đọc tệp"
        caption = f"Tệp {self.file_no}/{self.total_files}: {self.name} — {step}"
        self.report(max(0.0, min(fraction, 1.0)), caption)

    def files(self, total: int) -> None:
        self.total_files = max(total, 1)

    def file_started(self, name: str) -> None:
        self.file_no += 1
        self.name, self.total_chunks, self.done_chunks = name, 0, 0
        self._emit()

    def chunks(self, total: int) -> None:
        self.total_chunks, self.done_chunks = total, 0
        self._emit()

    def chunks_done(self, n: int) -> None:
        self.done_chunks += n
        self._emit()


def result_line(r: FileResult) -> str:
    status = STATUS_VI.get(r.status, r.status)
    detail = f" ({r.chunks} đoạn)" if r.chunks and r.status != "refused" else ""
    reason = f": {r.reason}" if r.reason else ""
    mark = "❌" if r.status == "refused" else "✅"
    return f"{mark} **{r.file}** — {status}{detail}{reason}"


def ingest_uploads(index: Index, uploaded: list[str | Path], report: ProgressFn) -> list[FileResult]:
    """Check each upload (type on content, size), stage the accepted ones under `<index>/uploads/`,
    ingest them, drop the staged copies. Refused files never reach the index or the stored originals."""
    checked = [(Path(f), uploads.refusal(Path(f))) for f in uploaded]
    refused = [FileResult(uploads.safe_name(p.name), "refused", reason=why, code="upload_refused")
               for p, why in checked if why]
    accepted = [p for p, why in checked if not why]
    if not accepted:
        return refused
    staged = uploads.stage(accepted, index.settings.index_dir)
    try:
        return refused + run_ingest(index, staged, UiProgress(report)).results
    finally:
        uploads.discard(staged)


def remove(index: Index, file: str) -> str:
    """Remove one report; the answer is a sentence for the status line."""
    if not file:
        return "Hãy chọn báo cáo cần xóa."
    ok = remove_document(index, Path(file).name)
    return f"Đã xóa **{file}** khỏi chỉ mục." if ok else f"Không có báo cáo **{file}** trong chỉ mục."


def library_html(reports: list[ReportInfo], files_dir: Path) -> str:
    """The table of indexed reports (metadata, chunk count, when ingested)."""
    if not reports:
        return '<div class="bc-lib-empty">Chưa có báo cáo nào. Hãy tải lên tệp PDF, DOCX hoặc TXT.</div>'
    head = ("<tr><th>Báo cáo</th><th>Tỉnh</th><th>Số</th><th>Ngày</th><th>Kỳ báo cáo</th>"
            "<th>Đoạn</th><th>Định dạng</th><th>Nạp lúc</th></tr>")
    rows = "".join(_row(r, file_link(files_dir, r.file, None)) for r in reports)
    return (f'<div class="bc-lib-count">{len(reports)} báo cáo trong chỉ mục</div>'
            f'<table class="bc-lib"><thead>{head}</thead><tbody>{rows}</tbody></table>')


def _row(r: ReportInfo, link: str) -> str:
    e = html.escape
    state = "" if r.complete else ' <span class="bc-warn">(chưa nạp xong)</span>'
    pages = f", {r.pages} trang" if r.pages else ""
    return (
        f'<tr><td><div class="bc-lib-subject">{e(r.subject or "—")}</div>'
        f'<div class="bc-file">{e(r.file)}{state} {link}</div></td>'
        f"<td>{e(r.province or '—')}</td><td>{e(r.number or '—')}</td><td>{e(r.issue_date or '—')}</td>"
        f"<td>{e('; '.join(r.periods) or '—')}</td><td>{r.chunks}</td><td>{e(r.format)}{pages}</td>"
        f"<td>{e(r.ingested_at)}</td></tr>"
    )
