"""Load DOCX reports: body paragraphs and tables in order, heading styles, real Word footnotes.

python-docx opens the package and resolves styles; the body and the footnotes
part are walked as XML because python-docx exposes neither body order across
tables nor footnotes. Layout tables (the official two-column header, the
signature block) become plain paragraphs so metadata extraction sees
"UBND TỈNH ...", "Số: ..." and the signer; only real data tables become rows.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from ingest.document import Block, Footnote, IngestError, LoadedDocument, footnote_mark
from ingest.loaders.blocks import caption_above, finalize, table_rows
from ingest.repair import clean

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_PART_BYTES = 64 * 1024 * 1024  # one XML part; a long report's document.xml is a few MB
MAX_UNZIPPED_BYTES = 256 * 1024 * 1024
_HEADING_NAME = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
_NO_BORDER = {"nil", "none"}


def load_docx(path: Path) -> LoadedDocument:
    check_zip_sizes(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise IngestError("invalid_docx", "Tệp .docx bị hỏng hoặc không đúng định dạng Word.") from exc
    body = document.element.body
    numbers = _footnote_numbers(body)
    reader = _BodyReader(_heading_levels(document), numbers)
    reader.read(body)
    footnotes = _footnotes(document, numbers)
    return LoadedDocument(path, "docx", finalize(reader.blocks, footnotes), footnotes)


def check_zip_sizes(path: Path) -> None:
    """Refuse a zip bomb from the sizes the archive declares, before inflating anything."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile as exc:
        raise IngestError("invalid_docx", "Tệp .docx bị hỏng (gói ZIP không đọc được).") from exc
    total = sum(i.file_size for i in infos)
    biggest = max((i.file_size for i in infos if i.filename.endswith(".xml")), default=0)
    if biggest > MAX_PART_BYTES or total > MAX_UNZIPPED_BYTES:
        raise IngestError(
            "too_large",
            f"Tệp .docx khi giải nén quá lớn ({total / 1048576:.0f} MB), có thể là tệp độc hại; không xử lý.",
        )


def _heading_levels(document: docx.document.Document) -> dict[str, int]:
    """style id -> heading level, for 'Heading N' styles and styles based on them."""
    levels: dict[str, int] = {}
    for style in document.styles:
        s, depth = style, 0
        while s is not None and depth < 10:
            m = _HEADING_NAME.match(s.name or "")
            if m:
                levels[style.style_id] = int(m.group(1))
                break
            s, depth = getattr(s, "base_style", None), depth + 1
    return levels


def _footnote_numbers(body: etree._Element) -> dict[str, str]:
    """Word footnote id -> displayed number (1, 2, ... in order of first reference)."""
    numbers: dict[str, str] = {}
    for ref in body.iter(W + "footnoteReference"):
        wid = ref.get(W + "id")
        if wid is not None and wid not in numbers:
            numbers[wid] = str(len(numbers) + 1)
    return numbers


def _footnotes(document: docx.document.Document, numbers: dict[str, str]) -> dict[str, Footnote]:
    """Footnote texts from the footnotes part (word/footnotes.xml), keyed by displayed number."""
    part = next(
        (
            r.target_part
            for r in document.part.rels.values()
            if not r.is_external and r.reltype.endswith("/footnotes")
        ),
        None,
    )
    if part is None or not numbers:
        return {}
    root = etree.fromstring(part.blob)
    out: dict[str, Footnote] = {}
    for note in root.iter(W + "footnote"):
        num = numbers.get(note.get(W + "id") or "")
        if num:
            text = " ".join(paragraph_text(p, {}) for p in note.iter(W + "p"))
            out[num] = Footnote(num, clean(text))
    return dict(sorted(out.items(), key=lambda kv: int(kv[0])))


def paragraph_text(p: etree._Element, numbers: dict[str, str]) -> str:
    """Visible text of a w:p, footnote references as canonical marks."""
    parts: list[str] = []
    for el in p.iter(W + "t", W + "tab", W + "br", W + "cr", W + "noBreakHyphen", W + "footnoteReference"):
        tag = el.tag
        if tag == W + "t":
            parts.append(el.text or "")
        elif tag == W + "noBreakHyphen":
            parts.append("-")
        elif tag == W + "footnoteReference":
            num = numbers.get(el.get(W + "id") or "")
            parts.append(footnote_mark(num) if num else "")
        elif el.getparent() is not None and el.getparent().tag == W + "r":
            parts.append(" ")  # tab or line break inside a run (not a tab-stop definition)
    return "".join(parts)


class _BodyReader:
    """Walks body children in order and turns them into blocks."""

    def __init__(self, heading_levels: dict[str, int], numbers: dict[str, str]):
        self.levels = heading_levels
        self.numbers = numbers
        self.blocks: list[Block] = []

    def read(self, container: etree._Element) -> None:
        for el in container:
            if el.tag == W + "p":
                self._paragraph(el)
            elif el.tag == W + "tbl":
                self._table(el)
            elif el.tag in (W + "sdt", W + "customXml", W + "sdtContent"):
                content = el.find(W + "sdtContent") if el.tag == W + "sdt" else el
                if content is not None:
                    self.read(content)

    def _paragraph(self, p: etree._Element) -> None:
        text = clean(paragraph_text(p, self.numbers))
        if not text:
            return
        level = self._level(p)
        self.blocks.append(Block("heading" if level else "paragraph", text, level=level))

    def _level(self, p: etree._Element) -> int | None:
        style = p.find(f"{W}pPr/{W}pStyle")
        if style is not None and style.get(W + "val") in self.levels:
            return self.levels[style.get(W + "val")]
        outline = p.find(f"{W}pPr/{W}outlineLvl")
        if (
            outline is not None
            and (outline.get(W + "val") or "").isdigit()
            and int(outline.get(W + "val")) < 9
        ):
            return int(outline.get(W + "val")) + 1
        return None

    def _table(self, tbl: etree._Element) -> None:
        rows = [
            [_cell_text(tc, self.numbers) for tc in tr.iter(W + "tc") if _own_cell(tc, tr)]
            for tr in tbl.findall(W + "tr")
        ]
        if _is_data_table(tbl, rows):
            self.blocks.extend(table_rows(rows, caption_above(self.blocks)))
            return
        for tr in tbl.findall(W + "tr"):  # layout table: its lines are ordinary paragraphs
            for tc in tr.findall(W + "tc"):
                self.read(tc)


def _own_cell(tc: etree._Element, tr: etree._Element) -> bool:
    """A cell of this row, not of a table nested inside one of its cells."""
    parent = tc.getparent()
    while parent is not None and parent.tag != W + "tr":
        parent = parent.getparent()
    return parent is tr


def _cell_text(tc: etree._Element, numbers: dict[str, str]) -> str:
    return clean(" ".join(paragraph_text(p, numbers) for p in tc.iter(W + "p")))


def _is_data_table(tbl: etree._Element, rows: list[list[str]]) -> bool:
    """A header row and at least two data rows, in a table that draws its grid."""
    filled = [r for r in rows if sum(1 for c in r if c) >= 2]
    if len(filled) < 3:
        return False
    borders = tbl.find(f"{W}tblPr/{W}tblBorders")
    if borders is not None and len(borders) and all(b.get(W + "val") in _NO_BORDER for b in borders):
        return tbl.find(f".//{W}tcBorders") is not None
    return True
