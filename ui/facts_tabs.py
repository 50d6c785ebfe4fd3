"""The "Văn bản" and "Số liệu" tabs: the reference index and indicator series, with their sources.

Layout and wiring only: documents and series come from the CLI-side functions (the same records
`baocao refs` and `baocao series` print), sources are rendered like the chat's.
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import gradio as gr

from assistant.facts_cli import refs_record, series_answer
from assistant.service import AskService
from ingest.lexicon import INDICATORS
from ui.chart import series_chart_html
from ui.chat import ChatHandlers
from ui.sources import EMPTY_HTML

ALL = "Tất cả"
REFS_HINT = "Số hiệu, loại văn bản, cơ quan hoặc nội dung, ví dụ: 2366/QĐ-UBND, văn bản của UBND tỉnh về CCN"


def _provinces(service: AskService) -> list[str]:
    return [ALL] + sorted({r["metadata"].get("province") for r in service.index.store.list_documents()
                           if (r.get("metadata") or {}).get("province")})


def indicators_with_figures(service: AskService) -> list[str]:
    """The indicators the indexed reports give figures for, in the lexicon's order: offering one
    without figures would only lead to "no data"."""
    present = {name for name, _, _ in service.facts.store().indicators()}
    return [i.name for i in INDICATORS if i.kind == "indicator" and i.name in present]


_JOINED = re.compile(r"[^\s|<>]*\w[-/–][^\s|<>]*\w|(?:\[\d+\]){2,}")


def whole_tokens(markdown: str) -> str:
    """Table rows with "245/UBND-CNXD", "2016-2020", "09/12/2022" and "[1][2]" kept on one line: a narrow
    screen would otherwise break them at the hyphen, slash or bracket, mid-number."""
    return "\n".join(_JOINED.sub(lambda m: f'<span class="bc-nw">{m.group()}</span>', line)
                     if line.startswith("|") and not line.startswith("|---") else line
                     for line in markdown.split("\n"))


def documents_tab(service: AskService, handlers: ChatHandlers) -> SimpleNamespace:
    ui = SimpleNamespace()
    with gr.Row():
        ui.query = gr.Textbox(label="Tìm văn bản", placeholder=REFS_HINT, scale=4, elem_id="bc-refs-query")
        ui.province = gr.Dropdown(_provinces(service), value=ALL, label="Tỉnh", scale=1, allow_custom_value=True)
        ui.search = gr.Button("Tìm", variant="primary", scale=0, elem_id="bc-refs-search")
    with gr.Row(equal_height=False, elem_id="bc-refs-row"):
        ui.result = gr.Markdown(elem_id="bc-refs-result", elem_classes=["bc-scroll-x"])
        ui.sources = gr.HTML(EMPTY_HTML, elem_id="bc-refs-sources")

    def search(query: str, province: str | None) -> tuple[str, str]:
        rec = refs_record(service.settings, query or "", None if province in (None, ALL) else province)
        return whole_tokens(rec["answer"]), handlers.sources_html(rec)

    for trigger in (ui.search.click, ui.query.submit):
        trigger(search, [ui.query, ui.province], [ui.result, ui.sources], api_visibility="private")

    def refs(query: str, province: str = "") -> dict[str, Any]:
        """Documents the reports cite that match `query` (all when empty), as an answer record."""
        return refs_record(service.settings, query or "", province or None)

    gr.api(refs, api_name="refs")
    return ui


def series_tab(service: AskService, handlers: ChatHandlers) -> SimpleNamespace:
    ui = SimpleNamespace()
    names = indicators_with_figures(service)
    with gr.Row():
        ui.indicator = gr.Dropdown(names, value=names[0] if names else None, label="Chỉ tiêu", scale=3,
                                   min_width=280,  # a phone gives the name its own line, not its first 15 letters
                                   allow_custom_value=True, elem_id="bc-series-indicator")
        ui.province = gr.Dropdown(_provinces(service), value=ALL, label="Tỉnh", scale=1, allow_custom_value=True)
        ui.show = gr.Button("Xem số liệu", variant="primary", scale=0, elem_id="bc-series-show")
    ui.table = gr.Markdown(elem_id="bc-series-table", elem_classes=["bc-scroll-x"])
    ui.chart = gr.HTML(series_chart_html(None), elem_id="bc-series-chart")
    ui.sources = gr.HTML(EMPTY_HTML, elem_id="bc-series-sources")

    def show(indicator: str, province: str | None) -> tuple:
        rec = series_answer(service.settings, indicator or "", None if province in (None, ALL) else province)
        return whole_tokens(rec["answer"]), series_chart_html(rec), handlers.sources_html(rec)

    ui.show.click(show, [ui.indicator, ui.province], [ui.table, ui.chart, ui.sources], api_visibility="private")

    def series(indicator: str, province: str = "") -> dict[str, Any]:
        """An indicator's figures across the reports' periods, every cell cited, as an answer record."""
        return series_answer(service.settings, indicator, province or None)

    gr.api(series, api_name="series")
    return ui
