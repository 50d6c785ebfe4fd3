"""Is an uploaded file a report the index already holds under another name?

The Word version of a report indexed as PDF would otherwise become a second copy: every figure
cited twice, the library listing the same number twice. A report is the same when its number,
issue date and issuing body agree, or, for a report without a number, when its text is nearly the
same (word shingles). A file of the same name is not a duplicate: it replaces the old one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.document import IngestError
from ingest.loaders import load
from ingest.metadata import extract_metadata
from ingest.names import doc_id_for
from vectorstore.index import Index
from vectorstore.vitext import fold

SHINGLE = 5
SAME_TEXT = 0.6  # shingles in common: the same report in PDF, DOCX and TXT shares 0.86-0.99, two reports < 0.04
SAMPLE_WORDS = 3000


@dataclass(frozen=True)
class Duplicate:
    file: str  # the upload
    existing: str  # the indexed report it repeats
    why: str  # in plain Vietnamese


def _key(meta: dict[str, Any]) -> tuple[str, str, str] | None:
    number, date = (meta.get("report_number") or "").strip(), (meta.get("issue_date") or "").strip()
    if not number or not date:
        return None
    issuer = fold(meta.get("issuing_agency") or meta.get("province") or "")
    return fold(number).replace(" ", ""), date, issuer


def _shingles(text: str) -> set[int]:
    words = fold(text).split()[:SAMPLE_WORDS]
    return {hash(" ".join(words[i:i + SHINGLE])) for i in range(max(len(words) - SHINGLE + 1, 0))}


def _similar(a: set[int], b: set[int]) -> bool:
    return bool(a and b) and len(a & b) / min(len(a), len(b)) >= SAME_TEXT


def _indexed_text(index: Index, record: dict[str, Any]) -> str:
    chunks = index.store.get_chunks(list(record.get("chunk_ids") or [])[:60])
    return " ".join(c.text[int(c.metadata.get("header_len", 0)):] for c in chunks)


def find_duplicates(index: Index, paths: list[Path], on_ocr: Callable[[str, int, int], None] | None = None
                    ) -> list[Duplicate]:
    """The uploads that repeat an indexed report kept under another file name.

    Reading a scan means OCR (seconds a page): `on_ocr(file, pages read, pages)` follows it; the pages
    read here are kept by the OCR reader, so the ingest that follows does not read them again.
    """
    report = on_ocr or (lambda name, done, total: None)
    records = [r for r in index.store.list_documents() if r.get("status", "complete") == "complete"]
    keyed = {k: r for r in records if (k := _key(r.get("metadata") or {}))}
    unnumbered = [r for r in records if not _key(r.get("metadata") or {})]
    out: list[Duplicate] = []
    for path in paths:
        try:
            doc = load(path, on_page=lambda done, total, name=path.name: report(name, done, total))
        except IngestError:
            continue  # the ingest itself refuses it with the reason
        meta = extract_metadata(doc).to_dict()
        key, name = _key(meta), doc_id_for(path)
        same = keyed.get(key) if key else None
        if same and same["file"] != name:
            why = f"cùng số {meta['report_number']}, cùng ngày ban hành"
            out.append(Duplicate(path.name, same["file"], why))
            continue
        if key:
            continue
        mine = _shingles(doc.text)
        for r in unnumbered:
            if r["file"] != name and _similar(mine, _shingles(_indexed_text(index, r))):
                out.append(Duplicate(path.name, r["file"], "nội dung gần như trùng khớp"))
                break
    return out


def duplicate_line(d: Duplicate) -> str:
    """The message for a held-back upload: what it repeats and how to add it anyway."""
    return (f"⚠️ **{d.file}** — chưa nạp: trùng với báo cáo đã có **{d.existing}** ({d.why}). "
            "Nếu vẫn muốn nạp bản này, chọn «Vẫn nạp báo cáo trùng» rồi tải lại.")
