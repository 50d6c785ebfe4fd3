"""Shared helpers for the benchmarks: environment, paths, timers, memory, tables, JSON output.

Benchmarks live outside the package (DESIGN.md): they import the project like any caller would.
Everything they generate goes under BENCH_DIR (default /tmp/baocao-bench), never into the repo.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

for _k, _v in {"HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False", "GRADIO_ANALYTICS_ENABLED": "False"}.items():
    os.environ.setdefault(_k, _v)

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("BAOCAO_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"
DEV_QA = SHARED / "eval" / "dev.jsonl"
SCORER = SHARED / "eval" / "score.py"
BENCH_DIR = Path(os.environ.get("BENCH_DIR", "/tmp/baocao-bench"))
READY_TXT_INDEX = Path("/tmp/idx-txt")  # a ready index of the 5 txt reports (its vectors seed the caches)


def parser(description: str) -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--json", type=Path, default=None, help="write the results here as JSON")
    return ap


def settings_for(index_dir: Path, vector_cache: Path | None = None):
    from vectorstore.settings import Settings

    return Settings(index_dir=index_dir, vector_cache=vector_cache)


class Stages:
    """Accumulates wall seconds per named stage (nested stages subtract from their parent)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._stack: list[list[float]] = []

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        self._stack.append([0.0])
        t = time.perf_counter()
        try:
            yield
        finally:
            total = time.perf_counter() - t
            inner = self._stack.pop()[0]
            self.seconds[name] = self.seconds.get(name, 0.0) + total - inner
            if self._stack:
                self._stack[-1][0] += total

    def wrap(self, owner: Any, attr: str, name: str) -> None:
        """Replace owner.attr by a timed wrapper (benchmarks only: patches the loaded modules)."""
        fn = getattr(owner, attr)

        def timed(*args: Any, **kwargs: Any) -> Any:
            with self.stage(name):
                return fn(*args, **kwargs)

        setattr(owner, attr, timed)


def percentiles(ms: Sequence[float]) -> dict[str, float]:
    if not ms:
        return {"n": 0}
    xs = sorted(ms)
    q = statistics.quantiles(xs, n=100, method="inclusive") if len(xs) > 1 else [xs[0]] * 99
    return {"n": len(xs), "p50": round(q[49], 1), "p95": round(q[94], 1), "max": round(xs[-1], 1),
            "mean": round(statistics.fmean(xs), 1)}


def rss_mb() -> float:
    """Current resident set size (MB), from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (MB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def dir_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20 if path.exists() else 0.0


def table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """One rich table on stdout (plain text when stdout is not a terminal)."""
    from rich.console import Console
    from rich.table import Table

    t = Table(title=title)
    for c in columns:
        t.add_column(str(c))
    for r in rows:
        t.add_row(*(_fmt(x) for x in r))
    Console(width=160).print(t)


def _fmt(x: Any) -> str:
    if isinstance(x, float):
        return f"{x:,.3f}" if abs(x) < 10 else f"{x:,.1f}"
    return "" if x is None else str(x)


def write_json(path: Path | None, data: dict[str, Any]) -> None:
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"python": sys.version.split()[0], "cpus": os.cpu_count(), "loadavg_at_end": os.getloadavg(), **data}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


@cache
def scorer():
    """The shared scorer module (score.py), imported from its file."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("baocao_score", SCORER)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def strict_first_hit(item: dict[str, Any], record: dict[str, Any], k: int = 10) -> int | None:
    """Rank of the first retrieved passage that holds the evidence AND comes from a gold report.

    score.py matches on text only; with synthetic distractors a copied sentence would count, so
    the distractor run also reports this stricter rank.
    """
    contains = scorer().contains
    gold = set(item.get("doc") or [])
    for rank, r in enumerate((record.get("retrieved") or [])[:k], 1):
        if r.get("file") in gold and any(contains(r.get("text", ""), e) for e in item["evidence"]):
            return rank
    return None


def timed_answers(service: Any, questions: Sequence[dict[str, Any]], repeat: int
                  ) -> tuple[dict[Any, dict[str, Any]], list[float], list[float]]:
    """Each question through retrieval alone (understand + search) and the whole answer; ms per call."""
    records: dict[Any, dict[str, Any]] = {}
    retrieve: list[float] = []
    answer: list[float] = []
    for _ in range(repeat):
        for item in questions:
            t = time.perf_counter()
            service.engine.search(service.engine.understand(item["question"]), 10)
            retrieve.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            records[item["id"]] = service.ask(item["question"], qid=item["id"])
            answer.append((time.perf_counter() - t) * 1000)
    return records, retrieve, answer

