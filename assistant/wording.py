"""Vietnamese wording of answers and refusals."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.answer_record import Citation, citation_of
from assistant.compose.extractive import Composition
from assistant.query import QueryUnderstanding
from assistant.retriever import Hit
from assistant.units import strip_bullet

NEAREST_CHARS = 240


def report_label(hit: Hit) -> str:
    meta = hit.chunk.metadata
    period = str(meta.get("period_labels") or "").split("; ")[0]
    province = meta.get("province") or ""
    parts = [p for p in (period, province) if p]
    return "Theo báo cáo " + " – ".join(parts) if parts else "Theo báo cáo"


def with_source(sentences: Sequence[tuple[str, list[int]]], hits: Sequence[Hit]) -> list[tuple[str, list[int]]]:
    """Name the report (period, province) before the first sentence drawn from it."""
    out, named = [], set()
    for text, cited in sentences:
        doc = hits[cited[0]].chunk.metadata.get("doc_id") if cited else None
        if doc is not None and doc not in named and not text.startswith("Chú thích"):
            named.add(doc)
            text = f"{report_label(hits[cited[0]])}: {text}"
        out.append((text, cited))
    return out


def _asked(q: QueryUnderstanding) -> str:
    """ " cho tháng 3/2023 của Trà Vinh", " cho tháng 3/2023", " của Trà Vinh" or nothing."""
    periods = " và ".join(p.label for p in q.periods if p.label)
    provinces = ", ".join(q.provinces)
    return (f" cho {periods}" if periods else "") + (f" của {provinces}" if provinces else "")


def _why(q: QueryUnderstanding, reason: str | None, absent: Sequence[str] = ()) -> str:
    """One line on why, before the nearest passage."""
    if reason == "other_period" and q.periods:
        return f" Các báo cáo đã nạp không có số liệu cho {' và '.join(p.label for p in q.periods if p.label)}."
    if reason == "other_province" and q.provinces:
        return f" Chưa có báo cáo nào của {', '.join(q.provinces)} được nạp."
    if reason == "item_not_given" and absent:
        return f" Các báo cáo tìm được không nhắc đến {', '.join(f'«{n}»' for n in absent)}."
    if reason == "item_not_given":
        return " Báo cáo không nêu riêng mục được hỏi (có thể chỉ nêu số tổng)."
    return ""


def refusal_text(q: QueryUnderstanding, comp: Composition, hits: Sequence[Hit]) -> tuple[str, list[Citation]]:
    answer = f"Không tìm thấy thông tin trả lời câu hỏi này{_asked(q)} trong các báo cáo đã nạp."
    answer += _why(q, comp.refusal_reason, comp.absent_names)
    if not hits or not comp.nearest:
        return answer, []
    hit = hits[comp.nearest[0]]
    snippet = strip_bullet(comp.nearest_text or hit.body).replace("\n", " ")
    if len(snippet) > NEAREST_CHARS:
        snippet = snippet[:NEAREST_CHARS].rsplit(" ", 1)[0] + "…"
    meta = hit.chunk.metadata
    where = ", ".join(p for p in (str(meta.get("period_labels") or "").split("; ")[0], meta.get("province")) if p)
    answer += f" Gần nhất: «{snippet}» ({where}) [1]."
    return answer, [citation_of(1, hit)]
