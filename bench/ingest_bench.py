"""Ingest benchmark: per-stage seconds and chunks/s, raw embedder passages/s, re-ingest of unchanged files.

Runs, each printed as a table (and written with --json):
1. cold ingest of the real reports (empty index, empty vector cache: every chunk is embedded), the
   same chunks then embedded again by the bare model (raw passages/s, same run, same batch size),
   and a re-ingest of the unchanged files;
2. with --synthetic N: N SYNTHETIC reports through the full pipeline with vectors served from a
   prefilled cache (the pipeline without the embedder, at scale);
3. with --reingest INDEX --files DIR: re-ingest of an existing (e.g. 5,000-report) index's unchanged files.

    python -m bench.ingest_bench --formats txt --synthetic 200 --json /tmp/baocao-bench/ingest.json
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

from bench.common import BENCH_DIR, CORPUS, Stages, parser, settings_for, table, write_json

STAGE_ORDER = ["hash", "load", "repair", "structure", "metadata", "chunk", "embed", "chroma", "lexical", "copy",
               "other"]


def instrument(index, stages: Stages) -> None:
    """Time each pipeline stage by wrapping the functions ingest_file calls (benchmark only)."""
    import ingest.chunker
    import ingest.job
    import ingest.loaders
    import ingest.loaders.text

    for owner, attr, name in [
        (ingest.job, "file_sha256", "hash"), (ingest.job, "load", "load"),
        (ingest.loaders.text, "read_text", "repair"), (ingest.loaders.text, "parse_wrapped", "repair"),
        (ingest.loaders, "_repair_legacy_font", "repair"), (ingest.chunker, "place_blocks", "structure"),
        (ingest.job, "extract_metadata", "metadata"), (ingest.job, "chunk_document", "chunk"),
        (ingest.job, "embed_with_cache", "embed"), (ingest.job.shutil, "copy2", "copy"),
    ]:
        stages.wrap(owner, attr, name)
    for attr in ("get_document", "get_documents", "put_document", "put_documents", "upsert_chunks", "chunk_ids",
                 "delete_chunks", "existing_vectors"):
        if hasattr(index.store, attr):
            stages.wrap(index.store, attr, os.environ.get("BENCH_SPLIT") and f"chroma.{attr}" or "chroma")
    for attr in ("add", "remove_doc", "remove"):
        stages.wrap(index.lexical, attr, "lexical")
    stages.wrap(index.vector_cache, "get_many", "embed")  # vectors found in the cache count as embed


def timed_ingest(index, paths: list[Path]) -> dict[str, Any]:
    from ingest.job import run_ingest

    stages = Stages()
    instrument(index, stages)
    with stages.stage("other"):
        report = run_ingest(index, paths)
    chunks = sum(r.chunks for r in report.results if r.status in ("indexed", "replaced"))
    refused = [r.file for r in report.results if r.status == "refused"]
    return {"seconds": report.seconds, "chunks": chunks, "files": len(report.results), "refused": refused,
            "stages": {k: stages.seconds.get(k, 0.0) for k in STAGE_ORDER}, "results": report.results}


def _stage_rows(run: dict[str, Any]) -> list[list[Any]]:
    n = max(run["chunks"], 1)
    rows = [[k, s, n / s if s > 0 else None, 100 * s / run["seconds"]] for k, s in run["stages"].items() if s > 0]
    non_embed = run["seconds"] - run["stages"].get("embed", 0.0)
    rows.append(["all but embed", non_embed, n / non_embed if non_embed else None, 100 * non_embed / run["seconds"]])
    rows.append(["total", run["seconds"], n / run["seconds"], 100.0])
    return rows


def _fresh(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    return path


def _reset_open_index_cache() -> None:
    import vectorstore.index as vi

    vi._OPEN.clear()  # each benchmark index gets its own instrumented Index


def cold_real(fmt: str) -> dict[str, Any]:
    """Cold ingest of the real reports of one format, raw embedder on the same chunks, then re-ingest.

    Files are ingested one at a time, each followed by the bare model embedding that file's chunks, so
    both see the same machine load (a shared 2-core machine's load changes from minute to minute).
    """
    from ingest.job import EMBED_BATCH
    from vectorstore.index import open_index

    _reset_open_index_cache()
    root = _fresh(BENCH_DIR / f"ingest-{fmt}")
    index = open_index(settings_for(root / "index", root / "vectors.sqlite"))
    index.store, index.lexical, index.embeddings  # noqa: B018 - open before timing (process start, not ingest)
    paths = sorted((CORPUS / fmt).glob(f"*.{fmt}"))
    stages = Stages()
    instrument(index, stages)
    run = {"seconds": 0.0, "chunks": 0, "files": len(paths), "refused": []}
    raw_s = 0.0
    for path in paths:
        one = _ingest_once(index, stages, path)
        run["seconds"] += one["seconds"]
        run["chunks"] += one["chunks"]
        texts = [c.text for c in index.store.iter_chunks(where={"doc_id": path.name})]
        t = time.perf_counter()
        for i in range(0, len(texts), EMBED_BATCH):
            index.embeddings.encode_passages(texts[i : i + EMBED_BATCH])
        raw_s += time.perf_counter() - t
    run["stages"] = {k: stages.seconds.get(k, 0.0) for k in STAGE_ORDER}
    raw = run["chunks"] / raw_s
    again = timed_ingest(index, paths)
    run.update(raw_passages_per_s=raw, pipeline_chunks_per_s=run["chunks"] / run["seconds"],
               ratio_to_raw=run["chunks"] / run["seconds"] / raw, reingest_seconds=again["seconds"])
    table(f"Cold ingest, {len(paths)} real {fmt} reports, {run['chunks']} chunks (every chunk embedded)",
          ["stage", "seconds", "chunks/s", "% of run"], _stage_rows(run))
    table("Embedder vs pipeline (same chunks, same run, interleaved per file)", ["measure", "value"], [
        ["raw embedder passages/s", raw], ["pipeline chunks/s", run["pipeline_chunks_per_s"]],
        ["pipeline / raw (target >= 0.9)", run["ratio_to_raw"]],
        [f"re-ingest of {len(paths)} unchanged files, s", again["seconds"]]])
    return run


def _ingest_once(index, stages: Stages, path: Path) -> dict[str, Any]:
    from ingest.job import run_ingest

    with stages.stage("other"):
        report = run_ingest(index, [path])
    return {"seconds": report.seconds, "chunks": sum(r.chunks for r in report.results if r.status != "refused")}


def synthetic_run(n: int) -> dict[str, Any]:
    """N SYNTHETIC reports through the whole pipeline; vectors reused (prefilled cache), so embed ~ lookup."""
    from bench.synth import prefill_vectors, variants, write_files
    from vectorstore.embeddings import VectorCache
    from vectorstore.index import open_index

    _reset_open_index_cache()
    root = _fresh(BENCH_DIR / f"ingest-syn{n}")
    paths = write_files(variants(n), root / "files")
    index = open_index(settings_for(root / "index", root / "vectors.sqlite"))
    index.store, index.lexical, index.embeddings  # noqa: B018
    prefill = prefill_vectors(VectorCache(root / "vectors.sqlite", index.embeddings.model_id), paths)
    run = timed_ingest(index, paths)
    run["prefill"] = prefill
    table(f"Ingest of {n} SYNTHETIC reports, {run['chunks']} chunks (vectors REUSED from the real chunks; "
          "embed = cache lookup)", ["stage", "seconds", "chunks/s", "% of run"], _stage_rows(run))
    return run


def reingest(index_dir: Path, files: list[Path], vector_cache: Path | None) -> dict[str, Any]:
    from ingest.job import run_ingest
    from vectorstore.index import open_index

    _reset_open_index_cache()
    index = open_index(settings_for(index_dir, vector_cache))
    index.store, index.lexical  # noqa: B018
    t = time.perf_counter()
    report = run_ingest(index, files)
    seconds = time.perf_counter() - t
    out = {"files": len(report.results), "unchanged": report.count("unchanged"), "seconds": seconds}
    table(f"Re-ingest of an index's unchanged files ({index_dir})", ["files", "unchanged", "seconds"],
          [[out["files"], out["unchanged"], seconds]])
    return out


def main() -> None:
    ap = parser(__doc__.splitlines()[0])
    ap.add_argument("--formats", default="txt", help="comma-separated: txt,docx,pdf (each embeds cold)")
    ap.add_argument("--synthetic", type=int, default=0, help="also ingest N SYNTHETIC reports (vectors reused)")
    ap.add_argument("--reingest", type=Path, default=None, help="index dir whose files to re-ingest unchanged")
    ap.add_argument("--files", type=Path, nargs="*", default=[], help="the files/folders of --reingest")
    ap.add_argument("--vector-cache", type=Path, default=None)
    args = ap.parse_args()
    out: dict[str, Any] = {}
    for fmt in [f for f in args.formats.split(",") if f]:
        out[f"cold_{fmt}"] = cold_real(fmt)
    if args.synthetic:
        out[f"synthetic_{args.synthetic}"] = synthetic_run(args.synthetic)
    if args.reingest:
        out["reingest"] = reingest(args.reingest, args.files, args.vector_cache)
    for run in out.values():
        run.pop("results", None)
    write_json(args.json, out)


if __name__ == "__main__":
    main()
