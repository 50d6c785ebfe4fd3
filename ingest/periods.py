"""Reporting periods ("tháng 3/2023", "lũy kế quý I", "giai đoạn 2016-2020") and dates in Vietnamese text.

Getting the period wrong is the worst mistake the assistant can make, so periods get one parser, shared
by report metadata (ingest) and question understanding (assistant). Matching runs on a folded copy of
the text (lower case, no diacritics, same length as the NFC text) so "thang 3/2023", "THÁNG 03 NĂM 2023"
and "T3/2023" all parse, while the matched keywords are checked against the original spelling so that
"thăng", "Việt Nam 2023" or a full date "ngày 29/5/2020" are not read as periods.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

PeriodType = Literal["month", "quarter", "half_year", "year_to_date", "month_range", "year", "five_year",
                     "multi_year"]
DatePrecision = Literal["day", "month"]

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_ROMAN_OUT = {1: "I", 2: "II", 3: "III", 4: "IV"}


def fold_same_length(text: str) -> str:
    """NFC, lower case, diacritics stripped, đ -> d, one output char per NFC char (offsets stay valid).

    `vectorstore.vitext.fold` also collapses whitespace, which would break the offsets kept here.
    """
    return unicodedata.normalize("NFC", text).translate(_FOLD_TABLE)


def _fold_table() -> dict[int, str]:
    table = {ord(c): c.lower() for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
    table[ord("đ")] = table[ord("Đ")] = "d"
    for cp in list(range(0x00C0, 0x0250)) + list(range(0x1E00, 0x1F00)):
        base = unicodedata.normalize("NFD", chr(cp))[0].lower()
        if len(base) == 1 and base.isascii() and base.isalpha():
            table[cp] = base
    return table


_FOLD_TABLE = _fold_table()


@dataclass(frozen=True)
class Period:
    """A span of months with a stable key; equality ignores the label (same span and type = same period)."""

    type: PeriodType
    start: date
    end: date
    label: str = field(default="", compare=False)
    cumulative: bool = field(default=False, compare=False)

    @property
    def key(self) -> str:
        """Stable string id usable as Chroma metadata, e.g. "M2023-03", "Q2023-1", "R2016-2020"."""
        y, m = f"{self.start.year:04d}", self.start.month  # 4 digits: `from_key` reads any year back
        if self.type == "month":
            return f"M{y}-{m:02d}"
        if self.type == "quarter":
            return f"Q{y}-{(m - 1) // 3 + 1}"
        if self.type == "half_year":
            return f"H{y}-{1 if m == 1 else 2}"
        if self.type == "year_to_date":
            return f"YTD{y}-{self.end.month:02d}"
        if self.type == "month_range":
            return f"MR{y}-{m:02d}..{self.end.month:02d}"
        if self.type == "year":
            return f"Y{y}"
        return f"R{y}-{self.end.year:04d}"

    @property
    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    @classmethod
    def from_key(cls, key: str) -> Period:
        """Inverse of `key` (label regenerated, cumulative set for year-to-date)."""
        for pattern, build in _KEY_PARSERS:
            m = pattern.fullmatch(key.strip())
            if m:
                return build(*map(int, m.groups()))
        raise ValueError(f"not a period key: {key!r}")


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def month(year: int, m: int, cumulative: bool = False) -> Period:
    return Period("month", date(year, m, 1), _last_day(year, m), f"tháng {m}/{year}", cumulative)


def quarter(year: int, q: int, cumulative: bool = False) -> Period:
    start = date(year, 3 * q - 2, 1)
    return Period("quarter", start, _last_day(year, 3 * q), f"quý {_ROMAN_OUT[q]}/{year}", cumulative)


def half_year(year: int, half: int, cumulative: bool = False) -> Period:
    label = f"6 tháng {'đầu' if half == 1 else 'cuối'} năm {year}"
    start = date(year, 1 if half == 1 else 7, 1)
    return Period("half_year", start, _last_day(year, 6 if half == 1 else 12), label, cumulative or half == 1)


def year_to_date(year: int, months: int) -> Period:
    """The first `months` months of a year; 3, 6 and 12 are the quarter, half and year they equal."""
    if months == 1:
        return month(year, 1)
    if months == 3:
        return quarter(year, 1, cumulative=True)
    if months == 6:
        return half_year(year, 1)
    if months == 12:
        return replace(whole_year(year), cumulative=True)
    label = f"{months} tháng đầu năm {year}"
    return Period("year_to_date", date(year, 1, 1), _last_day(year, months), label, True)


def last_months(year: int, months: int) -> Period:
    """The last `months` months of a year ("3 tháng cuối năm" = quý IV)."""
    if months == 1:
        return month(year, 12)
    if months == 3:
        return quarter(year, 4)
    if months == 6:
        return half_year(year, 2)
    if months == 12:
        return whole_year(year)
    return month_range(year, 13 - months, 12)


def month_range(year: int, first: int, last: int) -> Period:
    label = f"tháng {first}-{last}/{year}"
    return Period("month_range", date(year, first, 1), _last_day(year, last), label)


def whole_year(year: int) -> Period:
    return Period("year", date(year, 1, 1), date(year, 12, 31), f"năm {year}")


def year_range(first: int, last: int) -> Period:
    kind: PeriodType = "five_year" if last - first == 4 else "multi_year"
    return Period(kind, date(first, 1, 1), date(last, 12, 31), f"giai đoạn {first}-{last}")


_KEY_PARSERS = [
    (re.compile(r"M(\d{4})-(\d{2})"), month),
    (re.compile(r"Q(\d{4})-([1-4])"), quarter),
    (re.compile(r"H(\d{4})-([12])"), half_year),
    (re.compile(r"YTD(\d{4})-(\d{2})"), year_to_date),
    (re.compile(r"MR(\d{4})-(\d{2})\.\.(\d{2})"), month_range),
    (re.compile(r"Y(\d{4})"), whole_year),
    (re.compile(r"R(\d{4})-(\d{4})"), year_range),
]


# ---------------------------------------------------------------- matching

_Y = r"(?<![\d.,])((?:19|20)\d\d)(?![\d]|[.,]\d)"
_YSEP = rf"(?:\s*[/.\-–]\s*|\s+(?:nam\s+)?){_Y}"  # "/2023", "-2023", " năm 2023", " 2023"
_NUM = r"(?<![\d.,/])(\d{1,2})(?![\d])"
_NDAY = r"(?<![\d.,/])(\d{1,2})"
_CUMULATIVE_BEFORE = re.compile(r"(?:luy\s+ke|tinh\s+chung|cong\s+don|tinh\s+tu\s+dau\s+nam)"
                                r"(?:\s+(?:den\s+(?:het\s+)?|ca\s+))?\s*$")

_DATE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"\bngay\s+{_NDAY}\s+thang\s+{_NUM}\s+nam\s+{_Y}"), "dmy"),
    (re.compile(r"\bngay[\s._…]*thang\s+" + _NUM + r"\s+nam\s+" + _Y), "my"),
    (re.compile(rf"(?:\bngay\s+)?{_NDAY}\s*([/\-.])\s*(\d{{1,2}})\s*\2\s*{_Y}"), "d/m/y"),
    (re.compile(rf"\bngay\s+{_NDAY}\s*/\s*(\d{{1,2}})(?![\d/])"), "d/m"),  # no year: not a period either
]

_RANGE = re.compile(rf"{_Y}\s*(?:[-–—]|den(?:\s+nam)?)\s*{_Y}(?:\s*\))?")
# Words before a range that belong to it ("giai đoạn (", "05 năm (", "từ năm"); searched backwards
# from the years because a pattern starting with optional words is slow on long texts.
_RANGE_LEAD = re.compile(r"(?:(?:giai\s+doan|thoi\s+ky|(?<![\d.,])\d{1,2}\s+nam)\s*)?\(?\s*(?:tu\s+nam\s+)?$")
_N_MONTHS_EDGE = re.compile(rf"{_NUM}\s+thang\s+(dau|cuoi)\s+nam(?:{_YSEP})?")
_HALF_WORDS = re.compile(rf"\bnua\s+(dau|cuoi)\s+nam(?:{_YSEP})?")
_N_MONTHS_YEAR = re.compile(rf"{_NUM}\s+thang{_YSEP}")
_N_MONTHS_CUM = re.compile(rf"(?:luy\s+ke|tinh\s+chung|cong\s+don)\s+(?:ca\s+)?{_NUM}\s+thang\b")
_N_MONTHS_BARE = re.compile(rf"{_NUM}\s+thang\b(?!\s*\d)")
_QUARTER = re.compile(rf"\b(?:qu[yi]\s*(iv|i{{1,3}}|[1-4])\b|q([1-4])\b)(?:{_YSEP})?")
_MONTH_SPAN = re.compile(
    rf"\b(?:tu\s+)?thang\s+{_NUM}\s*(?:[-–]|den(?:\s+het)?)\s*(?:thang\s+)?{_NUM}(?:{_YSEP})?"
)
_MONTH = re.compile(rf"\bthang\s+{_NUM}(?:{_YSEP})?")
_MONTH_SHORT = re.compile(rf"\bt{_NUM}\s*[/\-]\s*{_Y}")
_YEAR = re.compile(rf"\bnam\s+{_Y}")

# Keyword spellings accepted in the original text (full diacritics or none): rejects "thăng", "nằm"...
_SPELLINGS = {
    "thang": {"tháng", "thang"},
    "nam": {"năm", "nam"},
    "quy": {"quý", "quy"},
    "qui": {"quí", "qui"},
    "ngay": {"ngày", "ngay"},
    "dau": {"đầu", "dau"},
    "cuoi": {"cuối", "cuoi"},
    "nua": {"nửa", "nua"},
    "doan": {"đoạn", "doan"},
    "ky": {"kỳ", "kì", "ky", "ki"},
}
_NOT_YEAR_AFTER = {"viet", "mien", "phia", "ha", "quang", "hai", "bac", "dong", "tay", "nam", "thanh"}


@dataclass(frozen=True)
class PeriodMatch:
    """A period found in text: where it is and whether its year was written or inferred."""

    period: Period
    span: tuple[int, int]
    explicit_year: bool


@dataclass
class _Raw:
    span: tuple[int, int]
    build: Callable[[int], Period]
    year: int | None
    last_month: int  # for borrowing a following year ("tháng 12 và tháng 1/2021" -> 12/2020)
    first_month: int


def parse_periods(text: str, default_year: int | None = None, bare_months: bool = False) -> list[Period]:
    """Every distinct period in `text`, in order of first appearance.

    A period written without a year takes the year of the period right after it when only a connector
    separates them ("tháng 9 và 9 tháng đầu năm 2023"), else `default_year`, else it is skipped.
    `bare_months=True` also reads "5 tháng" alone as the first 5 months (useful for questions).
    """
    out: list[Period] = []
    for m in find_periods(text, default_year, bare_months):
        if m.period not in out:
            out.append(m.period)
    return out


_NUMBER_WORDS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9,
                 "muoi": 10, "muoi mot": 11, "muoi hai": 12}
_NUMBER_WORD = re.compile(r"\b(muoi mot|muoi hai|mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi)(?=\s+thang\b)")


def _number_words(folded: str) -> str:
    """"ba tháng đầu năm" reads as "3 tháng đầu năm"; same length, so spans still line up."""
    return _NUMBER_WORD.sub(lambda m: str(_NUMBER_WORDS[m.group(1)]).ljust(len(m.group(1))), folded)


def find_periods(text: str, default_year: int | None = None, bare_months: bool = False) -> list[PeriodMatch]:
    """All period occurrences with their character spans in the NFC form of `text`."""
    original = unicodedata.normalize("NFC", text)
    folded = _number_words(fold_same_length(original))
    taken = bytearray(len(folded))  # characters already read as a date or a period
    for (s, e), _ in _date_matches(folded, original):
        taken[s:e] = b"\x01" * (e - s)
    raws: list[_Raw] = []
    for finder in _FINDERS:
        if finder is _find_bare and not bare_months:
            continue
        for raw in finder(folded, original):
            s, e = raw.span
            if not any(taken[s:e]):
                taken[s:e] = b"\x01" * (e - s)
                raws.append(raw)
    raws.sort(key=lambda r: r.span[0])
    return _resolve_years(raws, folded, default_year)


def _resolve_years(raws: list[_Raw], folded: str, default_year: int | None) -> list[PeriodMatch]:
    years: list[int | None] = [r.year for r in raws]
    for i in range(len(raws) - 2, -1, -1):
        if years[i] is None and years[i + 1] is not None and _CONNECTOR.fullmatch(
                folded[raws[i].span[1]:raws[i + 1].span[0]]):
            wraps = raws[i].last_month == 12 and raws[i + 1].last_month < raws[i].first_month
            years[i] = years[i + 1] - (1 if wraps else 0)  # "tháng 12 và tháng 1/2021" -> 12/2020
    out = []
    for raw, year in zip(raws, years, strict=True):
        year = year if year is not None else default_year
        if year is None:
            continue
        try:
            period = raw.build(year)
        except ValueError:
            continue
        out.append(PeriodMatch(period, raw.span, raw.year is not None))
    return out


_CONNECTOR = re.compile(
    r"[\s,;\-–]*(?:va|,)?[\s,]*(?:(?:luy\s+ke|tinh\s+chung|cong\s+don)\s*(?:den\s+)?)?\s*"
)


def _keywords_ok(folded: str, original: str, span: tuple[int, int]) -> bool:
    """The keywords of a match must be spelled fully accented or fully bare ("thăng" is not "tháng")."""
    for w in re.finditer(r"[a-z]+", folded[span[0]:span[1]]):
        allowed = _SPELLINGS.get(w.group())
        s, e = span[0] + w.start(), span[0] + w.end()
        if allowed and original[s:e].lower() not in allowed:
            return False
    return True


def _is_cumulative(folded: str, start: int) -> bool:
    return bool(_CUMULATIVE_BEFORE.search(folded[max(0, start - 30):start]))


def _year(m: re.Match[str], group: int) -> int | None:
    value = m.group(group)
    return int(value) if value else None


def _find_ranges(folded: str, original: str) -> Iterator[_Raw]:
    for m in _RANGE.finditer(folded):
        first, last = int(m.group(1)), int(m.group(2))
        window = max(0, m.start() - 30)
        lead = _RANGE_LEAD.search(folded, window, m.start())
        span = (lead.start() if lead else m.start(), m.end())
        if first < last <= first + 50 and _keywords_ok(folded, original, span):
            yield _Raw(span, lambda _y, a=first, b=last: year_range(a, b), first, 12, 1)


def _find_edges(folded: str, original: str) -> Iterator[_Raw]:
    for m in _N_MONTHS_EDGE.finditer(folded):
        n, edge = int(m.group(1)), m.group(2)
        if 1 <= n <= 12 and _keywords_ok(folded, original, m.span()):
            if edge == "dau":
                yield _Raw(m.span(), lambda y, n=n: year_to_date(y, n), _year(m, 3), n, 1)
            else:
                yield _Raw(m.span(), lambda y, n=n: last_months(y, n), _year(m, 3), 12, 13 - n)
    for m in _HALF_WORDS.finditer(folded):
        if _keywords_ok(folded, original, m.span()):
            half = 1 if m.group(1) == "dau" else 2
            yield _Raw(m.span(), lambda y, h=half: half_year(y, h), _year(m, 2), 6 * half, 6 * half - 5)


def _find_n_months(folded: str, original: str) -> Iterator[_Raw]:
    for m in _N_MONTHS_YEAR.finditer(folded):
        n = int(m.group(1))
        if 2 <= n <= 12 and _keywords_ok(folded, original, m.span()) and not _after_day(folded, m.start()):
            yield _Raw(m.span(), lambda y, n=n: year_to_date(y, n), _year(m, 2), n, 1)
    for m in _N_MONTHS_CUM.finditer(folded):
        n = int(m.group(1))
        if 2 <= n <= 12:
            yield _Raw(m.span(), lambda y, n=n: year_to_date(y, n), None, n, 1)


def _find_bare(folded: str, original: str) -> Iterator[_Raw]:
    for m in _N_MONTHS_BARE.finditer(folded):
        n = int(m.group(1))
        if 2 <= n <= 12 and _keywords_ok(folded, original, m.span()) and not _after_day(folded, m.start()):
            yield _Raw(m.span(), lambda y, n=n: year_to_date(y, n), None, n, 1)


def _find_quarters(folded: str, original: str) -> Iterator[_Raw]:
    for m in _QUARTER.finditer(folded):
        token = m.group(1) or m.group(2)
        q = _ROMAN.get(token) or int(token)
        if _keywords_ok(folded, original, m.span()):
            cum = _is_cumulative(folded, m.start())
            yield _Raw(m.span(), lambda y, q=q, c=cum: quarter(y, q, c), _year(m, 3), 3 * q, 3 * q - 2)


def _find_months(folded: str, original: str) -> Iterator[_Raw]:
    for pattern in (_MONTH, _MONTH_SHORT):
        for m in pattern.finditer(folded):
            mo = int(m.group(1))
            if 1 <= mo <= 12 and _keywords_ok(folded, original, m.span()):
                cum = _is_cumulative(folded, m.start())
                build = (lambda y, mo=mo: year_to_date(y, mo)) if cum else (lambda y, mo=mo: month(y, mo))
                yield _Raw(m.span(), build, _year(m, 2), mo, 1 if cum else mo)


def _find_month_spans(folded: str, original: str) -> Iterator[_Raw]:
    """ "từ tháng 1 đến tháng 5/2020", "tháng 8-12/2020": a span of months inside one year."""
    for m in _MONTH_SPAN.finditer(folded):
        first, last = int(m.group(1)), int(m.group(2))
        if 1 <= first < last <= 12 and _keywords_ok(folded, original, m.span()):
            build = (lambda y, n=last: year_to_date(y, n)) if first == 1 else (
                lambda y, a=first, b=last: month_range(y, a, b))
            yield _Raw(m.span(), build, _year(m, 3), last, first)


def _find_years(folded: str, original: str) -> Iterator[_Raw]:
    for m in _YEAR.finditer(folded):
        word = original[m.start():m.start() + 3]
        before = folded[max(0, m.start() - 8):m.start()].split()
        if "ă" not in word.lower() and before and before[-1] in _NOT_YEAR_AFTER:
            continue  # "Việt Nam 2023", "miền Nam 2020"
        if _keywords_ok(folded, original, m.span()):
            y = int(m.group(1))
            yield _Raw(m.span(), lambda _y, y=y: whole_year(y), y, 12, 1)


def _after_day(folded: str, start: int) -> bool:
    """ "ngày 5 tháng ..." is a date, never "5 months"."""
    return folded[max(0, start - 6):start].rstrip().endswith("ngay")


_FINDERS = [_find_ranges, _find_edges, _find_n_months, _find_bare, _find_quarters, _find_month_spans,
            _find_months, _find_years]


# ---------------------------------------------------------------- dates


_DateHit = tuple[tuple[int, int], tuple[date, DatePrecision] | None]


def _date_matches(folded: str, original: str) -> list[_DateHit]:
    found: list[_DateHit] = []
    taken = bytearray(len(folded))
    for pattern, kind in _DATE_PATTERNS:
        for m in pattern.finditer(folded):
            s, e = m.span()
            if any(taken[s:e]) or not _keywords_ok(folded, original, m.span()):
                continue
            taken[s:e] = b"\x01" * (e - s)
            found.append((m.span(), _date_value(m, kind)))
    found.sort(key=lambda f: f[0][0])
    return found


def _date_value(m: re.Match[str], kind: str) -> tuple[date, DatePrecision] | None:
    try:
        if kind == "dmy":
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1))), "day"
        if kind == "my":
            return date(int(m.group(2)), int(m.group(1)), 1), "month"
        if kind == "d/m/y":
            return date(int(m.group(4)), int(m.group(3)), int(m.group(1))), "day"
    except ValueError:
        return None
    return None


def parse_dates(text: str) -> list[tuple[date, DatePrecision]]:
    """Calendar dates in `text`: "ngày 09/12/2022", "29 tháng 05 năm 2020"; a blank day ("ngày tháng 3
    năm 2023", the usual unsigned draft) gives the 1st of the month with precision "month"."""
    original = unicodedata.normalize("NFC", text)
    return [v for _, v in _date_matches(fold_same_length(original), original) if v is not None]
