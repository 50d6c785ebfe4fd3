"""Indicator figures of a table row: "Chỉ tiêu: Giá trị sản xuất công nghiệp; ĐVT: tỷ đồng; Tháng 3/2023: 2.582,06".

An annex row states its figures apart from their words: the indicator sits in one cell, the unit in
the "ĐVT" column and the period in each value column's header. Sentences never look like that, so
`figures.find_figures` finds nothing there; this reader pairs each numeric cell with the period of its
header. Plan columns ("Kế hoạch", "KH") are targets, not the indicator's value, and are skipped, as are
columns whose header names no period (comparisons such as "So sánh (%)").
"""

from __future__ import annotations

import re

from ingest.figures import Figure, parse_number
from ingest.lexicon import find_indicators
from ingest.periods import find_periods

_UNIT_HEADER = re.compile(r"(?i)^(đvt|đơn vị(?: tính)?)$")
_PLAN_HEADER = re.compile(r"(?i)(kế hoạch|\bKH\b)")
_ESTIMATE = re.compile(r"(?i)(?<!\w)(ước|dự kiến)(?!\w)")


def row_pairs(body: str) -> list[tuple[str, str, int]]:
    """(header, cell, offset of the cell in `body`) of a table-row chunk body."""
    line_start = body.rfind("\n") + 1
    pairs, pos = [], line_start
    for part in body[line_start:].split("; "):
        head, sep, cell = part.partition(": ")
        if sep:
            pairs.append((head.strip(), cell.strip(), pos + len(head) + 2))
        pos += len(part) + 2
    return pairs


def row_figures(body: str, default_year: int | None = None) -> list[Figure]:
    """Figures of one table row whose cells name an indicator; spans index into `body`."""
    pairs = row_pairs(body)
    indicator = next((i for _, cell, _ in pairs for i in find_indicators(cell) if i.kind == "indicator"), None)
    if indicator is None:
        return []
    unit = next((cell for head, cell, _ in pairs if _UNIT_HEADER.match(head)), "")
    out = []
    for head, cell, at in pairs:
        value = parse_number(cell.rstrip("%").strip())
        periods = find_periods(head, default_year, bare_months=True)
        if value is None or not periods or _PLAN_HEADER.search(head):
            continue
        period = periods[-1].period
        cell_unit = "%" if cell.endswith("%") else unit
        out.append(Figure(indicator.name, period.key, period.label, f"{cell} {cell_unit}".strip().replace(" %", "%"),
                          value, cell_unit, (), bool(_ESTIMATE.search(head)), "", period.cumulative,
                          (at, at + len(cell))))
    return out
