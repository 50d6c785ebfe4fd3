"""Isolation: an exception inside any ingest step rolls that file back; a derived index skips a bad chunk.

The issue this guards against: a parser raising on one ordinary sentence ("thời gian 1,5 tháng") after
the report's chunks were already in Chroma left an index where every question, and `baocao doctor`
itself, failed while syncing the keyword index. Here an exception (`vectorstore.faults.arm`, the
in-process form of BAOCAO_FAULT_AT) is raised at every named step of a real ingest, on a report being
replaced (embedded alone) and on a new one (written in a group); the file is refused as an internal
error naming the log, the index holds exactly what it held before for that report (Chroma, keyword
index, facts, registry, stored original), questions are answered and `baocao doctor` finds nothing.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from assistant.router import FactRouter
from assistant.service import AskService
from ingest.doctor import check_and_repair
from ingest.facts import facts_for
from ingest.job import run_ingest
from tests.conftest import CORPUS
from vectorstore import faults
from vectorstore.index import Index, open_index

EDITED = "001_739995c49d508915.txt"  # replaced at every step: stale chunks out, new ones embedded
COPIED = "003_1270833f58a97ba9.txt"  # copied under a new name at every step: a new report, vectors known
STEPS = ["parsed", "registered", "upserted", "stale_deleted", "lexical_added", "facts_added", "embedded",
         "vectors_stored", "copied", "completed", "tokenize", "extract_facts"]
GROUP_STEPS = ["registered", "upserted", "lexical_added", "facts_added", "copied", "completed", "tokenize",
               "extract_facts"]  # the steps a group of files with known vectors passes through
QUESTION = "Giá trị sản xuất công nghiệp của Trà Vinh 5 tháng đầu năm 2020 đạt bao nhiêu?"
PHRASES = "Thời gian thực hiện 1,5 tháng, kéo dài 5.0 tháng, dự kiến 2,5 quý"


def _state(index: Index, doc_id: str) -> dict:
    """Everything the index holds for one report."""
    ids = sorted(index.store.chunk_ids(where={"doc_id": doc_id}))
    everything = set(index.store.chunk_ids())
    chunks = [(c.id, c.text, c.metadata) for c in index.store.get_chunks(ids)]
    original = index.files_dir / doc_id
    return {
        "record": index.store.get_document(doc_id),
        "chunks": sorted(chunks, key=lambda c: c[0]),
        "lexical": sorted(index.lexical.ids() & set(ids)),
        "facts": sorted(facts_for(index).chunk_ids() & set(ids)),
        "drift": sorted((index.lexical.ids() ^ everything) | (facts_for(index).chunk_ids() ^ everything)),
        "original": hashlib.sha256(original.read_bytes()).hexdigest() if original.is_file() else None,
    }


@pytest.fixture()
def two_reports(small_index, tmp_path: Path) -> tuple[Index, Path]:
    inputs = tmp_path / "vao"
    inputs.mkdir()
    for name in (EDITED, COPIED):
        shutil.copy2(CORPUS / "txt" / name, inputs / name)
    index = open_index(small_index)
    assert run_ingest(index, [inputs]).count("indexed") == 2
    return index, inputs


def test_the_phrases_of_the_issue_index_and_answer_normally(two_reports) -> None:
    index, inputs = two_reports
    (inputs / EDITED).write_text((CORPUS / "txt" / EDITED).read_text("utf-8") + f"\n{PHRASES}.\n", "utf-8")
    result = run_ingest(index, [inputs / EDITED]).results[0]
    assert result.status == "replaced", result.reason
    record = AskService(index.settings).ask("Trong 1,5 tháng thời gian thực hiện là bao lâu?")
    assert "lỗi" not in record["answer"].lower()
    assert any("1,5 tháng" in r["text"] for r in record["retrieved"][:5])
    assert check_and_repair(index, repair=False).ok


@pytest.mark.slow
def test_an_exception_at_any_step_rolls_the_file_back(two_reports) -> None:
    index, inputs = two_reports
    original = (CORPUS / "txt" / EDITED).read_text("utf-8")
    hit: set[str] = set()
    for n, step in enumerate(STEPS + GROUP_STEPS):
        (inputs / EDITED).write_text(original + f"\nGhi chú lần {n}: {PHRASES}.\n", "utf-8")
        copy = inputs / f"ban_sao_{n}.txt"
        shutil.copy2(inputs / COPIED, copy)
        # first the replaced report meets the fault (written alone), then the new one (written in a group)
        order = [inputs / EDITED, copy] if n < len(STEPS) else [copy, inputs / EDITED]
        before = {p.name: _state(index, p.name) for p in order}
        faults.arm(step)
        try:
            results = run_ingest(index, order).results
        finally:
            faults.arm("")
        refused = [r for r in results if r.status == "refused"]
        for r in refused:
            assert r.code == "internal_error" and "Lỗi nội bộ" in r.reason, r.reason
            log = Path(r.reason.rsplit("ghi vào ", 1)[1].rstrip("."))
            assert "InjectedFault" in log.read_text("utf-8")
            assert _state(index, r.file) == before[r.file], f"{step}: {r.file} not rolled back"
            hit.add(step)
        assert len(refused) <= 1, f"{step}: one failing file refused others: {results}"
        assert n < len(STEPS) or [r.file for r in refused] == [copy.name], f"{step}: the group was not faulted"
        for r in results:
            if r.status != "refused":
                assert _state(index, r.file)["record"]["status"] == "complete"
        answer = AskService(index.settings).ask(QUESTION)
        assert not answer.get("refusal_reason") == "internal_error" and "16.376,78" in answer["answer"], step
        assert check_and_repair(index, repair=False).ok, f"{step}: {check_and_repair(index, repair=False).lines}"
        copy.unlink()
        run_ingest(index, [inputs / EDITED])
    assert hit == set(STEPS)


def test_a_chunk_the_keyword_index_cannot_read_is_skipped_and_doctor_repairs_it(two_reports) -> None:
    index, _ = two_reports
    n = index.store.count()
    index.lexical.clear()  # as a damaged cache file set aside would leave it: every question resyncs
    faults.arm("tokenize:3")
    try:
        answer = AskService(index.settings).ask(QUESTION)
    finally:
        faults.arm("")
    assert "16.376,78" in answer["answer"], "one unreadable chunk must not fail every question"
    assert len(index.lexical.ids()) == n - 1
    found = check_and_repair(index, repair=False)
    assert any("từ khóa" in p and "lệch 1 đoạn" in p for p in found.problems), found.lines
    assert check_and_repair(index).repairs
    assert check_and_repair(index, repair=False).ok and len(index.lexical.ids()) == n


def test_a_chunk_the_fact_extractors_cannot_read_is_skipped_and_doctor_repairs_it(two_reports) -> None:
    index, _ = two_reports
    n = index.store.count()
    facts_for(index).clear()
    faults.arm("extract_facts:2")
    try:
        documents = FactRouter(index).cited_documents()
    finally:
        faults.arm("")
    assert documents, "the other chunks' references are still found"
    assert len(facts_for(index).chunk_ids()) == n - 1
    found = check_and_repair(index, repair=False)
    assert any("văn bản và số liệu" in p for p in found.problems), found.lines
    check_and_repair(index)
    assert check_and_repair(index, repair=False).ok and len(facts_for(index).chunk_ids()) == n


def test_a_question_that_hits_a_bug_gets_an_apology_naming_the_log(two_reports) -> None:
    index, _ = two_reports
    faults.arm("lexical_search")
    try:
        record = AskService(index.settings).ask(QUESTION)
    finally:
        faults.arm("")
    assert record["abstained"] and record["refusal_reason"] == "internal_error"
    assert record["answer"].startswith("Xin lỗi, đã xảy ra lỗi nội bộ") and "InjectedFault" not in record["answer"]
    log = Path(record["answer"].rsplit("ghi vào ", 1)[1].rstrip("."))
    assert "InjectedFault: injected fault at lexical_search" in log.read_text("utf-8")
    assert "16.376,78" in AskService(index.settings).ask(QUESTION)["answer"], "the next question is answered"
