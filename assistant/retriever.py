"""Hybrid retrieval that knows the question: BM25 + dense, then period/province/reference-aware rerank.

The worst mistake is the right indicator for the wrong month or province, so
after fusion each candidate is checked against what the question names:
its province (from the report metadata), the periods its own text mentions
(or, if it names none, its report's periods) and any document number the
question cites. Explicit provinces act as near-filters; periods as strong
boosts and penalties; a question with no period searches all periods.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.dense_text import within_budget
from assistant.periodmatch import PeriodMatch, match_periods, report_periods
from assistant.query import QueryUnderstanding, understand
from ingest.references import ReferenceQuery
from vectorstore.chroma_store import StoredChunk
from vectorstore.diacritics import DiacriticRestorer
from vectorstore.exact import ExactVectors
from vectorstore.hybrid import fuse
from vectorstore.index import Index
from vectorstore.vitext import fold

LEXICAL_CANDIDATES = 80
DENSE_CANDIDATES = 30
REFRESH_S = 0.2
CHUNK_CACHE_SIZE = 20_000  # ~40 MB of passages
MAX_SCOPED_CHUNKS = 20_000  # beyond this, the best of the whole store filtered afterwards is cheaper
WIDEN = 10  # how many more dense candidates to draw when filtering afterwards
PROVINCE_MISMATCH = 0.35  # multiplier: another province's passage is almost never the answer
PERIOD_BONUS = {PeriodMatch.EXACT: 0.30, PeriodMatch.REPORT: 0.12, PeriodMatch.NONE: 0.0,
                PeriodMatch.CONFLICT: -0.30}
REFERENCE_BONUS = 0.45
# Questions just read, so that the chain and its retriever read each question once per answer (a few
# in flight at a time). Kept small on purpose: a result cache would hide the cost of reading a question.
UNDERSTOOD_CACHE_SIZE = 16


@dataclass
class Hit:
    chunk: StoredChunk
    score: float
    lexical: float = 0.0
    dense: float = 0.0
    period: PeriodMatch = PeriodMatch.NONE
    province_ok: bool = True
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.chunk.id

    @property
    def body(self) -> str:
        return self.chunk.text[int(self.chunk.metadata.get("header_len", 0)):]


@dataclass
class Filters:
    """Narrowing chosen by the user (UI filters), applied as hard filters."""

    provinces: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)

    def allows(self, meta: dict[str, Any]) -> bool:
        if self.provinces and meta.get("province") not in self.provinces:
            return False
        if self.files and meta.get("file") not in self.files:
            return False
        if self.years:
            years = years_of(meta)
            if years and not years & set(self.years):
                return False
        return True


def years_of(meta: dict[str, Any]) -> set[int]:
    """Years a report speaks about: those its periods span, else its issue year."""
    years = {y for p in report_periods(str(meta.get("periods") or "")) for y in range(p.start.year, p.end.year + 1)}
    issued = str(meta.get("issue_date") or "")[:4]
    return years or ({int(issued)} if issued.isdigit() else set())


def scope_meta(record: dict[str, Any]) -> dict[str, Any]:
    """A registry record in the shape chunk metadata has, for deciding which reports a search covers."""
    meta = record.get("metadata") or {}
    return {"doc_id": record.get("doc_id"), "file": record.get("file"), "province": meta.get("province") or "",
            "periods": ",".join(meta.get("period_keys") or []), "issue_date": meta.get("issue_date") or ""}


class HybridSearch:
    """The retrieval engine over one Index; thread-safe, state refreshed when the index changes."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self._lock = threading.Lock()
        self._restorer: DiacriticRestorer | None = None
        self._restorer_generation = ""
        self._generation = ""
        self._reports: list[dict[str, Any]] = []
        self._provinces: list[str] = []  # of the indexed reports, for reading questions
        self._chunk_ids: dict[str, list[str]] = {}  # report -> its chunks, from the registry
        self._df: dict[str, int] = {}
        self._n_chunks = 0
        self._chunks = ChunkCache()
        self._exact = ExactVectors(index.store, index.is_provisional)
        self._exact_held = False  # every vector in memory: dense search is exact (vectorstore/exact.py)
        self._understood: OrderedDict[tuple[str, str], QueryUnderstanding] = OrderedDict()
        self._checked_at = -REFRESH_S
        self._writes_seen = -1

    def refresh(self) -> None:
        """Keep the lexical cache, the report list, the term statistics and the chunk cache in step
        with Chroma: one cheap read when nothing changed, whoever changed it (this process, a CLI
        ingest, another app on the same Chroma server). Another process's change is looked for at most
        every REFRESH_S seconds (one question reads the marker once, not at every step); a change made
        in this process is seen at once."""
        now, writes = time.monotonic(), self.index.store.writes
        if now - self._checked_at < REFRESH_S and writes == self._writes_seen:
            return
        generation = self.index.store.generation()
        self._checked_at, self._writes_seen = now, writes
        with self._lock:
            if generation == self._generation:
                return
            self.index.sync_lexical()
            records = self.index.store.list_documents()
            self._reports = [scope_meta(r) for r in records]
            self._provinces = sorted({r["province"] for r in self._reports if r["province"]})
            self._chunk_ids = {r["doc_id"]: list(r.get("chunk_ids") or []) for r in records}
            self._df, self._n_chunks = self.index.lexical.document_frequencies()
            self._chunks.clear()
            self._exact_held = self._exact.refresh()
            self._generation = generation

    def chunks(self, ids: Sequence[str]) -> dict[str, StoredChunk]:
        """Chunks by id, from the cache when seen before (ids come from content, and the cache is
        emptied on every change of the index)."""
        found = self._chunks.get_many(ids)
        missing = [cid for cid in ids if cid not in found]
        if missing:
            fetched = self.index.store.get_chunks(missing)
            self._chunks.put_many(fetched)
            found.update((c.id, c) for c in fetched)
        return found

    def term_weight(self, token: str) -> float:
        """IDF of a search token; a token no report contains weighs most (it drives refusals)."""
        df = self._df.get(token, 0)
        return math.log(1.0 + (self._n_chunks + 1) / (df + 0.5))

    def doc_freq(self, token: str) -> int:
        return self._df.get(token, 0)

    @property
    def n_chunks(self) -> int:
        return self._n_chunks

    def understand(self, question: str) -> QueryUnderstanding:
        """Read the question with the index's own vocabulary (for typo correction); a question read
        before against the same index is not read again."""
        self.refresh()
        key = (question, self._generation)
        with self._lock:
            if key in self._understood:
                self._understood.move_to_end(key)
                return self._understood[key]
        q = understand(question, self._df or None, self._provinces)
        with self._lock:
            self._understood[key] = q
            while len(self._understood) > UNDERSTOOD_CACHE_SIZE:
                self._understood.popitem(last=False)
        return q

    def dense_query_text(self, q: QueryUnderstanding) -> str:
        """What the dense model reads: the question's content words (diacritics restored when typed
        without), cut to a token budget (see assistant/dense_text.py)."""
        text = q.content_text or q.corrected_text or q.text
        if not q.has_diacritics:
            text = self.restorer().restore(text)
        return within_budget(text, self.index.embeddings.count_tokens)

    def restorer(self) -> DiacriticRestorer:
        """Fitted on first need (a question typed without diacritics), not at start-up: over thousands
        of reports the fit takes minutes and most questions never use it."""
        self.refresh()
        with self._lock:
            if self._restorer is None or self._restorer_generation != self._generation:
                self._restorer = DiacriticRestorer().fit(c.text for c in self.index.store.iter_chunks())
                self._restorer_generation = self._generation
            return self._restorer

    def search(self, q: QueryUnderstanding, k: int = 10, filters: Filters | None = None) -> list[Hit]:
        started = time.perf_counter()
        self.refresh()
        scope = self.scope(q, filters)
        if scope is not None and not scope:
            return []  # the filters leave no report
        lexical_query = " ".join([q.corrected_text or q.text, *q.expansions])
        lexical = dict(self.index.lexical.search(lexical_query, LEXICAL_CANDIDATES, doc_ids=scope))
        vector = self.index.embeddings.embed_query(self.dense_query_text(q))
        dense = dict(self._dense(vector, scope))
        fused = fuse(lexical, dense)
        chunks = self.chunks(list(fused))
        hits = []
        for cid, base in fused.items():
            chunk = chunks.get(cid)
            if chunk is None or (filters and not filters.allows(chunk.metadata)):
                continue
            hits.append(self._rerank(q, Hit(chunk, base, lexical.get(cid, 0.0), dense.get(cid, 0.0))))
        hits.sort(key=lambda h: (h.score, h.id), reverse=True)  # ties (copies of a passage) always alike
        for h in hits:
            h.notes["search_ms"] = (time.perf_counter() - started) * 1000
        return hits[:k]

    def _dense(self, vector: Any, scope: set[str] | None) -> list[tuple[str, float]]:
        """Dense candidates within the scope: among the scope's chunk ids when they are few, else the
        best of the whole store kept if in scope (a Chroma metadata filter costs 10x either). Exact over
        the vectors in memory while the store is small enough to hold them."""
        ids = None if scope is None else [cid for doc in sorted(scope) for cid in self._chunk_ids.get(doc, ())]
        if self._exact_held and (ids is None or ids):
            return self._exact.search(vector, DENSE_CANDIDATES, ids)
        search = self.index.store.dense_search
        if ids is None:
            return search(vector, DENSE_CANDIDATES)
        if not ids:  # registry records without their chunk ids (written by hand or by old versions)
            return search(vector, DENSE_CANDIDATES, {"doc_id": {"$in": sorted(scope)}})
        if len(ids) <= MAX_SCOPED_CHUNKS:
            return search(vector, DENSE_CANDIDATES, ids=ids)
        allowed = set(ids)
        found = search(vector, DENSE_CANDIDATES * WIDEN)
        return [(cid, sim) for cid, sim in found if cid in allowed][:DENSE_CANDIDATES]

    def scope(self, q: QueryUnderstanding, filters: Filters | None) -> set[str] | None:
        """Reports the candidates may come from (None: all). The user's filters always narrow; a
        province the question names narrows too when it has reports, so that hundreds of look-alike
        reports of other provinces cannot crowd its passages out of the candidate lists."""
        reports = [r for r in self._reports if not filters or filters.allows(r)]
        named = [r for r in reports if r["province"] in q.provinces] if q.provinces else []
        chosen = named or reports
        if len(chosen) == len(self._reports):
            return None
        return {r["doc_id"] for r in chosen}

    def find_passage(self, doc_id: str, text: str) -> Hit | None:
        """A passage of report `doc_id` that holds `text` verbatim (best lexical match first)."""
        ids = [cid for cid, _ in self.index.lexical.search(text, 50, doc_ids={doc_id})]
        for chunk in self.chunks(ids).values():
            if chunk.metadata.get("doc_id") == doc_id and text in chunk.text:
                return Hit(chunk, 0.0)
        return None

    @staticmethod
    def _rerank(q: QueryUnderstanding, hit: Hit) -> Hit:
        meta = hit.chunk.metadata
        if q.provinces and meta.get("province") and meta.get("province") not in q.provinces:
            hit.province_ok = False
            hit.score *= PROVINCE_MISMATCH
        if q.periods:
            hit.period = match_periods(q.periods, hit.body, meta)
            hit.score += PERIOD_BONUS[hit.period]
        if q.references:
            text = fold(hit.chunk.text)
            if any(_names_reference(text, ref) for ref in q.references):
                hit.score += REFERENCE_BONUS
        return hit


class ChunkCache:
    """The chunks recent questions touched, bounded (a Chroma read of 80 chunks costs ~10 ms)."""

    def __init__(self, capacity: int = CHUNK_CACHE_SIZE) -> None:
        self.capacity = capacity
        self._items: OrderedDict[str, StoredChunk] = OrderedDict()
        self._lock = threading.Lock()

    def get_many(self, ids: Sequence[str]) -> dict[str, StoredChunk]:
        with self._lock:
            found = {cid: self._items[cid] for cid in ids if cid in self._items}
            for cid in found:
                self._items.move_to_end(cid)
            return found

    def put_many(self, chunks: Sequence[StoredChunk]) -> None:
        with self._lock:
            self._items.update((c.id, c) for c in chunks)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def _names_reference(folded_text: str, ref: ReferenceQuery) -> bool:
    if ref.number:
        return fold(ref.number) in folded_text
    return re.search(rf"(?<![\d/]){re.escape(ref.stem)}(?=[/-])", folded_text) is not None


class HybridRetriever(BaseRetriever):
    """LangChain face of `HybridSearch`: question in, `Document`s with metadata and scores out.

    The answer chain retrieves through it; `hit_of` turns its documents back into the `Hit`s the
    composers read (nothing is looked up again)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    engine: HybridSearch
    k: int = 10
    filters: Filters | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return [document_of(h) for h in self.engine.search(self.engine.understand(query), self.k, self.filters)]


def document_of(hit: Hit) -> Document:
    """The passage body as page content; chunk metadata plus how the search judged it."""
    meta = hit.chunk.metadata
    return Document(page_content=hit.body, id=hit.id, metadata={
        **meta, "chunk_id": hit.id, "score": hit.score, "lexical": hit.lexical, "dense": hit.dense,
        "period_match": str(hit.period), "province_ok": hit.province_ok,
        "context": hit.chunk.text[:int(meta.get("header_len", 0))]})


_SEARCH_KEYS = ("chunk_id", "score", "lexical", "dense", "period_match", "province_ok", "context")


def hit_of(doc: Document) -> Hit:
    """The `Hit` a `HybridRetriever` document was made from."""
    meta = doc.metadata
    chunk = StoredChunk(meta["chunk_id"], meta["context"] + doc.page_content,
                        {k: v for k, v in meta.items() if k not in _SEARCH_KEYS})
    return Hit(chunk, meta["score"], meta["lexical"], meta["dense"], PeriodMatch(meta["period_match"]),
               meta["province_ok"])
