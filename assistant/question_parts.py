"""The parts of a question that asks two or three things at once.

"Năm 2016 có bao nhiêu lao động, và cả giai đoạn giảm đi bao nhiêu?", "... bao nhiêu hồ sơ, bao nhiêu
hồ sơ nộp trực tuyến?", "...? Khối doanh nghiệp chiếm bao nhiêu?": each part has its own question word.
A report usually answers the later parts in the sentences right after the first answer, so the composer
looks there for each later part's words. Total: any string in, a list of parts out (one when the
question asks one thing).
"""

from __future__ import annotations

import re

from vectorstore.vitext import fold

_ASKS = re.compile(r"\b(?:bao nhieu|bn|nao|gi|ra sao|the nao)\b")
_HOW_MANY = re.compile(r"(?<!\w)mấy(?!\w)")  # with its tone mark: plain "may" is also "máy" (machine)
_BOUNDARY = re.compile(r"\?\s+|;\s+|,?\s+và\s+|,?\s+va\s+|,\s+")
MIN_PART_WORDS = 2


def question_parts(text: str) -> list[str]:
    """The question cut where the words before and after a boundary (",", "và", ";", "?") each ask."""
    for m in _BOUNDARY.finditer(text):
        left, right = text[:m.start()], text[m.end():]
        if (_asks(left) and _asks(right)
                and len(right.split()) >= MIN_PART_WORDS and len(left.split()) >= MIN_PART_WORDS):
            return [left.strip(), *question_parts(right)]
    return [text.strip()] if text.strip() else []


def _asks(text: str) -> bool:
    return bool(_ASKS.search(fold(text)) or _HOW_MANY.search(text.lower()))
