"""Which periods in a text are what it speaks about, and which are only comparison bases or dates.

"Tháng 3/2023 tăng 14% so với tháng 2/2023", "tăng từ 32,9% năm 2020 lên 39% năm 2025", "Quyết định số
402/QĐ-UBND năm 2020": the second period of each is a comparison base or the year of a document, not
the period the sentence (or the question) is about. Reading them as such made passages "conflict" with
the asked period and questions ask for periods they only compare with.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum

from ingest.periods import PeriodMatch, fold_same_length


class Role(StrEnum):
    SUBJECT = "subject"  # what the text is about
    BASE = "base"  # compared with: "so với tháng 2", "từ ... năm 2020 lên ..."
    DOCUMENT = "document"  # the date of a cited document: "402/QĐ-UBND năm 2020", "ngày 09/12/2022"


_BASE_BEFORE = re.compile(r"(?:\bso\s+(?:voi\s+)?(?:cung\s+ky\s+)?|\bvoi\s+|\bhon\s+|\bbang\s+)$")
_FROM_BEFORE = re.compile(r"\btu\s+(?:muc\s+)?[\d.,]+\s*(?:%|[^\W\d]+(?:\s+[^\W\d]+){0,2})?\s*(?:cua\s+|vao\s+)?$")
_TO_AFTER = re.compile(r"^\s*(?:\)\s*)?(?:len|xuong|den|toi)\b")
_DOC_BEFORE = re.compile(r"\d+\s*/\s*[a-z0-9]+(?:\s*-\s*[a-z0-9]+)*\s*(?:cua\s+[^,;:()]{1,40}?\s*)?(?:ban\s+hanh\s+)?$")
_LOOK_BACK = 60
_COMPARE = re.compile(r"\b(?:so sanh|doi chieu|chenh lech)\b")


def role(text: str, match: PeriodMatch) -> Role:
    """The role of one period match in `text` (the NFC text find_periods read)."""
    folded = fold_same_length(text)
    start, end = match.span
    before = folded[max(0, start - _LOOK_BACK):start]
    if _DOC_BEFORE.search(before):
        return Role.DOCUMENT
    if _BASE_BEFORE.search(before):
        return Role.BASE
    if _FROM_BEFORE.search(before) and _TO_AFTER.search(folded[end:end + 20]):
        return Role.BASE
    return Role.SUBJECT


def subject_matches(text: str, matches: Sequence[PeriodMatch]) -> list[PeriodMatch]:
    """The matches the text is about. A document's date never is; a comparison base is only when
    nothing else is named (a question that is only "so với tháng 2/2023?" asks about that month), or
    when the text asks to compare ("so sánh", "chênh lệch"): then each side is asked."""
    roles = [(m, role(text, m)) for m in matches]
    if _COMPARE.search(fold_same_length(text)):  # "so sánh ... tháng 01/2021 với tháng 3/2023": both asked
        return [m for m, r in roles if r != Role.DOCUMENT]
    subject = [m for m, r in roles if r == Role.SUBJECT]
    return subject or [m for m, r in roles if r == Role.BASE]
