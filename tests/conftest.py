"""Shared test setup: where the shared corpus lives (../shared, or $BAOCAO_SHARED)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

# Real indexes, built once per session and shared by every test module (defined here, not imported
# per module: an imported fixture is a separate fixture in each module and would be built again).
from tests.indexes import pdf_index, small_index, txt_index, vector_cache  # noqa: F401

SHARED = Path(os.environ.get("BAOCAO_SHARED") or Path(__file__).resolve().parents[1].parent / "shared")
CORPUS = SHARED / "corpus"
MANIFEST: dict = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def shared() -> Path:
    return SHARED


@pytest.fixture(scope="session")
def corpus() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def manifest() -> dict:
    return MANIFEST
