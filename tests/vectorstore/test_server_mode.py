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
from pathlib import Path

import pytest

from assistant.service import AskService
from ingest.job import run_ingest
from tests.conftest import CORPUS
from vectorstore.chroma_store import StoreUnavailable
from vectorstore.index import Index, open_index
from vectorstore.settings import Settings

REPORT = CORPUS / "txt" / "001_739995c49d508915.txt"
CHROMA = Path(sys.executable).with_name("chroma")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    exe = str(CHROMA) if CHROMA.exists() else shutil.which("chroma")
    assert exe, "the chroma CLI comes with the chromadb package"
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    proc = subprocess.Popen([exe, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("chroma run did not start")
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=20)


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
