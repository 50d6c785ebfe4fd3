"""Block helpers every loader shares: table rows, table captions, footnote ids, final cleanup."""

from __future__ import annotations

import re

from ingest.document import Block, Footnote, footnote_mark
from ingest.repair import clean, is_caps

_MARK = re.compile(r"⁽([⁰¹²³⁴⁵⁶⁷⁸⁹]+)⁾")
_FROM_SUP = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_CAPTION_WORD = re.compile(r"(?i)^(bảng|biểu|phụ lục|danh mục)\b")
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*)?(?:trang\s+)?\d{1,4}(?:\s*/\s*\d{1,4})?(?:\s*[-–—])?$", re.IGNORECASE
)


def is_page_number(text: str) -> bool:
    """'1', '- 2 -', 'Trang 3', '4/12': a line that only numbers the page."""
    return bool(_PAGE_NUMBER.match(text.strip()))


def sup_to_int(sup: str) -> int:
    return int(sup.translate(_FROM_SUP).strip("⁽⁾"))


def mark_ids(text: str) -> list[str]:
    """Footnote ids referenced by canonical marks in `text`, in order, without repeats."""
    ids: list[str] = []
    for m in _MARK.finditer(text):
        fid = m.group(1).translate(_FROM_SUP)
        if fid not in ids:
            ids.append(fid)
    return ids


def caption_above(blocks: list[Block]) -> str | None:
    """The title lines right above a table: capitals, 'Bảng/Biểu/Phụ lục ...', '(Kèm theo ...)'."""
    parts: list[str] = []
    for b in reversed(blocks):
        t = b.text
        if b.kind != "paragraph" or len(t) > 250 or len(parts) == 3:
            break
        if not (is_caps(t) or _CAPTION_WORD.match(t) or (t.startswith("(") and t.endswith(")"))):
            break
        parts.append(t)
    return " ".join(reversed(parts)) or None


def table_rows(rows: list[list[str]], title: str | None, page: int | None = None) -> list[Block]:
    """One `table_row` block per data row; the first row is the header."""
    header = [clean(c) for c in rows[0]]
    out = []
    for row in rows[1:]:
        cells = [clean(c) for c in row]
        if not any(cells) or cells == header:
            continue  # blank row, or the header repeated on a new page
        out.append(
            Block(
                "table_row", " | ".join(cells), page=page, cells=cells, table_header=header, table_title=title
            )
        )
    return out


def finalize(blocks: list[Block], footnotes: dict[str, Footnote]) -> list[Block]:
    """Clean every block, drop empty ones and fill `footnote_ids` from the marks in the text."""
    out = []
    for b in blocks:
        b.text = clean(b.text)
        if not b.text:
            continue
        b.footnote_ids = [i for i in mark_ids(b.text) if i in footnotes]
        out.append(b)
    for fn in footnotes.values():
        fn.text = clean(fn.text)
    return out


def link_marks(paras: list[str], ids: list[int], pattern: re.Pattern[str]) -> list[str]:
    """Rewrite footnote marks to the canonical form, taking them in footnote order.

    Each footnote is referenced once, in order, so a mark is only linked when it
    carries the next expected number: the ``³`` of ``m³`` or an enumeration ``(2)``
    elsewhere stays as written. `pattern` captures the number (digits or superscripts).
    """
    todo = sorted(ids)
    out = []
    for text in paras:

        def repl(m: re.Match[str]) -> str:
            n = sup_to_int(m.group(1))
            if todo and n == todo[0]:
                todo.pop(0)
                return footnote_mark(n)
            return m.group(0)

        out.append(pattern.sub(repl, text))
    return out
