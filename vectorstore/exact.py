"""Exact dense search over every chunk vector held in memory, while the store is small enough.

Chroma's HNSW graph is approximate, and the graph itself depends on how the store was written: the
order of inserts across its threads, and whether a chunk first went in with a provisional vector
(ingest publishes a report before its vectors are done). Measured on the five reports: the same
chunks and vectors gave slightly different candidate lists in the process that wrote them and in a
fresh one, enough to move answers and the fitted decision. Below EXACT_LIMIT chunks (~30 MB of
float32, some 350 reports) a matrix product is exact and as fast as HNSW (measured at 28,280 chunks on a
loaded machine: p50 7.5 vs 6.9 ms), so answers depend only on what is indexed, never on how it was
written. The price is reading every vector once when a process starts (5.4 s for 28,280 chunks on that
loaded machine, which is why the limit sits below the 500-report benchmark); after a change only the new
vectors are read. Above the limit Chroma's HNSW is used.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from vectorstore.chroma_store import ChromaStore

EXACT_LIMIT = 20_000


class ExactVectors:
    """Chunk ids and their vectors; `refresh` after every change of the store fetches only what is new."""

    def __init__(self, store: ChromaStore, is_provisional: Callable[[np.ndarray], bool]) -> None:
        self._store = store
        self._is_provisional = is_provisional
        self._vectors: dict[str, np.ndarray] = {}
        self._ids: list[str] = []
        self._row: dict[str, int] = {}
        self._matrix = np.zeros((0, 0), dtype=np.float32)

    def refresh(self) -> bool:
        """Bring the matrix in step with the store; False (and nothing held) when the store is too large.
        Provisional vectors are left out and fetched again at the next change, when they are real."""
        if self._store.count() > EXACT_LIMIT:  # counting is cheap; listing every id is not
            self._vectors.clear()
            self._set([])
            return False
        ids = sorted(self._store.chunk_ids())
        wanted = set(ids)
        self._vectors = {cid: v for cid, v in self._vectors.items() if cid in wanted}
        missing = [cid for cid in ids if cid not in self._vectors]
        for cid, vector in self._store.existing_vectors(missing).items():
            if not self._is_provisional(vector):
                self._vectors[cid] = vector
        self._set([cid for cid in ids if cid in self._vectors])
        return True

    def _set(self, ids: list[str]) -> None:
        self._ids = ids
        self._row = {cid: i for i, cid in enumerate(ids)}
        if not ids:
            self._matrix = np.zeros((0, 0), dtype=np.float32)
            return
        matrix = np.stack([self._vectors[c] for c in ids])
        self._matrix = matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)

    def search(self, vector: Sequence[float], k: int, ids: Sequence[str] | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the k nearest, best first, optionally among `ids` only;
        equal similarities in id order, so every run ranks alike."""
        if not self._ids:
            return []
        query = np.asarray(vector, dtype=np.float32)
        sims = self._matrix @ (query / max(float(np.linalg.norm(query)), 1e-12))
        rows = np.arange(len(self._ids)) if ids is None else np.array(
            sorted({self._row[c] for c in ids if c in self._row}), dtype=np.int64)
        if rows.size == 0:
            return []
        picked = sims[rows]
        order = np.argsort(-picked, kind="stable")[:k]
        return [(self._ids[rows[i]], float(picked[i])) for i in order]
