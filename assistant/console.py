"""Terminal rendering for the CLI (rich): progress, tables, answers."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ingest.job import FileResult, IngestReport
from ingest.job import Progress as IngestHooks

out = Console()
err = Console(stderr=True)

STATUS_VI = {"indexed": "đã nạp", "replaced": "đã thay", "unchanged": "không đổi", "refused": "từ chối"}


def say(text: str) -> None:
    out.print(text)


def error(text: str) -> None:
    err.print(f"[bold red]Lỗi:[/] {text}")


def ocr_line(name: str, done: int, total: int) -> str:
    """One OCR page step as `baocao ingest` prints it when its output is a log, not a terminal."""
    return f"Nhận dạng ảnh quét: trang {done}/{total} (tệp {name})"


class IngestProgress(IngestHooks):
    """Bars for files and chunks of the current file (embedding is the slow part), and for the pages of
    a scan being read by OCR (seconds a page). Without a terminal (a log, CI) OCR pages print as lines."""

    def __init__(self, enabled: bool = True) -> None:
        self._enabled = enabled
        self._bar = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=err, disable=not enabled, transient=False,
        )
        self._files = self._bar.add_task("Tệp", total=0)
        self._chunks = self._bar.add_task("Đoạn", total=0)
        self._pages = self._bar.add_task("Nhận dạng ảnh quét", total=0, visible=False)

    def __enter__(self) -> IngestProgress:
        self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.stop()

    def files(self, total: int) -> None:
        self._bar.update(self._files, total=total)

    def file_started(self, name: str) -> None:
        self._bar.update(self._chunks, description=f"Đoạn · {name[:40]}", completed=0, total=0)

    def chunks(self, total: int) -> None:
        self._bar.update(self._chunks, total=total, completed=0)

    def chunks_done(self, n: int) -> None:
        self._bar.advance(self._chunks, n)

    def ocr_pages(self, name: str, done: int, total: int) -> None:
        self._bar.update(self._pages, description=f"Nhận dạng ảnh quét · {name[:40]}", total=total,
                         completed=done, visible=True)
        if self._enabled and not err.is_terminal:
            err.print(escape(ocr_line(name, done, total)), highlight=False)

    def file_done(self, result: FileResult) -> None:
        self._bar.advance(self._files)


def print_ingest_report(report: IngestReport) -> None:
    table = Table(title=f"Kết quả nạp ({report.seconds:.1f} giây)")
    for col in ("Tệp", "Kết quả", "Số đoạn", "Lý do"):
        table.add_column(col)
    for r in report.results:
        # names and reasons are data, not markup: "báo cáo [/tháng 3].txt" must print as it is
        table.add_row(escape(r.file), STATUS_VI.get(r.status, r.status), str(r.chunks or ""), escape(r.reason))
    out.print(table)
    out.print(
        f"Đã nạp: {report.count('indexed') + report.count('replaced')} · "
        f"Không đổi: {report.count('unchanged')} · Từ chối: {report.count('refused')}"
    )


def ingest_summary(report: IngestReport) -> dict[str, Any]:
    """`baocao ingest --json`: one line per file with its outcome and, when refused, the reason."""
    return {
        "seconds": round(report.seconds, 2),
        "counts": {s: report.count(s) for s in STATUS_VI},
        "files": [{"file": r.file, "status": r.status, "chunks": r.chunks, "code": r.code, "reason": r.reason}
                  for r in report.results],
    }


def doc_summary(record: dict[str, Any]) -> dict[str, Any]:
    meta = record.get("metadata") or {}
    return {
        "file": record["file"],
        "province": meta.get("province"),
        "issuing_agency": meta.get("issuing_agency"),
        "report_number": meta.get("report_number"),
        "issue_date": meta.get("issue_date"),
        "issue_date_precision": meta.get("issue_date_precision"),
        "title": meta.get("title"),
        "subject": meta.get("subject"),
        "periods": meta.get("periods") or [],
        "signer": meta.get("signer"),
        "chunks": record.get("n_chunks", 0),
        "pages": record.get("pages"),
        "format": record.get("format"),
        "ingested_at": record.get("ingested_at"),
        "status": record.get("status"),
        "metadata": meta,
    }


def print_docs(records: list[dict[str, Any]]) -> None:
    table = Table(title=f"{len(records)} báo cáo trong chỉ mục")
    for col in ("Tệp", "Tỉnh", "Số", "Ngày", "Kỳ báo cáo", "Trích yếu", "Đoạn"):
        table.add_column(col, overflow="fold")
    for r in records:
        d = doc_summary(r)
        periods = "; ".join(p.get("label", "") for p in d["periods"])
        table.add_row(d["file"], d["province"] or "", d["report_number"] or "—", d["issue_date"] or "",
                      periods, (d["subject"] or "")[:90], str(d["chunks"]))
    out.print(table)


def print_answer(record: dict[str, Any]) -> None:
    style = "yellow" if record.get("abstained") else "green"
    if record.get("notice"):
        out.print(f"[italic]{escape(record['notice'])}[/]")
    if record.get("standalone_question"):
        out.print(f"[dim]Hiểu câu hỏi là: {escape(record['standalone_question'])}[/]")
    out.print(f"[bold {style}]{escape(record['answer'])}[/]\n")
    for c in record.get("citations", []):
        where = f"{c['file']}" + (f", trang {c['page']}" if c.get("page") else "") + (
            f" {c['ocr_note']}" if c.get("ocr_note") else "")
        out.print(f"[bold]\\[{c['n']}][/] {escape(where)} — {escape(c.get('section') or '')}")
        out.print(f"    “{escape(c['text'][:400])}”", highlight=False)
    t = record.get("timings_ms", {})
    out.print(f"[dim]truy xuất {t.get('retrieve', 0):.0f} ms · trả lời {t.get('answer', 0):.0f} ms[/]")


def print_eval(summary: dict[str, Any], name: str = "") -> None:
    table = Table(title=f"Đánh giá {name}".strip())
    table.add_column("Chỉ số")
    table.add_column("Giá trị")
    for k, v in summary.items():
        if not isinstance(v, dict | list):
            table.add_row(k, str(v))
    out.print(table)
    for name in ("by_type", "retrieval_by_type"):
        if summary.get(name):
            t = Table(title=name)
            t.add_column("Loại")
            t.add_column("Kết quả")
            for k, v in summary[name].items():
                t.add_row(k, str(v))
            out.print(t)


def print_doctor(findings: Any) -> None:
    for line in findings.lines:
        out.print(line)
