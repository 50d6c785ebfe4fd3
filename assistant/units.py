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

CLAUSE_SPLIT_CHARS = 220
_FOOTNOTE_LINE = re.compile(r"^Chú thích ⁽([⁰¹²³⁴⁵⁶⁷⁸⁹]+)⁾:\s*")
_LEAD_IN = re.compile(r"^\(chú thích cho: «.*»\)$")


@dataclass
class Unit:
    text: str
    hit: int  # index of the passage in the retrieved list
    position: int  # order inside the passage
    footnote: str | None = None  # the footnote id when the unit is footnote text
    marks: tuple[str, ...] = ()  # footnote ids the unit references


def _clauses(sentence: str) -> list[str]:
    if len(sentence) <= CLAUSE_SPLIT_CHARS or ";" not in sentence:
        return [sentence]
    parts = [p.strip() for p in sentence.split(";") if p.strip()]
    return [p + (";" if i < len(parts) - 1 else "") for i, p in enumerate(parts)]


def units_of(body: str, hit: int) -> list[Unit]:
    out: list[Unit] = []
    for line in body.split("\n"):
        line = line.strip()
        if not line or _LEAD_IN.match(line):
            continue
        note = _FOOTNOTE_LINE.match(line)
        footnote = marks_in(note.group(0))[0] if note else None
        if note:
            line = line[note.end():]
        for sentence in split_sentences(line):
            for clause in _clauses(sentence):
                out.append(Unit(clause, hit, len(out), footnote, tuple(marks_in(clause))))
    return out


def footnote_units(units: list[Unit]) -> dict[tuple[int, str], Unit]:
    """The first unit of each footnote text, by (passage, footnote id)."""
    found: dict[tuple[int, str], Unit] = {}
    for u in units:
        if u.footnote:
            found.setdefault((u.hit, u.footnote), u)
    return found
