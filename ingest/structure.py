"""Heading hierarchy: every block gets the path of sections it sits in.

Reports number their headings ("Phần thứ nhất", "I.", "1.", "1.1.", "2.9.1.",
"a)"). DOCX styles give a level directly; elsewhere the numbering does. A
numbered line is a heading when it is short; "2. Thương mại: Tổng mức bán
lẻ ..." is a run-in heading (title before the colon, body after) and stays a
paragraph of its own section. Long numbered items (lists of tasks) are
paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.document import Block

_PATTERNS: list[tuple[int, re.Pattern[str]]] = [
    (0, re.compile(r"^Phần\s+thứ\s+\w+", re.I)),
    (1, re.compile(r"^[IVX]{1,5}\.\s+\S")),
    (4, re.compile(r"^\d{1,2}\.\d{1,2}\.\d{1,2}\.?\s+\S")),
    (3, re.compile(r"^\d{1,2}\.\d{1,2}\.?\s+\S")),
    (2, re.compile(r"^\d{1,2}\.\s+\S")),
    (5, re.compile(r"^[a-zđ]\)\s+\S")),
]
HEADING_MAX_CHARS = 160
# "3. Kim ngạch xuất khẩu ước đạt 41,3 triệu USD." is a numbered sentence, not a title
_STATES_FIGURE = re.compile(r"\d[.,]\d.*\.$|\d\s?%.*\.$")
RUN_IN_TITLE_MAX = 70
RUN_IN_MIN_WORDS = 4  # "2. Thương mại: Tổng mức bán lẻ ..." vs "Phần thứ hai: PHƯƠNG HƯỚNG"


@dataclass
class PlacedBlock:
    block: Block
    section: list[str]  # heading titles from the top down, e.g. ["I. VỀ CHỈ TIÊU ...", "1. Công nghiệp"]


def numbering_level(text: str) -> int | None:
    for level, pattern in _PATTERNS:
        if pattern.match(text):
            return level
    return None


def _heading_of(block: Block) -> tuple[int, str, bool] | None:
    """(level, title, is_run_in) when the block opens a section."""
    text = block.text.strip()
    if block.kind == "heading":
        level = numbering_level(text)
        return (level if level is not None else block.level or 1), text, False
    if block.kind != "paragraph":
        return None
    level = numbering_level(text)
    if level is None:
        return None
    colon = text.find(":")
    rest = text[colon + 1:]
    if 0 < colon <= RUN_IN_TITLE_MAX and len(rest.split()) >= RUN_IN_MIN_WORDS and not rest.isupper():
        return level, text[: colon + 1], True  # however short: its body must stay searchable text
    states_figure = _STATES_FIGURE.search(text.split(maxsplit=1)[-1])
    if len(text) <= HEADING_MAX_CHARS and not text.endswith((";", ",")) and not states_figure:
        return level, text, False
    return None


def place_blocks(blocks: list[Block]) -> list[PlacedBlock]:
    """Attach each block to its section path; headings themselves are returned too."""
    stack: list[tuple[int, str]] = []
    placed: list[PlacedBlock] = []
    for block in blocks:
        head = _heading_of(block)
        if head is not None:
            level, title, run_in = head
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, title.rstrip(":").strip()))
            kind = "paragraph" if run_in else "heading"
            placed.append(PlacedBlock(_with_kind(block, kind), [t for _, t in stack]))
        else:
            placed.append(PlacedBlock(block, [t for _, t in stack]))
    return _empty_headings_as_text(placed)


def _empty_headings_as_text(placed: list[PlacedBlock]) -> list[PlacedBlock]:
    """A "heading" that heads nothing (the next block is a sibling or higher heading, or the end) was a
    numbered sentence ("3. Kim ngạch xuất khẩu năm 2023 ước đạt 455 triệu USD."): chunks hold only the
    body of sections, so as a heading its words would never be indexed. It becomes a paragraph of the
    section around it."""
    out = []
    for i, pb in enumerate(placed):
        nxt = next((p for p in placed[i + 1:] if p.block.text.strip()), None)
        empty = nxt is None or (nxt.block.kind == "heading" and len(nxt.section) <= len(pb.section))
        if pb.block.kind == "heading" and empty:
            pb = PlacedBlock(_with_kind(pb.block, "paragraph"), pb.section[:-1])
        out.append(pb)
    return out


def _with_kind(block: Block, kind: str) -> Block:
    if block.kind == kind:
        return block
    return Block(**{**block.__dict__, "kind": kind})
