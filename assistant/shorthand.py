"""Meeting shorthand in questions, spelled out before the question is read.

Staff type "XK TB 9T/2023 so CK?" for "xuất khẩu Thái Bình 9 tháng năm 2023 so cùng kỳ?". Reports never
write the short forms, so the question is rewritten into the words the reports use: period shorthand
("9T/2023", "Q1/23", "T3/23", "tháng đầu tiên của năm", "3 quý đầu năm", a bare "2023"), common abbreviations ("CK",
"bn", "XK", "NK", "HH&DV") and a province's initials ("TB") when exactly one indexed province has them.
Total: any string in, a string out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from vectorstore.vitext import fold, has_diacritics

_YY = r"((?:19|20)?\d\d)(?!\d)"


def _year(text: str) -> str:
    return text if len(text) == 4 else f"20{text}"


# "tháng cuối năm" is December, "6 tháng cuối năm" the last six months (read by the period parser)
_NOT_COUNTED = r"(?<!\d )(?<!\d)(?<!một )(?<!hai )(?<!ba )(?<!bốn )(?<!sáu )(?<!chín )"
_NOT_COUNTED_FOLDED = r"(?<!\d )(?<!\d)(?<!mot )(?<!hai )(?<!ba )(?<!bon )(?<!sau )(?<!chin )"
_NUMBER_WORDS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4}
_PERIODS: list[tuple[re.Pattern[str], object]] = [
    # "9T/2023", "6T-2023", "9T 2023": the first N months of the year
    (re.compile(rf"(?<![\w/])(\d{{1,2}})\s*[Tt]\s*[/\-]?\s*{_YY}\b"),
     lambda m: f"{int(m.group(1))} tháng năm {_year(m.group(2))}"),
    # "T3/23", "T03-2023": a month
    (re.compile(rf"(?<![\w/])[Tt]\s*(\d{{1,2}})\s*[/\-]\s*{_YY}\b"),
     lambda m: f"tháng {int(m.group(1))}/{_year(m.group(2))}"),
    # "Q1/23", "quý 1/23", "QI-2023": a quarter with a two-digit year
    (re.compile(rf"(?<![\w/])(?:[Qq]|[Qq]u[ýyíi])\s*(IV|I{{1,3}}|[1-4])\s*[/\-]\s*{_YY}\b"),
     lambda m: f"quý {m.group(1)}/{_year(m.group(2))}"),
    # "tháng đầu tiên của năm 2021", "tháng cuối cùng của năm"
    (re.compile(_NOT_COUNTED + r"\btháng\s+(đầu\s+tiên|cuối\s+cùng|cuối)(?:\s+(?:của|trong))?\s+năm", re.IGNORECASE),
     lambda m: "tháng 1 năm" if fold(m.group(1)).startswith("dau") else "tháng 12 năm"),
    (re.compile(_NOT_COUNTED_FOLDED + r"\bthang\s+(dau\s+tien|cuoi\s+cung|cuoi)(?:\s+(?:cua|trong))?\s+nam"),
     lambda m: "thang 1 nam" if m.group(1).startswith("dau") else "thang 12 nam"),
    # "KNXK 2023?", "bán lẻ TB 2022 bn": a year ending the question, alone (not in a date, a symbol, a
    # range, and not already "năm 2023"), is the year asked; inside a sentence a bare year is more often
    # part of a name ("Tết Quý Mão 2023")
    (re.compile(r"(?<![\w/\-–.,:])(?<!năm )(?<!nam )(?<!đoạn )(?<!doan )(?<!- )(?<!– )(?<!tháng )"
                r"(?<!thang )(?<!quý )(?<!quy )(?<!I )(?<!V )(?<!\d )((?:19|20)\d\d)"
                r"(?=\s*(?:bn|bao\s+nhi[eê]u)?\s*\??\s*$)", re.IGNORECASE),
     lambda m: f"năm {m.group(1)}"),
    # "3 quý đầu năm", "hai quý đầu năm": the first 3N months
    (re.compile(r"(?<!\w)(\d|một|hai|ba|bốn|mot|bon)\s+(quý|quy)\s+(đầu|dau)\s+(năm|nam)", re.IGNORECASE),
     lambda m: f"{3 * _count(m.group(1))} tháng {m.group(3)} {m.group(4)}"),
]


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(fold(word), 1)


def _word(regex: str, flags: int = 0) -> re.Pattern[str]:
    """An abbreviation standing as a word of its own, never a piece of a document symbol ("126-KH/TU")."""
    return re.compile(rf"(?<![\w/\-])(?:{regex})(?![\w/\-])", flags)


# Abbreviations never written in reports; case-sensitive where the lower-case form is a Vietnamese
# syllable ("CK", "NK", "XK", "TM").
_WORDS: list[tuple[re.Pattern[str], str]] = [
    (_word(r"(?:so\s+)?CK"), "so cùng kỳ"),
    (_word(r"bn|bnh", re.IGNORECASE), "bao nhiêu"),
    (_word(r"GTSX\s*CN", re.IGNORECASE), "giá trị sản xuất công nghiệp"),
    (_word(r"GTSX", re.IGNORECASE), "giá trị sản xuất"),
    (_word(r"KNXK", re.IGNORECASE), "kim ngạch xuất khẩu"),
    (_word(r"KNNK", re.IGNORECASE), "kim ngạch nhập khẩu"),
    (_word(r"XK"), "xuất khẩu"),
    (_word(r"NK"), "nhập khẩu"),
    (_word(r"XNK"), "xuất nhập khẩu"),
    (_word(r"HH\s*(?:&|và|va|\+)?\s*DV", re.IGNORECASE), "hàng hóa và dịch vụ"),
    (_word(r"TMBL", re.IGNORECASE), "tổng mức bán lẻ"),
    (_word(r"DN"), "doanh nghiệp"),
    (_word(r"SX"), "sản xuất"),
    (_word(r"CN"), "công nghiệp"),
    (_word(r"TM"), "thương mại"),
    (_word(r"KH"), "kế hoạch"),
]


def initials(name: str) -> str:
    """ "Thái Bình" -> "TB", "Bà Rịa - Vũng Tàu" -> "BRVT"."""
    return "".join(w[0] for w in re.findall(r"\w+", fold(name))).upper()


def expand(question: str, provinces: Iterable[str] = ()) -> str:
    """The question with shorthand spelled out; `provinces` are the indexed ones (for "TB", "TV").
    A question typed without diacritics gets its spelled-out words without them too (it is read, and
    its diacritics restored, as one piece)."""
    style = (lambda w: w) if has_diacritics(question) else fold
    text = question
    for pattern, repl in _PERIODS:
        text = pattern.sub(lambda m, r=repl: style(r(m)), text)  # type: ignore[operator]
    for pattern, words in _WORDS:
        text = pattern.sub(lambda _m, w=words: style(w), text)
    by_initials: dict[str, list[str]] = {}
    for name in provinces:
        by_initials.setdefault(initials(name), []).append(name)
    for short, names in by_initials.items():
        if len(short) >= 2 and len(names) == 1:
            text = _word(re.escape(short)).sub(lambda _m, name=names[0]: style(name), text)
    return text
