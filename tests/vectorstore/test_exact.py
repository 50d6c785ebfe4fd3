"""Exact dense search: the true nearest chunks, whatever order the store was written in."""

from __future__ import annotations

import numpy as np
import pytest

from vectorstore import exact
from vectorstore.chroma_store import ChromaStore
from vectorstore.exact import ExactVectors
from vectorstore.settings import Settings

DIM = 16


def unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture()
def store(tmp_path) -> ChromaStore:
    return ChromaStore(Settings(index_dir=tmp_path / "index"))


def write(store: ChromaStore, ids: list[str], vectors: np.ndarray) -> None:
    store.upsert_chunks(ids, [f"đoạn {i}" for i in ids], [{"doc_id": i.split("-")[0]} for i in ids], vectors)


def brute_force(ids: list[str], vectors: np.ndarray, query: np.ndarray, k: int) -> list[str]:
    sims = vectors @ query
    return [ids[i] for i in sorted(range(len(ids)), key=lambda i: (-sims[i], ids[i]))[:k]]


def test_search_returns_the_true_nearest_in_any_write_order_and_within_a_scope(store):
    rng = np.random.default_rng(7)
    ids = [f"r{d}-{n:03d}" for d in range(3) for n in range(200)]
    vectors = unit(rng.normal(size=(len(ids), DIM)))
    order = rng.permutation(len(ids))
    for part in np.array_split(order, 7):  # written in a shuffled order, in several batches
        write(store, [ids[i] for i in part], vectors[part])
    held = ExactVectors(store, lambda v: False)
    assert held.refresh()
    for query in unit(rng.normal(size=(20, DIM))):
        got = held.search(query, 30)
        assert [cid for cid, _ in got] == brute_force(ids, vectors, query, 30)
        assert all(sim == pytest.approx(float(vectors[ids.index(cid)] @ query), abs=1e-5) for cid, sim in got)
        scope = [cid for cid in ids if cid.startswith("r1-")]
        scoped = [cid for cid, _ in held.search(query, 10, scope)]
        assert scoped == brute_force(scope, vectors[200:400], query, 10)


def test_refresh_follows_additions_removals_and_provisional_vectors_becoming_real(store):
    rng = np.random.default_rng(11)
    provisional = unit(rng.normal(size=(1, DIM)))[0]
    real = unit(rng.normal(size=(3, DIM)))
    write(store, ["a-1", "a-2"], real[:2])
    write(store, ["b-1"], provisional[None, :])  # published before its vector was computed
    held = ExactVectors(store, lambda v: float(np.dot(v, provisional)) > 0.99)
    held.refresh()
    assert {cid for cid, _ in held.search(provisional, 10)} == {"a-1", "a-2"}
    write(store, ["b-1"], real[2:])
    store.delete_chunks(["a-2"])
    held.refresh()
    assert [cid for cid, _ in held.search(real[2], 1)] == ["b-1"]
    assert {cid for cid, _ in held.search(real[2], 10)} == {"a-1", "b-1"}
    assert held.search(real[0], 5, ["nowhere"]) == []


def test_a_store_beyond_the_limit_is_left_to_chroma(store, monkeypatch):
    write(store, [f"r-{i}" for i in range(5)], unit(np.eye(DIM)[:5] + 0.1))
    monkeypatch.setattr(exact, "EXACT_LIMIT", 4)
    held = ExactVectors(store, lambda v: False)
    assert not held.refresh()
    assert held.search(np.ones(DIM), 3) == []
