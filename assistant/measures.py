"""The measure a question asks its figure in ("bao nhiêu triệu kWh", "bao nhiêu MW", "đạt bao nhiêu
phần trăm kế hoạch", "ký được bao nhiêu hợp đồng"), and whether a sentence states a figure in it.

A question that names its unit has told what the answer looks like: a sentence without a figure in
that unit (the product listed among those that rose, the total of sales for "% of the plan", the firms
that attended for "how many contracts") is not its answer, however well it covers the question's words.
The units are those of measurement and money, which reports write after the number, and the things they
count with the same noun the question uses; on the three question sets, own_questions and the samples
every one of the 52 answerable questions asking one of them is answered by a sentence stating it.
"""

from __future__ import annotations

import re
from functools import cache

from ingest.lexicon import find_indicators, match_key
from vectorstore.vitext import fold

_SCALE = r"(?:(?:nghin|ngan|trieu|ty)\s+)?"
_UNITS = r"(?:kwh|mwh|kw|mw|km|tan|usd|dong|ha|m3|lit)"
_ASKED_UNIT = re.compile(rf"\bbao nhieu\s+{_SCALE}({_UNITS})\b")
# Things the reports count with the same noun the question uses ("ký được bao nhiêu hợp đồng" -> "05 hợp
# đồng", "bao nhiêu cửa hàng" -> "327 cửa hàng"); people are not among them ("người" is written "lao động",
# "đại biểu", "học viên").
_COUNTED = ("ho", "cua hang", "doanh nghiep", "co so", "hop dong", "de an", "du an", "cho", "sieu thi", "ho so",
            "giay phep", "giay chung nhan", "bien ban", "lop", "hoi nghi", "lao dong", "san pham")
_ASKED_COUNT = re.compile(r"\b(?:bao nhieu|may)\s+(" + "|".join(sorted(_COUNTED, key=len, reverse=True)) + r")\b")
_BETWEEN = r"(?:\s+[^\W\d]+,?){0,2}"  # "12 cơ sở, doanh nghiệp", "02 đơn vị doanh nghiệp"
_ASKED_PLAN = re.compile(r"(?:%|\bphan tram)\s+(?:so voi\s+|cua\s+)?(?:ke hoach|kh)\b")
_PLAN = re.compile(r"\b(?:ke hoach|kh)\b")


def asked_measure(question: str) -> str | None:
    """"kwh", "mw", "usd", ... for a figure asked in that unit, "hop dong", "cua hang", ... for a count of
    that thing, "plan" for a share of the plan; else None."""
    folded = fold(question)
    if _ASKED_PLAN.search(folded):
        return "plan"
    m = _ASKED_UNIT.search(folded) or _ASKED_COUNT.search(folded)
    return m.group(1) if m else None


def states_measure(text: str, measure: str) -> bool:
    """The text gives a figure in the measure: a number before the unit ("4.450.150 kWh", "2.000MW",
    "1.330 triệu USD"), or a percentage with the plan beside it ("đạt 26,89% kế hoạch")."""
    folded = fold(text)
    if measure == "plan":
        return "%" in folded and _PLAN.search(folded) is not None
    if measure in _COUNTED:
        nouns = "|".join(re.escape(n) for n in _spellings(measure))
        return re.search(rf"\d{_BETWEEN}\s+(?:{nouns})\b", folded) is not None
    return re.search(rf"\d\s*{_SCALE}{re.escape(measure)}\b", folded) is not None


@cache
def _spellings(noun: str) -> tuple[str, ...]:
    """The noun and the lexicon's other names of it, folded ("doanh nghiep", "dn": "19 DN, HTX tham dự")."""
    forms = {noun}
    for ind in find_indicators(noun):
        if match_key(ind.name) == noun:
            forms.update(match_key(t) for t in ind.terms)
    return tuple(sorted(forms, key=len, reverse=True))
