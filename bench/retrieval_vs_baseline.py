"""The naive LangChain recipe, measured in the same run as ours on the same reports and questions.

Naive = whole file text -> RecursiveCharacterTextSplitter(1000, 200) -> langchain_chroma.Chroma, dense only,
same e5 embeddings (passage vectors cached in a sqlite VectorCache so reruns do not re-embed); the top 10
of `similarity_search` are its retrieved passages. Ours = AskService (hybrid retrieval + extractive answer).

    python -m bench.retrieval_vs_baseline --json /tmp/baocao-bench/naive.json          # the 5 real reports
    python -m bench.retrieval_vs_baseline --distractors 500 --json /tmp/baocao-bench/naive500.json

Both sides are scored by ../shared/eval/score.py: hit@1/3/5/10 and MRR@10 over the answerable dev questions,
the same for the hard types alone (no diacritics, typos, paraphrases, footnotes, tables), and strict hit@5
(the evidence from a gold report, which matters once look-alike reports are loaded).

With --distractors N both sides also hold N SYNTHETIC reports (bench/synth.py); their naive chunks reuse
the vector of the real chunk at the same position (like ours), so no new embedding is computed.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from bench.common import (
    BENCH_DIR,
    CORPUS,
    DEV_QA,
    load_jsonl,
    parser,
    percentiles,
    settings_for,
    table,
    timed_answers,
    write_json,
)

CHUNK_SIZE, CHUNK_OVERLAP = 1000, 200


class CachedE5(Embeddings):
    """The project's e5 model behind LangChain's interface, passages served from a VectorCache."""

    def __init__(self, cache_path: Path) -> None:
        from vectorstore.embeddings import VectorCache, make_embeddings

        self.model = make_embeddings("e5")
        self.cache = VectorCache(cache_path, self.model.model_id)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        from vectorstore.embeddings import embed_with_cache

        return embed_with_cache(self.model, self.cache, texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.model.embed_query(text)


def _split(paths: list[Path]):
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
    docs = [Document(p.read_text(encoding="utf-8"), metadata={"file": p.name}) for p in paths]
    return splitter.split_documents(docs)


def _prefill_synthetic(emb: CachedE5, real: list[Path], synthetic: list[Path]) -> int:
    """Give each SYNTHETIC naive chunk the vector of the real naive chunk at the same position."""
    by_stem = {p.stem: [d.page_content for d in _split([p])] for p in real}
    vecs = {stem: np.asarray(emb.embed_documents(chunks), dtype=np.float32) for stem, chunks in by_stem.items()}
    n = 0
    for p in synthetic:
        src = vecs[p.stem.split("_", 1)[1]]
        chunks = [d.page_content for d in _split([p])]
        emb.cache.put_many(chunks, np.stack([src[min(i, len(src) - 1)] for i in range(len(chunks))]))
        n += len(chunks)
    return n


def build_naive(root: Path, paths: list[Path], emb: CachedE5) -> tuple[Any, dict[str, Any]]:
    from langchain_chroma import Chroma

    shutil.rmtree(root / "chroma", ignore_errors=True)
    t = time.perf_counter()
    chunks = _split(paths)
    split_s = time.perf_counter() - t
    store = Chroma("naive", embedding_function=emb, persist_directory=str(root / "chroma"),
                   collection_metadata={"hnsw:space": "cosine"})
    for i in range(0, len(chunks), 1000):
        store.add_documents(chunks[i : i + 1000])
    return store, {"chunks": len(chunks), "split_s": split_s, "ingest_s": time.perf_counter() - t}


def naive_answers(store, questions: list[dict], repeat: int) -> tuple[list[dict], list[float]]:
    ms, records = [], {}
    for _ in range(repeat):
        for q in questions:
            t = time.perf_counter()
            docs = store.similarity_search_with_score(q["question"], k=10)
            ms.append((time.perf_counter() - t) * 1000)
            records[q["id"]] = {"id": q["id"], "answer": "", "abstained": False, "citations": [], "retrieved": [
                {"file": d.metadata.get("file"), "text": d.page_content, "score": float(s)} for d, s in docs]}
    return list(records.values()), ms


def ours(index_dir: Path, questions: list[dict], repeat: int) -> tuple[list[dict], list[float], list[float]]:
    from assistant.service import AskService

    service = AskService(settings_for(index_dir))
    service.ask(questions[0]["question"])  # warm-up: opens the store, fits the lexical index
    records, retrieve, answer = timed_answers(service, questions, repeat)
    return list(records.values()), retrieve, answer


HARD_TYPES = ("no_diacritics", "typo", "paraphrase", "footnote", "table")
KS = (1, 3, 5, 10)


def _hits(rows: list[dict[str, Any]]) -> dict[str, float | None]:
    """hit@k and MRR@10 over answerable score.py rows (rank = first retrieved passage with the evidence)."""
    if not rows:
        return {**{f"hit@{k}": None for k in KS}, "mrr@10": None}
    out: dict[str, float | None] = {f"hit@{k}": round(sum(1 for r in rows if r["rank"] and r["rank"] <= k)
                                                      / len(rows), 3) for k in KS}
    out["mrr@10"] = round(sum(1 / r["rank"] for r in rows if r["rank"]) / len(rows), 3)
    return out


def _quality(records: list[dict], questions: list[dict]) -> dict[str, Any]:
    from bench.common import scorer, strict_first_hit

    rows = [r for r in scorer().score(questions, records) if r["answerable"]]
    by_id = {r["id"]: r for r in records}
    ranks = [strict_first_hit(q, by_id[q["id"]]) for q in questions if q.get("evidence")]
    hard = [r for r in rows if r["type"] in HARD_TYPES]
    return {**_hits(rows), "hard": {"n": len(hard), **_hits(hard)},
            "strict_hit@5": round(sum(1 for r in ranks if r and r <= 5) / len(ranks), 3)}


def main() -> None:
    ap = parser(__doc__.splitlines()[0])
    ap.add_argument("--distractors", type=int, default=0, help="add N SYNTHETIC reports to both sides")
    ap.add_argument("--ours-index", type=Path, default=None, help="our index holding the same reports "
                    "(default: a copy of the ready 5-report index)")
    ap.add_argument("--synthetic-dir", type=Path, default=BENCH_DIR / "syn500",
                    help="where the SYNTHETIC files are (the folder the scale index was built from)")
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    root = BENCH_DIR / f"naive-{args.distractors}"
    root.mkdir(parents=True, exist_ok=True)
    questions = load_jsonl(DEV_QA)
    real = sorted((CORPUS / "txt").glob("*.txt"))
    emb = CachedE5(BENCH_DIR / "naive-vectors.sqlite")
    paths, prefilled = list(real), 0
    if args.distractors:
        from bench.synth import variants, write_files

        synthetic = write_files(variants(args.distractors), args.synthetic_dir)
        prefilled = _prefill_synthetic(emb, real, synthetic)
        paths += synthetic
    store, build = build_naive(root, paths, emb)
    n_records, n_ms = naive_answers(store, questions, args.repeat)
    ours_index = args.ours_index or _copy_ready(root)
    o_records, o_ret, o_ans = ours(ours_index, questions, args.repeat)
    out = {"reports": len(paths), "synthetic_chunks_with_reused_vectors": prefilled, "naive_build": build,
           "naive": {"retrieve_ms": percentiles(n_ms), **_quality(n_records, questions)},
           "ours": {"retrieve_ms": percentiles(o_ret), "answer_ms": percentiles(o_ans),
                    **_quality(o_records, questions)}}
    _print(out)
    write_json(args.json, out)


def _copy_ready(root: Path) -> Path:
    from bench.common import READY_TXT_INDEX

    dst = root / "ours-index"
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(READY_TXT_INDEX, dst)
    return dst


def _print(out: dict[str, Any]) -> None:
    n, o = out["naive"], out["ours"]

    def ratio(a: float | None, b: float | None) -> str:
        return f"{a / b:.2f}x" if a and b else "n/a"

    def row(label: str, a: float | None, b: float | None) -> list[Any]:
        return [label, a, b, ratio(b, a)]

    rows = [
        row("retrieval p50, ms", n["retrieve_ms"]["p50"], o["retrieve_ms"]["p50"]),
        row("retrieval p95, ms", n["retrieve_ms"]["p95"], o["retrieve_ms"]["p95"]),
        row("answer p95, ms (ours: extractive end to end)", n["retrieve_ms"]["p95"], o["answer_ms"]["p95"]),
        *[row(f"{m} (score.py)", n[m], o[m]) for m in (*[f"hit@{k}" for k in KS], "mrr@10")],
        *[row(f"hard types ({n['hard']['n']} q.): {m}", n["hard"][m], o["hard"][m]) for m in ("hit@1", "hit@5")],
        row("strict hit@5 (gold report)", n["strict_hit@5"], o["strict_hit@5"]),
    ]
    table(f"Naive LangChain recipe vs ours, {out['reports']} reports ({out['naive_build']['chunks']} naive chunks)",
          ["measure", "naive", "ours", "ours / naive"], rows)


if __name__ == "__main__":
    main()
