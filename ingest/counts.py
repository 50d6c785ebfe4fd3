"""Counts of things in report text: "Đến nay toàn tỉnh có 327 cửa hàng", "Xây dựng mới 06 chợ".

Staff ask how many petrol stations, markets or supermarkets a province has, across reports, but a
count carries no unit for `figures` to find: it is a whole number followed by what it counts. This
reader takes the counted indicators of the lexicon (each with the noun it is counted with) and reads
every whole number written right before one of their names. A bare noun ("308 cửa hàng") counts the
kind the line last named ("01 cửa hàng xăng dầu"), or nothing when the line named none or a proper name
follows ("02 Cửa hàng Bách hóa Xanh").

What a number counts is said by the words before it in its clause: a stock ("toàn tỉnh có",
"hiện có", "tổng số ... là") is the indicator's own value; an action ("phát triển mới", "xây dựng mới",
"chấp thuận cho") is kept as the figure's qualifier, so "01 new" and "327 in all" never share a row.
A list ("07 siêu thị, 02 Trung tâm thương mại và 115 chợ") takes the words its first item had. Parts
after "Trong đó" or in parentheses are breakdowns, not the total. A number is never a count when it is
part of a date, a document number, a decimal, a percentage or an amount (the noun must follow it after
a space), or when a word such as "năm", "tháng" or "số" comes right before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.figures import Figure, parse_number
from ingest.lexicon import INDICATORS, Indicator
from ingest.periods import Period, find_periods

_SUPERSCRIPTS = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾]")
_PARENS = re.compile(r"\([^()]*\)")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ\-+])")
_CLAUSE = re.compile(r"[;:,]")
_BREAKDOWN = re.compile(r"(?<!\w)(?:trong\s+đó|bao\s+gồm)(?!\w)", re.I)
_NUMBER = re.compile(r"(?<![\w.,/%+\-])(?P<num>\d{1,3}(?:\.\d{3})+|\d+)(?![.,]?\d)(?=\s)")
_NOT_AFTER = re.compile(r"(?<!\w)(?:năm|tháng|quý|ngày|số|kỳ|lần|đợt|khoản|điều|mục|giai\s+đoạn|hạng|thứ|"
                        r"phường|xã|khu|lô|tổ|ấp|khóm|quốc\s+lộ|tỉnh\s+lộ|km|QL|ĐT)\s*$", re.I)
_ESTIMATE = re.compile(r"(?<!\w)(?:ước|dự\s+kiến|dự\s+ước)(?!\w)", re.I)
_STOCK = re.compile(r"(?<!\w)(?:toàn\s+(?:tỉnh|huyện|thị\s+xã|thành\s+phố|ngành)|hiện\s+có|hiện\s+nay|đến\s+nay|"
                    r"tổng\s+số|nâng\s+tổng)(?!\w)", re.I)
_LINKING = re.compile(r"(?<!\w)(?:có|là|còn|gồm)$", re.I)
_LEAD_TRIM = re.compile(r"^(?:[\s\-+*•.]|và(?!\w)|với(?!\w)|cùng(?!\w))+|[\s\-*]+$", re.I)
_PERIOD_GAP = re.compile(r"\s*(?:vào\s+|trong\s+|của\s+|đến\s+|tính\s+đến\s+)?")
_NEXT_WORD = re.compile(r"\s+(\w)")
_MAX_LEAD_WORDS = 12


@dataclass(frozen=True)
class _Noun:
    """A way a count names what it counts: a full name of one indicator, or a bare noun ("cửa hàng")."""

    pattern: re.Pattern[str]
    indicator: Indicator | None  # None: the bare noun of several indicators
    head: str


@lru_cache(maxsize=1)
def _nouns() -> tuple[_Noun, ...]:
    """Every written form of a counted indicator, longest first, and the bare nouns they are counted with."""
    counted = [i for i in INDICATORS if i.kind == "indicator" and i.counted_as]
    forms: dict[str, _Noun] = {}
    for ind in counted:
        for term in (ind.name, *ind.aliases, *ind.abbreviations):
            forms.setdefault(term.lower(), _Noun(_term_pattern(term), ind, ind.counted_as))
    for head in {i.counted_as for i in counted}:
        owners = [i for i in counted if i.counted_as == head]
        only = owners[0] if len(owners) == 1 or head in {i.name for i in owners} else None
        forms.setdefault(head.lower(), _Noun(_term_pattern(head), only, head))
    return tuple(sorted(forms.values(), key=lambda n: -len(n.pattern.pattern)))


@lru_cache(maxsize=256)
def _term_pattern(term: str) -> re.Pattern[str]:
    """The term after a count's number: words apart by spaces, commas or slashes, a whole word at the end."""
    words = re.findall(r"\w+", term)
    return re.compile(r"\s+" + r"[\s,/]+".join(map(re.escape, words)) + r"(?!\w)", re.I)


def _plain(text: str) -> str:
    """Same length as `text`: footnote marks and parentheses blanked ("cửa hàng⁽⁶⁾ xăng dầu", "(02 ...)")."""
    out = _SUPERSCRIPTS.sub(" ", text)
    while True:
        new = _PARENS.sub(lambda m: " " * len(m.group(0)), out)
        if new == out:
            return out
        out = new


@dataclass
class _Lead:
    """The words before a count in its clause, and whether they say it is a stock."""

    text: str
    stock: bool


@dataclass
class _Line:
    """What a line has said so far: the indicator each bare noun last stood for, the lead of a list."""

    by_head: dict[str, Indicator]
    lead: _Lead | None = None


def find_counts(text: str, default_year: int | None = None, default_period: Period | None = None) -> list[Figure]:
    """Every count of a counted indicator in `text`, in order; spans index into `text`.

    A count's period is the one written right after it or earlier in its clause, else `default_period`
    (the section's or the report's); a period wholly after `default_period` is a target, not a count.
    """
    plain = _plain(text)
    out: list[Figure] = []
    pos = 0
    for line in plain.split("\n"):
        start, pos = pos, pos + len(line) + 1
        state = _Line({})
        at = 0
        for piece in _SENTENCE.split(line):
            at = line.find(piece, at)
            state.lead = None
            out += _sentence_counts(text, plain, start + at, start + at + len(piece), state, default_year,
                                    default_period)
            at += len(piece)
    return out


def _sentence_counts(text: str, plain: str, begin: int, end: int, state: _Line, year: int | None,
                     default: Period | None) -> list[Figure]:
    """The counts of the sentence `plain[begin:end]`, quoted from `text` (same positions)."""
    sentence = plain[begin:end]
    cut = _BREAKDOWN.search(sentence)
    limit = cut.start() if cut else len(sentence)
    numbers = [(m, _noun_at(sentence, m.end())) for m in _NUMBER.finditer(sentence, 0, limit)]
    if not any(noun for _, noun in numbers):
        return []  # nothing counted: skip reading the sentence's periods (the costly part)
    periods = [(m.span[0], m.span[1], m.period) for m in find_periods(sentence, year, bare_months=True)]
    out = []
    for m, noun in numbers:
        if any(s <= m.start() < e for s, e, _ in periods):
            continue  # "năm 2019", "tháng 3/2023": a period's number
        if noun is None:
            _remember_lead(sentence, m, periods, state)
            continue
        found, noun_end = noun
        indicator = _resolve(found, sentence, noun_end, state)
        lead = _lead(sentence, m.start(), periods, state)
        if indicator is None or lead is None or _NOT_AFTER.search(sentence, 0, m.start()):
            continue
        period = _period(sentence, m.start(), noun_end, periods, default)
        value = parse_number(m.group("num"))
        if period is None or value is None:
            continue
        span = (begin + m.start(), begin + _head_end(sentence, m.end(), found, noun_end))
        estimate = bool(_ESTIMATE.search(f"{lead.text} {_clause(sentence, m.start())}"))
        qualifier = "" if lead.stock else _qualifier(lead.text)
        out.append(Figure(indicator.name, period.key, period.label, text[span[0]:span[1]], value,
                          indicator.counted_as, (), estimate, qualifier, False, span))
    return out


@lru_cache(maxsize=1)
def _any_noun() -> re.Pattern[str]:
    """One pattern for every counted noun: most numbers count nothing, and one test rejects them."""
    return re.compile("|".join(f"(?:{n.pattern.pattern})" for n in _nouns()), re.I)


def _noun_at(sentence: str, at: int) -> tuple[_Noun, int] | None:
    """The counted noun written right after the number ending at `at`, and where it ends."""
    if not _any_noun().match(sentence, at):
        return None
    for noun in _nouns():
        m = noun.pattern.match(sentence, at)
        if m:
            return noun, m.end()
    return None


def _head_end(sentence: str, at: int, noun: _Noun, noun_end: int) -> int:
    """Where the quoted value ends: after the bare noun ("01 cửa hàng"), or the name when written otherwise
    ("02 TTTM")."""
    m = _term_pattern(noun.head).match(sentence, at)
    return m.end() if m else noun_end


def _resolve(noun: _Noun, sentence: str, noun_end: int, state: _Line) -> Indicator | None:
    """A full name is its indicator (and what the bare noun stands for from now on in the line); a bare
    noun is what the line last counted with it, unless a proper name follows ("Cửa hàng Bách hóa Xanh")."""
    if noun.indicator is not None:
        if noun.indicator.name != noun.head:
            state.by_head[noun.head] = noun.indicator
        return noun.indicator
    following = _NEXT_WORD.match(sentence, noun_end)
    if following and following.group(1).isupper():
        return None
    return state.by_head.get(noun.head)


def _clause(sentence: str, at: int) -> str:
    """The words between the clause's start (",", ";", ":" or the sentence start) and `at`."""
    starts = [m.end() for m in _CLAUSE.finditer(sentence, 0, at)]
    return sentence[starts[-1] if starts else 0 : at]


def _without_periods(sentence: str, start: int, end: int, periods: list[tuple[int, int, Period]]) -> str:
    chars = list(sentence[start:end])
    for s, e, _ in periods:
        for i in range(max(s, start), min(e, end)):
            chars[i - start] = " "
    return " ".join(_ESTIMATE.sub(" ", "".join(chars)).split())


def _own_lead(sentence: str, at: int, periods: list[tuple[int, int, Period]]) -> str:
    """The clause's words before `at`, without periods and estimate words; "" when an earlier number of the
    clause leads it ("03 kho và 304 cửa hàng": a list item, led by what led the list)."""
    clause_start = at - len(_clause(sentence, at))
    words = _LEAD_TRIM.sub("", _without_periods(sentence, clause_start, at, periods))
    return "" if re.search(r"\d", words) else words


def _lead(sentence: str, at: int, periods: list[tuple[int, int, Period]], state: _Line) -> _Lead | None:
    """What the count at `at` is: its own lead, else (a list item) the list's; None when nothing says."""
    own = _own_lead(sentence, at, periods)
    if not own:
        return state.lead
    inherited = state.lead.stock if state.lead else False
    stock = bool(_STOCK.search(own)) or (bool(_LINKING.search(own)) and inherited)
    if not stock and _LINKING.search(own):
        return None  # "hội chợ có 12 cơ sở tham gia": nothing says this is all of them
    state.lead = _Lead(own, stock)
    return state.lead


def _remember_lead(sentence: str, m: re.Match[str], periods: list[tuple[int, int, Period]], state: _Line) -> None:
    """A number of something else ("thu hồi 03 Giấy chứng nhận") starts a list of its own."""
    own = _own_lead(sentence, m.start(), periods)
    if own and re.match(r"\s+\w", sentence[m.end():]):
        state.lead = _Lead(own, bool(_STOCK.search(own)))


def _qualifier(lead: str) -> str:
    """The action a count is of, as written, its first letter in lower case unless an abbreviation."""
    words = lead.split()[-_MAX_LEAD_WORDS:]
    text = " ".join(words)
    if len(text) > 1 and text[1].islower():
        text = text[0].lower() + text[1:]
    return text


def _period(sentence: str, start: int, noun_end: int, periods: list[tuple[int, int, Period]],
            default: Period | None) -> Period | None:
    """The period right after the count, else the latest earlier in its ";"-clause, else the default."""
    gap = _PERIOD_GAP.match(sentence, noun_end)
    clause_start = sentence.rfind(";", 0, start) + 1
    after = [p for s, _, p in periods if s == gap.end()]
    before = [p for s, e, p in periods if clause_start <= s and e <= start]
    period = after[0] if after else (before[-1] if before else default)
    if period is not None and default is not None and period.start > default.end:
        return None  # "đến năm 2025 có 120 chợ" in a 2023 report: a target
    return period
