"""`baocao doctor`: finds what a crash or a hand-edited folder leaves behind, repairs it, never loses a report."""

from __future__ import annotations

import shutil

import pytest

from ingest.doctor import check_and_repair
from ingest.job import run_ingest
from tests.conftest import CORPUS
from vectorstore.embeddings import make_embeddings
from vectorstore.index import Index, open_index

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


def test_mismatched_report_is_redone_from_its_stored_original(small_index):
    index = open_index(small_index)
    run_ingest(index, [REPORT])
    ids = index.store.chunk_ids(where={"doc_id": REPORT.name})
    index.store.delete_chunks(ids[:1])
    found = check_and_repair(index)
    assert any("sổ đăng ký" in p for p in found.problems) and any("nạp lại" in r for r in found.repairs)
    assert sorted(index.store.chunk_ids(where={"doc_id": REPORT.name})) == sorted(ids)
    assert check_and_repair(index, repair=False).ok
    assert run_ingest(index, [REPORT]).results[0].status == "unchanged"


def test_report_without_any_matching_file_is_marked_for_the_next_ingest(small_index, tmp_path):
    src = tmp_path / REPORT.name
    shutil.copy2(REPORT, src)
    index = open_index(small_index)
    run_ingest(index, [src])
    index.store.delete_chunks(index.store.chunk_ids(where={"doc_id": src.name})[:1])
    src.write_text("Nội dung đã đổi sau khi nạp.\n", encoding="utf-8")  # the source no longer matches
    (index.files_dir / src.name).unlink()  # nor does any stored original
    found = check_and_repair(index)
    assert index.store.get_document(src.name)["status"] == "writing", found.repairs
    shutil.copy2(REPORT, src)
    assert run_ingest(index, [src]).results[0].status == "replaced"
    assert check_and_repair(index, repair=False).ok


@pytest.mark.parametrize("damage", ["truncated", "overwritten"])
def test_damaged_lexical_cache_file_is_rebuilt_from_chroma(small_index, damage):
    index = open_index(small_index)
    run_ingest(index, [REPORT])
    ids = set(index.store.chunk_ids())
    path = index.lexical.path
    index.lexical._db.close()  # as after a crash: nobody holds the file
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] if damage == "truncated" else b"\x00garbage" * 500)
    reopened = Index(small_index)  # the next process to open the index

    found = check_and_repair(reopened)
    assert any("bị hỏng" in p for p in found.problems), found.lines
    assert reopened.lexical.ids() == ids and reopened.lexical.healthy()
    assert reopened.lexical.search("giá trị sản xuất công nghiệp", 3), "keyword search works again"
    assert check_and_repair(Index(small_index), repair=False).ok


def test_interrupted_removal_is_finished(small_index):
    index = open_index(small_index)
    run_ingest(index, [REPORT])
    record = index.store.get_document(REPORT.name)
    index.store.put_document({**record, "status": "removing"})
    index.store.delete_chunks(index.store.chunk_ids()[:5])  # killed after deleting some chunks
    (index.files_dir / ".a1b2c3.part").write_bytes(b"half a copy")  # and a copy killed half-way
    found = check_and_repair(index)
    assert any("xóa" in p for p in found.problems)
    assert index.store.list_documents() == [] and index.store.count() == 0 and not index.lexical.ids()
    assert not list(index.files_dir.iterdir()), "no stored file outlives its report"
    assert check_and_repair(index, repair=False).ok
