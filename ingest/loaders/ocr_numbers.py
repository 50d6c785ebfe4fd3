"""Number safety for OCR text: fix the confusions that are safe to fix, flag the rest.

Tesseract misreads digits in typical ways: O/o for 0, l/I/| for 1 inside a
number, a comma for a period (which in Vietnamese notation swaps thousands
and decimals: 2.582,06 vs 2,582.06). A letter inside an otherwise numeric
token can be mapped back with little risk; a separator that breaks
Vietnamese notation cannot be repaired without guessing, so the figure is
kept as read and reported as unverified, never silently "corrected".
"""

from __future__ import annotations

import re

# A token that looks like a figure: digits with OCR look-alikes and separators, then an optional %.
_NUMERIC_LIKE = re.compile(r"^([0-9OolI|]*[0-9][0-9OolI|.,]*?)(%|km|kV|kW|kWh|MW|MWh|ha|m²|m³|)$")
_SECTION_NUMBER = re.compile(r"^\d{1,2}(\.\d{1,2})*\.$")  # "3.1." opening a heading
_OPEN = "(["
_CLOSE = ")].,;:"
_LOOKALIKE = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "|": "1"})
# Vietnamese notation: 3.133 / 2.582,06 / 19,01 / 286.643 / 2021 (years, codes) / 0,5.
_VI_NUMBER = re.compile(r"^(\d{1,3}(\.\d{3})+(,\d+)?|\d+(,\d+)?)$")
FIGURE = re.compile(r"\d+(?:[.,]\d+)*")


def repair_token(token: str, line_start: bool = False) -> tuple[str, bool]:
    """(token with digit look-alikes fixed, whether the figure in it is doubtful).

    Tokens that are not figures ("Quyết", "74/QĐ-UBND", "3.1." opening a line) come back
    unchanged and not doubtful; a doubtful figure is one that needed a letter-to-digit fix or
    does not follow Vietnamese notation.
    """
    if line_start and _SECTION_NUMBER.match(token):
        return token, False
    body = token.lstrip(_OPEN)
    lead = token[: len(token) - len(body)]
    core = body.rstrip(_CLOSE)
    tail = body[len(core) :]
    m = _NUMERIC_LIKE.match(core)
    if not m:
        return token, False
    digits, percent = m.group(1), m.group(2)
    fixed = digits.translate(_LOOKALIKE)
    doubtful = fixed != digits or not _VI_NUMBER.match(fixed)
    return lead + fixed + percent + tail, doubtful


def figures_in(text: str) -> list[str]:
    """Figures as written in a text, the same way the answer check reads them (more than one digit)."""
    return [n for n in FIGURE.findall(text) if len(n) > 1 or not n.isdigit()]
