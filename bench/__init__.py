"""Benchmarks (issue 6), outside the package: run from the project root as ``python -m bench.<name>``.

ingest_bench  per-stage ingest seconds and chunks/s, raw embedder passages/s, re-ingest of unchanged files
query_bench   retrieval / extractive-answer p50 and p95, peak RSS, index size, dev-set quality, time to searchable
components    retrieval split into query embedding, BM25, dense search and chunk fetch
naive         the naive LangChain recipe (1000/200 splitter, dense-only Chroma) next to ours
synth         the SYNTHETIC scale corpus (variants of the real reports, vectors reused) and scale indexes
profile       pyinstrument call trees of ingest or queries (pip install -e .[bench])

Generated corpora and indexes go to $BENCH_DIR (default /tmp/baocao-bench), never into the repository.
"""
