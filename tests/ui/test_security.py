"""Security of the running app: every route behind the login, uploads checked on content, no telemetry."""

from __future__ import annotations

import os
import re
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import pytest
from gradio_client import Client, handle_file

from tests.ui.conftest import CORPUS, http_status
from ui.auth import PUBLIC_PATHS, PUBLIC_PREFIXES
from ui.sources import file_url
from ui.uploads import MAX_UPLOAD_BYTES, safe_name

USER, PASSWORD = "vanthu", "mật-khẩu:2024"
FILL = {"api_name": "ask", "size": "192", "session_hash": "s", "event_id": "e", "endpoint": "ask",
        "record_id": "1", "asset_id": "1", "url_path": "http://127.0.0.1:9/x", "path": "index.html",
        "id": "1", "environment": "prod", "type": "index", "file_name": "x.js", "run": "1",
        "component_id": "1", "segment_id": "1", "ext": "ts", "key": "k"}


def routes(app) -> list[tuple[str, str]]:
    """(method, path template) of every route of the app's FastAPI server, included routers too."""
    out: list[tuple[str, str]] = []

    def walk(items) -> None:
        for r in items:
            inner = getattr(r, "original_router", None)
            if inner is not None:
                walk(inner.routes)
            else:
                out.extend((m, r.path) for m in sorted(getattr(r, "methods", None) or ["GET"]) if m != "HEAD")

    walk(app.app.routes)
    return out


def request_status(url: str, method: str) -> tuple[int, bytes]:
    data = b'{"data": ["x", [], [], []], "fn_index": 0, "session_hash": "s"}' if method == "POST" else None
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.read(20000)
    except urllib.error.HTTPError as err:
        return err.code, b""


def test_every_route_refuses_without_login(monkeypatch, ui_settings, start_app) -> None:
    monkeypatch.setenv("BAOCAO_AUTH", f"{USER}:{PASSWORD}")
    app, url = start_app(ui_settings, auth_from_env=True)
    try:
        original = next((ui_settings.index_dir / "files").iterdir()).resolve()
        fill = {**FILL, "path_or_url": str(original)}
        found = routes(app)
        assert len(found) > 50 and ("GET", "/gradio_api/file={path_or_url:path}") in found
        public = set()
        for method, template in found:
            path = re.sub(r"\{([^}:]+)(?::[^}]*)?\}", lambda m: urllib.parse.quote(fill[m.group(1)]), template)
            status, body = request_status(url.rstrip("/") + path, method)
            if template in PUBLIC_PATHS or template.startswith(PUBLIC_PREFIXES):
                public.add(template)
                assert original.name.encode() not in body and "Trà Vinh".encode() not in body, template
            else:
                assert status == 401, f"{method} {template} answered {status} without login"
        assert public <= PUBLIC_PATHS | {p for p in public if p.startswith(PUBLIC_PREFIXES)}
        assert http_status(url + file_url(original.parent, original.name)) == 401, "the originals download"
        authed = Client(url, auth=(USER, PASSWORD), verbose=False)
        assert authed.predict(api_name="/documents")
    finally:
        app.close()


@pytest.fixture(scope="module")
def client(server: str) -> Client:
    return Client(server, verbose=False)


def fakes(folder: Path) -> dict[str, Path]:
    """Files whose extension promises a report and whose content is something else."""
    folder.mkdir(exist_ok=True)
    exe = folder / "bao-cao.pdf"
    exe.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00" + os.urandom(4000))
    archive = folder / "bao-cao-nen.pdf"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("payload.sh", "echo hi")
    page = folder / "trang-web.pdf"
    page.write_text("<!DOCTYPE html><html><script>alert(1)</script></html>", encoding="utf-8")
    page_txt = folder / "trang-web.txt"
    page_txt.write_text("<html><body><script>alert(1)</script></body></html>", encoding="utf-8")
    renamed = folder / "that-ra-la-pdf.txt"
    renamed.write_bytes((CORPUS / "pdf" / "001_739995c49d508915.pdf").read_bytes())
    return {p.name: p for p in (exe, archive, page, page_txt, renamed)}


def test_uploads_are_checked_on_content(client: Client, tmp_path: Path, ui_settings) -> None:
    before = client.predict(api_name="/documents")
    stored = sorted(p.name for p in (ui_settings.index_dir / "files").iterdir())
    files = fakes(tmp_path)
    message = client.predict([handle_file(str(p)) for p in files.values()], api_name="/upload")
    for name in files:
        line = next(line for line in message.split("\n\n") if f"**{name}**" in line)
        assert "bị từ chối" in line and line.split("bị từ chối", 1)[1].strip(" :"), line
    assert client.predict(api_name="/documents") == before
    assert sorted(p.name for p in (ui_settings.index_dir / "files").iterdir()) == stored
    assert not list((ui_settings.index_dir / "uploads").glob("*")), "nothing refused was staged"
    program = tmp_path / "chuong-trinh.exe"
    program.write_bytes(b"MZ" + b"\x00" * 100)
    with pytest.raises(Exception, match="Invalid file type"):  # noqa: B017 - Gradio checks the extension first
        client.predict([handle_file(str(program))], api_name="/upload")


def test_oversize_upload_is_refused_before_it_is_stored(client: Client, tmp_path: Path) -> None:
    big = tmp_path / "qua-lon.txt"
    with big.open("wb") as fh:
        fh.truncate(MAX_UPLOAD_BYTES + 1024)
    before = client.predict(api_name="/documents")
    with pytest.raises(Exception, match="(?i)size|large|413|lớn"):  # noqa: B017 - Gradio's own refusal
        client.predict([handle_file(str(big))], api_name="/upload")
    assert client.predict(api_name="/documents") == before


@pytest.mark.parametrize(("given", "expected"), [
    ("../../../../tmp/x.pdf", "x.pdf"),
    ("..\\..\\windows\\system32\\bc.docx", "bc.docx"),
    ("bao\x00cao.txt", "baocao.txt"),
    ("bao\u202ecod.exe.pdf", "baocod.exe.pdf"),  # right-to-left override dropped: no disguised name
    ("bá\u200bo cáo\u2060.md", "báo cáo.md"),  # zero-width characters
    ("\u202e\u200b", "tai-lieu"),
    ("report\uff0epdf", "report．pdf"),  # a look-alike dot is no extension: the type check refuses it
])
def test_uploaded_names_are_sanitised(given: str, expected: str) -> None:
    assert safe_name(given) == expected


def test_no_telemetry_or_analytics(ui_settings) -> None:
    import gradio as gr

    import ui  # noqa: F401 - sets the environment
    from ui.app import build_app
    from vectorstore.index import open_index

    assert os.environ["ANONYMIZED_TELEMETRY"] == "False" and os.environ["GRADIO_ANALYTICS_ENABLED"] == "False"
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert build_app(ui_settings).analytics_enabled is False
    assert gr.analytics.analytics_enabled() is False
    assert open_index(ui_settings).store.client.get_settings().anonymized_telemetry is False
