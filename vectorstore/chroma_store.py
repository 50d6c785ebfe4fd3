"""The Chroma adapter: chunks (text, metadata, vector) and the document registry.

Chroma is the single source of truth (DESIGN.md). Two collections:
``<name>`` holds the chunks; ``<name>_documents`` holds one registry record
per report (file hash, metadata, chunk ids, status). Registry records carry a
1-dimensional dummy vector: Chroma needs one, nothing searches it. A third,
``<name>_state``, holds one marker rewritten by every change, so that every
process reading the store (app, CLI, other servers' clients) can tell cheaply
that its caches are stale.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import chromadb
import httpx
import numpy as np
from chromadb.config import Settings as ChromaSettings

from vectorstore.embeddings import BaocaoChromaEmbeddingFunction
from vectorstore.settings import Settings

log = logging.getLogger(__name__)

BATCH = 1000
_GENERATION = "generation"


class StoreUnavailable(RuntimeError):
    """The Chroma server cannot be reached (message in Vietnamese)."""


@dataclass
class StoredChunk:
    id: str
    text: str
    metadata: dict[str, Any]
    score: float = 0.0


def _unavailable(settings: Settings) -> StoreUnavailable:
    return StoreUnavailable(
        f"Không kết nối được máy chủ Chroma tại {settings.chroma_host}:{settings.chroma_port}. "
        "Hãy kiểm tra máy chủ đã chạy (chroma run) rồi thử lại."
    )


class _Reconnecting:
    """A server collection whose connection failures become StoreUnavailable.

    The HTTP client reconnects by itself on the next call, so once the server is back the same
    collection object works again: the app needs no restart.
    """

    def __init__(self, collection: Any, settings: Settings) -> None:
        self._collection, self._settings = collection, settings

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._collection, name)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return attr(*args, **kwargs)
            except httpx.TransportError as exc:
                raise _unavailable(self._settings) from exc

        return call


def _client(settings: Settings) -> chromadb.ClientAPI:
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.server_mode:
        try:
            client = chromadb.HttpClient(
                host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
            )
            client.heartbeat()
        except Exception as exc:  # noqa: BLE001 - connection errors vary by transport
            raise _unavailable(settings) from exc
        return client
    path = settings.index_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


class ChromaStore:
    """Chunks and registry records in Chroma, embedded or on a server."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.client = _client(settings)
        ef = BaocaoChromaEmbeddingFunction(settings.embeddings)
        self.chunks = self.client.get_or_create_collection(
            settings.collection, embedding_function=ef, configuration={"hnsw": {"space": "cosine"}}
        )
        self.docs = self.client.get_or_create_collection(
            f"{settings.collection}_documents", embedding_function=None
        )
        self.state = self.client.get_or_create_collection(f"{settings.collection}_state", embedding_function=None)
        if settings.server_mode:
            self.chunks, self.docs = _Reconnecting(self.chunks, settings), _Reconnecting(self.docs, settings)
            self.state = _Reconnecting(self.state, settings)
        self.writes = 0  # changes made through this handle (seen at once, without reading the marker)

    # ---- change marker ------------------------------------------------------
    def generation(self) -> str:
        """Changes whenever chunks or registry records change. A store written before the marker existed
        gets one on first read (writers of this version move it from then on). The marker is the state
        collection's metadata: rewriting it costs ~1 ms, a record upsert ~8 ms (four per ingested file)."""
        try:
            marker = (self.client.get_collection(self.state.name).metadata or {}).get(_GENERATION)
        except httpx.TransportError as exc:
            raise _unavailable(self.settings) from exc
        if marker:
            return str(marker)
        self._changed()
        return self.generation()

    def _changed(self) -> None:
        self.writes += 1
        # a random token, not a counter: two writers racing on n+1 would leave readers unaware of one
        self.state.modify(metadata={_GENERATION: uuid.uuid4().hex})

    # ---- chunks -------------------------------------------------------------
    def upsert_chunks(
        self, ids: Sequence[str], texts: Sequence[str], metadatas: Sequence[dict], vectors: np.ndarray
    ) -> None:
        for i in range(0, len(ids), BATCH):
            sl = slice(i, i + BATCH)
            self.chunks.upsert(
                ids=list(ids[sl]),
                documents=list(texts[sl]),
                metadatas=list(metadatas[sl]),
                embeddings=np.asarray(vectors[sl], dtype=np.float32),
            )
        self._changed()

    def delete_chunks(self, ids: Sequence[str]) -> None:
        for i in range(0, len(ids), BATCH):
            self.chunks.delete(ids=list(ids[i : i + BATCH]))
        self._changed()

    def chunk_ids(self, where: dict | None = None) -> list[str]:
        return list(self.chunks.get(where=where, include=[])["ids"])

    def existing_vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Vectors already stored for these ids (so unchanged chunks are never re-embedded)."""
        out: dict[str, np.ndarray] = {}
        for i in range(0, len(ids), BATCH):
            got = self.chunks.get(ids=list(ids[i : i + BATCH]), include=["embeddings"])
            for cid, vec in zip(got["ids"], got["embeddings"]):
                out[cid] = np.asarray(vec, dtype=np.float32)
        return out

    def get_with_vectors(self, ids: Sequence[str]) -> tuple[list[str], list[str], list[dict], np.ndarray]:
        """Ids, texts, metadatas and vectors of chunks: what it takes to write them back unchanged."""
        out: tuple[list[str], list[str], list[dict]] = ([], [], [])
        vecs: list[np.ndarray] = []
        for i in range(0, len(ids), BATCH):
            got = self.chunks.get(ids=list(ids[i : i + BATCH]), include=["documents", "metadatas", "embeddings"])
            out[0].extend(got["ids"])
            out[1].extend(got["documents"])
            out[2].extend(m or {} for m in got["metadatas"])
            vecs.extend(np.asarray(v, dtype=np.float32) for v in got["embeddings"])
        return out[0], out[1], out[2], np.stack(vecs) if vecs else np.zeros((0, 0), dtype=np.float32)

    def get_chunks(self, ids: Sequence[str]) -> list[StoredChunk]:
        if not ids:  # Chroma refuses an empty id list (a question none of whose words is indexed)
            return []
        got = self.chunks.get(ids=list(ids), include=["documents", "metadatas"])
        found = {
            cid: StoredChunk(cid, doc, meta or {})
            for cid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"])
        }
        return [found[c] for c in ids if c in found]

    def iter_chunks(self, where: dict | None = None) -> Iterator[StoredChunk]:
        """All chunks in pages (for rebuilding derived indexes).

        Pages are fetched by id, not by offset: an offset page costs a scan of everything before
        it, which made a full pass quadratic on an index of thousands of reports.
        """
        ids = self.chunk_ids(where)
        for i in range(0, len(ids), BATCH):
            got = self.chunks.get(ids=ids[i : i + BATCH], include=["documents", "metadatas"])
            for cid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"]):
                yield StoredChunk(cid, doc, meta or {})

    def count(self) -> int:
        return self.chunks.count()

    def dense_search(self, vector: Sequence[float], k: int, where: dict | None = None,
                     ids: Sequence[str] | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity), best first, optionally among `ids` only. Texts are not fetched:
        a query asking Chroma for them costs 3-4x more, and the retriever keeps the chunks it has seen.
        Measured at 5,000 reports: a metadata filter costs 100-300 ms, a list of chunk ids 10-20 ms."""
        # Chroma caps n_results at the collection size itself; counting first cost a round trip per query
        try:
            res = self.chunks.query(
                query_embeddings=[np.asarray(vector, dtype=np.float32)], n_results=k, where=where,
                ids=list(ids) if ids is not None else None, include=["distances"],
            )
        except Exception:  # noqa: BLE001 - an empty collection refuses queries in some Chroma versions
            if self.count() == 0:
                return []
            raise
        # a negative similarity is a chunk still waiting for its vector (Index.provisional_vector)
        scored = ((cid, 1.0 - float(dist)) for cid, dist in zip(res["ids"][0], res["distances"][0]))
        return [(cid, sim) for cid, sim in scored if sim > -0.5]

    # ---- registry -----------------------------------------------------------
    def put_document(self, record: dict[str, Any]) -> None:
        self.put_documents([record])

    def put_documents(self, records: Sequence[dict[str, Any]]) -> None:
        """Several registry records in one write (the ingest job writes files in groups)."""
        for i in range(0, len(records), BATCH):
            part = records[i : i + BATCH]
            self.docs.upsert(
                ids=[r["doc_id"] for r in part],
                documents=[json.dumps(r, ensure_ascii=False) for r in part],
                metadatas=[{"file": r["file"], "sha256": r["sha256"], "status": r["status"]} for r in part],
                embeddings=[[0.0]] * len(part),
            )
        self._changed()

    def get_documents(self, doc_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Registry records by doc id, in a few reads (re-ingest of thousands of unchanged files)."""
        out: dict[str, dict[str, Any]] = {}
        unique = list(dict.fromkeys(doc_ids))
        for i in range(0, len(unique), BATCH):
            got = self.docs.get(ids=unique[i : i + BATCH], include=["documents"])
            out.update((d, json.loads(doc)) for d, doc in zip(got["ids"], got["documents"]))
        return out

    def get_document(self, doc_id: str) -> dict[str, Any] | None:
        got = self.docs.get(ids=[doc_id], include=["documents"])
        return json.loads(got["documents"][0]) if got["ids"] else None

    def list_documents(self) -> list[dict[str, Any]]:
        got = self.docs.get(include=["documents"])
        return sorted((json.loads(d) for d in got["documents"]), key=lambda r: r["file"])

    def delete_document(self, doc_id: str) -> None:
        self.docs.delete(ids=[doc_id])
        self._changed()
