"""The facts store: legal references and indicator figures of every chunk, a derived cache next to the index.

Like the lexical cache it is computed from the chunks at ingest (linked by chunk_id and doc_id),
updated where the lexical cache is (ingest, replacement, removal) and rebuildable from Chroma alone:
`sync_facts` compares the chunk ids it has read with Chroma's and reads the difference, and an
extractor change (EXTRACTOR_VERSION) makes it re-read everything. Questions about documents and
series then query a small SQLite file instead of scanning report text.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from ingest.counts import find_counts
from ingest.figures import find_figures
from ingest.periods import Period, find_periods
from ingest.references import find_references
from ingest.row_figures import row_figures
from vectorstore.errorlog import SkippedChunks
from vectorstore.faults import crash_point
from vectorstore.index import Index
from vectorstore.lexical import OnError

EXTRACTOR_VERSION = "6"  # 3: averages over a span are not a figure's own change; 4: indicator rows of tables;
# 5: counts of things ("327 cửa hàng"); 6: lexicon indicators CPI, FDI, điện thương phẩm

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS seen (chunk_id TEXT PRIMARY KEY, doc_id TEXT);
CREATE TABLE IF NOT EXISTS refs (
    chunk_id TEXT, doc_id TEXT, province TEXT, doc_type TEXT, number TEXT, stem TEXT, date TEXT,
    date_iso TEXT, issuer TEXT, subject TEXT, title TEXT, quote TEXT, start INTEGER, end_ INTEGER,
    context TEXT);
CREATE TABLE IF NOT EXISTS figures (
    chunk_id TEXT, doc_id TEXT, province TEXT, indicator TEXT, period_key TEXT, period_label TEXT,
    period_start TEXT, period_end TEXT, value_text TEXT, value REAL, unit TEXT, comparisons TEXT,
    estimate INTEGER, qualifier TEXT, cumulative INTEGER, start INTEGER, end_ INTEGER);
CREATE INDEX IF NOT EXISTS refs_doc ON refs(doc_id);
CREATE INDEX IF NOT EXISTS refs_chunk ON refs(chunk_id);
CREATE INDEX IF NOT EXISTS figures_chunk ON figures(chunk_id);
CREATE INDEX IF NOT EXISTS figures_doc ON figures(doc_id);
CREATE INDEX IF NOT EXISTS figures_ind ON figures(indicator);
"""


def default_year(metadata: dict[str, Any]) -> int | None:
    """The year a figure without one belongs to: the report's first period, else its issue date."""
    keys = [k for k in str(metadata.get("periods") or "").split(",") if k]
    if keys:
        try:
            return Period.from_key(keys[0]).start.year
        except (ValueError, KeyError):
            pass
    issued = str(metadata.get("issue_date") or "")
    return int(issued[:4]) if issued[:4].isdigit() else None


def count_period(metadata: dict[str, Any], year: int | None) -> Period | None:
    """The period a count without one belongs to ("Đến nay toàn tỉnh có 327 cửa hàng"): the last one its
    section's heading names, else the report's own; None in a section about a plan (its counts are targets)."""
    return _count_period(str(metadata.get("section") or ""), str(metadata.get("periods") or ""),
                         str(metadata.get("period_labels") or ""), year)


@lru_cache(maxsize=1024)
def _count_period(section: str, periods: str, period_labels: str, year: int | None) -> Period | None:
    """`count_period` of one section (its chunks share it: read once)."""
    keys = [k for k in periods.split(",") if k]
    labels = period_labels.split("; ")
    planned = {k for k, label in zip(keys, labels, strict=False) if label.endswith("(kế hoạch)")}
    named = find_periods(section, year)
    if named:
        period = named[-1].period
        return None if period.key in planned else period
    own = [(k, label) for k, label in zip(keys, labels + [""] * len(keys), strict=False) if k not in planned]
    try:
        return replace(Period.from_key(own[0][0]), label=own[0][1]) if own else None
    except (ValueError, KeyError):
        return None


def _context(body: str, span: tuple[int, int], reach: int = 300) -> str:
    """The clause around a citation (what the report says it did), between ";", ". " or line ends."""
    before = max(body.rfind("\n", 0, span[0]), body.rfind(";", 0, span[0]), body.rfind(". ", 0, span[0]))
    start = max(before + 1, span[0] - reach)
    ends = [i for i in (body.find("\n", span[1]), body.find(";", span[1]), body.find(". ", span[1])) if i >= 0]
    end = min(min(ends) if ends else len(body), span[1] + reach)
    return body[start:end].strip(" -+\t")


def extract(chunk_id: str, body: str, metadata: dict[str, Any]) -> tuple[list[tuple], list[tuple]]:
    """Reference rows and figure rows of one chunk body (spans index into the body)."""
    doc_id, province = str(metadata.get("doc_id", "")), str(metadata.get("province") or "")
    refs = [
        (chunk_id, doc_id, province, r.doc_type, r.number, r.stem, r.date, r.date_iso, r.issuer, r.subject,
         r.title, body[r.span[0]:r.span[1]], r.span[0], r.span[1], _context(body, r.span))
        for r in find_references(body)
    ]
    figures = []
    year = default_year(metadata)
    rows = row_figures(body, year) if metadata.get("kind") == "table_row" else []
    rows += find_counts(body, year, count_period(metadata, year))
    for f in find_figures(body, year) + rows:
        period = Period.from_key(f.period_key)
        figures.append((chunk_id, doc_id, province, f.indicator, f.period_key, f.period_label,
                        period.start.isoformat(), period.end.isoformat(), f.value_text, f.value, f.unit,
                        json.dumps(list(f.comparisons), ensure_ascii=False), int(f.estimate), f.qualifier,
                        int(f.cumulative), f.span[0], f.span[1]))
    return refs, figures


class FactStore:
    """One SQLite file; every call opens its own connection (the app answers from several threads)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.executescript(_SCHEMA)

    def _db(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30)
        db.row_factory = sqlite3.Row
        return db

    def add(self, chunks: Iterable[tuple[str, str, dict[str, Any]]], on_error: OnError | None = None) -> None:
        """Read and store the facts of (chunk_id, body, metadata) chunks.

        A chunk the extractors fail on raises, unless `on_error` is given: then it is skipped (not
        marked seen, so `baocao doctor` finds it) and reported, and the others are stored.
        """
        seen, refs, figures = [], [], []
        for chunk_id, body, meta in chunks:
            try:
                crash_point("extract_facts")
                r, f = extract(chunk_id, body, meta)
            except Exception as err:
                if on_error is None:
                    raise
                on_error(chunk_id, err)
                continue
            seen.append((chunk_id, str(meta.get("doc_id", ""))))
            refs += r
            figures += f
        with self._db() as db:
            ids = [(s[0],) for s in seen]
            for table in ("seen", "refs", "figures"):
                db.executemany(f"DELETE FROM {table} WHERE chunk_id = ?", ids)
            db.executemany("INSERT INTO seen VALUES (?, ?)", seen)
            db.executemany(f"INSERT INTO refs VALUES ({','.join('?' * 15)})", refs)
            db.executemany(f"INSERT INTO figures VALUES ({','.join('?' * 17)})", figures)

    def remove_doc(self, doc_id: str) -> None:
        with self._db() as db:
            for table in ("seen", "refs", "figures"):
                db.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))

    def remove(self, chunk_ids: Sequence[str]) -> None:
        with self._db() as db:
            for table in ("seen", "refs", "figures"):
                db.executemany(f"DELETE FROM {table} WHERE chunk_id = ?", [(c,) for c in chunk_ids])

    def clear(self) -> None:
        with self._db() as db:
            for table in ("seen", "refs", "figures", "meta"):
                db.execute(f"DELETE FROM {table}")

    def chunk_ids(self) -> set[str]:
        with self._db() as db:
            return {r[0] for r in db.execute("SELECT chunk_id FROM seen")}

    def count(self) -> int:
        with self._db() as db:
            return int(db.execute("SELECT COUNT(*) FROM seen").fetchone()[0])

    def is_stale(self) -> bool:
        with self._db() as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        return row is None or row[0] != EXTRACTOR_VERSION

    def stamp(self) -> None:
        with self._db() as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (EXTRACTOR_VERSION,))

    def references(self) -> list[dict[str, Any]]:
        with self._db() as db:
            return [dict(r) for r in db.execute("SELECT * FROM refs ORDER BY doc_id, chunk_id, start")]

    def figures(self, indicator: str | None = None, province: str | None = None) -> list[dict[str, Any]]:
        sql, args = "SELECT * FROM figures WHERE 1=1", []
        if indicator:
            sql, args = sql + " AND indicator = ?", [*args, indicator]
        if province:
            sql, args = sql + " AND province = ?", [*args, province]
        with self._db() as db:
            rows = [dict(r) for r in db.execute(sql + " ORDER BY period_start, period_end, doc_id, start", args)]
        for r in rows:
            r["comparisons"] = json.loads(r["comparisons"] or "[]")
        return rows

    def indicators(self) -> list[tuple[str, str, int]]:
        """(indicator, province, number of figures), for pickers."""
        with self._db() as db:
            return [tuple(r) for r in db.execute(
                "SELECT indicator, province, COUNT(*) FROM figures GROUP BY indicator, province ORDER BY 1, 2")]


_OPEN: dict[Path, FactStore] = {}
_LOCK = threading.Lock()


def facts_for(index: Index) -> FactStore:
    """The facts store of an index (named after the server in server mode, like the lexical cache)."""
    settings = index.settings
    name = "facts.sqlite"
    if settings.server_mode:
        name = f"facts-{settings.chroma_host}-{settings.chroma_port}.sqlite"
    path = settings.index_dir / name
    with _LOCK:
        if path not in _OPEN:
            _OPEN[path] = FactStore(path)
        return _OPEN[path]


def publish_facts(index: Index, docs: Sequence[tuple[str, Sequence[Any]]]) -> None:
    """At ingest: replace the facts of each (doc_id, chunks) with those of its new chunks."""
    store = facts_for(index)
    if store.is_stale():  # an older extractor's rows: start over; `sync_facts` reads the other reports
        store.clear()
        store.stamp()
    for doc_id, chunks in docs:
        store.remove_doc(doc_id)
        store.add((c.id, c.body, c.metadata) for c in chunks)


def sync_facts(index: Index, skipped: SkippedChunks | None = None) -> int:
    """Bring the facts store in step with Chroma (the truth); returns how many chunks changed.

    A chunk the extractors fail on is skipped and reported to `skipped` (by default: logged).
    """
    skipped = skipped or SkippedChunks("chỉ mục văn bản và số liệu", index.settings.index_dir)
    store = facts_for(index)
    with _LOCK:
        if store.is_stale():
            store.clear()
            store.stamp()
        truth = set(index.store.chunk_ids())
        have = store.chunk_ids()
        extra, missing = list(have - truth), list(truth - have)
        if extra:
            store.remove(extra)
        for i in range(0, len(missing), 500):
            rows = index.store.get_chunks(missing[i : i + 500])
            store.add(((c.id, c.text[int(c.metadata.get("header_len", 0)):], c.metadata) for c in rows),
                      on_error=skipped)
        return len(extra) + len(missing)


def is_in_step(index: Index) -> bool:
    """Cheap check before a query: same number of chunks read as Chroma holds, current extractor."""
    store = facts_for(index)
    return not store.is_stale() and store.count() == index.store.count()


__all__ = ["FactStore", "facts_for", "publish_facts", "sync_facts", "is_in_step", "extract"]
