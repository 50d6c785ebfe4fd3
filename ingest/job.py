"""The ingest run: files -> load -> metadata -> chunks -> vectors -> Chroma + lexical cache.

Per file the order is crash-safe: the registry record is written first with
status "writing" and the new chunk ids, then chunks are upserted, stale ones
deleted and the lexical cache updated, and only then is the record marked
"complete". A file whose record is not complete is simply processed again on
the next run, and the doc's chunks not in the new set are removed then.
Removal marks the record "removing" before deleting anything, for the same
reason. A refused file never touches the index. The stored original is
written to a temporary name and renamed, so it is never half a file.
`crash_point` names the steps the kill tests stop at (tests/ingest/test_crash.py) and where the
isolation tests raise (tests/ingest/test_isolation.py): an exception inside any step rolls the file
back (`ingest.rollback`) and refuses it as an internal error whose traceback is in the error log.

Speed (bench/ingest_bench.py): registry records of all named files are read in
one call, so unchanged files cost a hash each; files whose vectors are all
known are written in groups; a file that needs embedding is written first with
provisional vectors (searchable by its words within a second) and its real
vectors follow.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from ingest import rollback
from ingest.chunker import Chunk, budget_for, chunk_document
from ingest.document import IngestError
from ingest.facts import facts_for, publish_facts
from ingest.file_hash import file_sha256
from ingest.loaders import load
from ingest.metadata import extract_metadata
from ingest.names import doc_id_for
from vectorstore.embeddings import embed_with_cache
from vectorstore.errorlog import record_internal_error
from vectorstore.faults import crash_point
from vectorstore.index import Index

SUPPORTED = {".pdf", ".docx", ".doc", ".xlsx", ".xls", ".txt", ".md"}
EMBED_BATCH = 16
GROUP_FILES = 32  # ready files written together...
GROUP_CHUNKS = 1000  # ...up to about one Chroma batch


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
    def ocr_pages(self, name: str, done: int, total: int) -> None:
        """Pages of a scan read by OCR so far (called at 0 and after each page, in order)."""
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


@dataclass
class _Prepared:
    """One changed file, loaded and chunked, waiting for its vectors and writes."""

    path: Path
    sha: str
    doc: Any
    meta: dict
    chunks: list[Chunk]
    old: dict | None
    started: float
    vectors: list[np.ndarray | None] = field(default_factory=list)

    @property
    def missing(self) -> list[int]:
        return [i for i, v in enumerate(self.vectors) if v is None]


def _known_vectors(index: Index, item: _Prepared) -> list[np.ndarray | None]:
    """Vectors this run need not compute: the report's stored ones (if re-ingested) and cached ones."""
    stored = index.store.existing_vectors([c.id for c in item.chunks]) if item.old else {}
    if stored:  # a run that crashed mid-embedding left provisional vectors: those are not known
        stored = {k: v for k, v in stored.items() if not index.is_provisional(v)}
    todo = [c.text for c in item.chunks if c.id not in stored]
    cached = index.vector_cache.get_many(todo) if todo else {}
    return [stored.get(c.id, cached.get(c.text)) for c in item.chunks]


def _prepare(index: Index, path: Path, old: dict | None, progress: Progress, password: str | None
             ) -> _Prepared | FileResult:
    started = time.perf_counter()
    if path.suffix.lower() not in SUPPORTED:
        raise IngestError("unsupported_type",
                          "Định dạng tệp không được hỗ trợ (chỉ nhận PDF, DOCX, DOC, XLSX, XLS, TXT, MD).")
    if not path.is_file():
        raise IngestError("not_found", "Không tìm thấy tệp.")
    sha = file_sha256(path)
    if old and old["sha256"] == sha and old["status"] == "complete":
        return FileResult(path.name, "unchanged", old["n_chunks"])
    doc = load(path, password=password, on_page=lambda done, total: progress.ocr_pages(path.name, done, total))
    meta = extract_metadata(doc).to_dict()
    chunks = chunk_document(doc, doc_id_for(path), meta, budget_for(index.embeddings))
    if not chunks:
        raise IngestError("no_text", "Tệp không có nội dung văn bản để lập chỉ mục.")
    progress.chunks(len(chunks))
    crash_point("parsed")
    item = _Prepared(path, sha, doc, meta, chunks, old, started)
    item.vectors = _known_vectors(index, item)
    progress.chunks_done(len(chunks) - len(item.missing))
    return item


def _record(item: _Prepared, status: str) -> dict:
    path, doc = item.path, item.doc
    return {
        "doc_id": doc_id_for(path),
        "file": doc_id_for(path),
        "source": str(path.resolve()),
        "sha256": item.sha,
        "size": path.stat().st_size,
        "format": doc.format,
        "pages": doc.pages,
        "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "chunk_ids": [c.id for c in item.chunks],
        "n_chunks": len(item.chunks),
        "metadata": item.meta,
        "notes": doc.notes,
        "status": status,
    }


def _upsert(index: Index, items: Sequence[_Prepared], only: dict[int, list[int]] | None = None) -> None:
    """One Chroma upsert for the chunks of several files (per call overhead dominates small writes)."""
    ids, texts, metas, vecs = [], [], [], []
    for n, item in enumerate(items):
        for i in (only or {}).get(n, range(len(item.chunks))):
            c = item.chunks[i]
            v = item.vectors[i]
            ids.append(c.id)
            texts.append(c.text)
            metas.append({**c.metadata, "header_len": c.header_len})
            vecs.append(index.provisional_vector if v is None else v)
    if ids:
        index.store.upsert_chunks(ids, texts, metas, np.stack(vecs))


def _publish(index: Index, items: Sequence[_Prepared]) -> None:
    """Registry "writing", chunks into Chroma, stale chunks out, lexical rows in: the reports are searchable.

    Chunks whose vectors are still being computed carry a provisional vector that no query comes
    near, so they are found by their words until `_finish` stores the real vector.
    """
    index.store.put_documents([_record(it, "writing") for it in items])
    crash_point("registered")
    _upsert(index, items)
    crash_point("upserted")
    rows = []
    for it in items:
        doc_id = doc_id_for(it.path)
        if it.old:  # only a report seen before can leave stale chunks behind
            new_ids = {c.id for c in it.chunks}
            index.store.delete_chunks([cid for cid in index.store.chunk_ids(where={"doc_id": doc_id})
                                       if cid not in new_ids])
            crash_point("stale_deleted")
            index.lexical.remove_doc(doc_id)
        rows.extend((c.id, doc_id, c.text) for c in it.chunks)
    index.lexical.add(rows)
    crash_point("lexical_added")
    publish_facts(index, [(doc_id_for(it.path), it.chunks) for it in items])
    crash_point("facts_added")


def _finish(index: Index, items: Sequence[_Prepared]) -> list[FileResult]:
    index.files_dir.mkdir(parents=True, exist_ok=True)
    for it in items:
        _store_original(it.path, index.files_dir / doc_id_for(it.path))
    crash_point("copied")
    index.store.put_documents([_record(it, "complete") for it in items])
    crash_point("completed")
    now = time.perf_counter()
    return [FileResult(it.path.name, "replaced" if it.old else "indexed", len(it.chunks),
                       seconds=now - it.started) for it in items]


def _store_original(src: Path, target: Path) -> None:
    """Copy under a temporary name, then rename: a kill leaves the old copy or the new, never half."""
    if src.resolve() == target.resolve():
        return
    tmp = target.with_name(f".{hashlib.sha1(target.name.encode()).hexdigest()[:16]}.part")  # names may be 255 bytes
    shutil.copy2(src, tmp)
    os.replace(tmp, target)


def _embed_missing(index: Index, item: _Prepared, on_done: Callable[[int], None]) -> None:
    """The slow step: compute the vectors no store or cache holds, in model-sized batches."""
    todo = item.missing
    for start in range(0, len(todo), EMBED_BATCH):
        batch = todo[start : start + EMBED_BATCH]
        vecs = embed_with_cache(index.embeddings, index.vector_cache, [item.chunks[i].text for i in batch])
        for i, v in zip(batch, vecs):
            item.vectors[i] = v
        on_done(len(batch))
        crash_point("embedded")


def _ingest_cold(index: Index, item: _Prepared, progress: Progress) -> FileResult:
    """A file with chunks to embed: searchable by its words first, then vectors, then complete."""
    missing = item.missing
    _publish(index, [item])
    _embed_missing(index, item, progress.chunks_done)
    _upsert(index, [item], {0: missing})
    crash_point("vectors_stored")
    return _finish(index, [item])[0]


def remove_document(index: Index, doc_id: str) -> bool:
    """Remove a report, its chunks, its lexical rows and its stored copy; False if unknown.

    The record is marked "removing" first: a kill half-way leaves a report that the next ingest
    redoes and `baocao doctor` finishes removing, never a "complete" report without its chunks.
    """
    record = index.store.get_document(doc_id)
    ids = index.store.chunk_ids(where={"doc_id": doc_id})
    if record is None and not ids:
        return False
    if record is not None and record.get("status") != "removing":
        index.store.put_document({**record, "status": "removing"})
    index.store.delete_chunks(ids)
    crash_point("chunks_removed")
    index.lexical.remove_doc(doc_id)
    facts_for(index).remove_doc(doc_id)
    (index.files_dir / doc_id).unlink(missing_ok=True)
    index.store.delete_document(doc_id)  # last: until here the record says what is left to do
    return True


def reset_index(index: Index) -> None:
    for record in index.store.list_documents():
        remove_document(index, record["doc_id"])
    leftover = index.store.chunk_ids()
    index.store.delete_chunks(leftover)
    index.lexical.clear()
    facts_for(index).clear()


def run_ingest(
    index: Index, paths: Iterable[Path], progress: Progress | None = None, reset: bool = False,
    password: str | None = None,
) -> IngestReport:
    """Ingest files and folders; one bad file never stops the others.

    Files whose vectors are all known (cached or stored) are written in groups, one registry and one
    Chroma write per group; a file that needs embedding is published first (searchable by its words)
    and completed when its vectors are done.
    """
    progress = progress or Progress()
    started = time.perf_counter()
    if reset:
        reset_index(index)
    files = expand_paths(paths)
    progress.files(len(files))
    known = index.store.get_documents([doc_id_for(p) for p in files])
    results: dict[int, FileResult] = {}
    group: list[tuple[int, _Prepared]] = []
    for n, path in enumerate(files):
        progress.file_started(path.name)
        item = _guard(index, path, lambda p=path: _prepare(index, p, known.get(doc_id_for(p)), progress, password))
        if isinstance(item, FileResult):
            results[n] = item
            progress.file_done(item)
        elif item.missing:
            _flush(index, group, results, progress)
            results[n] = _write(index, [item], lambda it=item: [_ingest_cold(index, it, progress)])[0]
            progress.file_done(results[n])
        else:
            group.append((n, item))
            if len(group) >= GROUP_FILES or sum(len(it.chunks) for _, it in group) >= GROUP_CHUNKS:
                _flush(index, group, results, progress)
    _flush(index, group, results, progress)
    if len(index.lexical) != index.store.count():  # drift left by an earlier crash or a damaged cache file
        index.sync_lexical()
    return IngestReport([results[n] for n in sorted(results)], time.perf_counter() - started)


def _flush(index: Index, group: list[tuple[int, _Prepared]], results: dict[int, FileResult],
           progress: Progress) -> None:
    """Write a group of ready files together; if the group fails (rolled back), each file is tried alone,
    so one file that trips a step never refuses the others."""
    if not group:
        return
    items = [it for _, it in group]
    done = _write(index, items, lambda: _publish_and_finish(index, items))
    if len(items) > 1 and done[0].status == "refused":
        done = [_write(index, [it], lambda it=it: _publish_and_finish(index, [it]))[0] for it in items]
    for (n, _), result in zip(group, done):
        results[n] = result
        progress.file_done(result)
    group.clear()


def _publish_and_finish(index: Index, items: list[_Prepared]) -> list[FileResult]:
    _publish(index, items)
    return _finish(index, items)


def _write(index: Index, items: list[_Prepared], step: Callable[[], list[FileResult]]) -> list[FileResult]:
    """Write files into the index as one unit: an exception rolls each of them back, then refuses them."""
    snaps: list[rollback.Snapshot] = []

    def isolated() -> list[FileResult]:
        try:
            snaps.extend(rollback.take(index, doc_id_for(it.path), it.old) for it in items)
            done = step()
        except BaseException:
            for snap in snaps:
                rollback.restore(index, snap)
            raise
        for snap in snaps:
            rollback.discard(snap)
        return done

    done = _guard(index, items[0].path, isolated)
    if isinstance(done, list):
        return done
    return [FileResult(it.path.name, "refused", reason=done.reason, code=done.code) for it in items]


def internal_error_reason(log_path: Path) -> str:
    return ("Lỗi nội bộ của chương trình khi xử lý tệp này (không phải do tệp); tệp chưa được nạp, chỉ mục giữ "
            f"nguyên như trước. Chi tiết lỗi đã ghi vào {log_path}.")


def _guard(index: Index, path: Path, step: Callable[[], Any]) -> Any:
    """Run one step for `path`; an IngestError becomes a refusal with its reason, any other exception a
    refusal that says it is an internal error and where its traceback was logged (shown only with -v)."""
    try:
        return step()
    except IngestError as err:
        return FileResult(path.name, "refused", reason=err.message, code=err.code)
    except Exception:  # noqa: BLE001 - an unexpected crash on one file is a refusal, not a stop
        logged = record_internal_error(f"ingest {path}", index.settings.index_dir)
        return FileResult(path.name, "refused", reason=internal_error_reason(logged), code="internal_error")
