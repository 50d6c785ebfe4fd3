"""Text repair shared by the loaders: Unicode NFC, whitespace, markdown marks, hard-wrapped lines.

Reports reach us as PDF extractions and text exports in which one paragraph is
spread over many lines (and across page breaks). Retrieval and citations need
whole paragraphs, so lines are re-joined with rules that only use what any
source gives (the text of each line), plus layout hints when a PDF has them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_INVISIBLE: dict[int, str | None] = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_INVISIBLE.update({0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl"})  # PDF ligatures
_SPACES = re.compile(r"\s+")
_BOLD = re.compile(r"\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_ROMAN = r"(?:I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII)"
# A line that opens a list item or a numbered heading starts a new paragraph.
_OPENER = re.compile(
    rf"^(?:[-+•–*]\s|{_ROMAN}[.)]\s|\d{{1,2}}(?:\.\d{{1,2}}){{0,4}}[.)-]\s|\d{{1,2}}(?:\.\d{{1,2}}){{1,4}}\s"
    r"|[a-zđ]\)\s"
    r"|Phần thứ|PHẦN THỨ|Chương [IVX\d]|CHƯƠNG [IVX\d]|Điều \d|Nơi nhận:|Kính gửi)"
)
SENTENCE_END = tuple(".:;!?")


def clean(text: str) -> str:
    """NFC, invisible characters and ligatures undone, whitespace runs collapsed to one space."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return _SPACES.sub(" ", text).strip()


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def strip_markdown(text: str) -> str:
    """Drop markdown emphasis (``**bold**``, ``*italic*``); the words stay."""
    return _ITALIC.sub(r"\1", _BOLD.sub("", text))


def opens_block(line: str) -> bool:
    """True when a line starts a list item, a numbered heading or a closing section.

    A dash followed by a lower-case word is a wrapped "kinh tế - xã hội", not a list item.
    """
    s = line.lstrip()
    if not _OPENER.match(s):
        return False
    return not (s[0] in "-+•–*" and s[2:3].islower())


def ends_sentence(line: str) -> bool:
    return line.rstrip().rstrip('*”")').endswith(SENTENCE_END) or line.rstrip().endswith(("./.", "/."))


def is_caps(line: str) -> bool:
    """An all-capitals line (title, agency name), ignoring digits and punctuation."""
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def starts_lower(line: str) -> bool:
    s = line.lstrip()
    return bool(s) and s[0].islower() and not opens_block(s)


def join(left: str, right: str) -> str:
    """Join two wrapped pieces of one paragraph; a hyphen at the wrap glues ('2021-' + '2025')."""
    left, right = left.rstrip(), right.lstrip()
    if not left:
        return right
    if re.search(r"\w[-/]$", left) and right[:1].isalnum():
        return left + right
    return left + " " + right


@dataclass
class Line:
    """One physical line and the layout hints its source can give."""

    text: str
    page: int | None = None
    indented: bool = False  # starts right of the left margin (first-line indent, centred)
    gap_before: bool = False  # more vertical space above than between lines of a paragraph
    centered: bool = False  # indented by neither zero nor the usual first-line indent


@dataclass
class Paragraph:
    text: str
    page: int | None = None


def continues(prev: Line, line: Line, width: int, para: str = "") -> bool:
    """Does `line` continue the paragraph `para` whose last line is `prev`?"""
    text, before = line.text.strip(), prev.text.strip()
    if not before or opens_block(text):
        return False
    if starts_lower(text):
        return True
    if line.gap_before:
        return False
    if line.indented:
        return line.centered and _long_title(before, width)  # a centred title that wrapped
    if is_caps(before):
        return (is_caps(text) or not any(c.isalpha() for c in text)) and _long_title(before, width)
    if is_caps(text) and (ends_sentence(before) or len(before) < width * 0.8):
        return False  # a title line after a finished or short line
    if (para or before)[:1] in "-+•" and not before.rstrip().endswith((".", ":", "!", "?")):
        return True  # an unfinished list item (recipient lists end items with ';')
    if ends_sentence(before) and len(before) < width * 0.85:
        return False  # the short last line of a paragraph
    return len(before) >= width * 0.6


def _long_title(before: str, width: int) -> bool:
    """A title line long enough to have wrapped, without final punctuation."""
    return not ends_sentence(before) and len(before) >= width * 0.55


def reflow(lines: list[Line], width: int | None = None) -> list[Paragraph]:
    """Re-join hard-wrapped lines into paragraphs (page = where each paragraph starts)."""
    lines = [ln for ln in lines if ln.text.strip()]
    if width is None:
        width = typical_width([ln.text for ln in lines])
    out: list[Paragraph] = []
    prev: Line | None = None
    for ln in lines:
        if prev is not None and continues(prev, ln, width, out[-1].text):
            out[-1].text = join(out[-1].text, ln.text)
        else:
            out.append(Paragraph(ln.text.strip(), ln.page))
        prev = ln
    for p in out:
        p.text = clean(p.text)
    return out


def typical_width(lines: list[str]) -> int:
    """The length of a full line (90th percentile), i.e. where the right margin is."""
    lengths = sorted(len(clean(t)) for t in lines if t.strip())
    if not lengths:
        return 80
    return max(20, lengths[int(len(lengths) * 0.9) - (1 if len(lengths) > 1 else 0)])
