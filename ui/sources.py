"""The sources panel: each cited passage with its report, place in the report, figures and original file.

Leaders check a figure against the report before quoting it, so every card
names the report, province, period, section and page, quotes the passage
with the answer's figures highlighted, and links to the original file
(PDFs open at the cited page). Everything shown is HTML-escaped here.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ui.catalog import ReportInfo

FILE_ROUTE = "gradio_api/file="  # Gradio's file route; relative so a reverse-proxy prefix still works
NEAR_LIMIT = 3

_NUMBER = re.compile(r"\d+(?:[.,/]\d+)*")
_MARKED = re.compile(r"(.*?)((?:\s*\[\d+\])+)", re.S)
_MARK_N = re.compile(r"\[(\d+)\]")
_SOURCE_LEAD = re.compile(r"Theo báo cáo[^:]*:\s*")  # "Theo báo cáo tháng 3/2023 – Trà Vinh:" names, not figures

NOTHING_HTML = ('<div class="bc-sources-empty">'
                "Không có đoạn nào trong các báo cáo đã nạp liên quan đến câu hỏi.</div>")
EMPTY_HTML = '<div class="bc-sources-empty">Các đoạn trích dẫn sẽ hiện ở đây khi có câu trả lời.</div>'


def _figures(text: str) -> set[str]:
    """Numbers worth highlighting: two digits or more, or with separators (not 'tháng 3')."""
    return {m.group() for m in _NUMBER.finditer(text) if len(re.sub(r"\D", "", m.group())) >= 2}


def figures_by_citation(answer: str) -> dict[int, set[str]]:
    """The figures of the sentences that cite each [n]."""
    out: dict[int, set[str]] = {}
    for m in _MARKED.finditer(answer or ""):
        figs = _figures(_SOURCE_LEAD.sub("", m.group(1)))
        for n in _MARK_N.findall(m.group(2)):
            out.setdefault(int(n), set()).update(figs)
    return out


def highlight(text: str, figures: set[str]) -> str:
    """Escape `text` and wrap the given figures in <mark>."""
    parts, last = [], 0
    for m in _NUMBER.finditer(text):
        if m.group() in figures:
            parts.append(html.escape(text[last : m.start()]))
            parts.append(f"<mark>{html.escape(m.group())}</mark>")
            last = m.end()
    parts.append(html.escape(text[last:]))
    return "".join(parts)


def file_url(files_dir: Path, file: str, page: int | None = None) -> str:
    """URL (relative to the app) of a stored original, PDFs at `page`; '' when it is not stored."""
    path = (files_dir / Path(file or "").name).resolve()
    if not file or not path.is_file():
        return ""
    href = FILE_ROUTE + quote(str(path))
    if path.suffix.lower() == ".pdf" and page:
        href += f"#page={int(page)}"
    return href


def file_link(files_dir: Path, file: str, page: int | None) -> str:
    """Link to the stored original, or '' when it is not in the document store."""
    href = file_url(files_dir, file, page)
    if not href:
        return ""
    label = f"Mở bản gốc, trang {page}" if "#page=" in href else "Mở bản gốc"
    return f'<a class="bc-open" href="{html.escape(href)}" target="_blank" rel="noopener">{label} ↗</a>'


def _meta_line(item: Mapping[str, Any], report: ReportInfo | None) -> str:
    province = item.get("province") or (report.province if report else "")
    period = item.get("period") or (", ".join(report.periods) if report else "")
    bits = [
        f"Tỉnh {province}" if province else "",
        f"Kỳ: {period}" if period else "",
        f"Mục: {item['section']}" if item.get("section") else "",
        f"Trang {item['page']}" if item.get("page") else "",
    ]
    return " · ".join(html.escape(b) for b in bits if b)


def _card(item: Mapping[str, Any], report: ReportInfo | None, files_dir: Path, figures: set[str],
          badge: str) -> str:
    title = (report.title if report else "") or item.get("title") or item.get("file", "")
    number = f"Số {report.number} · " if report and report.number else ""
    return (
        f'<div class="bc-src" id="bc-src-{html.escape(str(item.get("n", "")))}">'
        f'<div class="bc-src-head"><span class="bc-n">{html.escape(badge)}</span> '
        f'<span class="bc-title">{html.escape(title)}</span></div>'
        f'<div class="bc-src-meta">{_meta_line(item, report)}</div>'
        f'<blockquote class="bc-quote">{highlight(item.get("text") or "", figures)}</blockquote>'
        f'<div class="bc-src-foot">{file_link(files_dir, item.get("file", ""), item.get("page"))} '
        f'<span class="bc-file">{html.escape(number + item.get("file", ""))}</span></div></div>'
    )


def render_sources(record: Mapping[str, Any] | None, reports: Mapping[str, ReportInfo],
                   files_dir: Path) -> str:
    """HTML for the sources panel of one answer record."""
    if not record:
        return EMPTY_HTML
    citations = record.get("citations") or []
    if citations:
        figs = figures_by_citation(record.get("answer", ""))
        cards = [_card(c, reports.get(c.get("file", "")), files_dir, figs.get(int(c["n"]), set()),
                       f"[{c['n']}]") for c in citations]
        return '<div class="bc-sources">' + "".join(cards) + "</div>"
    near = (record.get("retrieved") or [])[:NEAR_LIMIT]
    if not near:
        return NOTHING_HTML
    cards = [_card(r, reports.get(r.get("file", "")), files_dir, set(), "≈") for r in near]
    note = ('<div class="bc-near-note">Không đủ căn cứ để trả lời. Các đoạn gần nhất tìm được '
            "(chỉ để tham khảo, không phải trích dẫn):</div>")
    return '<div class="bc-sources bc-near">' + note + "".join(cards) + "</div>"
