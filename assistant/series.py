"""Indicator series: one row per period the reports hold, each cell cited, disagreements shown.

Staff ask "Giá trị sản xuất công nghiệp Trà Vinh qua các kỳ báo cáo" and want a table, not a
sentence. The figures come from the facts store (read at ingest); rows are grouped by province, period
and sub-item ("Có Nhiệt điện"), a change-only indicator (IIP) also by what it is compared with. When
two passages give different values for the same row (an estimate later revised, two reports that
disagree), the row keeps both and the answer says by how much they differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ingest.lexicon import INDICATORS, Indicator, find_indicators
from ingest.periods import Period

_GRANULARITY = {"cac thang": "month", "tung thang": "month", "theo thang": "month", "cac quy": "quarter",
                "tung quy": "quarter", "theo quy": "quarter", "cac nam": "year", "tung nam": "year",
                "theo nam": "year"}


@dataclass
class SeriesRow:
    period_key: str
    period_label: str
    province: str
    qualifier: str
    figures: list[dict[str, Any]] = field(default_factory=list)  # facts-store rows, first is the lead

    @property
    def values(self) -> list[dict[str, Any]]:
        """One figure per distinct value, in the order the reports give them."""
        seen: dict[tuple[float, str], dict[str, Any]] = {}
        for f in self.figures:
            seen.setdefault((round(f["value"], 6), _direction(f)), f)
        return list(seen.values())

    @property
    def conflict(self) -> bool:
        return len(self.values) > 1

    @property
    def period(self) -> Period:
        return Period.from_key(self.period_key)


def _direction(fig: dict[str, Any]) -> str:
    return "giảm" if fig["value_text"].startswith("giảm") else ""


def signed(fig: dict[str, Any]) -> float:
    """A change's value with its sign ("giảm 15,91%" -> -15.91); a level value as it is."""
    return -fig["value"] if _direction(fig) else fig["value"]


def indicator_of(text: str) -> Indicator | None:
    """The lexicon indicator a text names (its name, an alias or an abbreviation)."""
    exact = [i for i in INDICATORS if i.kind == "indicator" and i.name == text.strip().lower()]
    found = exact or [i for i in find_indicators(text) if i.kind == "indicator"]
    return found[0] if found else None


def _row_key(fig: dict[str, Any]) -> tuple:
    change = fig["unit"] in ("%", "lần")
    base = (fig["comparisons"][0] if fig["comparisons"] else "") if change else ""
    return fig["province"], fig["period_key"], fig["qualifier"], change, _base_kind(base)


def _base_kind(base: str) -> str:
    """What a change is compared with, coarsely ("so tháng trước" vs "so cùng kỳ")."""
    b = base.lower()
    return "previous" if "trước" in b and "năm trước" not in b else ("same" if "cùng kỳ" in b else b)


def build_series(figures: list[dict[str, Any]], years: list[int] | None = None,
                 granularity: str | None = None) -> list[SeriesRow]:
    """Rows in period order; `years`/`granularity` narrow when the question asks ("các quý năm 2023")."""
    rows: dict[tuple, SeriesRow] = {}
    for f in figures:
        period = Period.from_key(f["period_key"])
        if years and not set(period.years) & set(years):
            continue
        if granularity and period.type != granularity:
            continue
        key = _row_key(f)
        rows.setdefault(key, SeriesRow(f["period_key"], f["period_label"], f["province"], f["qualifier"]))
        rows[key].figures.append(f)
    _merge_unstated_bases(rows)
    return sorted(rows.values(), key=lambda r: (r.province, r.period.end, r.period.start, r.qualifier))


def _merge_unstated_bases(rows: dict[tuple, SeriesRow]) -> None:
    """A change quoted without what it is compared with ("tăng 12,6%") joins the row of the same period
    that states its base and has the same value, instead of listing the period twice."""
    for key in [k for k in rows if k[3] and k[4] == ""]:
        loose = rows[key]
        values = {(round(f["value"], 6), _direction(f)) for f in loose.values}
        twin = next((k for k in rows if k[:4] == key[:4] and k[4] != "" and values <= {
            (round(f["value"], 6), _direction(f)) for f in rows[k].values}), None)
        if twin is not None:
            rows[twin].figures.extend(rows.pop(key).figures)


def granularity_asked(folded_question: str) -> str | None:
    return next((g for k, g in _GRANULARITY.items() if k in folded_question), None)


def format_vn(x: float) -> str:
    """A number in Vietnamese notation: 17.94 -> "17,94", 1234.5 -> "1.234,5"."""
    whole, _, frac = f"{abs(x):,.2f}".rstrip("0").rstrip(".").partition(".")
    out = whole.replace(",", ".") + ("," + frac if frac else "")
    return ("-" if x < 0 else "") + out
