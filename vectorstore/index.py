"""One handle on everything an index directory holds: Chroma, the lexical cache, the model, the vector cache."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from vectorstore.chroma_store import ChromaStore
from vectorstore.embeddings import BaocaoEmbeddings, VectorCache, make_embeddings
from vectorstore.errorlog import SkippedChunks
from vectorstore.lexical import LexicalIndex
from vectorstore.settings import Settings


@dataclass
class Index:
    settings: Settings

    @cached_property
    def store(self) -> ChromaStore:
        return ChromaStore(self.settings)

    @cached_property
    def lexical(self) -> LexicalIndex:
        # in server mode every app process keeps its own cache, named after the server
        name = "lexical.sqlite"
        if self.settings.server_mode:
            name = f"lexical-{self.settings.chroma_host}-{self.settings.chroma_port}.sqlite"
        return LexicalIndex(self.settings.index_dir / name)

    @cached_property
    def embeddings(self) -> BaocaoEmbeddings:
        return make_embeddings(self.settings.embeddings)

    @cached_property
    def vector_cache(self) -> VectorCache:
        path = self.settings.vector_cache or self.settings.index_dir / "vectors.sqlite"
        return VectorCache(path, self.embeddings.model_id)

    @cached_property
    def provisional_vector(self) -> np.ndarray:
        """Stand-in vector for a chunk whose real vector is still being computed.

        The opposite of a passage vector: every real passage and query lies in a narrow cone
        (cosine > 0.9 with each other for e5), so no dense search ranks a provisional chunk; it is
        found by its words until the ingest job stores its real vector.
        """
        v = -self.embeddings.encode_passages(["."])[0]
        return (v / np.linalg.norm(v)).astype(np.float32)

    def is_provisional(self, vector: np.ndarray) -> bool:
        return float(np.dot(vector, self.provisional_vector)) > 0.99

    @property
    def files_dir(self):
        return self.settings.index_dir / "files"

    def sync_lexical(self, skipped: SkippedChunks | None = None) -> int:
        """Bring the lexical cache in step with Chroma (the truth); returns how many rows changed.

        A chunk that cannot be tokenised is skipped and reported to `skipped` (by default: logged),
        so one odd chunk never makes every question fail; `baocao doctor` lists it.
        """
        skipped = skipped or SkippedChunks("chỉ mục từ khóa", self.settings.index_dir)
        with _SYNC_LOCK:
            if self.lexical.is_stale_tokenizer():
                self.lexical.clear()
            truth = set(self.store.chunk_ids())
            have = self.lexical.ids()
            extra = list(have - truth)
            missing = list(truth - have)
            if extra:
                self.lexical.remove(extra)
            for i in range(0, len(missing), 1000):
                rows = self.store.get_chunks(missing[i : i + 1000])
                self.lexical.add(((c.id, c.metadata.get("doc_id", ""), c.text) for c in rows), on_error=skipped)
            return len(extra) + len(missing)


_SYNC_LOCK = threading.Lock()
_OPEN: dict[Settings, Index] = {}
_OPEN_LOCK = threading.Lock()


def open_index(settings: Settings) -> Index:
    """One Index per settings per process (Chroma clients and models are costly to open twice)."""
    with _OPEN_LOCK:
        if settings not in _OPEN:
            _OPEN[settings] = Index(settings)
        return _OPEN[settings]
