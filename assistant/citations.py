"""The answer record of DESIGN.md: answer text with [n] markers, citations, retrieved passages."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from assistant.retriever import Hit

RETRIEVED_LIMIT = 10
OCR_NOTE = "(nhận dạng từ ảnh quét)"
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")


def citation_of(n: int, hit: Hit) -> dict[str, Any]:
    meta = hit.chunk.metadata
    return {
        "n": n,
        "chunk_id": hit.id,
        "file": meta.get("file", ""),
        "title": meta.get("title", ""),
        "province": meta.get("province", ""),
        "period": meta.get("period_labels", ""),
        "section": meta.get("section", ""),
        "page": int(meta.get("page") or 0) or None,
        "text": hit.body,
        **_ocr_fields(meta),
    }


def _ocr_fields(meta: dict[str, Any]) -> dict[str, Any]:
    """A passage read from a scan says so, with the figures OCR was unsure of."""
    if not meta.get("ocr"):
        return {}
    unsure = [f for f in str(meta.get("unverified") or "").split("; ") if f]
    return {"ocr": True, "ocr_note": OCR_NOTE, "unverified": unsure}


def _unverified_note(text: str, hits: Sequence[Hit]) -> str:
    """' (... chưa kiểm chứng: 3.133)' when the sentence states a figure OCR read with low confidence."""
    unsure = {f for h in hits for f in str(h.chunk.metadata.get("unverified") or "").split("; ") if f}
    stated = [f for f in dict.fromkeys(_FIGURE.findall(text)) if f in unsure]
    if not stated:
        return ""
    return f" (số liệu nhận dạng từ ảnh quét, chưa kiểm chứng: {', '.join(stated)})"


def retrieved_of(hits: Sequence[Hit]) -> list[dict[str, Any]]:
    return [
        {"chunk_id": h.id, "file": h.chunk.metadata.get("file", ""), "text": h.body,
         "score": round(float(h.score), 4), "page": int(h.chunk.metadata.get("page") or 0) or None,
         "section": h.chunk.metadata.get("section", "")}
        for h in hits[:RETRIEVED_LIMIT]
    ]


def _split_end(text: str) -> tuple[str, str]:
    """Text and its closing mark, so the [n] goes before the full stop ("... tỷ đồng [1].")."""
    text = text.rstrip()
    if text.endswith(("!", "?")):
        return text[:-1].rstrip(), text[-1]
    return text.rstrip(".;,:").rstrip(), "."


def number_sentences(
    sentences: Sequence[tuple[str, list[int]]], hits: Sequence[Hit]
) -> tuple[list[str], list[dict[str, Any]]]:
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


def record(
    question: str, answer: str, abstained: bool, citations: list[dict[str, Any]], hits: Sequence[Hit],
    timings: dict[str, float], qid: Any = None, **extra: Any,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": qid, "question": question, "answer": answer, "abstained": abstained,
        "citations": citations, "retrieved": retrieved_of(hits),
        "timings_ms": {k: round(v, 1) for k, v in timings.items()},
    }
    out.update({k: v for k, v in extra.items() if v is not None})
    return out
