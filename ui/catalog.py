"""The indexed reports as the UI shows them: one flat, display-ready summary per registry record.

The registry (Chroma) is the truth; this module only reads it and formats
dates and labels the Vietnamese way, so every panel (library table, filters,
sources, example questions) describes a report with the same words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from assistant.retriever import scope_meta, years_of
from vectorstore.index import Index


@dataclass(frozen=True)
class ReportInfo:
    file: str
    subject: str = ""
    province: str = ""
    number: str = ""
    issue_date: str = ""  # display form: 15/03/2023, 03/2023 or 2023
    periods: tuple[str, ...] = ()
    reported_period: str = ""  # the period the report is about (role "reported"), else the first one
    plan_period: str = ""  # the period of the work programme, if any
    years: tuple[int, ...] = field(default_factory=tuple)
    chunks: int = 0
    pages: int | None = None
    format: str = ""
    ingested_at: str = ""  # local time, dd/mm/yyyy HH:MM
    complete: bool = True

    @property
    def label(self) -> str:
        """Short name for menus: period, province, file."""
        parts = [self.reported_period or self.issue_date, self.province, self.file]
        return " · ".join(p for p in parts if p)

    @property
    def title(self) -> str:
        return self.subject or self.file


def vn_date(iso: str | None) -> str:
    """'2023-03-15' -> '15/03/2023', '2023-03' -> '03/2023', '2023' -> '2023'."""
    if not iso:
        return ""
    parts = str(iso).split("-")
    return "/".join(reversed(parts))


def local_time(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return str(iso)


def _period(periods: list[dict[str, Any]], role: str) -> str:
    return next((p.get("label", "") for p in periods if p.get("role") == role), "")


def report_info(record: dict[str, Any]) -> ReportInfo:
    meta = record.get("metadata") or {}
    periods = [p for p in meta.get("periods") or [] if isinstance(p, dict)]
    years = sorted(years_of(scope_meta(record)))  # the same years the filter matches on
    return ReportInfo(
        file=record.get("file") or record.get("doc_id", ""),
        subject=meta.get("subject") or "",
        province=meta.get("province") or "",
        number=meta.get("report_number") or "",
        issue_date=vn_date(meta.get("issue_date")),
        periods=tuple(p.get("label", "") for p in periods),
        reported_period=_period(periods, "reported") or (periods[0].get("label", "") if periods else ""),
        plan_period=_period(periods, "plan"),
        years=tuple(years),
        chunks=int(record.get("n_chunks") or 0),
        pages=record.get("pages"),
        format=(record.get("format") or "").upper(),
        ingested_at=local_time(record.get("ingested_at")),
        complete=record.get("status", "complete") == "complete",
    )


def list_reports(index: Index) -> list[ReportInfo]:
    """All indexed reports, newest first: by issue date, else by the end of the period reported on."""
    records = index.store.list_documents()
    reports = [report_info(r) for r in records]
    dated = {info.file: _newness(rec) for info, rec in zip(reports, records, strict=True)}
    reports.sort(key=lambda r: r.file)
    reports.sort(key=lambda r: dated[r.file], reverse=True)
    return reports


def _newness(record: dict[str, Any]) -> str:
    """A sortable date ("2023-03-15", "2023-03"): the issue date, or the latest period end, or ""."""
    meta = record.get("metadata") or {}
    issued = str(meta.get("issue_date") or "")
    ends = [str(p.get("end") or "") for p in meta.get("periods") or [] if isinstance(p, dict)]
    return issued or max(ends, default="")


def filter_choices(reports: list[ReportInfo]) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """Choices for the province, year and report filters, from what is actually indexed."""
    provinces = sorted({r.province for r in reports if r.province})
    years = sorted({y for r in reports for y in r.years}, reverse=True)
    files = [(r.label, r.file) for r in reports]
    return provinces, [str(y) for y in years], files
