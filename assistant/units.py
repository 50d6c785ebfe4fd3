"""Answer units: the sentences of retrieved passages that an answer is built from.

A unit is small enough to quote and remembers the passage it came from, so
every sentence of an answer can carry its [n]. It also remembers what it
leans on: earlier sentences of its paragraph (which name the period it
inherits) and, for a "+" sub-item, the lead-in lines above it ("Lũy kế quý
I:" under "- Giá trị sản xuất công nghiệp ..."). Footnote lines appended to a
passage ("Chú thích ⁽2⁾: ...") are units of their own, linked to the mark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.chunker import marks_in, split_sentences

_FOOTNOTE_LINE = re.compile(r"^Chú thích ⁽([⁰¹²³⁴⁵⁶⁷⁸⁹]+)⁾:\s*")
_LEAD_IN = re.compile(r"^\(chú thích cho: «.*»\)$")


@dataclass
class Unit:
    text: str
    hit: int  # index of the passage in the retrieved list
    position: int  # order inside the passage
    footnote: str | None = None  # the footnote id when the unit is footnote text
    marks: tuple[str, ...] = ()  # footnote ids the unit references
    line: int = 0  # paragraph (line) number inside the passage
    before: tuple[str, ...] = ()  # earlier sentences of the same paragraph
    leads: tuple[str, ...] = ()  # lead-in lines a sub-item hangs from, nearest first


def units_of(body: str, hit: int, whole: bool = False) -> list[Unit]:
    """Sentences of a passage (a table row, `whole`, stays one unit with its header cells)."""
    out: list[Unit] = []
    if whole:
        lines = [ln for ln in body.split("\n") if ln.strip() and not ln.startswith("Bảng:")]
        return [Unit(" ".join(lines), hit, 0)]
    lines: list[str] = []
    for n, line in enumerate(body.split("\n")):
        line = line.strip()
        if not line or _LEAD_IN.match(line):
            continue
        note = _FOOTNOTE_LINE.match(line)
        footnote = marks_in(note.group(0))[0] if note else None
        if note:
            line = line[note.end():]
        leads = _leads(line, lines) if not footnote else ()
        sentences = split_sentences(line)
        for i, sentence in enumerate(sentences):
            out.append(Unit(sentence, hit, len(out), footnote, tuple(marks_in(sentence)), n,
                            tuple(sentences[:i]), leads))
        lines.append(line)
    return out


def _leads(line: str, previous: list[str]) -> tuple[str, ...]:
    """For a "+" item: the lines above it up to its "-" parent (only those ending a lead-in or the parent)."""
    if not line.startswith("+"):
        return ()
    found = []
    for prev in reversed(previous):
        if prev.startswith("+"):
            continue
        found.append(prev)
        if not prev.rstrip().endswith(":") or prev.startswith("-"):
            break
    return tuple(found)


def footnote_texts(units: list[Unit]) -> dict[tuple[int, str], str]:
    """The whole text of each footnote, by (passage, footnote id)."""
    found: dict[tuple[int, str], list[str]] = {}
    for u in units:
        if u.footnote:
            found.setdefault((u.hit, u.footnote), []).append(u.text)
    return {k: " ".join(v) for k, v in found.items()}


_LIST_DASH = re.compile(r"^[-+*•–]\s+")


def strip_bullet(text: str) -> str:
    """A list dash at the head of a sentence reads as noise once the sentence is quoted in an answer."""
    return _LIST_DASH.sub("", text.strip())

