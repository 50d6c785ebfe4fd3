"""Driving the app in Debian's Chromium, and reading the page as a user would see it.

`english_words` tells English from Vietnamese without a dictionary: every Vietnamese syllable, with
or without its diacritics, is an initial consonant, a vowel group and one of eight final sounds, so
"Clear", "message", "Login" or "July" cannot be one. All-capital abbreviations (PDF, IIP, UBND) and
a few names of the software in use are allowed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    r"(?:[aăâeêioôơuưy]{1,3})"
    r"(?:ch|nh|ng|[cmnpt])?", re.I)
ALLOWED = {"multilingual", "small", "e5", "chroma", "sentence", "transformers", "ollama", "openai", "llm",
           "gradio",  # names of the software in use, shown in the footer
           "pdf", "docx", "txt", "md",  # extensions of the report files named in the sources
           "kv", "kva", "kwh", "mw", "mwh", "km", "ha", "tr"}  # units and abbreviations the reports use


def _plain(word: str) -> str:
    import unicodedata

    base = "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")
    return base.replace("đ", "d").replace("Đ", "D")


def is_vietnamese_syllable(word: str) -> bool:
    return bool(_SYLLABLE.fullmatch(_plain(word).lower()))


def english_words(text: str) -> list[str]:
    """Words of `text` that are not Vietnamese syllables, abbreviations, numbers or allowed names."""
    out = []
    for word in re.findall(r"[^\W\d_]+", text):
        if len(word) == 1 or word.isupper() or word.lower() in ALLOWED or is_vietnamese_syllable(word):
            continue
        out.append(word)
    return out


# Visible text and the attributes a user meets (tooltips, screen-reader labels, placeholders).
PAGE_TEXTS_JS = """() => {
  const out = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const el = n.parentElement;
    if (!el || ["SCRIPT", "STYLE", "NOSCRIPT"].includes(el.tagName)) continue;
    if (!el.getClientRects().length) continue;  // not rendered
    const t = n.nodeValue.trim(); if (t) out.push(t);
  }
  for (const el of document.querySelectorAll('[title],[aria-label],[placeholder],[alt]'))
    for (const a of ['title', 'aria-label', 'placeholder', 'alt']) { const v = el.getAttribute(a); if (v) out.push(v); }
  out.push(document.title);
  return out;
}"""

# Elements sticking out of the viewport on the right (a table inside its own scroller is fine).
TOO_WIDE_JS = """() => [...document.querySelectorAll('body *')].filter(e => {
  const r = e.getBoundingClientRect();
  if (!r.width || !e.getClientRects().length) return false;
  let p = e.parentElement;
  for (; p; p = p.parentElement) { const s = getComputedStyle(p).overflowX; if (s === 'auto' || s === 'scroll') break; }
  return !p && r.right > window.innerWidth + 1;
}).map(e => `${e.tagName}#${e.id}.${e.className} right=${Math.round(e.getBoundingClientRect().right)}`)"""

# Words of table cells laid over more than one line (a word, or a number, broken mid-way).
BROKEN_WORDS_JS = """(root) => {
  const out = [];
  for (const cell of document.querySelectorAll(root + ' td, ' + root + ' th')) {
    const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const re = /\\S+/g; let m;
      while ((m = re.exec(n.nodeValue))) {
        const r = document.createRange(); r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
        const lines = new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top)));
        if (lines.size > 1) out.push(m[0] + ' (' + cell.closest('[id]').id + ')');
      }
    }
  }
  return out;
}"""


@contextmanager
def browser_page(url: str, viewport: dict[str, int], outside: list[str] | None = None) -> Iterator[Page]:
    """A page of the app in headless Debian Chromium; requests leaving the machine go to `outside`."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport=viewport, locale="vi-VN")
        page.set_default_timeout(180_000)
        expect.set_options(timeout=180_000)  # an answer or an upload is computed while the test waits
        if outside is not None:
            local = (url, "data:", "blob:")
            page.on("request", lambda r: None if r.url.startswith(local) else outside.append(r.url))
        page.goto(url)
        page.wait_for_selector("#bc-question textarea, #bc-login")
        page.wait_for_timeout(500)  # tabs measure the room they have once the page is laid out
        try:
            yield page
        finally:
            browser.close()


def open_tab(page: Page, name: str) -> None:
    """Click a tab, through Gradio's overflow menu when the screen is too narrow to show it."""
    page.locator("[role=tablist]").first.wait_for()
    tab = page.get_by_role("tab", name=name)
    if tab.count() and tab.first.is_visible():
        tab.first.click()
        return
    page.locator(".overflow-menu > button").first.click()
    page.locator(".overflow-dropdown button", has_text=name).first.click()


RECORD_PROGRESS_JS = """() => {
  window.__progress = [];
  const el = document.querySelector('#bc-ingest-log');
  new MutationObserver(() => window.__progress.push([el.innerText, el.getBoundingClientRect().height]))
    .observe(el, {subtree: true, childList: true, characterData: true});
}"""


def upload_recording_progress(page: Page, path: Path) -> list[tuple[str, float]]:
    """Upload `path` in the Tài liệu tab and wait until it is indexed; the (text, height) of every state the
    progress box went through, as a user would have seen it."""
    open_tab(page, "Tài liệu")
    page.evaluate(RECORD_PROGRESS_JS)
    with page.expect_file_chooser() as chooser:
        page.click("#bc-upload")
    chooser.value.set_files(str(path))
    expect(page.locator("#bc-ingest-log")).to_contain_text("đã nạp")
    return [(text, height) for text, height in page.evaluate("window.__progress")]
