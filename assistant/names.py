"""Names a question gives (the words its writer capitalised inside a sentence, the indicators it names)
and which of them no retrieved passage holds.

"Kim ngạch xuất khẩu sang Hoa Kỳ", "chỉ số giá tiêu dùng (CPI)", "nhà máy điện gió Hiệp Thạnh": a
capitalised run that does not open a sentence names one market, index, plant or enterprise. When no
retrieved passage holds that name, the reports do not speak of it, and a sentence about the total or
about a neighbour is not its answer. Questions typed in lower case give no names (nothing is lost:
the other signals still decide). Total: any string in, a list out.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence

from ingest.lexicon import Indicator, find_indicators
from vectorstore.vitext import fold, has_diacritics, normalise

_WORD = re.compile(r"[^\s()\[\]{}\"“”'‘’«»,;:?!]+")
_OPENERS = ".?!:;\n"  # a word after these opens a sentence (capitalised as a rule)
_ROMAN = re.compile(r"^[IVXLC]+$")
_THINGS = ("indicator", "item", "topic")  # lexicon kinds a name may stand for (not bodies or document types)


def _capitalised(word: str) -> bool:
    """A word its writer capitalised: not a Roman numeral, not a number or symbol ("I/2023"), not a
    one- or two-letter abbreviation ("D", "CT": too short to name one thing) unless the lexicon knows it
    as an indicator, item or topic ("EU")."""
    if not word[:1].isupper() or _ROMAN.match(word) or any(c.isdigit() for c in word):
        return False
    return len(word) > 2 or not word.isupper() or any(i.kind in _THINGS for i in find_indicators(word))


def question_names(text: str, provinces: Collection[str] = ()) -> list[str]:
    """Runs of capitalised words that do not open a sentence (an opening word is capitalised because it
    opens: "Tại Hội nghị ..." names no "Tại Hội"), the provinces' words left out."""
    province_words = [fold(p).split() for p in provinces]
    names: list[str] = []
    run: list[str] = []
    last_end = 0
    for m in _WORD.finditer(text):
        word = m.group(0).strip(".-–—/")
        before = text[: m.start()].rstrip()
        opens = not before or before[-1] in _OPENERS
        if run and text[last_end:m.start()].strip():  # a bracket or a dash between: another name
            _close(run, names, province_words)
            run = []
        last_end = m.end()
        if word and _capitalised(word) and not opens:
            run.append(word)
        else:
            _close(run, names, province_words)
            run = []
    _close(run, names, province_words)
    return names


def _close(run: list[str], names: list[str], province_words: list[list[str]]) -> None:
    """Add a run as names, cut where a province's words stand in it ("Sở Công Thương Thái Bình")."""
    folded = [fold(w) for w in run]
    keep = [True] * len(run)
    for words in province_words:
        for i in range(len(run) - len(words) + 1):
            if words and folded[i:i + len(words)] == words:
                keep[i:i + len(words)] = [False] * len(words)
        for k in range(1, len(words)):  # the rest of a province begun by the sentence's opening word
            if folded[:k] == words[-k:]:
                keep[:k] = [False] * k
    part: list[str] = []
    for word, kept in zip([*run, ""], [*keep, False]):
        if kept:
            part.append(word)
        elif part:
            name = " ".join(part)
            if name not in names:
                names.append(name)
            part = []


def absent_names(names: Iterable[str], passages: Iterable[str]) -> list[str]:
    """The names no passage holds as words (with their diacritics when typed with them: "Hoa Kỳ" is
    not "hàng hóa kỳ này"); a longer name is held when one of its word pairs is ("Tết Quý Mão" by
    "Tết Nguyên đán Quý Mão"), an acronym when it or its spelled-out form is ("IIP")."""
    texts = [_plain(t) for t in passages]
    folded = [fold(t) for t in texts]
    return [name for name in names if not any(_held(form, texts, folded) for form in _forms(name))]


def absent_items(names: Sequence[str], indicators: Iterable[Indicator], passages: Iterable[str]) -> list[str]:
    """What a question names that no passage holds: its names, then the indicators it names that no
    passage names by any of their lexicon names ("chỉ số giá tiêu dùng"), one thing listed once ("CPI")."""
    texts = list(passages)
    absent = absent_names(names, texts)
    asked = [i for i in indicators if i.kind in _THINGS[:2]]
    if not asked:
        return absent
    held = {i.name for text in texts for i in find_indicators(text)}
    missing = [i for i in asked if i.name not in held]
    terms = {fold(t) for i in missing for t in i.terms}
    absent = [a for a in absent if fold(a) in terms or not any(f" {fold(a)} " in f" {t} " for t in terms)]  # "Phi"
    told = {fold(a) for a in absent}  # of "châu Phi"; "CPI" stands for its indicator
    return absent + [i.name for i in missing if not told & {fold(t) for t in i.terms}]


def _forms(name: str) -> list[str]:
    """The name's word pairs (its word, when alone), and every lexicon name of what it names ("IIP" ->
    "chỉ số sản xuất công nghiệp", "CN-TTCN" -> "tiểu thủ công nghiệp")."""
    words = name.split()
    pairs = [" ".join(words[i:i + 2]) for i in range(len(words) - 1)] or words
    return [*pairs, *(t for i in find_indicators(name) if i.kind in _THINGS for t in i.terms)]


def _held(form: str, texts: list[str], folded: list[str]) -> bool:
    plain = _plain(form)
    accented = has_diacritics(plain)
    pattern = re.compile(rf"(?<![^\W\d_]){re.escape(plain if accented else fold(plain))}(?!\w)")
    return not plain or any(pattern.search(t) for t in (texts if accented else folded))


def _plain(text: str) -> str:
    return " ".join(normalise(text).lower().split())
