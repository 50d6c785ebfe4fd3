"""The "Số liệu" chart, drawn here as SVG from the very rows the table shows.

A chart library kept state between indicators (old lines under a new axis), dropped one-point
series, put a year at the next year's tick, joined months across a two-year gap and wrote axes in
English. Drawing it ourselves makes each of those a rule: the chart is rebuilt from the record's rows
every time; every row is a dot (a one-point series too); the x axis lists the periods the rows name,
in time order and labelled as the table labels them; a line joins two points only when their periods
follow each other; numbers are written the Vietnamese way. Each dot carries its row's value in
`data-value`, so a test can check the chart against the table.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from assistant.series import format_vn
from ingest.periods import Period

KINDS = {"month": "theo tháng", "quarter": "theo quý", "half_year": "6 tháng", "year_to_date": "lũy kế từ đầu năm",
         "month_range": "nhiều tháng", "year": "theo năm", "five_year": "giai đoạn", "multi_year": "giai đoạn"}
COLORS = ["#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#db2777", "#0891b2", "#4b5563"]
WIDTH, HEIGHT = 720, 340
LEFT, RIGHT, TOP, BOTTOM = 70, 16, 16, 110
TICKS = 5


@dataclass(frozen=True)
class Point:
    series: str
    period: Period
    label: str
    value: float
    value_text: str


def points(table: Sequence[dict[str, Any]], unit: str) -> list[Point]:
    """The rows of one unit as points, one series per province, sub-item and kind of period."""
    out = []
    for r in table:
        if r.get("unit") != unit:
            continue
        kind = KINDS.get(r.get("period_type", ""), "")
        name = " — ".join(p for p in (r.get("province"), r.get("qualifier"), kind) if p)
        out.append(Point(name, Period.from_key(r["period_key"]), r["period"], float(r["value"]), r["value_text"]))
    return out


def units(table: Sequence[dict[str, Any]]) -> list[str]:
    """The units of the rows, most rows first: one chart each (tỷ đồng and % never share an axis)."""
    counts: dict[str, int] = {}
    for r in table:
        counts[r.get("unit", "")] = counts.get(r.get("unit", ""), 0) + 1
    return sorted(counts, key=lambda u: -counts[u])


def follows(a: Period, b: Period) -> bool:
    """True when b starts the day after a ends: only then does a line join them."""
    return b.start == a.end + timedelta(days=1)


def nice_ticks(low: float, high: float, n: int = TICKS) -> list[float]:
    """Round tick values covering [low, high] (zero included when all values share a sign)."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        high = low + 1.0
    raw = (high - low) / n
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = (low // step) * step
    ticks = [start]
    while ticks[-1] < high - 1e-9:
        ticks.append(ticks[-1] + step)
    return ticks


def _sorted_periods(pts: Sequence[Point]) -> list[tuple[Period, str]]:
    seen: dict[Period, str] = {}
    for p in sorted(pts, key=lambda p: (p.period.end, p.period.start)):
        seen.setdefault(p.period, p.label)
    return list(seen.items())


def chart_svg(pts: Sequence[Point], unit: str) -> str:
    """One SVG line chart of points sharing `unit`."""
    periods = _sorted_periods(pts)
    slot = {p: i for i, (p, _) in enumerate(periods)}
    ticks = nice_ticks(min(p.value for p in pts), max(p.value for p in pts))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(p: Period) -> float:
        return LEFT + plot_w * (slot[p] + 0.5) / len(periods)

    def y(v: float) -> float:
        return TOP + plot_h * (ticks[-1] - v) / (ticks[-1] - ticks[0])

    parts = [f'<svg class="bc-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" data-unit="{html.escape(unit)}" '
             f'aria-label="Biểu đồ ({html.escape(unit)})">']
    for t in ticks:
        parts.append(f'<line class="bc-grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(t):.1f}" y2="{y(t):.1f}"/>'
                     f'<text class="bc-ytick" x="{LEFT - 6}" y="{y(t) + 4:.1f}" text-anchor="end">'
                     f"{format_vn(t)}</text>")
    for period, label in periods:
        parts.append(f'<text class="bc-xtick" text-anchor="end" transform="translate({x(period):.1f},'
                     f'{HEIGHT - BOTTOM + 14}) rotate(-40)">{html.escape(label)}</text>')
    names = list(dict.fromkeys(p.series for p in pts))
    for i, name in enumerate(names):
        color = COLORS[i % len(COLORS)]
        mine = sorted((p for p in pts if p.series == name), key=lambda p: slot[p.period])
        for a, b in zip(mine, mine[1:], strict=False):
            if follows(a.period, b.period):
                parts.append(f'<line class="bc-line" stroke="{color}" x1="{x(a.period):.1f}" y1="{y(a.value):.1f}" '
                             f'x2="{x(b.period):.1f}" y2="{y(b.value):.1f}"/>')
        for p in mine:
            tip = html.escape(f"{name}: {p.label} — {p.value_text}")
            parts.append(f'<circle class="bc-dot" r="4.5" fill="{color}" cx="{x(p.period):.1f}" '
                         f'cy="{y(p.value):.1f}" data-series="{html.escape(name)}" data-period="{html.escape(p.label)}"'
                         f' data-value="{p.value!r}"><title>{tip}</title></circle>')
    parts.append("</svg>")
    legend = "".join(f'<span class="bc-key"><i style="background:{COLORS[i % len(COLORS)]}"></i>'
                     f"{html.escape(n)}</span>" for i, n in enumerate(names))
    caption = f"Đơn vị: {html.escape(unit)}" if unit else "Không có đơn vị"
    return (f'<figure class="bc-figure"><figcaption>{caption}</figcaption>{"".join(parts)}'
            f'<div class="bc-legend">{legend}</div></figure>')


def series_chart_html(record: dict[str, Any] | None) -> str:
    """Charts for a series record (one per unit), or a plain note when there is nothing to draw."""
    table = (record or {}).get("table") or []
    if not table:
        return '<div class="bc-chart-empty">Chưa có số liệu để vẽ biểu đồ.</div>'
    charts = [chart_svg(points(table, u), u) for u in units(table)]
    return '<div class="bc-charts">' + "".join(charts) + "</div>"

