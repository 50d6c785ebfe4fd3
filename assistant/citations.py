"""[n] markers: cited passages numbered in order of first use, each sentence ending with its markers."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.answer_record import Citation, citation_of
from assistant.retriever import Hit

_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")


def _split_end(text: str) -> tuple[str, str]:
    """Text and its closing mark, so the [n] goes before the full stop ("... tỷ đồng [1].")."""
    text = text.rstrip()
    if text.endswith(("!", "?")):
        return text[:-1].rstrip(), text[-1]
    return text.rstrip(".;,:").rstrip(), "."


def _unverified_note(text: str, hits: Sequence[Hit]) -> str:
    """' (... chưa kiểm chứng: 3.133)' when the sentence states a figure OCR read with low confidence."""
    unsure = {f for h in hits for f in str(h.chunk.metadata.get("unverified") or "").split("; ") if f}
    stated = [f for f in dict.fromkeys(_FIGURE.findall(text)) if f in unsure]
    if not stated:
        return ""
    return f" (số liệu nhận dạng từ ảnh quét, chưa kiểm chứng: {', '.join(stated)})"


def number_sentences(
    sentences: Sequence[tuple[str, list[int]]], hits: Sequence[Hit]
) -> tuple[list[str], list[Citation]]:
    """Give each cited passage a number in order of first use; sentences end with their [n]."""
    order: dict[int, int] = {}
    lines = []
    for text, cited in sentences:
        marks = []
        for i in cited:
            if i not in order:
                order[i] = len(order) + 1
            marks.append(f"[{order[i]}]")
        text, end = _split_end(text)
        text += _unverified_note(text, [hits[i] for i in cited])
        lines.append(f"{text} {''.join(marks)}{end}".strip())
    citations = [citation_of(n, hits[i]) for i, n in sorted(order.items(), key=lambda kv: kv[1])]
    return lines, citations
