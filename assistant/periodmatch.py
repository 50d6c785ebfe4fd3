"""Does a passage speak about the period the question asks? Exact, via its report, or a conflict.

Two periods are the same when they cover the same days ("lũy kế quý I/2023"
= "quý I/2023" = "3 tháng đầu năm 2023"). A passage with no period words of
its own inherits its report's periods.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum
from functools import lru_cache
from typing import Any

from assistant.period_roles import Role, role
from ingest.periods import Period, find_periods, year_to_date


class PeriodMatch(StrEnum):
    EXACT = "exact"  # the passage itself names the asked period
    REPORT = "report"  # its report covers the asked period
    NONE = "none"  # the question names no period
    CONFLICT = "conflict"  # the passage and its report are about other periods


def same_span(a: Period, b: Period) -> bool:
    return a.start == b.start and a.end == b.end


def report_year(meta: dict[str, Any]) -> int | None:
    date = str(meta.get("issue_date") or "")
    if date[:4].isdigit():
        return int(date[:4])
    periods = report_periods(str(meta.get("periods") or ""))
    return periods[0].end.year if periods else None


@lru_cache(maxsize=4096)
def report_periods(keys: str) -> tuple[Period, ...]:
    out = []
    for key in filter(None, keys.split(",")):
        try:
            out.append(Period.from_key(key))
        except (ValueError, KeyError):
            continue
    return tuple(out)


# "5 tháng", "03 tháng" alone in a report's body: the first N months of the report's year
_BARE_MONTHS = re.compile(r"(?<![\w/])(0?[2-9]|1[01]) tháng(?! (?:đầu|cuối|trước|tới|sau|qua|gần|liên|này))",
                          re.IGNORECASE)


@lru_cache(maxsize=16384)
def mentioned_periods(text: str, default_year: int | None) -> tuple[Period, ...]:
    """The periods a passage speaks about: comparison bases and documents' dates left out."""
    found: list[Period] = []
    for m in find_periods(text, default_year=default_year):
        if m.period not in found and role(text, m) == Role.SUBJECT:
            found.append(m.period)
    if default_year:
        for m in _BARE_MONTHS.finditer(text):
            bare = year_to_date(default_year, int(m.group(1)))
            if not any(same_span(bare, p) for p in found):
                found.append(bare)
    return tuple(found)


def match_periods(asked: Sequence[Period], text: str, meta: dict[str, Any]) -> PeriodMatch:
    if not asked:
        return PeriodMatch.NONE
    mentioned = mentioned_periods(text, report_year(meta))
    if any(same_span(a, m) for a in asked for m in mentioned):
        return PeriodMatch.EXACT
    if any(covers(a, r) for a in asked for r in report_periods(str(meta.get("periods") or ""))):
        return PeriodMatch.REPORT
    return PeriodMatch.CONFLICT


def covers(asked: Period, reported: Period) -> bool:
    """A report about `reported` can answer for `asked` when it is that period or a part of it
    (a March report for "quý I", a Q1 report for "năm 2023"), not when it spans more."""
    return asked.start <= reported.start and reported.end <= asked.end
