"""The ingest job on real reports and a real Chroma store: idempotence, replacement, removal, refusals."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from assistant.cli import main as cli
from ingest.job import remove_document, run_ingest
from tests.indexes import CORPUS, MANIFEST, copy_report
from vectorstore.index import open_index
from vectorstore.settings import Settings

SMALL = "001_739995c49d508915"  # the shortest report (27 chunks)


def _chunk_texts(settings: Settings, doc_id: str) -> list[str]:
    return [c.text for c in open_index(settings).store.iter_chunks(where={"doc_id": doc_id})]


def _consistent(settings: Settings) -> bool:
    index = open_index(settings)
    return index.lexical.ids() == set(index.store.chunk_ids())


def test_reingest_unchanged_is_a_no_op(small_index: Settings, tmp_path: Path) -> None:
    src = copy_report(SMALL, "txt", tmp_path / "in")
    index = open_index(small_index)
    first = run_ingest(index, [src])
    ids = sorted(index.store.chunk_ids())
    second = run_ingest(index, [src])
    assert first.results[0].status == "indexed" and first.results[0].chunks > 10
    assert second.results[0].status == "unchanged"
    assert sorted(index.store.chunk_ids()) == ids
    assert _consistent(small_index)


def test_changed_file_replaces_its_chunks(small_index: Settings, tmp_path: Path) -> None:
    src = copy_report(SMALL, "txt", tmp_path / "in")
    index = open_index(small_index)
    run_ingest(index, [src])
    text = src.read_text(encoding="utf-8").replace("18,35%", "18,53%")
    src.write_text(text, encoding="utf-8")
    result = run_ingest(index, [src]).results[0]
    assert result.status == "replaced"
    joined = "\n".join(_chunk_texts(small_index, src.name))
    assert "18,53%" in joined and "18,35%" not in joined
    assert len(index.store.chunk_ids(where={"doc_id": src.name})) == result.chunks
    assert _consistent(small_index)


def test_remove_document_leaves_nothing_behind(small_index: Settings, tmp_path: Path) -> None:
    src = copy_report(SMALL, "txt", tmp_path / "in")
    index = open_index(small_index)
    run_ingest(index, [src])
    assert remove_document(index, src.name)
    assert index.store.chunk_ids() == [] and len(index.lexical) == 0
    assert index.store.list_documents() == []
    assert not remove_document(index, src.name)


def test_refused_file_leaves_index_untouched(small_index: Settings, tmp_path: Path) -> None:
    src = copy_report(SMALL, "txt", tmp_path / "in")
    index = open_index(small_index)
    run_ingest(index, [src])
    before = sorted(index.store.chunk_ids())
    report = run_ingest(index, [CORPUS / "bad" / "truncated_40pct.pdf", CORPUS / "bad" / "empty.pdf", src])
    statuses = [r.status for r in report.results]
    assert statuses == ["refused", "refused", "unchanged"]
    assert all(r.reason for r in report.results[:2])
    assert sorted(index.store.chunk_ids()) == before


def test_nfd_input_equals_nfc_input(small_index: Settings, tmp_path: Path) -> None:
    nfc = copy_report("003_1270833f58a97ba9", "txt", tmp_path / "nfc")
    nfd = tmp_path / "nfd" / nfc.name
    nfd.parent.mkdir()
    nfd.write_text(unicodedata.normalize("NFD", nfc.read_text(encoding="utf-8")), encoding="utf-8")
    index = open_index(small_index)
    run_ingest(index, [nfc])
    first = sorted(_chunk_texts(small_index, nfc.name))
    run_ingest(index, [nfd])  # same name, other bytes: replaces
    assert sorted(_chunk_texts(small_index, nfc.name)) == first


def test_chunks_carry_context_and_fit_the_model(txt_index: Settings) -> None:
    index = open_index(txt_index)
    chunks = list(index.store.iter_chunks())
    assert chunks
    for c in chunks:
        assert c.metadata["province"] in {"Trà Vinh", "Thái Bình"}
        assert c.metadata["province"] in c.text[: c.metadata["header_len"]]
        assert index.embeddings.count_tokens(c.text) <= 512
    assert _consistent(txt_index)


def test_table_row_chunk_reads_on_its_own(txt_index: Settings) -> None:
    rows = [c for c in open_index(txt_index).store.iter_chunks(where={"kind": "table_row"})]
    row = next(c for c in rows if "245/UBND-CNXD" in c.text)
    assert "Thời gian trình: Quý IV/2020" in row.text
    assert "Cơ quan chủ trì: Sở Công Thương" in row.text
    header, cells = row.metadata["row_as_written"].split("\n")[-2:]  # what a citation of it shows
    assert header.split("\t")[:3] == ["STT", "Tên đề án", "Cơ quan chủ trì"]
    assert cells.split("\t")[2:5] == ["Sở Công Thương", "Các Sở, ban ngành, địa phương", "Quý IV/2020"]


def test_footnote_figure_travels_with_the_passage_citing_it(txt_index: Settings) -> None:
    index = open_index(txt_index)
    hits = [cid for cid, _ in index.lexical.search("lũy kế quý I tổng mức bán lẻ 14.184,14 tỷ đồng", 5)]
    texts = [c.text for c in index.store.get_chunks(hits)]
    assert any("14.184,14" in t and "Lưu trú, ăn uống ước đạt 2.515 tỷ đồng" in t for t in texts)
    own = index.lexical.search("lưu trú ăn uống 2.515 tỷ đồng", 3)
    kinds = {c.metadata["kind"] for c in index.store.get_chunks([cid for cid, _ in own])}
    assert "footnote" in kinds


def test_pdf_chunks_have_the_right_pages(pdf_index: Settings) -> None:
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    index = open_index(pdf_index)
    for report in manifest["reports"]:
        doc = f"{report['stem']}.pdf"
        for fid, page in report["structure"]["pdf_footnote_pages"].items():
            notes = [c for c in index.store.iter_chunks(where={"$and": [{"doc_id": doc}, {"kind": "footnote"}]})
                     if c.metadata["footnotes"] == fid]
            assert notes and notes[0].metadata["page"] == page, (doc, fid)
        for fact in report["probe_facts"]:
            if fact["where"].startswith("body"):
                holders = [c for c in index.store.iter_chunks(where={"doc_id": doc}) if fact["a"] in c.text]
                assert holders and all(c.metadata["page"] >= 1 for c in holders)


def test_cli_docs_json_matches_manifest(pdf_index: Settings, capsys) -> None:
    cli(["docs", "--index", str(pdf_index.index_dir), "--json"])
    docs = {d["file"]: d for d in json.loads(capsys.readouterr().out)}
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    assert len(docs) == 5
    for report in manifest["reports"]:
        d = docs[f"{report['stem']}.pdf"]
        for key in ("province", "report_number", "issue_date", "issue_date_precision"):
            assert d[key] == report[key], (report["stem"], key)
        assert d["chunks"] > 0
        assert d["signer"]["name"] == report["signer"]["name"]


def test_short_run_in_heading_keeps_its_text_searchable(tmp_path):
    """'2. Thương mại: Tổng mức ...' is short enough to look like a heading; its figure must not vanish."""
    from ingest.chunker import chunk_document
    from ingest.loaders import load

    path = tmp_path / "r.txt"
    path.write_text("I. CHỈ TIÊU THÁNG 6/2024\n\n1. Công nghiệp:\n\n- Chỉ số sản xuất công nghiệp tăng 4,25%.\n\n"
                    "2. Thương mại: Tổng mức bán lẻ hàng hóa tháng 6/2024 ước đạt 2.318,45 tỷ đồng.\n\n"
                    "3. Xuất khẩu ước đạt 41,3 triệu USD.\n\n"
                    "Phần thứ hai: PHƯƠNG HƯỚNG NHIỆM VỤ QUÝ III\n\n- Tiếp tục theo dõi thị trường.\n",
                    encoding="utf-8")
    chunks = chunk_document(load(path), "r.txt", {})
    body = "\n".join(c.text[c.header_len:] for c in chunks)
    assert "2.318,45 tỷ đồng" in body and "41,3 triệu USD" in body
    assert any(c.metadata["section"].startswith("Phần thứ hai") for c in chunks)


def test_report_is_searchable_by_words_before_its_vectors_and_a_crash_mid_embedding_recovers(
    small_index: Settings, tmp_path: Path, monkeypatch
) -> None:
    import ingest.job

    src = copy_report(SMALL, "txt", tmp_path / "in")
    src.write_text(src.read_text(encoding="utf-8") + "\nGhi chú kiểm thử: mã số ZXQ-4711.\n", encoding="utf-8")
    index = open_index(small_index)
    seen: list[list[str]] = []

    def crash(*_args, **_kwargs):
        seen.append([cid for cid, _ in index.lexical.search("ZXQ-4711", 3)])
        raise RuntimeError("killed while embedding")

    monkeypatch.setattr(ingest.job, "embed_with_cache", crash)
    assert run_ingest(index, [src]).results[0].status == "refused"
    assert seen and seen[0], "the new report was not searchable while its vectors were computed"
    # an exception (unlike a kill, tests/ingest/test_crash.py) rolls the new report back to nothing
    assert index.store.get_document(src.name) is None and not index.store.chunk_ids(where={"doc_id": src.name})
    monkeypatch.undo()
    result = run_ingest(index, [src]).results[0]
    assert result.status == "indexed" and index.store.get_document(src.name)["status"] == "complete"
    stored = index.store.existing_vectors(index.store.chunk_ids(where={"doc_id": src.name}))
    assert len(stored) == result.chunks and not any(index.is_provisional(v) for v in stored.values())
    assert _consistent(small_index)
