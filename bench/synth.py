"""SYNTHETIC scale corpus for benchmarks only: variants of the 5 real reports.

Each variant takes one real TXT report and changes its province, shifts every year by a few
years and scales every figure (and decision/report numbers), so thousands of reports look alike
and differ only by province, period and numbers: the hardest case for the retriever. Nothing here
is real data; file names start with ``SYN`` and the corpus folder holds a manifest saying so.

Vectors are REUSED, not computed: a synthetic chunk gets the vector of the real chunk it was made
from (embedding 290,000 chunks at ~5 passages/s would take days on 2 cores). Two ways:

* ``build_bulk`` writes a whole synthetic index chunk by chunk (transform each real chunk, reuse its
  vector), with registry records whose sha256 is the synthetic file's, so a later ``run_ingest``
  of the folder finds them unchanged;
* ``prefill_vectors`` chunks synthetic files with the real pipeline and seeds the VectorCache with
  the vector of the real chunk at the same position, so ``run_ingest`` runs the full pipeline with
  the embed step served from the cache.

Usage: python -m bench.synth N [--out DIR]                 (writes N SYNTHETIC report files)
       python -m bench.synth N --index DIR [--out DIR]     (copies the real 5-report index to DIR, adds N)
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import BENCH_DIR, CORPUS, READY_TXT_INDEX, parser, settings_for, table, write_json
from ingest.facts import sync_facts

YEAR = re.compile(r"(?<!\d)(20[012]\d)(?![\d,])")
FIGURE = re.compile(r"(?<![\d/.,])(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+)(?![\d/])")
DOC_NUMBER = re.compile(r"(?<![\d/.,])(\d{2,5})(?=/(?:QĐ|KH|BC|CT|NQ|TB|UBND|SCT|TTg|BCT))")
MARK = "SYN"


@dataclass(frozen=True)
class Variant:
    """One synthetic report: which real report it copies and what it changes."""

    n: int
    source: str  # stem of the real report
    province: str
    year_delta: int
    factor: float

    @property
    def file(self) -> str:
        return f"{MARK}{self.n:05d}_{self.source}.txt"


@cache
def _real() -> list[dict[str, Any]]:
    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    return [r for r in manifest["reports"] if (CORPUS / "txt" / f"{r['stem']}.txt").exists()]


def variants(n: int, seed: int = 6) -> list[Variant]:
    """Deterministic variants; never the real report's own province and year (that would be a copy)."""
    from ingest.provinces import PROVINCES

    rng = random.Random(seed)
    reals = _real()
    out = []
    for i in range(n):
        src = reals[i % len(reals)]
        while True:
            province = rng.choice(PROVINCES)
            delta = rng.choice([-3, -2, -1, 1, 2, 3] if province == src["province"] else [-2, -1, 0, 0, 1, 2])
            if not _collides(province, {y + delta for y in _years(src)}):
                break
        out.append(Variant(i, src["stem"], province, delta, round(rng.uniform(0.6, 1.6), 3)))
    return out


def _years(report: dict[str, Any]) -> set[int]:
    return {int(p["start"][:4]) for p in report.get("periods") or [] if p.get("start")} | {
        int(report["issue_date"][:4])}


def _collides(province: str, years: set[int]) -> bool:
    """A variant for a province and year a real report covers would contradict it, not distract from it."""
    return any(r["province"] == province and _years(r) & years for r in _real())


def _source_province(stem: str) -> str:
    return next(r["province"] for r in _real() if r["stem"] == stem)


def _scale(match: re.Match, factor: float) -> str:
    raw = match.group(1)
    whole, _, dec = raw.partition(",")
    value = float(whole.replace(".", "") + ("." + dec if dec else "")) * factor
    text = f"{value:,.{len(dec)}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    if "." not in whole:  # the source wrote no thousands separator: keep that style
        text = text.replace(".", "") if not dec else text.split(",")[0].replace(".", "") + "," + text.split(",")[1]
    return text


def transform(text: str, v: Variant) -> str:
    """The variant's text: other province, shifted years, scaled figures and document numbers."""
    src = _source_province(v.source)
    text = text.replace(src, v.province).replace(src.upper(), v.province.upper())
    text = YEAR.sub(lambda m: str(int(m.group(1)) + v.year_delta), text)
    text = DOC_NUMBER.sub(lambda m: f"{max(1, int(int(m.group(1)) * v.factor)):0{len(m.group(1))}d}", text)
    return FIGURE.sub(lambda m: _scale(m, v.factor), text)


def _transform_meta(meta: dict[str, Any], v: Variant) -> dict[str, Any]:
    out = {k: transform(x, v) if isinstance(x, str) else x for k, x in meta.items()}
    out["province"] = v.province
    out["file"] = out["doc_id"] = v.file
    out["synthetic"] = True
    return out


def write_files(vs: list[Variant], out: Path) -> list[Path]:
    """Write the SYNTHETIC report files (skips files already there) and a manifest that says so."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    texts = {r["stem"]: (CORPUS / "txt" / f"{r['stem']}.txt").read_text(encoding="utf-8") for r in _real()}
    for v in vs:
        path = out / v.file
        if not path.exists():
            path.write_text(transform(texts[v.source], v), encoding="utf-8")
        paths.append(path)
    (out / "SYNTHETIC_MANIFEST.json").write_text(json.dumps({
        "synthetic": True,
        "note": "SYNTHETIC benchmark data generated by bench/synth.py from the 5 real reports: other provinces, "
                "shifted years, scaled figures. Not real reports. Chunk vectors are reused from the real chunks.",
        "variants": [v.__dict__ for v in vs],
    }, ensure_ascii=False, indent=0), encoding="utf-8")
    return paths


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def real_chunks(index) -> dict[str, list[tuple[str, str, dict, np.ndarray]]]:
    """The real index's chunks per source stem, in chunk order, with their vectors."""
    got = index.store.chunks.get(include=["documents", "metadatas", "embeddings"])
    by_doc: dict[str, list] = {}
    for cid, text, meta, vec in zip(got["ids"], got["documents"], got["metadatas"], got["embeddings"]):
        by_doc.setdefault(Path(meta["file"]).stem, []).append((cid, text, meta, np.asarray(vec, np.float32)))
    for rows in by_doc.values():
        rows.sort(key=lambda r: r[2].get("position", 0))
    return by_doc


def _bulk_rows(v: Variant, src: list) -> Iterator[tuple[str, str, dict, np.ndarray]]:
    for _cid, text, meta, vec in src:
        new_text = transform(text, v)
        cid = hashlib.sha1(f"{v.file}\x00{new_text}".encode()).hexdigest()[:24]
        yield cid, new_text, _transform_meta(meta, v), vec


def build_bulk(index, vs: list[Variant], files_dir: Path, real_index_dir: Path = READY_TXT_INDEX,
               batch_docs: int = 40) -> dict[str, Any]:
    """Write SYNTHETIC reports straight into `index` (Chroma chunks, lexical rows, registry), reusing vectors."""
    from vectorstore.index import open_index

    src = real_chunks(open_index(settings_for(real_index_dir)))
    paths = write_files(vs, files_dir)
    n_chunks = 0
    for i in range(0, len(vs), batch_docs):
        rows, records = [], []
        for v, path in zip(vs[i : i + batch_docs], paths[i : i + batch_docs]):
            mine = list(_bulk_rows(v, src[v.source]))
            rows.extend(mine)
            records.append(_record(v, path, mine))
        index.store.upsert_chunks([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows],
                                  np.stack([r[3] for r in rows]))
        index.lexical.add((r[0], r[2]["doc_id"], r[1]) for r in rows)
        index.store.put_documents(records)
        n_chunks += len(rows)
    t = time.perf_counter()
    sync_facts(index)  # what ingest extracts per chunk (legal references, figures), here in one pass
    return {"reports": len(vs), "chunks": n_chunks, "vectors": "reused from the real chunk each was made from",
            "facts_s": round(time.perf_counter() - t, 1)}


def _record(v: Variant, path: Path, rows: list) -> dict[str, Any]:
    return {"doc_id": v.file, "file": v.file, "source": str(path), "sha256": _sha256(path),
            "size": path.stat().st_size, "format": "txt", "pages": None, "ingested_at": "synthetic",
            "chunk_ids": [r[0] for r in rows], "n_chunks": len(rows),
            "metadata": {"province": v.province, "synthetic": True}, "notes": ["SYNTHETIC"], "status": "complete"}


def prefill_vectors(cache, paths: list[Path], real_index_dir: Path = READY_TXT_INDEX) -> dict[str, Any]:
    """Seed `cache` so run_ingest of these SYNTHETIC files finds every vector (positional reuse)."""
    from ingest.chunker import chunk_document
    from ingest.job import doc_id_for
    from ingest.loaders import load
    from ingest.metadata import extract_metadata
    from vectorstore.index import open_index

    src = real_chunks(open_index(settings_for(real_index_dir)))
    same_count = 0
    total = 0
    for path in paths:
        doc = load(path)
        chunks = chunk_document(doc, doc_id_for(path), extract_metadata(doc).to_dict())
        real = src[path.stem.split("_", 1)[1]]
        same_count += len(chunks) == len(real)
        vecs = np.stack([real[min(i, len(real) - 1)][3] for i in range(len(chunks))])
        cache.put_many([c.text for c in chunks], vecs)
        total += len(chunks)
    return {"files": len(paths), "chunks": total, "same_chunk_count_as_source": same_count,
            "vectors": "reused from the real chunk at the same position"}


def main() -> None:
    ap = parser("Write N SYNTHETIC report files (benchmarks only).")
    ap.add_argument("n", type=int)
    ap.add_argument("--out", type=Path, default=BENCH_DIR / "synthetic")
    ap.add_argument("--index", type=Path, default=None, help="build a scale index: real reports + N SYNTHETIC")
    args = ap.parse_args()
    if args.index is None:
        paths = write_files(variants(args.n), args.out)
        print(f"wrote {len(paths)} SYNTHETIC reports to {args.out}")
        return
    info = build_scale_index(args.index, args.n, args.out)
    write_json(args.json, info)
    table("SYNTHETIC scale index (vectors REUSED from the real chunks)", list(info), [list(info.values())])


def build_scale_index(index_dir: Path, n: int, files_dir: Path) -> dict[str, Any]:
    """The ready 5-report index copied to `index_dir`, plus N SYNTHETIC reports written in bulk."""
    import shutil
    import time

    from vectorstore.index import open_index

    shutil.rmtree(index_dir, ignore_errors=True)
    shutil.copytree(READY_TXT_INDEX, index_dir)
    index = open_index(settings_for(index_dir))
    t = time.perf_counter()
    info = build_bulk(index, variants(n), files_dir)
    return {**info, "seconds": round(time.perf_counter() - t, 1), "index": str(index_dir), "files": str(files_dir)}


if __name__ == "__main__":
    main()
