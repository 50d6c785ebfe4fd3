"""Lay PDF line segments out again: footnotes, side-by-side cells (tables), paragraphs.

Content order within a page is kept. Segments printed beside each other
(a table row, the two-column letterhead, the signature block) are grouped
into cells and rows; a grid of three or more rows is a data table, a
smaller one is layout whose cell lines become ordinary paragraphs.
Everything else is re-joined into paragraphs across lines and pages.
"""

from __future__ import annotations

from collections import Counter

from ingest.document import Block, Footnote
from ingest.loaders.blocks import caption_above, finalize, table_rows
from ingest.loaders.pdf_lines import (
    Run,
    Segment,
    build_segments,
    dominant_size,
    drop_page_furniture,
    resolve_marks,
    split_footnotes,
)
from ingest.repair import Line, clean, ends_sentence, join, reflow, typical_width

Cell = list[Segment]
Row = list[Cell]


def layout(pages: list[list[Run]]) -> tuple[list[Block], dict[str, Footnote]]:
    """Blocks in reading order and footnotes (with the page where each starts)."""
    body_size = dominant_size(pages)
    segs = [build_segments(runs, body_size) for runs in pages]
    drop_page_furniture(segs)
    bodies, notes = _take_footnotes(segs, body_size)
    ids = set(notes)
    for page in bodies:
        for s in page:
            s.parts = [resolve_marks("".join(s.parts), ids)]
    for fn in notes.values():
        fn.text = clean(resolve_marks(fn.text, ids))
    return finalize(_Assembler(bodies, body_size).blocks(), notes), notes


def _take_footnotes(
    pages: list[list[Segment]], body_size: float
) -> tuple[list[list[Segment]], dict[str, Footnote]]:
    notes: dict[str, Footnote] = {}
    last: str | None = None
    bodies = []
    for segs in pages:
        open_note = last is not None and not ends_sentence(notes[last].text)
        body, zone = split_footnotes(segs, body_size, open_note)
        for s in body:
            if s.lead_mark is not None:  # a mark that wrapped to the start of a body line
                s.parts.insert(0, f"\x00{s.lead_mark}\x00")
                s.lead_mark = None
        for s in zone:
            if s.lead_mark is not None:
                last = str(s.lead_mark)
                notes[last] = Footnote(last, "".join(s.parts).strip(), s.page)
            elif last is not None:
                notes[last].text = join(notes[last].text, "".join(s.parts))
        bodies.append(body)
    return bodies, dict(sorted(notes.items(), key=lambda kv: int(kv[0])))


def group_rows(segs: list[Segment]) -> list[Row]:
    """Rows of side-by-side cells, from content order (a cell's lines are written together)."""
    rows: list[Row] = []
    for s in segs:
        if not rows:
            rows.append([[s]])
            continue
        cell = rows[-1][-1]
        p = cell[-1]
        tol = 0.35 * max(p.size, s.size)
        beside = s.y > p.y + tol or (abs(s.y - p.y) <= tol and s.x > p.x)
        if beside:
            rows[-1].append([s])
        elif (
            p.y - s.y > 1.8 * max(p.size, s.size)
            or s.x < min(c.x for c in cell) - 2 * s.size
            or s.page != p.page
        ):
            rows.append([[s]])
        else:
            cell.append(s)
    return rows


class _Assembler:
    """Turns the body segments of all pages into blocks."""

    def __init__(self, bodies: list[list[Segment]], body_size: float):
        self.bodies = bodies
        self.body_size = body_size
        self.margin = _left_margin(bodies, body_size)
        self.indent = _first_line_indent(bodies, body_size, self.margin)
        self.width = typical_width([s.text for page in bodies for s in page if abs(s.size - body_size) < 0.5])
        self.pitch = _line_pitch(bodies, body_size)
        self.out: list[Block] = []
        self.pending: list[Segment] = []

    def blocks(self) -> list[Block]:
        for page in self.bodies:
            rows = group_rows(page)
            i = 0
            while i < len(rows):
                j = i
                while j < len(rows) and len(rows[j]) >= 2:
                    j += 1
                if j == i:
                    self.pending.extend(rows[i][0])
                    i += 1
                    continue
                self._grid(rows[i:j])
                i = j
        self._flush(self.pending, self.margin)
        return self.out

    def _grid(self, rows: list[Row]) -> None:
        if (
            len(rows) == 1
            and all(len(c) == 1 for c in rows[0])
            and len({round(c[0].y) for c in rows[0]}) == 1
        ):
            merged = rows[0][0][0]  # one line split by a wide gap: keep it one line
            merged.parts = [" ".join(c[0].text for c in rows[0])]
            self.pending.append(merged)
            return
        self._flush(self.pending, self.margin)
        if len(rows) >= 3:
            self._data_table(rows)
            return
        for row in rows:
            for cell in row:
                self._flush(list(cell), min(s.x for s in cell))

    def _data_table(self, rows: list[Row]) -> None:
        texts = [[_cell_text(c) for c in row] for row in rows]
        width = max(len(r) for r in texts)
        texts = [r + [""] * (width - len(r)) for r in texts]
        prev = self.out[-1] if self.out else None
        if (
            prev is not None
            and prev.kind == "table_row"
            and prev.table_header
            and len(prev.table_header) == width
        ):
            texts.insert(0, prev.table_header)  # the table continues from the previous page
            title = prev.table_title
        else:
            title = caption_above(self.out)
        self.out.extend(table_rows(texts, title, page=rows[0][0][0].page))

    def _flush(self, segs: list[Segment], margin: float) -> None:
        """Re-join pending lines into paragraph blocks."""
        if not segs:
            return
        lines = []
        for k, s in enumerate(segs):
            prev = segs[k - 1] if k else None
            gap = prev is not None and prev.page == s.page and prev.y - s.y > self.pitch * 1.12 + 1
            indented = s.x > margin + 0.5 * s.size
            centered = indented and abs(s.x - margin - self.indent) > 0.15 * s.size
            lines.append(Line(s.text, s.page, indented=indented, gap_before=gap, centered=centered))
        for para in reflow(lines, self.width):
            self.out.append(Block("paragraph", para.text, page=para.page))
        segs.clear()


def _cell_text(cell: Cell) -> str:
    text = ""
    for s in cell:
        text = join(text, s.text)
    return clean(text)


def _left_margin(bodies: list[list[Segment]], body_size: float) -> float:
    xs: Counter[int] = Counter(round(s.x) for page in bodies for s in page if abs(s.size - body_size) < 0.5)
    return float(xs.most_common(1)[0][0]) if xs else 0.0


def _first_line_indent(bodies: list[list[Segment]], body_size: float, margin: float) -> float:
    """The usual first-line indent of body paragraphs (0 when paragraphs are not indented)."""
    offsets: Counter[int] = Counter(
        round(s.x - margin)
        for page in bodies
        for s in page
        if abs(s.size - body_size) < 0.5 and s.x > margin + 0.5 * body_size
    )
    return float(offsets.most_common(1)[0][0]) if offsets else 0.0


def _line_pitch(bodies: list[list[Segment]], body_size: float) -> float:
    """The usual distance between two lines of one paragraph."""
    deltas: Counter[float] = Counter()
    for page in bodies:
        for a, b in zip(page, page[1:], strict=False):
            if (
                abs(a.size - body_size) < 0.5
                and abs(b.size - body_size) < 0.5
                and 0 < a.y - b.y < 3 * body_size
            ):
                deltas[round(a.y - b.y, 1)] += 1
    return deltas.most_common(1)[0][0] if deltas else 1.2 * body_size
