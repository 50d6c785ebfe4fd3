"""The app in a real headless Chromium: ask, read the streamed answer and its sources, upload, remove.

Uses the Debian `chromium` binary (never `playwright install`). Every request the page makes must
stay on the local server: the app has to work without internet.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian package chromium is not installed")


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[tuple[object, list[str]]]:
    outside: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        pg = browser.new_page(viewport={"width": 1400, "height": 900}, locale="vi-VN")
        pg.set_default_timeout(180_000)
        local = (server, "data:", "blob:")
        pg.on("request", lambda r: None if r.url.startswith(local) else outside.append(r.url))
        sync_api.expect.set_options(timeout=180_000)  # an upload is embedded while the test waits
        pg.goto(server)
        yield pg, outside
        browser.close()


def _shot(pg, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    pg.screenshot(path=str(path))
    return path


def test_question_streams_answer_with_citations_and_sources(page, probe: dict) -> None:
    pg, outside = page
    pg.fill("#bc-question textarea", probe["q"])
    pg.click("#bc-send")
    answer = pg.locator("#bc-chat .message.bot").last
    sync_api.expect(answer).to_contain_text("[1]")
    sources = pg.locator("#bc-sources")
    sync_api.expect(sources.locator(".bc-src").first).to_be_visible()
    figure = probe["a"].split()[0]
    sync_api.expect(sources.locator("mark", has_text=figure).first).to_be_visible()
    sync_api.expect(sources).to_contain_text("Tỉnh Trà Vinh")
    link = sources.locator("a.bc-open").first
    sync_api.expect(link).to_have_attribute("href", re.compile("gradio_api/file="))
    _shot(pg, "chat.png")  # the README's screenshots come from test_staff_use.py
    assert not outside, f"requests left the machine: {outside}"


def test_upload_in_library_tab_then_remove(page, upload_file: Path) -> None:
    pg, outside = page
    pg.get_by_role("tab", name="Tài liệu").click()
    with pg.expect_file_chooser() as chooser:
        pg.click("#bc-upload")
    chooser.value.set_files(str(upload_file))
    sync_api.expect(pg.locator("#bc-ingest-log")).to_contain_text("đã nạp")
    library = pg.locator("#bc-library")
    sync_api.expect(library).to_contain_text("2 báo cáo trong chỉ mục")
    sync_api.expect(library).to_contain_text("tháng 01/2021")
    _shot(pg, "library.png")

    pg.click("#bc-remove-choice input")
    pg.get_by_role("option").filter(has_text=re.compile(r"tháng 0?1/2021")).first.click()
    pg.click("#bc-remove")
    pg.click("#bc-confirm-remove")
    sync_api.expect(pg.locator("#bc-remove-log")).to_contain_text("Đã xóa")
    sync_api.expect(library).to_contain_text("1 báo cáo trong chỉ mục")
    assert "tháng 01/2021" not in library.inner_text()
    assert not outside, f"requests left the machine: {outside}"


def test_html_typed_in_a_question_is_shown_as_text(page) -> None:
    from tests.ui.test_odd_input import HTML_QUESTION

    pg, outside = page
    pg.get_by_role("tab", name="Hỏi đáp").click()
    pg.fill("#bc-question textarea", HTML_QUESTION)
    pg.click("#bc-send")
    asked = pg.locator("#bc-chat .message.user").last
    sync_api.expect(asked).to_contain_text("<b>đậm</b>")
    sync_api.expect(pg.locator("#bc-chat .message.bot").last).to_contain_text("Không tìm thấy")
    assert asked.locator("img, b, script").count() == 0
    assert pg.evaluate("window.__xss") is None
    assert not outside, f"requests left the machine: {outside}"
