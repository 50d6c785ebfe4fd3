"""The answer record of DESIGN.md as a typed model, built here and nowhere else.

Every answer — retrieved and composed, routed to the facts store, or a reply to input that was not
searched — is an `AnswerRecord`; `to_dict()` gives the JSON contract other tools rely on (`ask
--json`, `--batch` lines, the app's API). Optional fields are left out when unset, as DESIGN.md
allows fields to be added but never renamed or removed; `id` and a citation's `page` are always
present (null when unknown).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from assistant.retriever import Hit

RETRIEVED_LIMIT = 10


def _unset(value: Any) -> bool:
    return value is None


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Citation(_Record):
    n: int
    chunk_id: str
    file: str
    title: str
    province: str
    period: str
    section: str
    page: int | None
    text: str
    ocr: bool | None = Field(None, exclude_if=_unset)  # the passage was read from a scan
    ocr_note: str | None = Field(None, exclude_if=_unset)
    unverified: list[str] | None = Field(None, exclude_if=_unset)  # figures OCR was unsure of


class Retrieved(_Record):
    chunk_id: str
    file: str
    text: str
    score: float
    page: int | None
    section: str


class AnswerRecord(_Record):
    id: Any = None
    question: str
    answer: str
    abstained: bool
    citations: list[Citation] = []
    retrieved: list[Retrieved] = []
    timings_ms: dict[str, float]
    mode: str | None = Field(None, exclude_if=_unset)  # extractive, llm, references, series
    notice: str | None = Field(None, exclude_if=_unset)
    standalone_question: str | None = Field(None, exclude_if=_unset)
    table: list[dict[str, Any]] | None = Field(None, exclude_if=_unset)
    references: list[dict[str, Any]] | None = Field(None, exclude_if=_unset)
    indicator: str | None = Field(None, exclude_if=_unset)
    confidence: float | None = Field(None, exclude_if=_unset)
    refusal_reason: str | None = Field(None, exclude_if=_unset)
    clarification: bool | None = Field(None, exclude_if=_unset)  # a question asked back, not a refusal

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of DESIGN.md."""
        return self.model_dump()

    def with_changes(self, **changes: Any) -> AnswerRecord:
        """A copy with some fields changed (validated)."""
        return type(self).model_validate({**self.model_dump(), **changes})


OCR_NOTE = "(nhận dạng từ ảnh quét)"


def citation_of(n: int, hit: Hit) -> Citation:
    meta = hit.chunk.metadata
    return Citation(n=n, chunk_id=hit.id, file=meta.get("file", ""), title=meta.get("title", ""),
                    province=meta.get("province", ""), period=meta.get("period_labels", ""),
                    section=meta.get("section", ""), page=int(meta.get("page") or 0) or None, text=passage_text(hit),
                    **_ocr_fields(meta))


def passage_text(hit: Hit) -> str:
    """The passage as shown to the reader: a table row as the table writes it (title, header row, the
    row), other passages as indexed."""
    return str(hit.chunk.metadata.get("row_as_written") or "") or hit.body


def _ocr_fields(meta: dict[str, Any]) -> dict[str, Any]:
    """A passage read from a scan says so, with the figures OCR was unsure of."""
    if not meta.get("ocr"):
        return {}
    unsure = [f for f in str(meta.get("unverified") or "").split("; ") if f]
    return {"ocr": True, "ocr_note": OCR_NOTE, "unverified": unsure}


def retrieved_of(hits: Sequence[Hit]) -> list[Retrieved]:
    return [Retrieved(chunk_id=h.id, file=h.chunk.metadata.get("file", ""), text=passage_text(h),
                      score=round(float(h.score), 4), page=int(h.chunk.metadata.get("page") or 0) or None,
                      section=h.chunk.metadata.get("section", ""))
            for h in hits[:RETRIEVED_LIMIT]]


def answer_record(
    question: str, answer: str, abstained: bool, citations: Sequence[Citation], hits: Sequence[Hit],
    timings: dict[str, float], qid: Any = None, **extra: Any,
) -> AnswerRecord:
    """A record over retrieved passages: `hits` best first, timings in ms (rounded to 0.1)."""
    return AnswerRecord(id=qid, question=question, answer=answer, abstained=abstained, citations=list(citations),
                        retrieved=retrieved_of(hits), timings_ms={k: round(v, 1) for k, v in timings.items()},
                        **extra)


def plain_record(question: str, answer: str, qid: Any = None, with_total: bool = True) -> AnswerRecord:
    """An abstaining record with no passages: input that was not searched, or a search that found nothing."""
    timings = {"retrieve": 0.0, "answer": 0.0, **({"total": 0.0} if with_total else {})}
    return AnswerRecord(id=qid, question=question, answer=answer, abstained=True, timings_ms=timings)
