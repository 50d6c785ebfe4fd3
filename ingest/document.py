"""The in-memory shape of a loaded report, shared by loaders, structure and chunking.

Loaders (pdf, docx, text) all produce a `LoadedDocument`: a flat list of
`Block`s in reading order plus the footnotes they reference. Text is already
repaired (NFC, hard wraps re-joined, running headers/footers dropped).
Footnote reference marks are kept in the text in one canonical form,
``⁽n⁾`` (see `footnote_mark`), whatever the source wrote (¹, ⁽¹⁾, (1), a
raised digit in a PDF), so later stages find them with one pattern.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

BlockKind = Literal["heading", "paragraph", "table_row"]
PageCallback = Callable[[int, int], None]  # (pages read, pages to read): OCR takes seconds a page

_SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def footnote_mark(footnote_id: str | int) -> str:
    """Canonical in-text footnote mark, e.g. ``⁽²⁾`` for footnote 2."""
    return "⁽" + str(footnote_id).translate(_SUPERSCRIPT_DIGITS) + "⁾"


@dataclass
class Block:
    """One paragraph, heading or table row of a report, in reading order."""

    kind: BlockKind
    text: str
    page: int | None = None  # 1-based page where the block starts (PDF; None elsewhere)
    level: int | None = None  # heading level when the source says it (DOCX styles)
    footnote_ids: list[str] = field(default_factory=list)  # footnotes this block references
    table_header: list[str] | None = None  # header cells, for table rows
    cells: list[str] | None = None  # the row's cells, for table rows
    table_title: str | None = None  # caption / title above the table, if any


@dataclass
class Footnote:
    id: str
    text: str
    page: int | None = None


@dataclass
class LoadedDocument:
    """A report as a loader read it: blocks in order, footnotes by id."""

    path: Path
    format: str  # "pdf" | "docx" | "txt" | "md"
    blocks: list[Block]
    footnotes: dict[str, Footnote] = field(default_factory=dict)
    pages: int | None = None
    notes: list[str] = field(default_factory=list)  # repairs applied, in plain words
    ocr_pages: list[int] = field(default_factory=list)  # 1-based pages read from a scan by OCR
    doubtful_figures: dict[int, set[str]] = field(default_factory=dict)  # page -> figures OCR was unsure of

    @property
    def text(self) -> str:
        """The body as plain text, blocks separated by newlines (for metadata extraction)."""
        return "\n".join(b.text for b in self.blocks)


class IngestError(Exception):
    """A file that cannot be indexed; `code` is stable, `message` is for people (Vietnamese)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message
