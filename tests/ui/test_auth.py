"""Optional login (BAOCAO_AUTH): without it only the login page is served."""

from __future__ import annotations

import pytest
from gradio_client import Client

from tests.ui.conftest import http_status
from ui.auth import parse_auth
from ui.sources import file_url

USER, PASSWORD = "lanhdao", "mật:khẩu-2024"



def test_auth_setting_is_parsed() -> None:
    assert parse_auth(None) is None and parse_auth("  ") is None
    assert parse_auth(f"{USER}:{PASSWORD}, vanthu:abc") == [(USER, PASSWORD), ("vanthu", "abc")]
    with pytest.raises(ValueError, match="BAOCAO_AUTH"):
        parse_auth("chi-co-ten")


def test_without_login_requests_are_refused(monkeypatch: pytest.MonkeyPatch, ui_settings, start_app) -> None:
    monkeypatch.setenv("BAOCAO_AUTH", f"{USER}:{PASSWORD}")
    app, url = start_app(ui_settings, auth_from_env=True)
    try:
        assert http_status(f"{url}config") == 401
        assert http_status(f"{url}healthz") == 200  # a supervisor checks health without logging in
        original = next((ui_settings.index_dir / "files").iterdir())
        assert http_status(url + file_url(original.parent, original.name)) in (401, 403)
        with pytest.raises(Exception):  # noqa: B017 - without a login the client cannot even read the app
            Client(url, verbose=False)
        with pytest.raises(Exception):  # noqa: B017
            Client(url, auth=(USER, "sai-mat-khau"), verbose=False)
        authed = Client(url, auth=(USER, PASSWORD), verbose=False)
        assert authed.predict(api_name="/documents")
    finally:
        app.close()
