"""A scanned report uploaded through the app, in Debian's Chromium: its pages shown while OCR reads them,
then a question answered from it whose source says the text was read from a scan.

The app runs on its own index (one real report), so the other browser tests keep theirs. The scan is
the corpus scan (pages 1-2 of report 004 rasterised) with a title of its own, so no earlier OCR of
the same bytes in this process is reused: the upload really reads its pages.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Page, expect  # noqa: E402
from pypdf import PdfReader, PdfWriter  # noqa: E402

from ingest.job import run_ingest  # noqa: E402
from ingest.loaders.ocr import ocr_unavailable  # noqa: E402
from tests.ui.browser import (  # noqa: E402
    CHROMIUM,
    DESKTOP,
    PHONE,
    browser_page,
    open_tab,
    upload_recording_progress,
)
from tests.ui.conftest import ARTIFACTS, BASE_STEM, CORPUS  # noqa: E402
from tests.ui.test_staff_use import ask  # noqa: E402
from vectorstore.index import open_index  # noqa: E402
from vectorstore.settings import Settings  # noqa: E402

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian package chromium is not installed"),
    pytest.mark.skipif(ocr_unavailable() is not None, reason=f"OCR not installed: {ocr_unavailable()}"),
]
SCAN = CORPUS / "bad" / "scanned_image_only.pdf"
# A question of our own whose answer is on page 1 of the scan.
QUESTION = "Có bao nhiêu doanh nghiệp, hợp tác xã của Trà Vinh tham dự hội nghị kết nối hàng hóa với Bách Hóa Xanh?"


def own_scan(dest: Path) -> Path:
    """The corpus scan's pages (images only, no text layer) under a title of its own: new bytes, same pages."""
    writer = PdfWriter(clone_from=PdfReader(SCAN))
    writer.add_metadata({"/Title": f"Bản quét {dest.stem}"})
    writer.write(dest)
    return dest


@pytest.fixture(scope="module")
def scan_app(tmp_path_factory: pytest.TempPathFactory, vector_cache: Path, start_app):
    settings = Settings(index_dir=tmp_path_factory.mktemp("ui-scan-index"), vector_cache=vector_cache)
    assert run_ingest(open_index(settings), [CORPUS / "txt" / f"{BASE_STEM}.txt"]).count("indexed") == 1
    app, url = start_app(settings)
    yield url
    app.close()


def _sources_shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#bc-sources .bc-src").first.scroll_into_view_if_needed()
    page.mouse.move(0, 0)
    page.screenshot(path=str(ARTIFACTS / name))


def test_uploaded_scan_shows_its_ocr_pages_then_its_passages_are_cited_as_read_from_a_scan(
    scan_app: str, tmp_path: Path
) -> None:
    scan = own_scan(tmp_path / "Báo cáo tháng 01-2021 (bản quét).pdf")
    with browser_page(scan_app, DESKTOP) as page:
        seen = [text for text, _ in upload_recording_progress(page, scan) if "Đang nạp" in text]
        pages = [int(m.group(1)) for t in seen if (m := re.search(r"nhận dạng ảnh quét: trang (\d)/2", t))]
        assert pages and pages[0] < 2 and pages[-1] == 2 and pages == sorted(pages), seen
        assert any(scan.name in t and "nhận dạng ảnh quét" in t for t in seen), seen

        open_tab(page, "Hỏi đáp")
        reply = ask(page, QUESTION)
        expect(reply).to_contain_text("19")
        card = page.locator("#bc-sources .bc-src").filter(has_text="Bách Hoá Xanh").first
        expect(card.locator(".bc-ocr")).to_have_text("(nhận dạng từ ảnh quét)")
        expect(card.locator(".bc-src-meta")).to_contain_text("Trang 1")
        _sources_shot(page, "desktop-nguon-anh-quet.png")

    with browser_page(scan_app, PHONE) as phone:
        reply = ask(phone, QUESTION)
        expect(phone.locator("#bc-sources .bc-ocr").first).to_be_visible()
        _sources_shot(phone, "phone-nguon-anh-quet.png")
