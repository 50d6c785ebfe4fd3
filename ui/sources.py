"""The sources panel: each cited passage with its report, place in the report, figures and original file.

Leaders check a figure against the report before quoting it, so every card
names the report, province, period, section and page, quotes the passage
with the answer's figures highlighted, and links to the original file
(PDFs open at the cited page). A passage read from a scan by OCR says so next
to its page, and the figures OCR was unsure of are marked apart and listed, so
a reader checks them against the page. Everything shown is HTML-escaped here.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from assistant.answer_record import OCR_NOTE
from ui.catalog import ReportInfo

FILE_ROUTE = "gradio_api/file="  # Gradio's file route; relative so a reverse-proxy prefix still works
NEAR_LIMIT = 3

_NUMBER = re.compile(r"\d+(?:[.,/]\d+)*")
# A number right after one of these words names a period, a date or a document, not a figure.
_NOT_FIGURE_BEFORE = re.compile(
    r"(?:tháng|quý|năm|ngày|đoạn|kỳ|số|điều|khoản|điểm|mục|khóa|lần|phụ lục|trang|thứ|[-–/])\s*$", re.I)
_YEAR = re.compile(r"(?:19|20)\d\d")
_MARKED = re.compile(r"(.*?)((?:\s*\[\d+\])+)", re.S)
_MARK_N = re.compile(r"\[(\d+)\]")
_SOURCE_LEAD = re.compile(r"Theo báo cáo[^:]*:\s*")  # "Theo báo cáo tháng 3/2023 – Trà Vinh:" names, not figures


def panel(body: str, count: int = 0) -> str:
    """The sources under a heading that folds away (on a phone they sit right under the answer)."""
    label = f"Nguồn trích dẫn ({count})" if count else "Nguồn trích dẫn"
    return f'<details class="bc-panel" open><summary>{label}</summary>{body}</details>'


NOTHING_HTML = panel('<div class="bc-sources-empty">'
                     "Không có đoạn nào trong các báo cáo đã nạp liên quan đến câu hỏi.</div>")
EMPTY_HTML = panel('<div class="bc-sources-empty">Các đoạn trích dẫn sẽ hiện ở đây khi có câu trả lời.</div>')


def is_figure(text: str, m: re.Match[str]) -> bool:
    """Whether the number `m` of `text` is a figure ("4.680,3", "19,01", "327") rather than part of a
    period, date, year or document number ("tháng 01", "01/2021", "năm 2023", "2366/QĐ-UBND")."""
    number = m.group()
    if "/" in number or text[m.end():m.end() + 1] == "/" or _YEAR.fullmatch(number):
        return False
    if _NOT_FIGURE_BEFORE.search(text[max(0, m.start() - 12):m.start()]):
        return False
    return len(re.sub(r"\D", "", number)) >= 2 or text[m.end():m.end() + 2].strip().startswith("%")


def _figures(text: str) -> set[str]:
    """The figures of a sentence, as written."""
    return {m.group() for m in _NUMBER.finditer(text) if is_figure(text, m)}


def figures_by_citation(answer: str) -> dict[int, set[str]]:
    """The figures of the sentences that cite each [n]."""
    out: dict[int, set[str]] = {}
    for m in _MARKED.finditer(answer or ""):
        figs = _figures(_SOURCE_LEAD.sub("", m.group(1)))
        for n in _MARK_N.findall(m.group(2)):
            out.setdefault(int(n), set()).update(figs)
    return out


UNVERIFIED_TIP = "OCR đọc số này không chắc chắn: hãy đối chiếu với trang gốc"


def highlight(text: str, figures: set[str], unverified: set[str] | frozenset[str] = frozenset()) -> str:
    """Escape `text`, wrap the given figures in <mark> and the figures OCR was unsure of in a marked <span>."""
    parts, last = [], 0
    for m in _NUMBER.finditer(text):
        number = m.group()
        if number in unverified:
            tag = f'<span class="bc-unverified" title="{UNVERIFIED_TIP}">{html.escape(number)}</span>'
        elif number in figures and is_figure(text, m):
            tag = f"<mark>{html.escape(number)}</mark>"
        else:
            continue
        parts.append(html.escape(text[last : m.start()]))
        parts.append(tag)
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
    line = " · ".join(html.escape(b) for b in bits if b)
    if item.get("ocr"):
        line += f' <span class="bc-ocr">{html.escape(item.get("ocr_note") or OCR_NOTE)}</span>'
    return line


def _unverified_line(unverified: list[str]) -> str:
    """The figures of a scanned passage that OCR was unsure of, named so the reader checks them."""
    if not unverified:
        return ""
    listed = ", ".join(html.escape(f) for f in unverified)
    return (f'<div class="bc-unverified-note">Số liệu chưa kiểm chứng (OCR đọc không chắc chắn): {listed}'
            " — hãy đối chiếu với trang gốc.</div>")


CELL_SEPARATOR = '<span class="bc-cell-sep"> │ </span>'


def _quote(text: str, figures: set[str], unverified: list[str]) -> str:
    """The passage, figures highlighted; a table row's cells (tab-separated, as the table writes them)
    shown apart by a visible rule."""
    return highlight(text, figures, set(unverified)).replace("\t", CELL_SEPARATOR)


def _card(item: Mapping[str, Any], report: ReportInfo | None, files_dir: Path, figures: set[str],
          badge: str) -> str:
    title = (report.title if report else "") or item.get("title") or item.get("file", "")
    unverified = [str(f) for f in item.get("unverified") or []]
    number = f"Số {report.number} · " if report and report.number else ""
    return (
        f'<div class="bc-src" id="bc-src-{html.escape(str(item.get("n", "")))}">'
        f'<div class="bc-src-head"><span class="bc-n">{html.escape(badge)}</span> '
        f'<span class="bc-title">{html.escape(title)}</span></div>'
        f'<div class="bc-src-meta">{_meta_line(item, report)}</div>'
        f'{_unverified_line(unverified)}'
        f'<blockquote class="bc-quote">{_quote(item.get("text") or "", figures, unverified)}</blockquote>'
        f'<div class="bc-src-foot">{file_link(files_dir, item.get("file", ""), item.get("page"))} '
        f'<span class="bc-file">{html.escape(number + item.get("file", ""))}</span></div></div>'
    )


def render_sources(record: Mapping[str, Any] | None, reports: Mapping[str, ReportInfo],
                   files_dir: Path) -> str:
    """HTML for the sources panel of one answer record."""
    if not record or record.get("clarification"):
        return EMPTY_HTML
    citations = record.get("citations") or []
    if record.get("abstained"):
        return _near_html(citations or (record.get("retrieved") or [])[:NEAR_LIMIT], reports, files_dir)
    if citations:
        figs = figures_by_citation(record.get("answer", ""))
        cards = [_card(c, reports.get(c.get("file", "")), files_dir, figs.get(int(c["n"]), set()),
                       f"[{c['n']}]") for c in citations]
        return panel('<div class="bc-sources">' + "".join(cards) + "</div>", len(cards))
    return _near_html((record.get("retrieved") or [])[:NEAR_LIMIT], reports, files_dir)


def _near_html(near: list[Mapping[str, Any]], reports: Mapping[str, ReportInfo], files_dir: Path) -> str:
    """Passages found for a question that was not answered: framed apart, no figure highlighted."""
    if not near:
        return NOTHING_HTML
    cards = [_card(r, reports.get(r.get("file", "")), files_dir, set(),
                   f"≈ [{r['n']}]" if r.get("n") else "≈") for r in near]
    note = ('<div class="bc-near-note">Không tìm thấy câu trả lời. Các đoạn gần nhất tìm được '
            "chỉ để tham khảo, <b>không phải câu trả lời</b>:</div>")
    return panel('<div class="bc-sources bc-near">' + note + "".join(cards) + "</div>", len(cards))
