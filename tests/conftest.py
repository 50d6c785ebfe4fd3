"""Shared test setup: where the shared corpus lives (../shared, or $BAOCAO_SHARED)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Real indexes, built once per session and shared by every test module (defined here, not imported
# per module: an imported fixture is a separate fixture in each module and would be built again).
from tests.indexes import pdf_index, sample_index, small_index, txt_index, vector_cache  # noqa: F401

SHARED = Path(os.environ.get("BAOCAO_SHARED") or Path(__file__).resolve().parents[1].parent / "shared")
CORPUS = SHARED / "corpus"
MANIFEST: dict = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))

# Property tests: a fixed seed and a bounded number of examples in CI (same inputs on every run, a few
# seconds per parser); HYPOTHESIS_PROFILE=deep searches longer, with fresh inputs, when hunting bugs.
_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile("ci", max_examples=150, derandomize=True, deadline=None, database=None,
                          suppress_health_check=_SLOW_OK, print_blob=True)
settings.register_profile("deep", max_examples=5000, deadline=None, suppress_health_check=_SLOW_OK)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def shared() -> Path:
    return SHARED


@pytest.fixture(scope="session")
def corpus() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def manifest() -> dict:
    return MANIFEST
