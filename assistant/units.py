"""Answer units: the sentences and clauses of retrieved passages that an answer is built from.

A unit is small enough to quote (a sentence, or a clause of a long
semicolon-separated sentence) and remembers the passage it came from, so
every sentence of an answer can carry its [n]. Footnote lines appended to a
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


def units_of(body: str, hit: int, whole: bool = False) -> list[Unit]:
    """Sentences of a passage (a table row, `whole`, stays one unit with its header cells)."""
    out: list[Unit] = []
    if whole:
        lines = [ln for ln in body.split("\n") if ln.strip() and not ln.startswith("Bảng:")]
        return [Unit(" ".join(lines), hit, 0)]
    for line in body.split("\n"):
        line = line.strip()
        if not line or _LEAD_IN.match(line):
            continue
        note = _FOOTNOTE_LINE.match(line)
        footnote = marks_in(note.group(0))[0] if note else None
        if note:
            line = line[note.end():]
        for sentence in split_sentences(line):
            out.append(Unit(sentence, hit, len(out), footnote, tuple(marks_in(sentence))))
    return out


def footnote_texts(units: list[Unit]) -> dict[tuple[int, str], str]:
    """The whole text of each footnote, by (passage, footnote id)."""
    found: dict[tuple[int, str], list[str]] = {}
    for u in units:
        if u.footnote:
            found.setdefault((u.hit, u.footnote), []).append(u.text)
    return {k: " ".join(v) for k, v in found.items()}
