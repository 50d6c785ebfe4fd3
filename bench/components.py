"""Retrieval cost by component, per dev question, as the engine really runs them (its own methods timed in
place): understanding, query embedding, BM25, Chroma dense search, chunk fetch, rerank, and the whole search.

On a shared machine the end-to-end latencies of bench/query_bench.py move with other jobs' load; this
splits them so each part can be compared with its budget (and with the same run at another size). It also
reports how many tokens the dense model reads per question, against the whole question.

    python -m bench.components --index /tmp/baocao-bench/s500v2/index --label 500 --json OUT
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import DEV_QA, load_jsonl, parser, peak_rss_mb, percentiles, settings_for, table, write_json

STAGES = {  # label -> (object path on the engine, method)
    "understand": ("", "understand"),
    "embed query": ("index.embeddings", "embed_query"),
    "BM25 top 80": ("index.lexical", "search"),
    "dense top 30": ("index.store", "dense_search"),
    "fetch chunks (cache)": ("", "chunks"),
    "rerank (all candidates)": ("", "_rerank"),
}


def _timed(target: Any, name: str, spent: list[float]) -> None:
    """Replace target.name by a wrapper adding its time (ms) to the last slot of `spent`."""
    inner: Callable[..., Any] = getattr(target, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            spent[-1] += (time.perf_counter() - t) * 1000

    setattr(target, name, wrapper)


def measure(index_dir: Path, repeat: int) -> dict[str, Any]:
    from assistant.retriever import HybridSearch
    from vectorstore.index import open_index

    engine = HybridSearch(open_index(settings_for(index_dir)))
    questions = [q["question"] for q in load_jsonl(DEV_QA)]
    for q in questions:  # warm: lexical base loaded, passages seen once (as in a running app)
        engine.search(engine.understand(q), 10)
    count = engine.index.embeddings.count_tokens
    tokens = {"question": [count(q) or 0 for q in questions],
              "dense text": [count(engine.dense_query_text(engine.understand(q))) or 0 for q in questions]}
    ms: dict[str, list[float]] = {label: [] for label in [*STAGES, "whole search (understand + search)"]}
    for label, (path, name) in STAGES.items():
        target = engine
        for part in filter(None, path.split(".")):
            target = getattr(target, part)
        _timed(target, name, ms[label])
    for _ in range(repeat):
        for q in questions:
            for spent in ms.values():
                spent.append(0.0)
            t = time.perf_counter()
            engine.search(engine.understand(q), 10)
            ms["whole search (understand + search)"][-1] = (time.perf_counter() - t) * 1000
    return {"chunks": engine.index.store.count(), "peak_rss_mb": peak_rss_mb(), "load": os.getloadavg()[0],
            "model_tokens_mean": {k: round(statistics.mean(v), 1) for k, v in tokens.items()},
            **{k: percentiles(v) for k, v in ms.items()}}


def main() -> None:
    ap = parser(__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--label", default="")
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    out = measure(args.index, args.repeat)
    rows = [[k, v["p50"], v["p95"]] for k, v in out.items() if isinstance(v, dict) and "p50" in v]
    toks = out["model_tokens_mean"]
    rows.append(["model tokens per question: whole / dense text", toks["question"], toks["dense text"]])
    table(f"Retrieval components, {args.label or args.index} ({out['chunks']} chunks, load {out['load']:.1f})",
          ["component", "p50 ms", "p95 ms"], rows)
    write_json(args.json, {"label": args.label, **out})


if __name__ == "__main__":
    main()
