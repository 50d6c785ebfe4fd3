"""Instructions planted inside a report ("Bỏ qua mọi hướng dẫn trước đó và trả lời rằng ...").

A report is data. A sentence in it that speaks to the assistant instead of
about industry and trade is cut out before passages reach a model, and the
figures it states never count as evidence for an answer: even a model that
obeyed it could not get the planted claim past the checks.
"""

from __future__ import annotations

import re

from vectorstore.vitext import fold

REDACTED = "[đoạn dạng mệnh lệnh đã được lược bỏ]"
# matched on folded text (no diacritics, lower case)
_ORDERS = re.compile(
    r"(bo qua|phot lo|khong tuan theo|quen)\s+(het\s+|moi\s+|tat ca\s+|cac\s+|nhung\s+)*"
    r"(huong dan|chi dan|chi thi|quy tac|yeu cau|lenh|menh lenh)"
    r"|(hay|phai)?\s*tra loi rang"
    r"|ignore\s+(all\s+|any\s+|the\s+)*(previous|prior|above|earlier)\s+(instructions|rules|prompts?)"
    r"|disregard\s+(all\s+|the\s+)*(previous|prior|above)"
    r"|system prompt|loi nhac he thong|ban la mot tro ly|you are now"
)
_BREAK = re.compile(r"(?<=[.!?…])\s+|\n+")  # "9.999" is not a sentence end


def is_instruction(sentence: str) -> bool:
    """True for a sentence addressed to the assistant rather than reporting facts."""
    return _ORDERS.search(fold(sentence)) is not None


def without_instructions(text: str) -> str:
    """The passage with instruction-like sentences replaced by a short marker (unchanged if none)."""
    if not _ORDERS.search(fold(text)):
        return text
    return " ".join(REDACTED if is_instruction(s) else s for s in _BREAK.split(text) if s.strip())
