"""The "Số liệu" chart is drawn from the table's rows: every row a dot, lines only between periods that
follow each other, periods labelled as the table labels them, numbers written the Vietnamese way."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from ingest.periods import Period
from ui.chart import follows, nice_ticks, series_chart_html


def row(key: str, value: float, unit: str = "tỷ đồng", province: str = "Lam Giang") -> dict:
    p = Period.from_key(key)
    return {"period": p.label, "period_key": key, "period_type": p.type, "period_end": p.end.isoformat(),
            "province": province, "qualifier": "", "value": value, "value_text": f"{value} {unit}", "unit": unit}


def dots(svg: str) -> list[tuple[str, float, float]]:
    return [(m["period"], float(m["value"]), float(m["cy"])) for m in re.finditer(
        r'<circle[^>]*cy="(?P<cy>[\d.]+)"[^>]*data-period="(?P<period>[^"]*)" data-value="(?P<value>[^"]*)"', svg)]


def test_every_row_is_a_dot_a_single_point_too() -> None:
    html = series_chart_html({"table": [row("M2023-03", 2582.06)]})
    assert dots(html) == [("tháng 3/2023", 2582.06, dots(html)[0][2])]


def test_a_line_joins_only_periods_that_follow_each_other() -> None:
    table = [row("M2021-01", 3133.0), row("M2021-02", 3000.0), row("M2023-03", 2582.06)]
    html = series_chart_html({"table": table})
    assert html.count('class="bc-line"') == 1  # 01→02/2021 joined, 02/2021→03/2023 not
    assert follows(Period.from_key("Y2016"), Period.from_key("Y2017"))
    assert not follows(Period.from_key("Y2016"), Period.from_key("Y2019"))


def test_a_year_is_labelled_as_that_year_and_ticks_are_vietnamese() -> None:
    html = series_chart_html({"table": [row("Y2016", 31302.66), row("Y2019", 36782.0)]})
    labels = re.findall(r'class="bc-xtick"[^>]*>([^<]+)<', html)
    assert labels == ["năm 2016", "năm 2019"]
    ticks = re.findall(r'class="bc-ytick"[^>]*>([^<]+)<', html)
    assert "40.000" in ticks and not any("," in t and "." not in t and len(t) > 4 for t in ticks)


def test_units_never_share_an_axis_and_higher_values_sit_higher() -> None:
    table = [row("M2021-01", 3133.0), row("M2021-02", 3000.0), row("M2021-02", 12.5, "%")]
    charts = series_chart_html({"table": table}).split("<figure")[1:]
    assert len(charts) == 2 and 'data-unit="tỷ đồng"' in charts[0] and 'data-unit="%"' in charts[1]
    (_, v1, y1), (_, v2, y2) = dots(charts[0])
    assert (v1 > v2) == (y1 < y2)


def test_no_rows_gives_a_plain_note() -> None:
    assert "Chưa có số liệu" in series_chart_html({"table": []})


@given(st.floats(-1e7, 1e7), st.floats(-1e7, 1e7))
def test_ticks_cover_the_values(a: float, b: float) -> None:
    low, high = min(a, b), max(a, b)
    ticks = nice_ticks(low, high)
    assert ticks[0] <= min(low, 0) and ticks[-1] >= max(high, 0) - 1e-6 and len(ticks) <= 12
