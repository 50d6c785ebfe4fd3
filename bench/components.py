"""Retrieval cost by component, per dev question: query embedding, BM25 search, Chroma dense search, chunk fetch.

On a shared machine the end-to-end latencies of bench/query_bench.py move with other jobs' load; this
splits them so each part can be compared with its budget (and with the same run at another size).

    python -m bench.components --index /tmp/baocao-bench/s500v2/index --label 500 --json OUT
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from bench.common import DEV_QA, load_jsonl, parser, peak_rss_mb, percentiles, settings_for, table, write_json


def measure(index_dir: Path, repeat: int) -> dict[str, Any]:
    from vectorstore.index import open_index

    index = open_index(settings_for(index_dir))
    questions = [q["question"] for q in load_jsonl(DEV_QA)]
    t = time.perf_counter()
    index.lexical.search(questions[0], 1)  # fit or load the BM25 base
    open_s = time.perf_counter() - t
    index.embeddings.embed_query(questions[0])
    ms: dict[str, list[float]] = {"embed query": [], "BM25 top 80": [], "dense top 30": [], "fetch chunks": []}
    for _ in range(repeat):
        for q in questions:
            t0 = time.perf_counter()
            vec = index.embeddings.embed_query(q)
            t1 = time.perf_counter()
            lex = index.lexical.search(q, 80)
            t2 = time.perf_counter()
            dense = index.store.dense_search(vec, 30)
            t3 = time.perf_counter()
            index.store.get_chunks(list({cid for cid, _ in lex} | {cid for cid, _ in dense}))
            t4 = time.perf_counter()
            for name, a, b in [("embed query", t0, t1), ("BM25 top 80", t1, t2), ("dense top 30", t2, t3),
                               ("fetch chunks", t3, t4)]:
                ms[name].append((b - a) * 1000)
    return {"chunks": index.store.count(), "bm25_open_s": open_s, "peak_rss_mb": peak_rss_mb(),
            "load": os.getloadavg()[0], **{k: percentiles(v) for k, v in ms.items()}}


def main() -> None:
    ap = parser(__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--label", default="")
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    out = measure(args.index, args.repeat)
    rows = [[k, v["p50"], v["p95"]] for k, v in out.items() if isinstance(v, dict)]
    rows.append(["BM25 open (fit or snapshot load), s", out["bm25_open_s"], ""])
    table(f"Retrieval components, {args.label or args.index} ({out['chunks']} chunks, load {out['load']:.1f})",
          ["component", "p50 ms", "p95 ms"], rows)
    write_json(args.json, {"label": args.label, **out})


if __name__ == "__main__":
    main()
