"""The README's screenshots: the app on a running server, in Debian's Chromium, at 1366×768 and 390×844.

    baocao ingest ../shared/corpus/pdf --index /tmp/five && baocao serve --index /tmp/five --port 7916 &
    python scripts/screenshots.py http://127.0.0.1:7916/ [--login http://127.0.0.1:7917/]

The questions are examples of our own; `--login` points at a second server started with BAOCAO_AUTH.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

DOCS = Path(__file__).resolve().parents[1] / "docs"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu"]
DESKTOP, PHONE = {"width": 1366, "height": 768}, {"width": 390, "height": 844}
ANSWERED = "Tổng mức bán lẻ hàng hóa và dịch vụ quý I/2023 của Trà Vinh đạt bao nhiêu?"
REFUSED = "Giá trị sản xuất công nghiệp tháng 3/2022 của Trà Vinh là bao nhiêu?"


def ask(page: Page, question: str) -> None:
    n = page.locator("#bc-chat .message.bot").count()
    page.fill("#bc-question textarea", question)
    page.click("#bc-send")
    expect(page.locator("#bc-chat .message.bot").nth(n)).to_have_text(re.compile(r"\w"))
    page.wait_for_timeout(800)


def save(page: Page, name: str, full: bool = False) -> None:
    page.evaluate("window.scrollTo(0, 0)")
    page.mouse.move(0, 0)
    page.screenshot(path=str(DOCS / name), full_page=full)
    print("wrote", DOCS / name)


def tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=name).first.click()
    page.wait_for_timeout(600)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--login")
    args = ap.parse_args()
    DOCS.mkdir(exist_ok=True)
    expect.set_options(timeout=180_000)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for size, tag in ((DESKTOP, "desktop"), (PHONE, "phone")):
            page = browser.new_page(viewport=size, locale="vi-VN")
            page.set_default_timeout(180_000)
            page.goto(args.url)
            page.wait_for_selector("#bc-question textarea")
            page.wait_for_timeout(800)
            ask(page, ANSWERED)
            save(page, f"{tag}-hoi-dap.png", full=tag == "phone")
            ask(page, REFUSED)
            save(page, f"{tag}-tu-choi.png", full=tag == "phone")
            tab(page, "Số liệu")
            page.click("#bc-series-show")
            page.wait_for_selector("#bc-series-chart svg")
            page.wait_for_timeout(600)
            save(page, f"{tag}-so-lieu.png", full=True)
            tab(page, "Tài liệu")
            save(page, f"{tag}-tai-lieu.png", full=tag == "phone")
            page.close()
        if args.login:
            page = browser.new_page(viewport=PHONE, locale="vi-VN")
            page.goto(args.login)
            save(page, "phone-dang-nhap.png")
        browser.close()


if __name__ == "__main__":
    main()
