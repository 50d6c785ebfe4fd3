"""What a question leaves out: "không tính nhiệt điện", "không kể dầu thô", "loại trừ ...".

Reports split totals this way ("Có Nhiệt điện: 7.038,88 tỷ đồng / Không có Nhiệt điện: 4.201,37 tỷ
đồng"), and "không" is a stop word to the search, so without this the two lines cover a question equally
and the first one written wins: the total with thermal power, for a question that excludes it.
Works on folded text (diacritics removed, lower case), so questions typed without accents read alike.
"""

from __future__ import annotations

import re

# not a bare "tru": folded, it is also "trú" (lưu trú) and "trụ" (trụ sở)
_MARK = r"(?:khong (?:tinh|co|ke|bao gom|gom)|loai tru|ngoai tru)"
_TERM = re.compile(rf"(?<!\w){_MARK} (\w+)")


def excluded_terms(folded_question: str) -> list[str]:
    """First word of each thing the question excludes ("nhiet" for "khong tinh nhiet dien")."""
    return [m.group(1) for m in _TERM.finditer(folded_question)]


def polarity(folded_unit: str, word: str) -> int:
    """+1: the unit speaks of `word` excluded ("khong co nhiet dien"); -1: it names `word` only
    included ("co nhiet dien", "tinh ca nhiet dien"); 0: it does not name it."""
    if not re.search(rf"(?<!\w){re.escape(word)}(?!\w)", folded_unit):
        return 0
    excluded = re.search(rf"(?<!\w){_MARK}(?: \w+){{0,2}}? {re.escape(word)}(?!\w)", folded_unit)
    return 1 if excluded else -1
