"""Crash safety: `baocao ingest` killed (SIGKILL) at many points, rerun, ends exactly like a clean build.

Each fault is a real SIGKILL of the real CLI: at a named step (BAOCAO_CRASH_AT, see
vectorstore/faults.py), after a delay, or a lexical cache file cut in half between runs. Between
faults the index is sometimes left as the kill left it (the next killed run must cope), sometimes
repaired by a plain rerun, sometimes by `baocao doctor`.
"""

from __future__ import annotations

import hashlib
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from assistant.service import AskService
from ingest.job import run_ingest
from tests.conftest import CORPUS
from tests.indexes import make_settings
from tests.ingest.cli_run import ROOT, baocao, cli_env
from tests.ingest.index_dump import dump
from vectorstore.index import open_index

REPORTS = ["001_739995c49d508915", "004_b2627541d245ea87", "003_1270833f58a97ba9"]
EDITED = "004_b2627541d245ea87.txt"  # changed before some faults: new chunks to embed, stale ones to delete
QUESTIONS = [
    "Kết quả bình chọn sản phẩm công nghiệp nông thôn tiêu biểu tỉnh Trà Vinh năm 2020 thế nào?",
    "Chỉ số sản xuất công nghiệp của Thái Bình tăng bao nhiêu?",
]
# (fault, edit the report first, with --reset, recovery afterwards: "" = none, "ingest" or "doctor")
FAULTS = [
    ("parsed:2", False, False, ""),
    ("upserted", False, False, "ingest"),
    ("lexical_mid_write", False, True, ""),
    ("lexical_added", False, False, "doctor"),
    ("embedded", True, False, ""),
    ("stale_deleted", True, False, "ingest"),
    ("vectors_stored", True, False, "doctor"),
    ("copied", True, False, ""),
    ("chunks_removed:2", False, True, "ingest"),
    ("truncate-lexical", False, False, ""),
    ("after:2.0", False, True, ""),
    ("after:3.0", True, True, ""),
]


def _ingest_cmd(inputs: Path, index: Path, reset: bool) -> list[str]:
    return ["ingest", str(inputs), "--index", str(index), "-q"] + (["--reset"] if reset else [])


def _kill_after(args: list[str], cache: Path, delay: float) -> bool:
    """Start the CLI and SIGKILL it after `delay` seconds; True if it was still running then."""
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", *args], env=cli_env(cache), cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    alive = proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    return alive


def _inject(fault: str, inputs: Path, index: Path, reset: bool, cache: Path) -> bool:
    """Apply one fault; True when it hit (the process died by SIGKILL, or the file was damaged)."""
    if fault == "truncate-lexical":
        cache_file = index / "lexical.sqlite"
        cache_file.write_bytes(cache_file.read_bytes()[: cache_file.stat().st_size // 2])
        return True
    if fault.startswith("after:"):
        return _kill_after(_ingest_cmd(inputs, index, reset), cache, float(fault.split(":")[1]))
    done = baocao(_ingest_cmd(inputs, index, reset), cache, timeout=120, BAOCAO_CRASH_AT=fault)
    return done.returncode == -signal.SIGKILL


def _recover(how: str, inputs: Path, index: Path, cache: Path) -> None:
    """A plain rerun or `baocao doctor`; either must leave an index that checks healthy."""
    if not how:
        return
    args = _ingest_cmd(inputs, index, False) if how == "ingest" else ["doctor", "--index", str(index)]
    done = baocao(args, cache, timeout=120)
    assert done.returncode == 0, f"{how}: {done.stdout[-2000:]} {done.stderr[-2000:]}"
    _healthy(index, cache, f"after {how}")


def _healthy(index: Path, cache: Path, when: str) -> None:
    doctor = baocao(["doctor", "--check-only", "--index", str(index)], cache, timeout=120)
    assert doctor.returncode == 0 and "Không phát hiện vấn đề nào" in doctor.stdout, f"{when}: {doctor.stdout}"


def _answer(service: AskService, question: str) -> tuple:
    """The answer, its citations and the passages retrieved (as a set: Chroma's HNSW graph depends on the
    order vectors were written in, so near-equal dense neighbours may swap places after a recovery)."""
    r = service.ask(question)
    return r["answer"], [c["chunk_id"] for c in r["citations"]], sorted(x["chunk_id"] for x in r["retrieved"])


@pytest.mark.slow
def test_ingest_killed_at_any_point_ends_like_a_clean_build(txt_index, vector_cache: Path, tmp_path: Path) -> None:
    started = time.perf_counter()
    inputs = tmp_path / "vao"
    inputs.mkdir()
    for stem in REPORTS:
        shutil.copy2(CORPUS / "txt" / f"{stem}.txt", inputs)
    original = (inputs / EDITED).read_text(encoding="utf-8")
    index = tmp_path / "index"
    injected = []
    run = uuid.uuid4().hex[:8]  # edits unknown to any vector cache: they must be embedded
    for n, (fault, edit, reset, recovery) in enumerate(FAULTS):
        if edit:
            (inputs / EDITED).write_text(original + f"\nGhi chú bổ sung lần {n}: mã kiểm tra {run}-{n}.\n", "utf-8")
        hit = _inject(fault, inputs, index, reset, vector_cache)
        assert hit or fault.startswith("after:"), f"crash point {fault} was never reached"
        injected += [fault] if hit else []
        _recover(recovery, inputs, index, vector_cache)

    (inputs / EDITED).write_text(original, encoding="utf-8")
    final = baocao(_ingest_cmd(inputs, index, False), vector_cache, timeout=120)
    assert final.returncode == 0, final.stderr[-2000:]
    _healthy(index, vector_cache, "at the end")

    clean_settings = make_settings(tmp_path / "clean", vector_cache)
    assert run_ingest(open_index(clean_settings), [inputs]).count("indexed") == len(REPORTS)
    crashed_settings = make_settings(index, vector_cache)
    crashed, clean = dump(open_index(crashed_settings)), dump(open_index(clean_settings))
    names = {f"{s}.txt" for s in REPORTS}
    assert set(crashed["records"]) == names
    for name in names:
        rec = crashed["records"][name]
        assert rec["status"] == "complete"
        assert rec["sha256"] == hashlib.sha256((inputs / name).read_bytes()).hexdigest()
        assert sorted(rec["chunk_ids"]) == [row[0] for row in crashed["chunks"][name]], "indexed exactly once"
        assert crashed["chunks"][name] == clean["chunks"][name], "same chunk ids, texts and metadata as clean"
        texts = [row[1] for row in crashed["chunks"][name]]
        assert len(texts) == len(set(texts)), "no duplicate chunks"
    assert set(crashed["chunks"]) == names, "no orphan chunks"
    assert crashed["lexical_ids"] == crashed["chroma_ids"] == clean["chroma_ids"] and crashed["lexical_healthy"]
    assert crashed["provisional"] == 0 and crashed["files"] == clean["files"]

    for q in QUESTIONS:
        assert _answer(AskService(crashed_settings), q) == _answer(AskService(clean_settings), q)
    named = sum(not f.startswith(("after:", "truncate")) for f in injected)
    print(f"\nfaults injected: {len(injected)} ({named} at named steps, "
          f"{len(injected) - named - 1} timed, 1 damaged cache file); reports lost: 0, duplicates: 0, "
          f"orphans: 0; {time.perf_counter() - started:.0f} s")
    assert len(injected) >= len(FAULTS) - 2
