"""The "Văn bản" and "Số liệu" tabs: their API endpoints and, in a real Chromium, the table and chart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from gradio_client import Client

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def client(server: str) -> Client:
    return Client(server, verbose=False)


def test_refs_endpoint_lists_the_document_with_its_citing_passage(client: Client) -> None:
    rec = client.predict("245/UBND-CNXD", "", api_name="/refs")
    doc = rec["references"][0]
    assert (doc["number"], doc["date"], doc["issuer"]) == (
        "245/UBND-CNXD", "22/01/2018", "Chủ tịch Ủy ban nhân dân tỉnh")
    assert "245/UBND-CNXD" in rec["citations"][0]["text"]


def test_series_endpoint_gives_the_cited_row(client: Client) -> None:
    rec = client.predict("GTSXCN", "Trà Vinh", api_name="/series")
    row = next(r for r in rec["table"] if r["period"] == "5 tháng đầu năm 2020")
    assert row["value_text"] == "16.376,78 tỷ đồng" and row["citations"]
    assert row["value_text"] in rec["citations"][row["citations"][0] - 1]["text"]


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("Debian package chromium is not installed")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        pg = browser.new_page(viewport={"width": 1400, "height": 900}, locale="vi-VN")
        pg.set_default_timeout(120_000)
        sync_api.expect.set_options(timeout=120_000)
        pg.goto(server)
        yield pg
        browser.close()


def test_series_tab_shows_table_chart_and_sources(page) -> None:
    page.get_by_role("tab", name="Số liệu").click()
    page.click("#bc-series-show")
    sync_api.expect(page.locator("#bc-series-table")).to_contain_text("13.233,79 tỷ đồng")  # the default: bán lẻ
    sync_api.expect(page.locator("#bc-series-chart canvas, #bc-series-chart svg").first).to_be_visible()
    sync_api.expect(page.locator("#bc-series-sources .bc-src").first).to_be_visible()


def test_documents_tab_finds_a_document_by_number(page) -> None:
    page.get_by_role("tab", name="Văn bản").click()
    page.fill("#bc-refs-query textarea", "quyết định 402")
    page.click("#bc-refs-search")
    sync_api.expect(page.locator("#bc-refs-result")).to_contain_text("402/QĐ-UBND")
    sync_api.expect(page.locator("#bc-refs-sources .bc-src").first).to_be_visible()
