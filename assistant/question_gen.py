"""Labelled questions generated from the reports' own figures, to fit and check the answer decision.

Forty hand-written questions cannot calibrate a decision; the facts store already knows, for every
figure a report writes, its indicator, period, province, value as written and the comparisons after it.
Each becomes questions in several wordings (full, without diacritics, meeting shorthand, another word
order) whose gold answer is the value as written, checked against the passage text; and unanswerable
twins made by moving the period to one no indexed report covers or the province to one not indexed.
Counts of things ("327 cửa hàng", "01 cửa hàng" new that month) are left out: one period holds several
counts of one indicator, so "… đạt bao nhiêu?" has no single gold answer. Same index and seed, same questions.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from ingest.lexicon import INDICATORS
from ingest.periods import Period
from vectorstore.vitext import fold

OTHER_PROVINCES = ("Cà Mau", "Lạng Sơn", "Điện Biên", "Khánh Hòa", "Quảng Trị", "Bắc Kạn", "Kon Tum")
# Parts of a total that a report may or may not break out; asked only where the report never names them.
SUB_ITEMS = ("sang Hoa Kỳ", "sang thị trường Nhật Bản", "từ Hàn Quốc", "của ngành dệt may", "của ngành thủy sản",
             "khu vực nhà nước", "khu vực có vốn đầu tư nước ngoài", "của ngành khai khoáng", "sang châu Phi",
             "của nhóm hàng điện tử", "tại huyện ven biển", "của doanh nghiệp nhỏ và vừa")
_NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?")
_COUNTED = {i.counted_as for i in INDICATORS if i.counted_as}  # units of counts of things


@dataclass
class GeneratedQuestion:
    id: str
    question: str
    type: str  # "figure" | "change" | "unanswerable"
    must_contain: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    chunk_id: str = ""
    period: str = ""
    province: str = ""

    def as_qa(self) -> dict[str, Any]:
        """The shape of ../shared/eval/*.jsonl (what score.py reads)."""
        return asdict(self)


def _abbreviation(indicator: str) -> str | None:
    for ind in INDICATORS:
        if ind.name == indicator and ind.abbreviations:
            return ind.abbreviations[0]
    return None


def _short_period(period: Period, label: str) -> str:
    """Meeting shorthand for a period: T3/2023, Q1/23, 9T/2023, or the label itself."""
    key, year = period.key, period.end.year
    if key.startswith("M"):
        return f"T{period.end.month}/{year}"
    if key.startswith("Q"):
        return f"Q{key[-1]}/{str(year)[2:]}"
    if key.startswith("YTD"):
        return f"{period.end.month}T/{year}"
    return label


def _shifted(period: Period, reported: Sequence[Period], doc_text: str) -> Period | None:
    """The same kind of period some years away that no indexed report overlaps and the report never
    names (a five-year report writes figures for each of its years)."""
    for years in (10, -10, 12, -12):
        try:
            moved = Period.from_key(period.key.replace(str(period.end.year), str(period.end.year + years)))
        except (ValueError, KeyError):
            continue
        overlaps = any(r.start <= moved.end and moved.start <= r.end for r in reported)
        if not overlaps and str(moved.start.year) not in doc_text and str(moved.end.year) not in doc_text:
            return moved
    return None


def _wordings(indicator: str, label: str, short: str, province: str, ask: str, rng: random.Random) -> list[str]:
    abbr = _abbreviation(indicator) or indicator
    full = f"{indicator[0].upper()}{indicator[1:]} {label} của {province} {ask}?"
    return [
        full,
        fold(f"{indicator} {label} {province} {ask}"),
        f"{abbr} {short} {province} {rng.choice(['bn', 'bao nhiêu', 'là bn'])}?",
        f"Tại {province}, {label} {indicator} {ask}?",
    ]


def _unwritten_sub_item(doc_text: str, rng: random.Random) -> str | None:
    """A part of a total that the report never names (checked on its whole text, folded)."""
    folded = fold(doc_text)
    absent = [s for s in SUB_ITEMS if fold(s.split(" ", 1)[1] if " " in s else s) not in folded]
    return rng.choice(absent) if absent else None


def generate(figures: Sequence[dict[str, Any]], chunk_body: dict[str, str], report_periods: set[str],
             doc_text: dict[str, str] | None = None, seed: int = 0, per_figure: int = 2
             ) -> Iterator[GeneratedQuestion]:
    """Questions for each figure whose value is written in its chunk (checked), with unanswerable twins:
    another period, another province, and a part of the total the report does not give (`doc_text`:
    each report's whole text by doc_id)."""
    rng = random.Random(seed)
    reported = [Period.from_key(k) for k in sorted(report_periods)]
    figures = [f for f in figures if f["unit"] not in _COUNTED]
    for n, fig in enumerate(figures):
        text = chunk_body.get(fig["chunk_id"], "")
        number = _NUMBER.search(fig["value_text"] or "")
        if not number or number.group(0) not in text or not fig["province"]:
            continue
        period = Period.from_key(fig["period_key"])
        evidence = text[max(0, fig["start"] - 80):fig["end_"] + 40]
        indicator, province, label = fig["indicator"], fig["province"], fig["period_label"]
        short = _short_period(period, label)
        asks = [("figure", "đạt bao nhiêu", number.group(0))]
        for comp in fig["comparisons"]:
            change = re.match(r"(tăng|giảm|đạt)\s+(\S+%)\s*(.*)", comp)
            if change and change.group(2) in text:
                asks.append(("change", f"{change.group(1)} bao nhiêu % {change.group(3)}".strip(), change.group(2)))
        for kind, ask, gold in asks:
            for i, question in enumerate(rng.sample(_wordings(indicator, label, short, province, ask, rng),
                                                    per_figure)):
                yield GeneratedQuestion(f"g{n}-{kind}-{i}", question, kind, [gold], [evidence], fig["chunk_id"],
                                        period.key, province)
        moved = _shifted(period, reported, (doc_text or {}).get(fig["doc_id"], text))
        if moved is not None:
            q = rng.choice(_wordings(indicator, moved.label, _short_period(moved, moved.label), province,
                                     "đạt bao nhiêu", rng))
            yield GeneratedQuestion(f"g{n}-other-period", q, "unanswerable", period=moved.key, province=province)
        sub = _unwritten_sub_item((doc_text or {}).get(fig["doc_id"], text), rng)
        if sub is not None:
            q = f"{indicator[0].upper()}{indicator[1:]} {sub} {label} của {province} đạt bao nhiêu?"
            yield GeneratedQuestion(f"g{n}-sub-item", q, "unanswerable", period=period.key, province=province)
        other = rng.choice(OTHER_PROVINCES)
        q = rng.choice(_wordings(indicator, label, short, other, "đạt bao nhiêu", rng))
        yield GeneratedQuestion(f"g{n}-other-province", q, "unanswerable", period=period.key, province=other)
