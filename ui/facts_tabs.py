"""The "Văn bản" and "Số liệu" tabs: the reference index and indicator series, with their sources.

Layout and wiring only: documents and series come from the CLI-side functions (the same records
`baocao refs` and `baocao series` print), sources are rendered like the chat's.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import gradio as gr
import pandas as pd

from assistant.facts_cli import refs_record, series_answer
from assistant.service import AskService
from ingest.lexicon import INDICATORS
from ui.chat import ChatHandlers
from ui.sources import EMPTY_HTML

ALL = "Tất cả"
REFS_HINT = "Số hiệu, loại văn bản, cơ quan hoặc nội dung, ví dụ: 2366/QĐ-UBND, văn bản của UBND tỉnh về CCN"


def _provinces(service: AskService) -> list[str]:
    return [ALL] + sorted({r["metadata"].get("province") for r in service.index.store.list_documents()
                           if (r.get("metadata") or {}).get("province")})


def _indicators() -> list[str]:
    return [i.name for i in INDICATORS if i.kind == "indicator"]


def documents_tab(service: AskService, handlers: ChatHandlers) -> SimpleNamespace:
    ui = SimpleNamespace()
    with gr.Row():
        ui.query = gr.Textbox(label="Tìm văn bản", placeholder=REFS_HINT, scale=4, elem_id="bc-refs-query")
        ui.province = gr.Dropdown(_provinces(service), value=ALL, label="Tỉnh", scale=1, allow_custom_value=True)
        ui.search = gr.Button("Tìm", variant="primary", scale=0, elem_id="bc-refs-search")
    with gr.Row(equal_height=False):
        ui.result = gr.Markdown(elem_id="bc-refs-result")
        ui.sources = gr.HTML(EMPTY_HTML, elem_id="bc-refs-sources")

    def search(query: str, province: str | None) -> tuple[str, str]:
        rec = refs_record(service.settings, query or "", None if province in (None, ALL) else province)
        return rec["answer"], handlers.sources_html(rec)

    for trigger in (ui.search.click, ui.query.submit):
        trigger(search, [ui.query, ui.province], [ui.result, ui.sources], api_visibility="private")

    def refs(query: str, province: str = "") -> dict[str, Any]:
        """Documents the reports cite that match `query` (all when empty), as an answer record."""
        return refs_record(service.settings, query or "", province or None)

    gr.api(refs, api_name="refs")
    return ui


KINDS = {"month": "theo tháng", "quarter": "theo quý", "half_year": "6 tháng", "year_to_date": "lũy kế từ đầu năm",
         "month_range": "nhiều tháng", "year": "theo năm", "five_year": "giai đoạn", "multi_year": "giai đoạn"}


def chart_frame(record: dict[str, Any]) -> pd.DataFrame:
    """Points of the line chart at each period's end; one line per province, sub-item and kind of period
    (a year's total and a month's value are not joined by one line)."""
    rows = [r for r in record.get("table") or [] if r["unit"] != "lần"]
    return pd.DataFrame({  # ASCII column names: the chart library reads them as field paths
        "period": pd.to_datetime([r["period_end"] for r in rows]),
        "value": [r["value"] for r in rows],
        "series": [" — ".join(p for p in (r["province"], r["qualifier"], KINDS.get(r["period_type"], "")) if p)
                   for r in rows],
    })


def series_tab(service: AskService, handlers: ChatHandlers) -> SimpleNamespace:
    ui = SimpleNamespace()
    names = _indicators()
    with gr.Row():
        ui.indicator = gr.Dropdown(names, value=names[0] if names else None, label="Chỉ tiêu", scale=3,
                                   allow_custom_value=True, elem_id="bc-series-indicator")
        ui.province = gr.Dropdown(_provinces(service), value=ALL, label="Tỉnh", scale=1, allow_custom_value=True)
        ui.show = gr.Button("Xem số liệu", variant="primary", scale=0, elem_id="bc-series-show")
    ui.table = gr.Markdown(elem_id="bc-series-table")
    ui.chart = gr.LinePlot(None, x="period", y="value",
                           color="series", x_title="Cuối kỳ", y_title="Giá trị", color_title="Chuỗi", sort=None,
                           label="Biểu đồ", elem_id="bc-series-chart")
    ui.sources = gr.HTML(EMPTY_HTML, elem_id="bc-series-sources")

    def show(indicator: str, province: str | None) -> tuple:
        rec = series_answer(service.settings, indicator or "", None if province in (None, ALL) else province)
        unit = next((r["unit"] for r in rec.get("table") or []), "")
        return rec["answer"], gr.LinePlot(chart_frame(rec), y_title=f"Giá trị ({unit})" if unit else "Giá trị"), \
            handlers.sources_html(rec)

    ui.show.click(show, [ui.indicator, ui.province], [ui.table, ui.chart, ui.sources], api_visibility="private")

    def series(indicator: str, province: str = "") -> dict[str, Any]:
        """An indicator's figures across the reports' periods, every cell cited, as an answer record."""
        return series_answer(service.settings, indicator, province or None)

    gr.api(series, api_name="series")
    return ui
