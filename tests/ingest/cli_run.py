"""Run the real `baocao` command line in a child process on this worktree's code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def cli_env(cache: Path, **extra: str) -> dict[str, str]:
    """The child's environment: this code, offline, the session's vector cache (embedding is the slow step)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BAOCAO_", "CHROMA_"))}
    env.update(PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False",
               BAOCAO_VECTOR_CACHE=str(cache), **extra)
    return env


def baocao(args: list[str], cache: Path, timeout: float = 300, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], env=cli_env(cache, **extra),
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT)


def ingest_json(paths: list[Path | str], index: Path, cache: Path, timeout: float = 300, **env: str
                ) -> dict[str, Any]:
    """`baocao ingest --json` and its parsed per-file report (`env`: extra environment of the child)."""
    done = baocao(["ingest", *map(str, paths), "--index", str(index), "--json", "-q"], cache, timeout, **env)
    assert done.returncode in (0, 1), done.stderr[-3000:]
    return json.loads(done.stdout)


def dump_index(index: Path, cache: Path) -> dict[str, Any]:
    """Registry, chunks, lexical ids and stored files of an index, read by a fresh process."""
    done = subprocess.run([sys.executable, "-m", "tests.ingest.index_dump", str(index)], env=cli_env(cache),
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)
