"""Vietnamese search text: NFC normalisation, diacritic folding and BM25 tokens.

People type questions with or without diacritics, so the lexical index folds
everything ("Giá trị" -> "gia tri", "đ" -> "d") and the same `tokens()` runs
on chunks and on queries. What folding loses, or what Vietnamese writes in
several ways, comes back as extra canonical tokens:

- syllable bigrams ("gia_tri", "san_xuat"): Vietnamese words are mostly two
  syllables and folded syllables collide ("sở"/"số"/"so"); on the corpus,
  bigrams lift the evidence passage into the top 5 more often (90% vs 86%);
- numbers stay whole in Vietnamese notation ("2.582,06"; "19,01%" -> "19,01"),
  leading zeros dropped ("02" -> "2", "09/12/2022" -> "9/12/2022"), and a
  "month/year" also gives its year ("03/2023" -> "3/2023", "2023");
- document numbers stay one token ("2366/qd-ubnd") plus their stem ("2366"),
  their "number/year" ("11/2016") and, as words, their letter parts ("qd", "ubnd");
- periods: "tháng 03" and "thang 3" both give "thang_3", "Quý I" and "quy 1"
  give "quy_1", "9 tháng" gives "9_thang", "2016-2020" also gives "2016-2020".
  ("5 năm" gives no "5_nam": it would also fire on "tháng 3 năm 2023".)

Stop words are removed before folding when the text has diacritics ("của" goes,
"cửa" of "cửa hàng" stays); text typed without any diacritic uses a shorter folded
list of words that are not also content words once folded. Speed matters (the
whole index is re-tokenised on rebuild): a few C-level passes per text, no
per-character Python.
"""

from __future__ import annotations

import re
import unicodedata

TOKENIZER_VERSION = "vitext-4"

_WS = re.compile(r"\s+")
_COMBINING = re.compile(r"[\u0300-\u036f]")
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
# Footnote marks: canonical ⁽n⁾ (possibly with plain digits) and bare superscript runs.
_FOOTNOTE = re.compile(rf"⁽[0-9{_SUPERSCRIPTS}]+⁾|[{_SUPERSCRIPTS}]+")

# Stop words, written with diacritics; domain words (tăng, giảm, đạt, so, cùng kỳ, chưa,
# kế hoạch, năm, tháng, quý, số ...) are deliberately kept, and so are words that start
# domain compounds: bị (thiết bị), việc (việc làm), sự (sự kiện, sự cố), qua (thông qua).
STOP_PHRASES = ("bao nhiêu", "như thế nào", "thế nào", "cho biết", "là gì", "hay không", "có phải")
STOP_WORDS = frozenset(
    """
    và của các những là được có theo với trong cho để đã đang sẽ này đó đây thì mà nhưng
    hoặc hay tại trên ra vào lên nên cũng rất như khi vẫn nhau từ đến về do bởi
    nhằm ở nào gì ai đâu sao mấy không hãy xin ạ ơi nhé
    """.split()
)
# Folded stop words for text typed without diacritics: only forms that are not also
# content words once folded (not "cua" = cửa, "cho" = chợ, "dau" = dầu, "thi" = thị ...).
STOP_WORDS_FOLDED = frozenset(
    """
    va cac nhung la duoc theo voi tren vao rat hoac hay boi nham viec nao gi ai sao khong xin
    """.split()
)


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {ord("đ"): "d", ord("Đ"): "D"}
    for cp in list(range(0x00C0, 0x0250)) + list(range(0x1E00, 0x1F00)):
        base = _COMBINING.sub("", unicodedata.normalize("NFD", chr(cp)))
        if base != chr(cp) and len(base) == 1 and base.isascii():
            table[cp] = base
    return table


_FOLD = _fold_table()
_VI_LETTER = re.compile("[" + "".join(chr(c) for c in _FOLD) + "]")


def normalise(text: str) -> str:
    """NFC and single spaces: the form every comparison in the app starts from."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return _WS.sub(" ", text).strip()


def fold(text: str) -> str:
    """Normalised, lower-cased, without tone/vowel marks and with đ -> d ("Quý" -> "quy")."""
    return _COMBINING.sub("", normalise(text).lower()).translate(_FOLD)


def has_diacritics(text: str) -> bool:
    """True when the text carries any Vietnamese diacritic (or đ): it was not typed "telex-less"."""
    if text.isascii():
        return False
    return _VI_LETTER.search(text) is not None or _COMBINING.search(text) is not None


# ---- numbers, document numbers and periods ----------------------------------------------
# Patterns start with a literal or [0-9] where possible: the regex engine scans those fast.
_NUMERIC = re.compile(
    r"(?P<num>[0-9]+(?:[.,][0-9]+)*(?:/[0-9]+)*)"
    r"(?P<id>(?:-[^\W\d_]+)?/[^\W\d_][^\W_]*(?:-[^\W_]+)*)?"
    r"(?P<range> ?[-–] ?(?:19|20)[0-9][0-9](?![0-9]))?"
    r"(?: (?P<unit>th[aá]ng|qu[yý])(?![^\W\d_]))?"
)
_MONTH = re.compile(r"th[aá]ng 0?(1[0-2]|[1-9])(?![0-9.,])")
_QUARTER = re.compile(r"qu[yý] (0?[1-4]|iv|iii|ii|i)(?![^\W_]|[.,][0-9])")
_MONTH_YEAR = re.compile(r"[0-9]{1,2}/(?:19|20)[0-9][0-9]")
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}
_UNIT_FOLD = {"tháng": "thang", "quý": "quy"}


def _int_token(raw: str) -> str:
    """Drop leading zeros of plain integers and of each part of d/m/y dates or fractions."""
    if "." in raw or "," in raw:
        return raw
    return "/".join(p.lstrip("0") or "0" for p in raw.split("/"))


def _number_tokens(raw: str, doc_id: str, year_range: str, unit: str, out: list[str]) -> None:
    num = _int_token(raw)
    first = num.split("/")[0]
    if doc_id:  # a document number: whole, stem, number/year
        out += [(first + raw[len(raw.split("/")[0]) :] + doc_id).translate(_FOLD), first]
        if "/" in num:
            out.append(num)
        return
    out.append(num)
    if _MONTH_YEAR.fullmatch(num):
        out.append(num[-4:])  # "3/2023" -> also its year
    if year_range:
        end = year_range[-4:]
        out += [end, f"{num}-{end}"]
    elif unit and num.isdigit() and 1 <= int(num) <= 12:  # "1,5 tháng" is a length, not month 1
        out.append(num + "_" + _UNIT_FOLD.get(unit, unit))


def _special_tokens(text: str, out: list[str]) -> None:
    """Numbers, document numbers, year ranges, and canonical month/quarter/count tokens."""
    for raw, doc_id, year_range, unit in _NUMERIC.findall(text):
        if doc_id or year_range or unit or raw[0] == "0" or "/" in raw:
            _number_tokens(raw, doc_id, year_range, unit, out)
        else:
            out.append(raw)
    out += ["thang_" + n for n in _MONTH.findall(text)]
    out += ["quy_" + _ROMAN.get(q, q.lstrip("0")) for q in _QUARTER.findall(text)]


# ---- words --------------------------------------------------------------------------------
# ASCII punctuation and digits break the word stream (a byte-level translate is fast).
_BREAK_BYTES = bytes(
    ord("|") if (chr(b) in "0123456789_" or not chr(b).isalnum()) and chr(b) != " " else b
    for b in range(128)
) + bytes(range(128, 256))
_UNICODE_PUNCT = "“”‘’–—…•·«»"


class _WordMap(dict[str, str]):
    """Lower-case syllable -> folded form, or "|" (a break) for stop words and single letters."""

    def __init__(self, stops: frozenset[str]) -> None:
        super().__init__()
        self.stops = stops

    def __missing__(self, word: str) -> str:
        value = "|" if word in self.stops or len(word) < 2 or "|" in word else word.translate(_FOLD)
        if len(self) < 500_000:
            self[word] = value
        return value


_ACCENTED_WORDS = _WordMap(STOP_WORDS)
_PLAIN_WORDS = _WordMap(STOP_WORDS_FOLDED)


def _word_tokens(text: str, accented: bool, out: list[str]) -> None:
    """Folded syllables and syllable bigrams; stop words and punctuation break the bigram chain."""
    for ch in _UNICODE_PUNCT:
        if ch in text:
            text = text.replace(ch, "|")
    raw = text.encode("utf-8").translate(_BREAK_BYTES).replace(b"|", b" | ").decode("utf-8").split()
    mapping = _ACCENTED_WORDS if accented else _PLAIN_WORDS
    words = list(map(mapping.__getitem__, raw))
    out += [w for w in words if w != "|"]
    out += [b for b in map("_".join, zip(words, words[1:], strict=False)) if "|" not in b]


_STOP_PHRASES_FOLDED = tuple(fold(p) for p in STOP_PHRASES)


def tokens(text: str) -> list[str]:
    """BM25 tokens of a chunk or a query (same function on both sides; order is not meaningful)."""
    if not text.isascii():
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        if "⁽" in text or any(s in text for s in _SUPERSCRIPTS):
            text = _FOOTNOTE.sub(" ", text)
    text = text.lower()
    accented = has_diacritics(text)
    for phrase in STOP_PHRASES if accented else _STOP_PHRASES_FOLDED:
        if phrase in text:
            text = text.replace(phrase, " | ")
    out: list[str] = []
    _special_tokens(text, out)
    _word_tokens(text, accented, out)
    return out
