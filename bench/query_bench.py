"""Query benchmark: retrieval and extractive-answer latency, peak RSS, index size, dev-set quality,
and the time until one newly added report is searchable.

    python -m bench.query_bench --index /tmp/idx-txt --label 5 --json /tmp/baocao-bench/query5.json
    python -m bench.query_bench --index /tmp/baocao-bench/s500/index --label 500 --distractors --new-report

Each dev question is asked --repeat times (after one warm-up pass, which also gives the cold start).
With --distractors the index holds SYNTHETIC reports next to the real ones; quality is then also
scored strictly (evidence must come from the gold report) and the trap questions are checked.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from pathlib import Path
from typing import Any

from bench.common import (
    BENCH_DIR,
    DEV_QA,
    dir_mb,
    load_jsonl,
    parser,
    peak_rss_mb,
    percentiles,
    rss_mb,
    scorer,
    settings_for,
    strict_first_hit,
    table,
    timed_answers,
    write_json,
)

TRAPS = ("temporal_trap", "province_trap")


def latency(service, questions: list[dict], repeat: int) -> dict[str, Any]:
    """Retrieval alone (understand + search) and the whole extractive answer, per question, in ms."""
    _, retrieve, answer = timed_answers(service, questions, repeat)
    return {"retrieve_ms": percentiles(retrieve), "answer_ms": percentiles(answer)}


def quality(records: list[dict], questions: list[dict], out: Path) -> dict[str, Any]:
    """score.py's summary, plus strict hit@k (gold report only) and the trap check."""
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    sc = scorer()
    summary = sc.summarise(sc.score(questions, records))
    by_id = {r["id"]: r for r in records}
    answerable = [q for q in questions if q.get("evidence")]
    ranks = [strict_first_hit(q, by_id[q["id"]]) for q in answerable]
    traps = {}
    for q in questions:
        if q["type"] in TRAPS and q.get("doc"):
            top = (by_id[q["id"]].get("retrieved") or [{}])[0]
            traps[q["id"]] = {"type": q["type"], "top1_file": top.get("file"), "ok": top.get("file") in q["doc"]}
    synthetic_top1 = sum(1 for r in records if (r.get("retrieved") or [{}])[0].get("file", "").startswith("SYN"))
    return {"hit@1": summary["hit@1"], "hit@5": summary["hit@5"], "accuracy": summary["accuracy"],
            "strict_hit@1": round(sum(1 for r in ranks if r and r <= 1) / len(ranks), 3),
            "strict_hit@5": round(sum(1 for r in ranks if r and r <= 5) / len(ranks), 3),
            "traps": traps, "traps_ok": f"{sum(t['ok'] for t in traps.values())}/{len(traps)}",
            "synthetic_top1": synthetic_top1}


def time_to_searchable(service, n_existing: int, hybrid: bool = True, timeout: float = 300.0) -> dict[str, Any]:
    """Ingest one new SYNTHETIC report in a thread; poll until its chunks come back from a search."""
    from bench.synth import variants, write_files
    from ingest.chunker import chunk_document
    from ingest.job import run_ingest
    from ingest.loaders import load
    from ingest.metadata import extract_metadata

    index, engine = service.index, service.engine
    v = variants(n_existing + 1, seed=66)[-1]  # another seed: its vectors are not cached, it embeds cold
    path = write_files([v], BENCH_DIR / "new-report")[0]
    doc = load(path)
    chunks = chunk_document(doc, path.name, extract_metadata(doc).to_dict())
    want = {c.id for c in chunks}
    # a question only this report answers: its passage with the most figures (thousands of look-alike
    # reports share every other word)
    probe = max(chunks, key=lambda c: sum(ch.isdigit() for ch in c.text)).text[-400:]
    done: dict[str, float] = {}
    t0 = time.perf_counter()

    def ingest() -> None:
        run_ingest(index, [path])
        done["ingest_s"] = time.perf_counter() - t0

    worker = threading.Thread(target=ingest)
    worker.start()
    lexical_s = retrievable_s = None
    while time.perf_counter() - t0 < timeout and retrievable_s is None:
        if lexical_s is None and want & {cid for cid, _ in index.lexical.search(probe, 10)}:
            lexical_s = time.perf_counter() - t0
            if not hybrid:
                break
        if lexical_s is not None and want & {h.id for h in engine.search(engine.understand(probe), 10)}:
            retrievable_s = time.perf_counter() - t0
        time.sleep(0.05)
    worker.join()
    return {"chunks": len(chunks), "lexical_searchable_s": lexical_s, "retrievable_s": retrievable_s,
            "ingest_done_s": done.get("ingest_s")}


def main() -> None:
    ap = parser(__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--label", default="")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--distractors", action="store_true", help="the index holds SYNTHETIC distractors")
    ap.add_argument("--new-report", action="store_true", help="measure time-to-searchable (modifies a copy)")
    ap.add_argument("--copy", action="store_true", help="work on a copy of --index (it is not modified)")
    ap.add_argument("--in-place", action="store_true", help="use --index itself even with --new-report")
    ap.add_argument("--no-quality", action="store_true", help="skip the dev-set scoring pass (latency only)")
    ap.add_argument("--no-hybrid-probe", action="store_true",
                    help="time-to-searchable: poll the lexical index only (the hybrid engine refits its "
                         "diacritic restorer on every new report, minutes at 5,000 reports)")
    args = ap.parse_args()
    index_dir = args.index
    if (args.copy or args.new_report) and not args.in_place:
        index_dir = BENCH_DIR / f"query-copy-{args.label or index_dir.name}"
        shutil.rmtree(index_dir, ignore_errors=True)
        shutil.copytree(args.index, index_dir)
    out = run(index_dir, args)
    write_json(args.json, out)


def run(index_dir: Path, args) -> dict[str, Any]:
    from assistant.service import AskService

    questions = load_jsonl(DEV_QA)
    load_start = os.getloadavg()[0]  # a shared 2-core machine: other jobs inflate every latency
    rss0 = rss_mb()
    t = time.perf_counter()
    service = AskService(settings_for(index_dir))
    records = [service.ask(q["question"], qid=q["id"]) for q in questions[:1]]
    cold = time.perf_counter() - t
    if not args.no_quality:
        records += [service.ask(q["question"], qid=q["id"]) for q in questions[1:]]
    lat = latency(service, questions, args.repeat)
    docs = len(service.index.store.list_documents())
    out = {"label": args.label, "index": str(index_dir), "reports": docs, "chunks": service.index.store.count(),
           "cold_start_s": cold, **lat, "rss_start_mb": rss0, "peak_rss_mb": peak_rss_mb(),
           "index_mb": dir_mb(index_dir), "load_start": load_start}
    if not args.no_quality:
        out["quality"] = quality(records, questions, BENCH_DIR / f"answers-{args.label or 'run'}.jsonl")
    if args.new_report:
        out["new_report"] = time_to_searchable(service, docs, hybrid=not args.no_hybrid_probe)
    _print(out)
    return out


def _print(out: dict[str, Any]) -> None:
    q, r, a = out.get("quality") or {}, out["retrieve_ms"], out["answer_ms"]
    rows = [["reports / chunks", f"{out['reports']} / {out['chunks']}"], ["cold start (open + first answer), s",
            out["cold_start_s"]], ["retrieval p50 / p95, ms", f"{r['p50']} / {r['p95']}"],
            ["extractive answer p50 / p95, ms", f"{a['p50']} / {a['p95']}"],
            ["peak RSS while serving, MB", out["peak_rss_mb"]], ["index size on disk, MB", out["index_mb"]],
            ["hit@1 / hit@5 (score.py)", f"{q.get('hit@1')} / {q.get('hit@5')}"],
            ["strict hit@1 / hit@5 (gold report)", f"{q.get('strict_hit@1')} / {q.get('strict_hit@5')}"],
            ["answer accuracy (score.py)", q.get("accuracy")], ["traps with the right report first", q.get("traps_ok")],
            ["questions with a SYNTHETIC passage first", q.get("synthetic_top1")],
            ["machine load average (1 min) at start / end", f"{out['load_start']:.1f} / {os.getloadavg()[0]:.1f}"]]
    if "new_report" in out:
        n = out["new_report"]
        rows += [["new report lexically searchable after, s", n["lexical_searchable_s"]],
                 ["new report retrievable (hybrid) after, s", n["retrievable_s"]],
                 ["new report ingest done after, s", n["ingest_done_s"]]]
    table(f"Queries over {out['label'] or out['index']} reports (extractive answers, {r['n']} samples each)",
          ["measure", "value"], rows)


if __name__ == "__main__":
    main()
