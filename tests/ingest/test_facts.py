"""The facts store follows the index: filled at ingest, emptied on removal, rebuilt from Chroma alone."""

from ingest.doctor import check_and_repair
from ingest.facts import facts_for, is_in_step, sync_facts
from ingest.job import remove_document, run_ingest
from tests.indexes import copy_report
from vectorstore.index import open_index

STEM = "001_739995c49d508915"


def snapshot(index):
    store = facts_for(index)
    refs = sorted((r["chunk_id"], r["number"] or r["title"], r["start"]) for r in store.references())
    figs = sorted((f["chunk_id"], f["indicator"], f["period_key"], f["value"]) for f in store.figures())
    return refs, figs


def test_ingest_fills_removal_empties_and_chroma_rebuilds(small_index, tmp_path):
    index = open_index(small_index)
    run_ingest(index, [copy_report(STEM, "txt", tmp_path / "in")])
    refs, figs = snapshot(index)
    assert ("Quyết định", "20/2018/QĐ-UBND") in {(r["doc_type"], r["number"]) for r in facts_for(index).references()}
    assert ("giá trị sản xuất công nghiệp", "YTD2020-05", 16376.78) in {f[1:] for f in figs}
    ids = set(index.store.chunk_ids())
    assert {r[0] for r in refs} <= ids and is_in_step(index)

    facts_for(index).clear()  # a lost or outdated cache
    assert not is_in_step(index)
    assert sync_facts(index) == len(ids)
    assert snapshot(index) == (refs, figs)

    remove_document(index, f"{STEM}.txt")
    assert snapshot(index) == ([], [])


def test_doctor_repairs_the_facts_store(small_index, tmp_path):
    index = open_index(small_index)
    run_ingest(index, [copy_report(STEM, "txt", tmp_path / "in")])
    before = snapshot(index)
    facts_for(index).remove([r[0] for r in before[0]])
    found = check_and_repair(index)
    assert any("văn bản và số liệu" in p for p in found.problems)
    assert snapshot(index) == before and check_and_repair(index, repair=False).ok
