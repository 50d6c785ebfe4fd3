"""Profile the hot paths with pyinstrument (pip install -e .[bench]): ingest of SYNTHETIC reports, or queries.

    python -m bench.profile ingest --synthetic 40        # the pipeline without the embedder
    python -m bench.profile query --index /tmp/idx-txt    # understand + search + extractive answer

Prints pyinstrument's call tree (wall time); --html OUT writes the interactive page instead.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from bench.common import BENCH_DIR, DEV_QA, load_jsonl, settings_for


def _ingest(n: int) -> None:
    from bench.ingest_bench import synthetic_run

    synthetic_run(n)


def _query(index: Path) -> None:
    from assistant.service import AskService

    copy = BENCH_DIR / "profile-index"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(index, copy)
    service = AskService(settings_for(copy))
    questions = load_jsonl(DEV_QA)
    service.ask(questions[0]["question"])
    for q in questions:
        service.ask(q["question"], qid=q["id"])


def main() -> None:
    from pyinstrument import Profiler

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=["ingest", "query"])
    ap.add_argument("--synthetic", type=int, default=40)
    ap.add_argument("--index", type=Path, default=Path("/tmp/idx-txt"))
    ap.add_argument("--html", type=Path, default=None)
    args = ap.parse_args()
    profiler = Profiler()
    with profiler:
        _ingest(args.synthetic) if args.what == "ingest" else _query(args.index)
    if args.html:
        args.html.write_text(profiler.output_html(), encoding="utf-8")
    else:
        print(profiler.output_text(color=False, show_all=False))


if __name__ == "__main__":
    main()
