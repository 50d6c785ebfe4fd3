"""The Chroma adapter's change marker: what lets every process tell that its caches are stale."""

from __future__ import annotations

import numpy as np

from vectorstore.chroma_store import ChromaStore
from vectorstore.settings import Settings


def test_every_kind_of_change_moves_the_marker_and_reading_does_not(tmp_path) -> None:
    store = ChromaStore(Settings(index_dir=tmp_path / "index"))
    other = ChromaStore(Settings(index_dir=tmp_path / "index"))  # another handle, as another process
    seen = [other.generation()]
    vector = np.ones((1, 384), dtype=np.float32) / np.sqrt(384)
    record = {"doc_id": "r1", "file": "r1.txt", "sha256": "x", "status": "indexed"}
    for change in (
        lambda: store.upsert_chunks(["c1"], ["Tổng mức bán lẻ ước đạt 1.234 tỷ đồng."], [{"doc_id": "r1"}], vector),
        lambda: store.put_document(record),
        lambda: store.delete_document("r1"),
        lambda: store.delete_chunks(["c1"]),
    ):
        change()
        seen.append(other.generation())
        store.get_chunks(["c1"]), store.list_documents(), store.count()
        assert other.generation() == seen[-1]
    assert len(set(seen)) == len(seen)
    assert store.writes == 4
