"""Parts of a total a question names ("sang Nhật Bản", "hàng dệt may"): which sentences give their figure.

A report writes a part's figure right after its name ("Hàn Quốc 339 triệu USD", "dệt may (1.127 triệu
USD"). A sentence that names the part without a figure, or gives it for another total than the one asked
("thị trường xuất khẩu ... Hàn Quốc 339" when imports were asked), does not answer for the part: the
composer then refuses saying the report does not give it, rather than quoting the total.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from ingest.lexicon import INDICATORS, Indicator, match_key, rival_words
from vectorstore.vitext import fold

CHANGE = re.compile(r"\b(tang|giam)\b|[+-]\d")


def named_parts(indicators: Sequence[Indicator]) -> list[Indicator]:
    """The lexicon items (products, markets) among what the question names."""
    return [i for i in indicators if i.kind == "item"]


_SINGLED_OUT = re.compile(r"\b(?:rieng|trong do)\s+(?:phan\s+|khoan\s+)?([a-z]+(?:\s+[a-z]+){1,7})")
_STOP = re.compile(r"\s+(?:la|dat|uoc|duoc|bao nhieu|co|cua|tang|giam|chiem|nam|thang|quy|ho tro|tai|trong|so voi)"
                   r"\b.*$")  # the phrase ends at its verb, a period, "of", "in", "compared with"


def singled_out(question: str) -> list[Indicator]:
    """A part the question singles out in its own words ("trong tổng mức bán lẻ, riêng doanh thu bán lẻ hàng
    hóa là bao nhiêu"): a name the lexicon need not know, used to find the sentence giving its figure (never
    to refuse: a phrase is not a list of what reports give)."""
    m = _SINGLED_OUT.search(fold(question))
    if not m:
        return []
    phrase = _STOP.sub("", m.group(1)).strip()
    return [Indicator(phrase, kind="item")] if len(phrase.split()) >= 2 else []


def gives_figure(text: str, item: Indicator) -> bool:
    """A number follows the part's name in its own clause, before another part is named ("Hàn Quốc 339
    triệu USD", "Châu Á là thị trường xuất khẩu lớn nhất của tỉnh đạt 1.078"; not "dệt may, thủy sản
    đạt ...", where the figure is of the group)."""
    folded = fold(text)
    others = [t for i in _ITEMS if i != item for t in i.terms]
    for term in item.terms:
        for m in re.finditer(_term(term), folded):
            if _inside_a_longer_name(folded, m.start(), m.end()):
                continue  # "bán lẻ hàng hóa" inside "tổng mức bán lẻ hàng hóa và dịch vụ": the total
            clause = clause_from(folded, m.end())
            digit = re.search(r"\d", clause)
            if digit and not any(re.search(_term(t), clause[:digit.start()]) for t in others):
                return True
    return False


@lru_cache(maxsize=1)
def _names() -> list[tuple[int, re.Pattern[str]]]:
    """The lexicon's names of two words or more, longest first, each with its compiled pattern."""
    names = sorted({fold(t) for i in INDICATORS for t in i.terms if len(t.split()) > 1}, key=len, reverse=True)
    return [(len(n), re.compile(_term(n))) for n in names]


def _inside_a_longer_name(folded: str, start: int, end: int) -> bool:
    """The span lies inside a longer lexicon name written around it."""
    for length, pattern in _names():
        if length <= end - start:
            break
        if any(m.start() <= start and end <= m.end() for m in pattern.finditer(folded)):
            return True
    return False


def named_in(texts: Iterable[str], item: Indicator) -> bool:
    """Some text names the part (a sentence goes on about the part its paragraph opened with)."""
    folded = fold(" ".join(texts))
    return any(re.search(_term(t), folded) for t in item.terms)


def of_another_total(question: str, texts: Iterable[str]) -> bool:
    """The text speaks of a rival of the total the question asks: the question holds the syllables that
    set one indicator apart ("nhập" of "kim ngạch nhập khẩu") and none of its rival's, the text the
    rival's ("xuất") and none of the asked one's, and some they share ("khẩu"): a question says "nhập
    hàng từ Nhật Bản" as often as "kim ngạch nhập khẩu"."""
    asked = set(match_key(question).split())
    words = set(match_key(" ".join(texts)).split())
    return any(own <= asked and not theirs & asked and theirs <= words and not own & words
               and shared & words for own, theirs, shared in rival_words())


def change_given(text: str, item: Indicator) -> bool:
    """A rise or fall stated in the part's own clause: from its name to the next ';', or to the ')' closing
    a bracket the part stands in ("(Hàn Quốc 339 triệu USD, tăng 13,4%; ...", "Châu Mỹ đạt 577 triệu USD
    (chiếm 28,4%), tăng 3,4%;")."""
    folded = fold(text)
    for term in item.terms:
        for m in re.finditer(_term(term), folded):
            if CHANGE.search(clause_from(folded, m.end())):
                return True
    return False


def clause_from(text: str, start: int) -> str:
    """The text from `start` to the next ';' or the ')' closing the bracket `start` stands in."""
    depth = 0
    for i in range(start, len(text)):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
        elif ch == ";" or ch == ")":
            return text[start:i]
    return text[start:]


_ITEMS = [i for i in INDICATORS if i.kind == "item"]


def _term(term: str) -> str:
    return rf"(?<!\w){re.escape(fold(term))}(?!\w)"
