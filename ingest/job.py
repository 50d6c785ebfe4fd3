"""The ingest run: files -> load -> metadata -> chunks -> vectors -> Chroma + lexical cache.

Per file the order is crash-safe: the registry record is written first with
status "writing" and the new chunk ids, then chunks are upserted, stale ones
deleted and the lexical cache updated, and only then is the record marked
"complete". A file whose record is not complete is simply processed again on
the next run, and the doc's chunks not in the new set are removed then.
A refused file never touches the index.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from ingest.chunker import Chunk, chunk_document
from ingest.document import IngestError
from ingest.loaders import load
from ingest.metadata import extract_metadata
from vectorstore.embeddings import embed_with_cache
from vectorstore.index import Index

log = logging.getLogger(__name__)

SUPPORTED = {".pdf", ".docx", ".txt", ".md"}
EMBED_BATCH = 16


@dataclass
class FileResult:
    file: str
    status: str  # "indexed" | "replaced" | "unchanged" | "refused"
    chunks: int = 0
    reason: str = ""
    code: str = ""
    seconds: float = 0.0


@dataclass
class IngestReport:
    results: list[FileResult] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)


class Progress:
    """Hooks for progress display; the CLI and the app plug their own in."""

    def files(self, total: int) -> None: ...
    def file_started(self, name: str) -> None: ...
    def chunks(self, total: int) -> None: ...
    def chunks_done(self, n: int) -> None: ...
    def file_done(self, result: FileResult) -> None: ...


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, plus supported files found under named folders (sorted, deduplicated)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(f for f in sorted(p.rglob("*")) if f.is_file() and f.suffix.lower() in SUPPORTED)
        else:
            out.append(p)
    return list(dict.fromkeys(out))


def doc_id_for(path: Path) -> str:
    """Reports are known by file name: ingesting a file of the same name replaces the old version."""
    return path.name


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _vectors(index: Index, chunks: Sequence[Chunk], on_done: Callable[[int], None]) -> np.ndarray:
    known = index.store.existing_vectors([c.id for c in chunks])
    rows: list[np.ndarray | None] = [known.get(c.id) for c in chunks]
    todo = [i for i, r in enumerate(rows) if r is None]
    on_done(len(chunks) - len(todo))
    for start in range(0, len(todo), EMBED_BATCH):
        batch = todo[start : start + EMBED_BATCH]
        vecs = embed_with_cache(index.embeddings, index.vector_cache, [chunks[i].text for i in batch])
        for i, v in zip(batch, vecs):
            rows[i] = v
        on_done(len(batch))
    return np.stack(rows) if rows else np.zeros((0, 0), dtype=np.float32)


def _record(path: Path, sha: str, doc: Any, meta: dict, chunks: list[Chunk], status: str) -> dict:
    return {
        "doc_id": doc_id_for(path),
        "file": path.name,
        "source": str(path.resolve()),
        "sha256": sha,
        "size": path.stat().st_size,
        "format": doc.format,
        "pages": doc.pages,
        "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "chunk_ids": [c.id for c in chunks],
        "n_chunks": len(chunks),
        "metadata": meta,
        "notes": doc.notes,
        "status": status,
    }


def ingest_file(index: Index, path: Path, progress: Progress, password: str | None = None) -> FileResult:
    started = time.perf_counter()
    doc_id = doc_id_for(path)
    if path.suffix.lower() not in SUPPORTED:
        raise IngestError("unsupported_type", "Định dạng tệp không được hỗ trợ (chỉ nhận PDF, DOCX, TXT, MD).")
    if not path.is_file():
        raise IngestError("not_found", "Không tìm thấy tệp.")
    sha = _sha256(path)
    old = index.store.get_document(doc_id)
    if old and old["sha256"] == sha and old["status"] == "complete":
        return FileResult(path.name, "unchanged", old["n_chunks"])
    doc = load(path, password=password)
    meta = extract_metadata(doc).to_dict()
    chunks = chunk_document(doc, doc_id, meta)
    if not chunks:
        raise IngestError("no_text", "Tệp không có nội dung văn bản để lập chỉ mục.")
    progress.chunks(len(chunks))
    vectors = _vectors(index, chunks, progress.chunks_done)  # the slow step, before any write
    index.store.put_document(_record(path, sha, doc, meta, chunks, "writing"))
    index.store.upsert_chunks(
        [c.id for c in chunks], [c.text for c in chunks], [{**c.metadata, "header_len": c.header_len}
                                                          for c in chunks], vectors,
    )
    new_ids = {c.id for c in chunks}
    stale = [cid for cid in index.store.chunk_ids(where={"doc_id": doc_id}) if cid not in new_ids]
    index.store.delete_chunks(stale)
    index.lexical.remove_doc(doc_id)
    index.lexical.add((c.id, doc_id, c.text) for c in chunks)
    index.files_dir.mkdir(parents=True, exist_ok=True)
    if path.resolve() != (index.files_dir / doc_id).resolve():
        shutil.copy2(path, index.files_dir / doc_id)
    index.store.put_document(_record(path, sha, doc, meta, chunks, "complete"))
    status = "replaced" if old else "indexed"
    return FileResult(path.name, status, len(chunks), seconds=time.perf_counter() - started)


def remove_document(index: Index, doc_id: str) -> bool:
    """Remove a report, its chunks, its lexical rows and its stored copy; False if unknown."""
    record = index.store.get_document(doc_id)
    ids = index.store.chunk_ids(where={"doc_id": doc_id})
    if record is None and not ids:
        return False
    index.store.delete_chunks(ids)
    index.lexical.remove_doc(doc_id)
    index.store.delete_document(doc_id)
    (index.files_dir / doc_id).unlink(missing_ok=True)
    return True


def reset_index(index: Index) -> None:
    for record in index.store.list_documents():
        remove_document(index, record["doc_id"])
    leftover = index.store.chunk_ids()
    index.store.delete_chunks(leftover)
    index.lexical.clear()


def run_ingest(
    index: Index, paths: Iterable[Path], progress: Progress | None = None, reset: bool = False,
    password: str | None = None,
) -> IngestReport:
    """Ingest files and folders; one bad file never stops the others."""
    progress = progress or Progress()
    started = time.perf_counter()
    if reset:
        reset_index(index)
    files = expand_paths(paths)
    progress.files(len(files))
    report = IngestReport()
    for path in files:
        progress.file_started(path.name)
        try:
            result = ingest_file(index, path, progress, password)
        except IngestError as err:
            result = FileResult(path.name, "refused", reason=err.message, code=err.code)
        except Exception as err:  # noqa: BLE001 - an unexpected parser crash is a refusal, not a stop
            log.exception("ingest failed for %s", path)
            result = FileResult(path.name, "refused", reason=f"Lỗi khi đọc tệp: {err}", code="error")
        report.results.append(result)
        progress.file_done(result)
    report.seconds = time.perf_counter() - started
    return report
