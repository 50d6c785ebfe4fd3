"""One small index (one real report) and one running app per test session, shut down at the end."""

from __future__ import annotations

import json
import os
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

import ui  # noqa: F401 - pins the offline environment before gradio is imported
from ingest.job import run_ingest
from ui.app import serve
from vectorstore.index import open_index
from vectorstore.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("BAOCAO_SHARED") or ROOT.parent / "shared")
CORPUS = SHARED / "corpus"
BASE_STEM = "001_739995c49d508915"  # the smallest report (27 passages): quick to embed
UPLOAD_STEM = "004_b2627541d245ea87"  # uploaded through the app by the tests
ARTIFACTS = ROOT / "test-artifacts"


def http_status(url: str) -> int:
    """The HTTP status of a GET, error statuses included (urllib raises on them)."""
    try:
        with urllib.request.urlopen(url) as resp:
            return resp.status
    except urllib.error.HTTPError as err:
        return err.code


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manifest_report(stem: str) -> dict:
    reports = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))["reports"]
    return next(r for r in reports if r["stem"] == stem)


@pytest.fixture(scope="session")
def corpus() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def probe() -> dict:
    """A question the base report answers in its body, with the expected figure (from the manifest)."""
    facts = manifest_report(BASE_STEM)["probe_facts"]
    return next(f for f in facts if f["where"].startswith("body") and "tỷ đồng" in f["a"])


@pytest.fixture(scope="session")
def ui_settings(tmp_path_factory: pytest.TempPathFactory, vector_cache: Path) -> Settings:
    """The app's own index; vectors come from the session cache, so uploading a real report is quick."""
    settings = Settings(index_dir=tmp_path_factory.mktemp("ui-index"), vector_cache=vector_cache)
    report = run_ingest(open_index(settings), [CORPUS / "txt" / f"{BASE_STEM}.txt"])
    assert [r.status for r in report.results] == ["indexed"], report.results
    return settings


def start(settings: Settings, auth_from_env: bool = False) -> tuple[object, str]:
    """A running app and its URL; login only when asked to read BAOCAO_AUTH (as `baocao serve` does)."""
    port = free_port()
    app = serve(settings, "127.0.0.1", port, block=False, auth=None if auth_from_env else [])
    return app, f"http://127.0.0.1:{port}/"


@pytest.fixture(scope="session")
def start_app():
    """Start another app on the session index (e.g. with other settings); the caller closes it."""
    return start


@pytest.fixture(scope="session")
def server(ui_settings: Settings) -> Iterator[str]:
    """URL of the app (no login) on a free local port."""
    app, url = start(ui_settings)
    yield url
    app.close()


@pytest.fixture(scope="session")
def upload_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real report under a name a user might give it (spaces, diacritics, a reserved character)."""
    target = tmp_path_factory.mktemp("uploads") / "Báo cáo tháng 01-2021: Trà Vinh.txt"
    target.write_bytes((CORPUS / "txt" / f"{UPLOAD_STEM}.txt").read_bytes())
    return target
