"""The lexical (BM25) index: a derived cache next to the app, rebuildable from Chroma alone.

Token lists live in a small sqlite file (updated per document on ingest and
removal); the BM25 matrix (bm25s) is fitted from them lazily and refitted
when the sqlite generation changes, so several processes sharing one index
(or one Chroma server) each see new reports without a restart.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

import bm25s
import numpy as np

from vectorstore import vitext

log = logging.getLogger(__name__)


class LexicalIndex:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=60)
        with self._db:
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS tok (chunk_id TEXT PRIMARY KEY, doc_id TEXT, tokens TEXT)"
            )
            self._db.execute("CREATE INDEX IF NOT EXISTS tok_doc ON tok(doc_id)")
            self._db.execute("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT)")
        self._lock = threading.RLock()
        self._loaded_generation: str | None = None
        self._ids: list[str] = []
        self._pos: dict[str, int] = {}
        self._bm25: bm25s.BM25 | None = None

    # ---- state ---------------------------------------------------------------
    def _meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT v FROM meta WHERE k=?", (key,)).fetchone()
        return row[0] if row else None

    def _bump(self) -> None:
        gen = str(int(self._meta("generation") or 0) + 1)
        self._db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (gen,))
        self._db.execute("INSERT OR REPLACE INTO meta VALUES ('tokenizer', ?)", (vitext.TOKENIZER_VERSION,))

    def is_stale_tokenizer(self) -> bool:
        """True when the cache was built by another tokenizer version (then rebuild from Chroma)."""
        version = self._meta("tokenizer")
        return version is not None and version != vitext.TOKENIZER_VERSION

    def ids(self) -> set[str]:
        return {r[0] for r in self._db.execute("SELECT chunk_id FROM tok")}

    def __len__(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM tok").fetchone()[0]

    # ---- writes --------------------------------------------------------------
    def add(self, rows: Iterable[tuple[str, str, str]]) -> int:
        """Add or replace (chunk_id, doc_id, text) rows; returns how many."""
        data = [(cid, doc, " ".join(vitext.tokens(text))) for cid, doc, text in rows]
        with self._lock, self._db:
            self._db.executemany("INSERT OR REPLACE INTO tok VALUES (?, ?, ?)", data)
            self._bump()
        return len(data)

    def remove(self, chunk_ids: Sequence[str]) -> None:
        with self._lock, self._db:
            self._db.executemany("DELETE FROM tok WHERE chunk_id=?", [(c,) for c in chunk_ids])
            self._bump()

    def remove_doc(self, doc_id: str) -> None:
        with self._lock, self._db:
            self._db.execute("DELETE FROM tok WHERE doc_id=?", (doc_id,))
            self._bump()

    def clear(self) -> None:
        with self._lock, self._db:
            self._db.execute("DELETE FROM tok")
            self._bump()

    def document_frequencies(self) -> tuple[dict[str, int], int]:
        """How many chunks hold each token, and how many chunks there are (for IDF weights)."""
        df: dict[str, int] = {}
        n = 0
        for (toks,) in self._db.execute("SELECT tokens FROM tok"):
            n += 1
            for t in set(toks.split()):
                df[t] = df.get(t, 0) + 1
        return df, n

    # ---- search --------------------------------------------------------------
    def _ensure_fitted(self) -> None:
        gen = self._meta("generation")
        if self._bm25 is not None and gen == self._loaded_generation:
            return
        rows = self._db.execute("SELECT chunk_id, tokens FROM tok ORDER BY chunk_id").fetchall()
        self._ids = [r[0] for r in rows]
        self._pos = {cid: i for i, cid in enumerate(self._ids)}
        model = bm25s.BM25()
        if rows:
            model.index([r[1].split() or [""] for r in rows], show_progress=False)
        self._bm25 = model if rows else None
        self._loaded_generation = gen

    def scores(self, query: str) -> tuple[list[str], np.ndarray]:
        """BM25 score of every indexed chunk for `query` (ids aligned with scores)."""
        with self._lock:
            self._ensure_fitted()
            if self._bm25 is None:
                return [], np.zeros(0, dtype=np.float32)
            toks = vitext.tokens(query)
            return self._ids, np.asarray(self._bm25.get_scores(toks), dtype=np.float32)

    def search(self, query: str, k: int = 50) -> list[tuple[str, float]]:
        ids, sc = self.scores(query)
        if not ids:
            return []
        top = np.argsort(-sc)[:k]
        return [(ids[i], float(sc[i])) for i in top if sc[i] > 0]
