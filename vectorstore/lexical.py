"""The lexical (BM25) index: a derived cache next to the app, rebuildable from Chroma alone.

Token lists live in a small sqlite file (updated per document on ingest and
removal), each row stamped with the generation that wrote it; removals leave a
tombstone. Search uses two segments, so a new report is searchable at once in
an index of thousands without refitting BM25 over all of them:

* a *base* bm25s matrix, fitted from all rows at some generation and saved next
  to the sqlite file (a restarted app memory-maps it instead of refitting);
* a small in-memory *delta* of the rows written since, scored with the same
  BM25 formula and the base's statistics; base rows that were removed or
  rewritten since are masked.

When the delta outgrows a fraction of the base, the next search refits the
base (compaction). Several processes sharing one index each follow the
generation counter, so they see new reports without a restart.

Crash safety: every write is one sqlite transaction (a kill rolls it back at the next open). A
cache file that is not a database or fails sqlite's quick check is moved aside as
``*.corrupt`` and started empty; `Index.sync_lexical` refills it from Chroma.
"""

from __future__ import annotations

import json
import logging
import math
import shutil
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import bm25s
import numpy as np
import scipy.sparse as sp

from vectorstore import vitext
from vectorstore.faults import crash_point

log = logging.getLogger(__name__)

OnError = Callable[[str, Exception], None]  # (chunk id, what went wrong) of a row that was skipped

COMPACT_MIN_ROWS = 2000  # delta rows (and masked base rows) tolerated before a refit...
COMPACT_RATIO = 0.05  # ...or this share of the base, whichever is larger
CHECK_AT_OPEN_BYTES = 64 << 20  # quick-check smaller caches at open (milliseconds); doctor checks any size
SNAPSHOT_MIN_ROWS = 5000  # smaller bases refit faster than they load
EXACT_BELOW_ROWS = 10000  # small indexes refit on every change (well under a second): exact BM25 statistics


@dataclass
class _Base:
    """The fitted bm25s segment: row order, statistics the delta scorer borrows, masked rows."""

    model: bm25s.BM25
    ids: list[str]
    docs: list[str]  # doc id of each row (for searches restricted to some reports)
    generation: int
    avgdl: float
    pos: dict[str, int] = field(init=False)
    df: np.ndarray = field(init=False)
    masked: set[int] = field(default_factory=set)
    masked_df: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.pos = {cid: i for i, cid in enumerate(self.ids)}
        self.df = np.diff(np.asarray(self.model.scores["indptr"]))
        self.doc_codes: dict[str, int] = {}
        self.doc_of = np.fromiter((self.doc_codes.setdefault(d, len(self.doc_codes)) for d in self.docs),
                                  dtype=np.int32, count=len(self.docs))

    def allowed(self, doc_ids: Collection[str]) -> np.ndarray:
        codes = [self.doc_codes[d] for d in doc_ids if d in self.doc_codes]
        return np.isin(self.doc_of, np.asarray(codes, dtype=np.int32))

    def doc_freq(self, token: str) -> int:
        i = self.model.vocab_dict.get(token)
        return int(self.df[i]) if i is not None else 0

    def scores(self, toks: list[str]) -> np.ndarray:
        if not toks:  # bm25s fails on an empty query ("a", punctuation only): nothing matches
            return np.zeros(len(self.ids), dtype=np.float32)
        sc = np.asarray(self.model.get_scores(toks), dtype=np.float32)
        if self.masked:
            sc[list(self.masked)] = 0.0
        return sc

    def mask(self, cid: str, toks: str) -> None:
        """Hide a base row that was removed or rewritten since the fit (its tokens leave the counts)."""
        p = self.pos.get(cid)
        if p is not None and p not in self.masked:
            self.masked.add(p)
            self.masked_df.update(set(toks.split()))


class _Delta:
    """Rows written since the base was fitted, with postings for fast BM25 scoring."""

    def __init__(self) -> None:
        self.ids: list[str | None] = []
        self.docs: list[str] = []
        self.slot: dict[str, int] = {}
        self.counts: dict[int, Counter[str]] = {}
        self.lengths: list[int] = []
        self.postings: dict[str, dict[int, int]] = {}
        self.df: Counter[str] = Counter()

    def __len__(self) -> int:
        return len(self.slot)

    def put(self, cid: str, doc_id: str, toks: list[str]) -> None:
        self.drop(cid)
        i = len(self.ids)
        counts = Counter(toks)
        self.ids.append(cid)
        self.docs.append(doc_id)
        self.slot[cid] = i
        self.counts[i] = counts
        self.lengths.append(len(toks))
        for t, n in counts.items():
            self.postings.setdefault(t, {})[i] = n
        self.df.update(counts.keys())

    def drop(self, cid: str) -> None:
        i = self.slot.pop(cid, None)
        if i is None:
            return
        for t in self.counts.pop(i):
            self.postings[t].pop(i, None)
            self.df[t] -= 1
        self.ids[i] = None

    def scores(self, toks: list[str], base: _Base | None, k1: float = 1.5, b: float = 0.75) -> np.ndarray:
        """BM25 (bm25s "lucene" variant) with IDF and average length shared with the base."""
        sc = np.zeros(len(self.ids), dtype=np.float32)
        n_base = len(base.ids) if base else 0
        n = n_base + len(self)
        avgdl = base.avgdl if base else (sum(self.lengths) / max(len(self), 1))
        lengths = np.asarray(self.lengths, dtype=np.float32)
        norm = k1 * ((1 - b) + b * lengths / max(avgdl, 1e-9))
        for t in toks:
            post = self.postings.get(t)
            if not post:
                continue
            df = self.df[t] + (base.doc_freq(t) if base else 0)
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            idx = np.fromiter(post.keys(), dtype=np.int64, count=len(post))
            tf = np.fromiter(post.values(), dtype=np.float32, count=len(post))
            sc[idx] += idf * tf / (norm[idx] + tf)
        return sc


def _fit_bm25(rows: Iterable[tuple[str, str, str]], k1: float = 1.5, b: float = 0.75
              ) -> tuple[bm25s.BM25, list[str], list[str], float] | None:
    """A bm25s model ("lucene" scoring) built from (chunk_id, tokens, doc_id) rows with numpy.

    Same matrix as ``BM25().index(corpus)``, but streamed: bm25s wants every token of every chunk as a
    Python string at once, which took 8 GB at 290,000 chunks; here each row becomes a small int array.
    """
    vocab: dict[str, int] = {"": 0}  # bm25s's placeholder for empty queries
    ids: list[str] = []
    docs: list[str] = []
    terms: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    lengths: list[int] = []
    for cid, toks, doc in rows:
        words = toks.split()
        tids = np.fromiter((vocab.setdefault(t, len(vocab)) for t in words), dtype=np.int32, count=len(words))
        uniq, tf = np.unique(tids, return_counts=True)
        ids.append(cid)
        docs.append(doc or "")
        terms.append(uniq)
        counts.append(tf.astype(np.float32))
        lengths.append(len(words))
    if not ids:
        return None
    n, n_terms = len(ids), len(vocab)
    term = np.concatenate(terms)
    tf = np.concatenate(counts)
    doc = np.repeat(np.arange(n, dtype=np.int32), [len(t) for t in terms])
    del terms, counts
    length = np.asarray(lengths, dtype=np.float32)
    avgdl = float(length.mean()) or 1.0
    df = np.bincount(term, minlength=n_terms).astype(np.float32)
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
    score = idf[term] * tf / (k1 * ((1 - b) + b * length[doc] / avgdl) + tf)
    csc = sp.csc_matrix((score, (doc, term)), shape=(n, n_terms), dtype=np.float32)
    model = bm25s.BM25(k1=k1, b=b)
    model.scores = {"data": csc.data, "indices": csc.indices.astype(np.int32), "indptr": csc.indptr,
                    "num_docs": n}
    model.vocab_dict = vocab
    model.unique_token_ids_set = set(vocab.values())
    model.nonoccurrence_array = None  # "lucene" scoring needs none
    return model, ids, docs, avgdl


class LexicalIndex:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.snapshot_dir = path.with_suffix(".bm25")
        self.recovered_from: Path | None = None  # where a damaged cache file was moved at open
        self._lock = threading.RLock()
        try:
            self._open(check=path.is_file() and path.stat().st_size <= CHECK_AT_OPEN_BYTES)
        except sqlite3.DatabaseError:
            self._set_aside()
        self._base: _Base | None = None
        self._delta = _Delta()
        self._seen = -1  # generation the in-memory segments reflect

    def _open(self, check: bool) -> None:
        self._db = sqlite3.connect(str(self.path), check_same_thread=False, timeout=60)
        if check and not self.healthy():
            self._db.close()
            raise sqlite3.DatabaseError("lexical cache failed its quick check")
        with self._db:
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS tok (chunk_id TEXT PRIMARY KEY, doc_id TEXT, tokens TEXT, gen INTEGER)"
            )
            if "gen" not in {r[1] for r in self._db.execute("PRAGMA table_info(tok)")}:
                self._db.execute("ALTER TABLE tok ADD COLUMN gen INTEGER DEFAULT 0")  # caches from before segments
            self._db.execute("CREATE INDEX IF NOT EXISTS tok_doc ON tok(doc_id)")
            self._db.execute("CREATE INDEX IF NOT EXISTS tok_gen ON tok(gen)")
            self._db.execute("CREATE TABLE IF NOT EXISTS dead (chunk_id TEXT PRIMARY KEY, gen INTEGER, tokens TEXT)")
            self._db.execute("CREATE INDEX IF NOT EXISTS dead_gen ON dead(gen)")
            self._db.execute("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT)")

    def healthy(self) -> bool:
        """sqlite's quick check passes (a truncated or overwritten file fails it)."""
        try:
            return self._db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        except sqlite3.DatabaseError:
            return False

    def _set_aside(self) -> None:
        """Move a damaged cache file away and start empty; the data lives in Chroma."""
        with self._lock:
            if getattr(self, "_db", None) is not None:
                self._db.close()
            aside = self.path.with_name(self.path.name + ".corrupt")
            self.path.replace(aside)
            for suffix in ("-journal", "-wal", "-shm"):  # they belong to the damaged file
                self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
            shutil.rmtree(self.snapshot_dir, ignore_errors=True)
            log.warning("lexical cache %s was damaged; moved to %s and rebuilt from Chroma", self.path, aside)
            self.recovered_from = aside
            self._open(check=False)
            self._base, self._delta, self._seen = None, _Delta(), -1

    def rebuild_if_damaged(self) -> bool:
        """Set a damaged cache file aside (doctor); True when it was damaged."""
        if self.healthy():
            return False
        self._set_aside()
        return True

    # ---- state ---------------------------------------------------------------
    def _meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT v FROM meta WHERE k=?", (key,)).fetchone()
        return row[0] if row else None

    def _generation(self) -> int:
        return int(self._meta("generation") or 0)

    def _bump(self) -> int:
        gen = self._generation() + 1
        self._db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (str(gen),))
        self._db.execute("INSERT OR REPLACE INTO meta VALUES ('tokenizer', ?)", (vitext.TOKENIZER_VERSION,))
        return gen

    def is_stale_tokenizer(self) -> bool:
        """True when the cache was built by another tokenizer version (then rebuild from Chroma)."""
        version = self._meta("tokenizer")
        return version is not None and version != vitext.TOKENIZER_VERSION

    def ids(self) -> set[str]:
        return {r[0] for r in self._db.execute("SELECT chunk_id FROM tok")}

    def __len__(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM tok").fetchone()[0]

    # ---- writes --------------------------------------------------------------
    def add(self, rows: Iterable[tuple[str, str, str]], on_error: OnError | None = None) -> int:
        """Add or replace (chunk_id, doc_id, text) rows; returns how many.

        A row that cannot be tokenised raises (the ingest of its report rolls back), unless `on_error`
        is given: then that row is skipped and reported to it, and the others are written (a sync
        must not fail every question because of one chunk).
        """
        data = []
        for cid, doc, text in rows:
            try:
                crash_point("tokenize")
                data.append((cid, doc, " ".join(vitext.tokens(text))))
            except Exception as err:
                if on_error is None:
                    raise
                on_error(cid, err)
        with self._lock, self._db:
            gen = self._bump()
            self._db.executemany("INSERT OR REPLACE INTO tok VALUES (?, ?, ?, ?)", [(*r, gen) for r in data])
            crash_point("lexical_mid_write")
            self._db.executemany("DELETE FROM dead WHERE chunk_id=?", [(r[0],) for r in data])
        return len(data)

    def remove(self, chunk_ids: Sequence[str]) -> None:
        with self._lock, self._db:
            gen = self._bump()
            self._db.executemany("INSERT OR REPLACE INTO dead SELECT chunk_id, ?, tokens FROM tok WHERE chunk_id=?",
                                 [(gen, c) for c in chunk_ids])
            self._db.executemany("DELETE FROM tok WHERE chunk_id=?", [(c,) for c in chunk_ids])

    def remove_doc(self, doc_id: str) -> None:
        with self._lock, self._db:
            gen = self._bump()
            self._db.execute("INSERT OR REPLACE INTO dead SELECT chunk_id, ?, tokens FROM tok WHERE doc_id=?",
                             (gen, doc_id))
            self._db.execute("DELETE FROM tok WHERE doc_id=?", (doc_id,))

    def clear(self) -> None:
        with self._lock, self._db:
            gen = self._bump()
            self._db.execute("DELETE FROM tok")
            self._db.execute("DELETE FROM dead")
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('cleared', ?)", (str(gen),))
        shutil.rmtree(self.snapshot_dir, ignore_errors=True)

    def document_frequencies(self) -> tuple[dict[str, int], int]:
        """How many chunks hold each token, and how many chunks there are (for IDF weights)."""
        with self._lock:
            self._sync()
            base, delta = self._base, self._delta
            df: Counter[str] = Counter()
            n = len(delta)
            if base is not None:
                inv = {i: t for t, i in base.model.vocab_dict.items()}
                df.update({inv[i]: int(c) for i, c in enumerate(base.df) if c and inv[i]})
                df.subtract(base.masked_df)
                n += len(base.ids) - len(base.masked)
            df.update({t: c for t, c in delta.df.items() if c})
            return {t: c for t, c in df.items() if c > 0}, n

    # ---- segments ------------------------------------------------------------
    def _sync(self) -> None:
        """Bring the segments up to the current generation: apply changes, or refit when too many."""
        gen = self._generation()
        if self._base is not None and gen == self._seen:
            return
        cleared = int(self._meta("cleared") or 0)
        if self._seen < 0 or cleared > self._seen:
            self._open_base(gen)
        else:
            self._apply_changes(gen)
        base_n = len(self._base.ids) if self._base else 0
        churn = len(self._delta) + (len(self._base.masked) if self._base else 0)
        small = base_n + len(self._delta) <= EXACT_BELOW_ROWS
        if churn > max(COMPACT_MIN_ROWS, COMPACT_RATIO * base_n) or (churn and small):
            self._fit(gen)

    def _open_base(self, gen: int) -> None:
        snap = self._load_snapshot()
        if snap is None or snap.generation > gen or snap.generation < int(self._meta("cleared") or 0):
            self._fit(gen)
            return
        self._base, self._delta, self._seen = snap, _Delta(), snap.generation
        self._apply_changes(gen)

    def _apply_changes(self, gen: int) -> None:
        dead = self._db.execute("SELECT chunk_id, tokens FROM dead WHERE gen > ?", (self._seen,)).fetchall()
        rows = self._db.execute("SELECT chunk_id, doc_id, tokens FROM tok WHERE gen > ?", (self._seen,)).fetchall()
        for cid, toks in dead:
            self._delta.drop(cid)
            if self._base is not None:
                self._base.mask(cid, toks or "")
        for cid, doc, toks in rows:
            self._delta.put(cid, doc or "", toks.split())
            if self._base is not None:  # a rewritten row (same id = same text) replaces its base copy
                self._base.mask(cid, toks)
        self._seen = max(gen, self._seen)

    def _fit(self, gen: int) -> None:
        with self._db:  # one read transaction: the rows and the generation agree
            gen = max(gen, self._generation())
            cursor = self._db.execute("SELECT chunk_id, tokens, doc_id FROM tok ORDER BY chunk_id")
            fitted = _fit_bm25(cursor)
        self._delta, self._seen = _Delta(), gen
        if fitted is None:
            self._base = None
            return
        model, ids, docs, avgdl = fitted
        self._base = _Base(model, ids, docs, gen, avgdl)
        if len(ids) >= SNAPSHOT_MIN_ROWS:
            self._save_snapshot(self._base)

    def _save_snapshot(self, base: _Base) -> None:
        tmp = self.snapshot_dir.with_suffix(".tmp")
        try:
            shutil.rmtree(tmp, ignore_errors=True)
            base.model.save(str(tmp), show_progress=False)
            state = {"generation": base.generation, "avgdl": base.avgdl, "tokenizer": vitext.TOKENIZER_VERSION}
            (tmp / "ids.json").write_text(json.dumps({"ids": base.ids, "docs": base.docs}), encoding="utf-8")
            (tmp / "state.json").write_text(json.dumps(state), encoding="utf-8")
            shutil.rmtree(self.snapshot_dir, ignore_errors=True)
            tmp.rename(self.snapshot_dir)
        except OSError:  # a read-only or full disk only costs a refit at the next start
            log.warning("could not save the BM25 snapshot to %s", self.snapshot_dir, exc_info=True)

    def _load_snapshot(self) -> _Base | None:
        try:
            state = json.loads((self.snapshot_dir / "state.json").read_text(encoding="utf-8"))
            if state.get("tokenizer") != vitext.TOKENIZER_VERSION:
                return None
            rows = json.loads((self.snapshot_dir / "ids.json").read_text(encoding="utf-8"))
            model = bm25s.BM25.load(str(self.snapshot_dir), mmap=True, show_progress=False)
            return _Base(model, rows["ids"], rows["docs"], int(state["generation"]), float(state["avgdl"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    # ---- search --------------------------------------------------------------
    def scores(self, query: str, doc_ids: Collection[str] | None = None) -> tuple[list[str], np.ndarray]:
        """BM25 score of every indexed chunk for `query` (ids aligned with scores; removed rows score 0).

        With `doc_ids`, chunks of other reports score 0: a search restricted to some reports (one
        province, one file) whose candidates are not crowded out by look-alike reports.
        """
        crash_point("lexical_search")
        with self._lock:
            self._sync()
            toks = list(dict.fromkeys(vitext.tokens(query)))  # a pasted text repeating words weighs them once
            ids: list[str] = []
            parts = []
            if self._base is not None:
                ids.extend(self._base.ids)
                sc = self._base.scores(toks)
                parts.append(sc if doc_ids is None else np.where(self._base.allowed(doc_ids), sc, 0.0))
            if len(self._delta):
                ids.extend(cid or "" for cid in self._delta.ids)
                sc = self._delta.scores(toks, self._base)
                if doc_ids is not None:
                    sc[[i for i, d in enumerate(self._delta.docs) if d not in doc_ids]] = 0.0
                parts.append(sc)
            return ids, np.concatenate(parts).astype(np.float32) if parts else np.zeros(0, dtype=np.float32)

    def search(self, query: str, k: int = 50, doc_ids: Collection[str] | None = None) -> list[tuple[str, float]]:
        """The k best chunks for `query` (optionally only among the reports `doc_ids`), best first."""
        ids, sc = self.scores(query, doc_ids)
        if not ids:
            return []
        k = min(k, len(ids))
        top = np.argpartition(-sc, k - 1)[:k] if k < len(ids) else np.arange(len(ids))
        top = top[np.argsort(-sc[top], kind="stable")]
        return [(ids[i], float(sc[i])) for i in top if sc[i] > 0]
