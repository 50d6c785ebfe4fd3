"""The segmented lexical index: changes since the fitted base are searchable at once and agree with a refit."""

from __future__ import annotations

from pathlib import Path

import pytest

import vectorstore.lexical as lexical
from tests.conftest import CORPUS as SHARED_CORPUS
from vectorstore.lexical import LexicalIndex

CORPUS = SHARED_CORPUS / "txt"
QUERY = "giá trị sản xuất công nghiệp tháng 3 tỷ đồng"


@pytest.fixture
def rows() -> list[tuple[str, str, str]]:
    paras = [p for f in sorted(CORPUS.glob("*.txt")) for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    return [(f"c{i:05d}", f"d{i // 40}", p) for i, p in enumerate(paras)]


@pytest.fixture
def segmented(monkeypatch: pytest.MonkeyPatch) -> None:
    """Never refit on change, so every write after the first search lands in the delta segment."""
    monkeypatch.setattr(lexical, "EXACT_BELOW_ROWS", 0)
    monkeypatch.setattr(lexical, "COMPACT_MIN_ROWS", 10**9)


def _live(rows, removed_doc: str) -> list[tuple[str, str, str]]:
    return [r for r in rows if r[1] != removed_doc]


def test_delta_rows_are_found_without_a_refit(tmp_path: Path, rows, segmented) -> None:
    index = LexicalIndex(tmp_path / "lex.sqlite")
    index.add(rows[:300])
    base = {cid for cid, _ in index.search(QUERY, 10)}
    index.add(rows[300:])
    index.remove_doc("d1")
    fresh = LexicalIndex(tmp_path / "fresh.sqlite")
    fresh.add(_live(rows, "d1"))
    got = [cid for cid, _ in index.search(QUERY, 10)]
    assert index._base is not None and len(index._delta) == len(rows) - 300
    assert set(got) == {cid for cid, _ in fresh.search(QUERY, 10)}
    assert not {f"c{i:05d}" for i in range(40, 80)} & set(got)
    assert base != set(got)  # the added rows do rank


def test_document_frequencies_follow_removals(tmp_path: Path, rows, segmented) -> None:
    index = LexicalIndex(tmp_path / "lex.sqlite")
    index.add(rows)
    index.search(QUERY, 1)
    index.remove_doc("d2")
    index.add(rows[80:90])  # re-added rows replace their masked base copies
    fresh = LexicalIndex(tmp_path / "fresh.sqlite")
    fresh.add([r for r in rows if r[1] != "d2" or int(r[0][1:]) < 90])
    assert index.document_frequencies() == fresh.document_frequencies()


def test_snapshot_is_reloaded_by_a_new_process(tmp_path: Path, rows, segmented, monkeypatch) -> None:
    monkeypatch.setattr(lexical, "SNAPSHOT_MIN_ROWS", 10)
    first = LexicalIndex(tmp_path / "lex.sqlite")
    first.add(rows)
    want = first.search(QUERY, 5)
    first.add([("extra", "dx", "giá trị sản xuất công nghiệp tháng 3 đạt 1.234 tỷ đồng")])
    second = LexicalIndex(tmp_path / "lex.sqlite")
    assert second.search(QUERY, 5) != [] and "extra" in {cid for cid, _ in second.search(QUERY, 50)}
    assert second._base is not None and second._base.generation == 1
    assert want[0][0] in {cid for cid, _ in second.search(QUERY, 5)}


def test_search_restricted_to_some_reports(tmp_path: Path, rows) -> None:
    index = LexicalIndex(tmp_path / "lex.sqlite")
    index.add(rows)
    hits = index.search(QUERY, 20, doc_ids={"d3"})
    assert hits and all(rows[int(cid[1:])][1] == "d3" for cid, _ in hits)
    assert index.search(QUERY, 5, doc_ids=set()) == []


def test_clear_drops_everything(tmp_path: Path, rows, segmented) -> None:
    index = LexicalIndex(tmp_path / "lex.sqlite")
    index.add(rows[:50])
    index.search(QUERY, 1)
    index.clear()
    assert index.search(QUERY, 5) == [] and len(index) == 0


def test_a_pasted_text_repeating_words_weighs_them_once(tmp_path: Path, rows) -> None:
    """A question followed by a pasted heading repeated many times must rank as the question with the
    heading once: query words are not weighted by how often they are typed."""
    index = LexicalIndex(tmp_path / "lex.sqlite")
    index.add(rows)
    once = index.search(QUERY + " báo cáo tình hình", 10)
    pasted = index.search(QUERY + " báo cáo tình hình" * 40, 10)
    assert [cid for cid, _ in pasted] == [cid for cid, _ in once]
