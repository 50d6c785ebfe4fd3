"""The answer record model serialises to DESIGN.md's JSON contract, and nothing else."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from assistant.answer_record import AnswerRecord, answer_record, citation_of, plain_record
from assistant.retriever import Hit
from vectorstore.chroma_store import StoredChunk

HEADER = "[Báo cáo tháng 3/2023 | Trà Vinh] I > 2. Thương mại\n"
BODY = "Tổng mức bán lẻ hàng hóa và dịch vụ ước đạt 4.680,3 tỷ đồng."


def _hit(cid: str, page: int | None, score: float) -> Hit:
    meta = {"file": "bc.pdf", "title": "Báo cáo tháng 3/2023", "province": "Trà Vinh",
            "period_labels": "tháng 3/2023", "section": "I > 2. Thương mại", "page": page or 0,
            "header_len": len(HEADER)}
    return Hit(StoredChunk(cid, HEADER + BODY, meta), score)


def test_answered_record_has_exactly_the_contract_fields():
    hits = [_hit("c1", 2, 1.234567), _hit("c2", None, 0.5)]
    rec = answer_record("Bán lẻ tháng 3?", "Ước đạt 4.680,3 tỷ đồng [1].", False, [citation_of(1, hits[0])], hits,
                        {"retrieve": 12.345, "answer": 3.0}, None, mode="extractive", notice=None)
    out = json.loads(json.dumps(rec.to_dict(), ensure_ascii=False))
    assert list(out) == ["id", "question", "answer", "abstained", "citations", "retrieved", "timings_ms", "mode"]
    assert out["id"] is None and out["timings_ms"] == {"retrieve": 12.3, "answer": 3.0}
    assert out["citations"] == [{"n": 1, "chunk_id": "c1", "file": "bc.pdf", "title": "Báo cáo tháng 3/2023",
                                 "province": "Trà Vinh", "period": "tháng 3/2023", "section": "I > 2. Thương mại",
                                 "page": 2, "text": BODY}]
    assert [r["score"] for r in out["retrieved"]] == [1.2346, 0.5]
    assert out["retrieved"][1]["page"] is None and out["retrieved"][1]["text"] == BODY  # the body, not the header


def test_optional_fields_appear_only_when_set():
    rec = plain_record("", "Chưa có câu hỏi.", qid="q7")
    assert rec.to_dict() == {"id": "q7", "question": "", "answer": "Chưa có câu hỏi.", "abstained": True,
                             "citations": [], "retrieved": [],
                             "timings_ms": {"retrieve": 0.0, "answer": 0.0, "total": 0.0}}
    later = rec.with_changes(notice="Câu hỏi dài.", refusal_reason="no_match", confidence=0.2)
    assert later.to_dict()["notice"] == "Câu hỏi dài." and later.to_dict()["refusal_reason"] == "no_match"
    assert "notice" not in rec.to_dict(), "records are values: a change makes a copy"


def test_a_misspelt_or_mistyped_field_is_refused():
    rec = plain_record("q", "a")
    with pytest.raises(ValidationError):
        rec.with_changes(notise="typo")
    with pytest.raises(ValidationError):
        AnswerRecord(question="q", answer="a", abstained="có lẽ", timings_ms={})
