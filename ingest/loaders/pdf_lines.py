"""PDF text runs -> visual line segments; page numbers, running heads and footnote zones.

A segment is the text of one visual line inside one column. Footnote marks
are recognised from geometry (a digit in a smaller font, raised above the
baseline of the line it is glued to) and kept as placeholders until the
footnote numbers of the document are known.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ingest.document import footnote_mark
from ingest.loaders.blocks import is_page_number
from ingest.repair import clean, opens_block

MARK_RATIO = 0.8  # a footnote mark is set at most 80% of the size of the text around it
_DIGITS = re.compile(r"^\s*(\d{1,3})\s*$")
_MARK_SLOT = re.compile("\x00(\\d+)\x00")
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


@dataclass
class Run:
    text: str
    x: float
    y: float
    size: float
    bold: bool
    page: int


@dataclass
class Segment:
    page: int
    x: float
    y: float
    size: float
    parts: list[str] = field(default_factory=list)
    lead_mark: int | None = None  # footnote number printed at the start (footnote text lines)
    end_x: float = 0.0  # estimated right end of the text so far
    mark_only: bool = False

    @property
    def text(self) -> str:
        return clean("".join(self.parts))

    def add(self, run: Run) -> None:
        self.parts.append(run.text)
        self.end_x = run.x + text_width(run.text, run.size)


def text_width(text: str, size: float) -> float:
    """A generous estimate of printed width (serif fonts), so that words are never split apart."""
    w = 0.0
    for ch in clean(text):
        w += 0.74 if ch.isupper() else 0.52 if ch.isalnum() else 0.3 if ch == " " else 0.55
    return w * size


def dominant_size(pages: list[list[Run]]) -> float:
    """The body font size: the size that prints the most characters."""
    sizes: Counter[float] = Counter()
    for runs in pages:
        for r in runs:
            sizes[round(r.size, 1)] += len(r.text.strip())
    return sizes.most_common(1)[0][0] if sizes else 12.0


def build_segments(runs: list[Run], body_size: float) -> list[Segment]:
    """Group the runs of one page into line segments, in content order."""
    segs: list[Segment] = []
    for r in runs:
        cur = segs[-1] if segs else None
        if not r.text.strip():
            if cur is not None and abs(r.y - cur.y) <= 0.35 * cur.size:
                cur.parts.append(" ")
            continue
        mark = _mark_number(r, body_size)
        if mark is not None and cur is not None and not cur.mark_only and _raised(cur, r):
            cur.parts.append(f"\x00{mark}\x00")
            cur.end_x = r.x + text_width(r.text, r.size)
        elif cur is not None and cur.mark_only and _text_after_mark(cur, r):
            cur.y, cur.size, cur.mark_only = r.y, r.size, False
            cur.add(r)
        elif cur is not None and not cur.mark_only and _same_line(cur, r):
            cur.add(r)
        else:
            segs.append(_start(r, mark))
    for s in segs:
        if s.mark_only:  # a lone small number: plain text after all
            s.parts, s.mark_only, s.lead_mark = [str(s.lead_mark)], False, None
    return segs


def _start(r: Run, mark: int | None) -> Segment:
    seg = Segment(r.page, r.x, r.y, r.size)
    if mark is not None:
        seg.lead_mark, seg.mark_only = mark, True
        seg.end_x = r.x + text_width(r.text, r.size)
    else:
        seg.add(r)
    return seg


def _mark_number(r: Run, body_size: float) -> int | None:
    m = _DIGITS.match(r.text)
    return int(m.group(1)) if m and r.size <= MARK_RATIO * body_size else None


def _raised(cur: Segment, r: Run) -> bool:
    """A small digit glued after the text of `cur`, above its baseline: a footnote mark."""
    rise = r.y - cur.y
    return r.size <= MARK_RATIO * cur.size and 0.1 * cur.size < rise < 0.75 * cur.size and r.x >= cur.x


def _text_after_mark(cur: Segment, r: Run) -> bool:
    """The footnote text that follows a leading mark on the same line (mark sits higher)."""
    drop = cur.y - r.y
    return cur.size <= MARK_RATIO * r.size and 0 < drop < 0.75 * r.size and r.x >= cur.x


def _same_line(cur: Segment, r: Run) -> bool:
    """Same baseline and no wide horizontal gap (a gap means another column or table cell)."""
    if abs(r.y - cur.y) > 0.35 * max(cur.size, r.size) or r.x < cur.x - 1:
        return False
    return r.x <= cur.end_x + 1.2 * cur.size


def drop_page_furniture(pages: list[list[Segment]]) -> None:
    """Remove page numbers and running headers/footers (the same line on most pages)."""
    for segs in pages:
        if not segs:
            continue
        top, bottom = max(s.y for s in segs), min(s.y for s in segs)
        segs[:] = [s for s in segs if not (is_page_number(s.text) and s.y in (top, bottom))]
    if len(pages) < 3:
        return
    seen: Counter[tuple[str, str]] = Counter()
    for segs in pages:
        for where, seg in _edges(segs):
            seen[(where, _shape(seg.text))] += 1
    running = {k for k, n in seen.items() if n >= max(3, len(pages) // 2)}
    for segs in pages:
        edges = {id(seg) for where, seg in _edges(segs) if (where, _shape(seg.text)) in running}
        segs[:] = [s for s in segs if id(s) not in edges]


def _edges(segs: list[Segment]) -> list[tuple[str, Segment]]:
    if not segs:
        return []
    return [("top", max(segs, key=lambda s: s.y)), ("bottom", min(segs, key=lambda s: s.y))]


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower())


def split_footnotes(
    segs: list[Segment], body_size: float, continuing: bool
) -> tuple[list[Segment], list[Segment]]:
    """(body, footnote lines) of one page: the run of small-type lines at its end.

    The zone starts at the first line that begins with a footnote number; small
    lines before it continue the previous page's last footnote only when that
    footnote was left unfinished (`continuing`) and they do not open a list item.
    """
    i = len(segs)
    while i > 0 and segs[i - 1].size < 0.9 * body_size:
        i -= 1
    tail = segs[i:]
    continuing = continuing and bool(tail) and not opens_block(tail[0].text)
    first = next((k for k, s in enumerate(tail) if s.lead_mark is not None), None)
    if first is None:
        return (segs[:i], tail) if continuing else (segs, [])
    start = i if continuing else i + first
    return segs[:start], segs[start:]


def resolve_marks(text: str, footnote_ids: set[str]) -> str:
    """Placeholders -> canonical marks for known footnotes, superscript digits otherwise (m²)."""

    def repl(m: re.Match[str]) -> str:
        n = m.group(1)
        return footnote_mark(n) if n in footnote_ids else n.translate(_SUPERSCRIPT)

    return _MARK_SLOT.sub(repl, text)
