"""Checks every answer passes, whichever composer wrote it.

A sentence survives only if every [n] it cites is a passage that was given
and every figure it states appears in a passage it cites, outside any
instruction planted in the report (assistant.injection). A figure copied
into an official document must be one the report actually wrote.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.injection import is_instruction, without_instructions
from assistant.retriever import Hit
from vectorstore.vitext import normalise

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
MARKER = re.compile(r"\[(\d+)\]")
NOTE_LABEL = re.compile(r"^Chú thích \([^)]*\):\s*")  # the composer's own label: "(10)" is a mark, not a figure


def figures(text: str) -> list[str]:
    """Numbers as written, without footnote superscripts; single digits are too common to check."""
    return [n for n in NUMBER.findall(text) if len(n) > 1 or not n.isdigit()]


def supported(text: str, passages: Sequence[str]) -> bool:
    joined = normalise(" ".join(passages))
    return all(n in joined for n in figures(NOTE_LABEL.sub("", text)))


def check_sentences(
    sentences: Sequence[tuple[str, list[int]]], hits: Sequence[Hit]
) -> list[tuple[str, list[int]]]:
    kept = []
    for text, cited in sentences:
        cited = [i for i in cited if 0 <= i < len(hits)]
        if is_instruction(text):
            continue
        if cited and supported(text, [without_instructions(hits[i].chunk.text) for i in cited]):
            kept.append((text, cited))
    return kept


def check_markers(answer: str, n_passages: int) -> list[int]:
    """[n] markers that point at no given passage (for LLM answers)."""
    return [int(m) for m in MARKER.findall(answer) if not 1 <= int(m) <= n_passages]
