"""`baocao doctor`: finds what a crash or a hand-edited folder leaves behind, repairs it, never loses a report."""

from __future__ import annotations

from ingest.doctor import check_and_repair
from ingest.job import run_ingest
from tests.conftest import CORPUS
from vectorstore.embeddings import make_embeddings
from vectorstore.index import open_index

REPORT = CORPUS / "txt" / "001_739995c49d508915.txt"


def test_healthy_index_has_no_findings(small_index):
    index = open_index(small_index)
    run_ingest(index, [REPORT])
    found = check_and_repair(index, repair=False)
    assert found.ok and found.documents == 1 and found.chunks > 0


def test_orphans_and_a_stale_lexical_cache_are_repaired_without_losing_the_report(small_index):
    index = open_index(small_index)
    run_ingest(index, [REPORT])
    n = index.store.count()
    text = "Đoạn mồ côi do một lần nạp bị ngắt giữa chừng."
    index.store.upsert_chunks(["orphan-1"], [text], [{"doc_id": "gone.txt"}],
                              make_embeddings("e5").encode_passages([text]))
    some = sorted(index.lexical.ids())[:3]
    index.lexical.remove(some)

    found = check_and_repair(index, repair=False)
    assert not found.ok and any("gone.txt" in p for p in found.problems)
    assert any("từ khóa" in p for p in found.problems)
    assert index.store.count() == n + 1, "a check alone changes nothing"

    repaired = check_and_repair(index)
    assert repaired.repairs
    assert index.store.count() == n and index.lexical.ids() == set(index.store.chunk_ids())
    assert [d["doc_id"] for d in index.store.list_documents()] == [REPORT.name]
    assert check_and_repair(index, repair=False).ok


def test_mismatched_report_is_marked_for_reingest_and_redone(small_index):
    index = open_index(small_index)
    run_ingest(index, [REPORT])
    victim = index.store.chunk_ids(where={"doc_id": REPORT.name})[0]
    index.store.delete_chunks([victim])
    found = check_and_repair(index)
    assert any("sổ đăng ký" in p for p in found.problems)
    again = run_ingest(index, [REPORT])
    assert again.results[0].status == "replaced"
    assert check_and_repair(index, repair=False).ok
