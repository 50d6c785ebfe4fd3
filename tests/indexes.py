"""Real indexes built once per test session (embedding is the slow step: ~5 passages/s).

All test indexes share one vector cache, so a passage is embedded once per session however many
indexes hold it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import vectorstore  # noqa: F401 - offline environment
from ingest.job import run_ingest
from vectorstore.index import open_index
from vectorstore.settings import Settings

SHARED = Path(os.environ.get("BAOCAO_SHARED") or Path(__file__).resolve().parents[2] / "shared")
CORPUS = SHARED / "corpus"
MANIFEST = CORPUS / "manifest.json"


def make_settings(index_dir: Path, cache: Path) -> Settings:
    return Settings(index_dir=index_dir, vector_cache=cache)


@pytest.fixture(scope="session")
def vector_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh cache per session; BAOCAO_TEST_VECTORS names a copy to start from (a local speed-up:
    passages already embedded elsewhere, e.g. an index's vectors.sqlite, are not embedded again)."""
    target = tmp_path_factory.mktemp("vectors") / "vectors.sqlite"
    seed = os.environ.get("BAOCAO_TEST_VECTORS")
    if seed and Path(seed).is_file():
        shutil.copy2(seed, target)
    return target


def corpus_index(tmp_path_factory: pytest.TempPathFactory, vector_cache: Path, fmt: str) -> Settings:
    """The five real reports in one format, fully indexed (Chroma + BM25)."""
    settings = make_settings(tmp_path_factory.mktemp(f"idx-{fmt}"), vector_cache)
    report = run_ingest(open_index(settings), [CORPUS / fmt])
    assert report.count("indexed") == 5, [(r.file, r.reason) for r in report.results]
    return settings


@pytest.fixture(scope="session")
def txt_index(tmp_path_factory: pytest.TempPathFactory, vector_cache: Path) -> Settings:
    return corpus_index(tmp_path_factory, vector_cache, "txt")


@pytest.fixture(scope="session")
def pdf_index(tmp_path_factory: pytest.TempPathFactory, vector_cache: Path) -> Settings:
    return corpus_index(tmp_path_factory, vector_cache, "pdf")


SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory: pytest.TempPathFactory, vector_cache: Path) -> Settings:
    """The three bundled sample reports of an invented province (in no built-in list), fully indexed."""
    settings = make_settings(tmp_path_factory.mktemp("idx-samples"), vector_cache)
    report = run_ingest(open_index(settings), [SAMPLES])
    assert report.count("indexed") == 3, [(r.file, r.reason) for r in report.results]
    return settings


@pytest.fixture()
def small_index(tmp_path: Path, vector_cache: Path) -> Settings:
    """An empty index of its own, for tests that change what is indexed."""
    return make_settings(tmp_path / "index", vector_cache)


def copy_report(stem: str, fmt: str, dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    src = CORPUS / fmt / f"{stem}.{fmt}"
    return Path(shutil.copy2(src, dest / src.name))
