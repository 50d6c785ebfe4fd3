"""The "Tài liệu" tab's actions: list the indexed reports, ingest uploads with progress, remove one.

Thin adapters over `ingest.job`: the UI only stages uploads, reports
progress and words the results for people.
"""

from __future__ import annotations

import html
import logging
import queue
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.errors import user_message
from ingest.job import FileResult, remove_document, run_ingest
from ui import uploads
from ui.catalog import ReportInfo
from ui.duplicates import duplicate_line, find_duplicates
from ui.progress import UiProgress, progress_markdown
from ui.sources import file_link
from vectorstore.index import Index

log = logging.getLogger(__name__)

STATUS_VI = {"indexed": "đã nạp", "replaced": "đã thay bản cũ", "unchanged": "không đổi (đã có)",
             "refused": "bị từ chối"}


def result_line(r: FileResult) -> str:
    status = STATUS_VI.get(r.status, r.status)
    detail = f" ({r.chunks} đoạn)" if r.chunks and r.status != "refused" else ""
    reason = f": {r.reason}" if r.reason else ""
    mark = "❌" if r.status == "refused" else "✅"
    return f"{mark} **{r.file}** — {status}{detail}{reason}"


def ingest_uploads(index: Index, uploaded: list[str | Path], report: Callable[[float, str], None],
                   allow_duplicates: bool = False) -> list[str]:
    """Check each upload (type on content, size), stage the accepted ones under `<index>/uploads/`,
    hold back those that repeat an indexed report (unless allowed), ingest the rest, drop the staged
    copies; one line per file. Refused files never reach the index or the stored originals."""
    checked = [(Path(f), uploads.refusal(Path(f))) for f in uploaded]
    lines = [result_line(FileResult(uploads.safe_name(p.name), "refused", reason=why, code="upload_refused"))
             for p, why in checked if why]
    accepted = [p for p, why in checked if not why]
    if not accepted:
        return lines
    staged = uploads.stage(accepted, index.settings.index_dir)
    progress = UiProgress(report)
    try:
        held = [] if allow_duplicates else find_duplicates(index, staged, progress.ocr_pages)
        lines += [duplicate_line(d) for d in held]
        todo = [p for p in staged if p.name not in {d.file for d in held}]
        if todo:
            lines += [result_line(r) for r in run_ingest(index, todo, progress).results]
        return lines
    finally:
        uploads.discard(staged)


def upload_with_progress(index: Index, files: list[str], allow_duplicates: bool = False) -> Iterator[str]:
    """Run `ingest_uploads` in a thread and yield its progress as it changes, then the result lines.

    The ingest reports progress from its own thread; the generator only waits on a queue (never
    sleeps), so each step reaches the browser as soon as it happens.
    """
    updates: queue.Queue[tuple[float, str] | None] = queue.Queue()
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["lines"] = ingest_uploads(index, files, lambda f, c: updates.put((f, c)), allow_duplicates)
        except Exception as exc:  # noqa: BLE001 - shown as one sentence; the log has the trace
            log.exception("upload failed")
            outcome["error"] = exc
        finally:
            updates.put(None)

    yield progress_markdown(0.0, f"Đang kiểm tra {len(files)} tệp…")
    threading.Thread(target=work, name="upload-ingest", daemon=True).start()
    while (update := updates.get()) is not None:
        while not updates.empty():  # only the newest state is worth drawing
            newer = updates.get()
            if newer is None:
                update = None
                break
            update = newer
        if update is None:
            break
        yield progress_markdown(*update)
    if "error" in outcome:
        raise gr.Error(user_message(outcome["error"]), print_exception=False)
    yield "\n\n".join(outcome["lines"])


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
            f'<div class="bc-lib-wrap"><table class="bc-lib"><thead>{head}</thead><tbody>{rows}</tbody></table></div>')


def _row(r: ReportInfo, link: str) -> str:
    e = html.escape
    state = "" if r.complete else ' <span class="bc-warn">(chưa nạp xong)</span>'
    pages = f", {r.pages} trang" if r.pages else ""
    return (
        f'<tr><td><div class="bc-lib-subject">{e(r.subject or "—")}</div>'
        f'<div class="bc-file">{e(r.file)}{state} {link}</div></td>'
        f"<td>{e(r.province or '—')}</td><td class=\"bc-nw\">{e(r.number or '—')}</td>"
        f"<td class=\"bc-nw\">{e(r.issue_date or '—')}</td>"
        f"<td>{e('; '.join(r.periods) or '—')}</td><td>{r.chunks}</td><td>{e(r.format)}{pages}</td>"
        f"<td>{e(r.ingested_at)}</td></tr>"
    )
