"""CHROMA_HOST/CHROMA_PORT: the same ingest and answers against a real `chroma run` server.

Two app processes may share one server, each with its own lexical cache rebuilt from Chroma.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

from assistant.cli import main as cli_main
from assistant.service import AskService
from ingest.job import run_ingest
from tests.conftest import CORPUS
from tests.ui.conftest import start
from ui.catalog import list_reports
from ui.chat import message_text
from vectorstore.chroma_store import StoreUnavailable
from vectorstore.index import Index, open_index
from vectorstore.settings import Settings

REPORT = CORPUS / "txt" / "001_739995c49d508915.txt"
CHROMA = Path(sys.executable).with_name("chroma")
QUESTION = "Tổng mức bán lẻ hàng hóa và dịch vụ 5 tháng đạt bao nhiêu?"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ChromaServer:
    """A real `chroma run` on 127.0.0.1 that a test can stop and start again (same port, same data)."""

    def __init__(self, path: Path) -> None:
        exe = str(CHROMA) if CHROMA.exists() else shutil.which("chroma")
        assert exe, "the chroma CLI comes with the chromadb package"
        self.exe, self.path, self.port = exe, path, free_port()
        self.proc: subprocess.Popen | None = None

    def start(self) -> ChromaServer:
        env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
        self.proc = subprocess.Popen(
            [self.exe, "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/v2/heartbeat", timeout=1)
                return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        pytest.fail("chroma run did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=20)
            self.proc = None


@pytest.fixture(scope="module")
def chroma_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server")).start()
    try:
        yield server.port
    finally:
        server.stop()


def server_settings(index_dir: Path, port: int, cache: Path) -> Settings:
    return Settings(index_dir=index_dir, chroma_host="127.0.0.1", chroma_port=port, vector_cache=cache)


def test_ingest_and_answer_through_a_chroma_server(chroma_port, tmp_path, vector_cache):
    writer = server_settings(tmp_path / "app1", chroma_port, vector_cache)
    report = run_ingest(open_index(writer), [REPORT])
    assert report.results[0].status == "indexed"
    assert not (tmp_path / "app1" / "chroma").exists(), "server mode keeps no local Chroma store"

    # a second app process on another machine: its own folder, the same server
    reader = server_settings(tmp_path / "app2", chroma_port, vector_cache)
    index: Index = open_index(reader)
    assert [d["doc_id"] for d in index.store.list_documents()] == [REPORT.name]
    rec = AskService(reader).ask("Tổng mức bán lẻ hàng hóa và dịch vụ 5 tháng đạt bao nhiêu?")
    assert "13.233,79" in rec["answer"] and rec["citations"][0]["file"] == REPORT.name
    assert index.lexical.ids() == set(index.store.chunk_ids()), "lexical cache rebuilt from the server"


def test_unreachable_server_is_reported_in_plain_words(tmp_path):
    settings = server_settings(tmp_path, free_port(), tmp_path / "v.sqlite")
    with pytest.raises(StoreUnavailable, match="Không kết nối được máy chủ Chroma"):
        _ = open_index(settings).store


def _reports(index: Index) -> list[dict]:
    """The library as the app shows it, without the ingest time."""
    return [{k: v for k, v in asdict(r).items() if k != "ingested_at"} for r in list_reports(index)]


def test_app_reports_a_stopped_server_and_recovers_when_it_returns(tmp_path, vector_cache, small_index, capsys,
                                                                   monkeypatch):
    server = ChromaServer(tmp_path / "chroma-data").start()
    settings = server_settings(tmp_path / "app", server.port, vector_cache)
    app = None
    try:
        assert run_ingest(open_index(settings), [REPORT]).results[0].status == "indexed"
        assert run_ingest(open_index(small_index), [REPORT]).results[0].status == "indexed"
        assert _reports(open_index(settings)) == _reports(open_index(small_index)), "the same library"
        app, url = start(settings)
        client = Client(url, verbose=False)
        before = client.predict(QUESTION, [], [], [], api_name="/ask")
        assert "13.233,79" in before["answer"]
        assert [d["file"] for d in client.predict(api_name="/documents")] == [REPORT.name]

        server.stop()
        with pytest.raises(AppError, match="Không kết nối được máy chủ Chroma"):
            client.predict(QUESTION, [], [], [], api_name="/ask")
        with pytest.raises(AppError, match="Không kết nối được máy chủ Chroma"):
            client.predict(api_name="/documents")
        _, messages, _ = client.predict(QUESTION, [], [], [], [], api_name="/chat")
        shown = message_text(messages[-1])
        assert shown.startswith("⚠️ Không kết nối được máy chủ Chroma") and "Traceback" not in shown
        monkeypatch.setenv("CHROMA_HOST", "127.0.0.1")
        monkeypatch.setenv("CHROMA_PORT", str(server.port))
        monkeypatch.setenv("BAOCAO_VECTOR_CACHE", str(vector_cache))
        assert cli_main(["ask", QUESTION, "--index", str(settings.index_dir)]) == 1
        assert "Không kết nối được máy chủ Chroma" in capsys.readouterr().err

        server.start()  # same port, same data directory; the app is not restarted
        again = client.predict(QUESTION, [], [], [], api_name="/ask")
        assert again["answer"] == before["answer"] and again["citations"] == before["citations"]
        assert [d["file"] for d in client.predict(api_name="/documents")] == [REPORT.name]
    finally:
        if app is not None:
            app.close()
        server.stop()
