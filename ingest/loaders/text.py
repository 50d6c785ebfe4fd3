"""Load TXT/MD reports: decode, repair, then paragraphs, footnotes and tab/pipe tables.

Two shapes are common. Exports from Word/markdown keep one paragraph per line,
with footnote lines starting with a superscript (``¹``, ``⁽²⁾``) wherever the
page broke, sometimes cutting a paragraph in two. Text extracted from a PDF is
hard-wrapped instead (see `wrapped.py`). The shape is detected, not assumed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ingest.document import Block, Footnote, LoadedDocument
from ingest.encodings import decode_bytes, fix_legacy_mojibake
from ingest.loaders.blocks import caption_above, finalize, is_page_number, link_marks, sup_to_int, table_rows
from ingest.loaders.wrapped import is_hard_wrapped, parse_wrapped
from ingest.repair import (
    clean,
    ends_sentence,
    is_caps,
    normalize_newlines,
    opens_block,
    starts_lower,
    strip_markdown,
)

_FN_DEF = re.compile(r"^(⁽[⁰¹²³⁴⁵⁶⁷⁸⁹]+⁾|[⁰¹²³⁴⁵⁶⁷⁸⁹]+)\s*(\S.*)$")
_SUP_MARK = re.compile(r"(?<![⁽⁰¹²³⁴⁵⁶⁷⁸⁹])⁽?([⁰¹²³⁴⁵⁶⁷⁸⁹]+)⁾?")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
_PIPE_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")
_ENCODING_NOTES = {
    "utf-8-sig": "Đã bỏ dấu BOM đầu tệp.",
    "utf-16": "Đã đọc tệp mã UTF-16.",
    "cp1258": "Đã chuyển bảng mã Windows-1258 sang Unicode.",
    "tcvn3": "Đã chuyển bảng mã TCVN3 (ABC) sang Unicode.",
    "vni": "Đã chuyển bảng mã VNI-Windows sang Unicode.",
}


@dataclass
class _Para:
    kind: str  # "paragraph" | "heading" | "table"
    text: str = ""
    level: int | None = None
    rows: list[list[str]] = field(default_factory=list)


def load_text(path: Path, fmt: str) -> LoadedDocument:
    text, notes = read_text(path)
    lines = text.split("\n")
    if is_hard_wrapped(lines):
        paras, footnotes = parse_wrapped(lines)
        notes.append("Đã nối các dòng bị ngắt cứng thành đoạn văn.")
        blocks = [Block("paragraph", p.text) for p in paras]
    else:
        blocks, footnotes = _parse_line_paragraphs(lines)
    fns = {str(k): Footnote(str(k), v) for k, v in sorted(footnotes.items())}
    return LoadedDocument(path, fmt, finalize(blocks, fns), fns, notes=notes)


def read_text(path: Path) -> tuple[str, list[str]]:
    """Decoded, NFC, LF-only text of a file, plus the repairs applied (in Vietnamese)."""
    decoded = decode_bytes(path.read_bytes())
    notes = [_ENCODING_NOTES[decoded.encoding]] if decoded.encoding in _ENCODING_NOTES else []
    text = unicodedata.normalize("NFC", normalize_newlines(decoded.text))
    fixed = fix_legacy_mojibake(text)
    if fixed is not None:
        text = fixed[0]
        notes.append(f"Đã sửa chữ lỗi phông {fixed[1]} sang Unicode.")
    return text, notes


def _parse_line_paragraphs(lines: list[str]) -> tuple[list[Block], dict[int, str]]:
    """One paragraph per non-empty line; footnote lines out; page-break fragments re-joined."""
    entries = [ln.strip() for ln in lines if ln.strip() and not is_page_number(ln)]
    paras: list[_Para] = []
    footnotes: dict[int, str] = {}
    last_fn: int | None = None
    after_fn = False
    for i, line in enumerate(entries):
        fn = _FN_DEF.match(line)
        if fn:
            last_fn = sup_to_int(fn.group(1))
            footnotes[last_fn] = fn.group(2)
            after_fn = True
            continue
        where = _attach(line, paras, footnotes.get(last_fn or -1), after_fn, _next_body(entries, i))
        if where == "body":
            paras[-1].text += " " + line
        elif where == "footnote" and last_fn is not None:
            footnotes[last_fn] += " " + line
        else:
            _add_line(paras, line)
        after_fn = False
    texts = link_marks([strip_markdown(p.text) for p in paras], list(footnotes), _SUP_MARK)
    for p, t in zip(paras, texts, strict=True):
        p.text = t
    footnotes = {k: strip_markdown(v) for k, v in footnotes.items()}
    return _to_blocks(paras), footnotes


def _next_body(entries: list[str], i: int) -> str:
    """The next line after `i` that is not a footnote line ('' at the end)."""
    return next((e for e in entries[i + 1 :] if not _FN_DEF.match(e)), "")


def _attach(line: str, paras: list[_Para], last_fn: str | None, after_fn: bool, next_line: str) -> str:
    """Where a line goes: 'body' (continues the last paragraph), 'footnote' or 'new'.

    A page break can cut a paragraph (its rest starts the next page, usually in
    lower case, or in upper case right after the footnote lines) and can cut a
    footnote. An upper-case line that follows an unfinished paragraph belongs to
    the footnote when the paragraph itself continues later (a lower-case line).
    """
    last = paras[-1] if paras else None
    if last is None or last.kind != "paragraph" or "\t" in line:
        return "new"
    if starts_lower(line):
        return "body"
    if opens_block(line) or is_caps(line) or _finished(last.text):
        return "new"
    if starts_lower(next_line) and last_fn is not None and not ends_sentence(last_fn):
        return "footnote"
    return "body" if after_fn else "new"


def _finished(text: str) -> bool:
    """A paragraph that ends a sentence, or a short numbered heading without punctuation."""
    plain = strip_markdown(text)
    return (
        ends_sentence(plain)
        or is_caps(plain)
        or (opens_block(plain) and len(plain) < 160 and plain[0].isalnum())
    )


def _add_line(paras: list[_Para], line: str) -> None:
    """Start a new paragraph, heading or table row from a line."""
    heading = _MD_HEADING.match(line)
    cells = _cells(line)
    if heading:
        paras.append(_Para("heading", heading.group(2), level=len(heading.group(1))))
    elif cells is not None:
        if paras and paras[-1].kind == "table":
            if not _PIPE_RULE.match(line):
                paras[-1].rows.append(cells)
        else:
            paras.append(_Para("table", rows=[cells]))
    else:
        paras.append(_Para("paragraph", line))


def _cells(line: str) -> list[str] | None:
    """Cells of a tab-separated or markdown pipe table row, else None."""
    if "\t" in line:
        return [c.strip() for c in line.split("\t")]
    if line.startswith("|") and line.endswith("|") and line.count("|") >= 3:
        return [c.strip() for c in line.strip("|").split("|")]
    return None


def _to_blocks(paras: list[_Para]) -> list[Block]:
    blocks: list[Block] = []
    for p in paras:
        if p.kind == "table" and len(p.rows) >= 2:
            rows = [[strip_markdown(c) for c in r] for r in p.rows]
            blocks.extend(table_rows(rows, caption_above(blocks)))
        elif p.kind == "table":
            blocks.append(Block("paragraph", " ".join(p.rows[0])))
        else:
            blocks.append(Block(p.kind, clean(p.text), level=p.level))
    return blocks
