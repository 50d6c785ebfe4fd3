"""Fusion order: the same candidates must come out in the same order in every process, or ties
(copies of one passage in several reports) change the cited passages from one run to the next."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from vectorstore.hybrid import fuse

ROOT = Path(__file__).resolve().parents[2]
SNIPPET = """
from vectorstore.hybrid import fuse
lexical = {f"chunk-{i:02d}": 1.0 for i in range(20)}
dense = {f"chunk-{i:02d}": 0.5 for i in range(10, 30)}
print(list(fuse(lexical, dense)))
"""


def fused_in_a_process(seed: int) -> str:
    env = {**os.environ, "PYTHONHASHSEED": str(seed), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", SNIPPET], env=env, capture_output=True, text=True,
                          check=True).stdout


def test_fused_order_does_not_depend_on_the_hash_seed():
    assert len({fused_in_a_process(seed) for seed in (1, 2, 3)}) == 1


def test_lexical_candidates_keep_their_order_and_dense_only_ones_follow():
    fused = fuse({"b": 2.0, "a": 1.0}, {"c": 0.9, "a": 0.8})
    assert list(fused) == ["b", "a", "c"]
    assert fused["b"] > fused["c"] > fused["a"]  # min-max per side: "a" is last on both
