"""Put a report back as it was before an ingest step failed: Chroma, keyword index, facts, registry, original.

The kill-safe order of `ingest.job` makes a *killed* run recoverable (the record says "writing" and the
next run redoes it), but an *exception* inside a step (a parser bug on one odd sentence, a full disk)
must not leave half a report behind that every later question trips over. Before a report is written,
`take` notes what the index holds for it (its registry record, its chunks with their vectors, a hard
link to its stored original); `restore` writes exactly that back, `discard` drops the note once the
report is complete. A new report is restored to nothing.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.facts import facts_for
from vectorstore.errorlog import record_internal_error
from vectorstore.index import Index

log = logging.getLogger(__name__)


@dataclass
class Snapshot:
    doc_id: str
    record: dict | None  # None: the index did not know the report
    ids: list[str]
    texts: list[str]
    metas: list[dict]
    vectors: np.ndarray
    original: Path  # the stored original's place under files/
    backup: Path | None  # a hard link (or copy) of the stored original before this run


def _backup_name(original: Path) -> Path:
    return original.with_name(f".{hashlib.sha1(original.name.encode()).hexdigest()[:16]}.bak")


def take(index: Index, doc_id: str, record: dict | None) -> Snapshot:
    """What the index holds for `doc_id` now (a new report holds nothing: no reads)."""
    ids = index.store.chunk_ids(where={"doc_id": doc_id}) if record else []
    got = index.store.get_with_vectors(ids) if ids else ([], [], [], np.zeros((0, 0), dtype=np.float32))
    original = index.files_dir / doc_id
    backup = None
    if record and original.is_file():
        backup = _backup_name(original)
        backup.unlink(missing_ok=True)
        try:
            os.link(original, backup)
        except OSError:
            shutil.copy2(original, backup)
    return Snapshot(doc_id, record, *got, original=original, backup=backup)


def restore(index: Index, snap: Snapshot) -> None:
    """Write the snapshot back; each part is tried even if another fails (the record is last)."""
    steps = [("chroma", _restore_chunks), ("lexical", _restore_lexical), ("facts", _restore_facts),
             ("original", _restore_original), ("registry", _restore_record)]
    for name, step in steps:
        try:
            step(index, snap)
        except Exception:  # noqa: BLE001 - what cannot be restored is left for `baocao doctor`
            logged = record_internal_error(f"rollback of the {name} of {snap.doc_id}", index.settings.index_dir)
            log.warning("Không khôi phục được %s của %s (chi tiết trong %s); hãy chạy `baocao doctor`.",
                        name, snap.doc_id, logged)


def discard(snap: Snapshot) -> None:
    if snap.backup is not None:
        snap.backup.unlink(missing_ok=True)


def _restore_chunks(index: Index, snap: Snapshot) -> None:
    keep = set(snap.ids)
    index.store.delete_chunks([c for c in index.store.chunk_ids(where={"doc_id": snap.doc_id}) if c not in keep])
    if snap.ids:
        index.store.upsert_chunks(snap.ids, snap.texts, snap.metas, snap.vectors)


def _restore_lexical(index: Index, snap: Snapshot) -> None:
    index.lexical.remove_doc(snap.doc_id)
    index.lexical.add([(c, snap.doc_id, t) for c, t in zip(snap.ids, snap.texts)], on_error=_skipped)


def _restore_facts(index: Index, snap: Snapshot) -> None:
    store = facts_for(index)
    store.remove_doc(snap.doc_id)
    bodies = [(c, t[int(m.get("header_len", 0)):], m) for c, t, m in zip(snap.ids, snap.texts, snap.metas)]
    store.add(bodies, on_error=_skipped)


def _restore_original(index: Index, snap: Snapshot) -> None:
    if snap.backup is not None:
        if snap.original.is_file() and os.path.samefile(snap.backup, snap.original):
            snap.backup.unlink()  # untouched: rename() between two links of one file does nothing
        else:
            os.replace(snap.backup, snap.original)
    elif snap.record is None:
        snap.original.unlink(missing_ok=True)


def _restore_record(index: Index, snap: Snapshot) -> None:
    if snap.record is None:
        index.store.delete_document(snap.doc_id)
    else:
        index.store.put_document(snap.record)


def _skipped(chunk_id: str, err: Exception) -> None:
    log.warning("rollback: chunk %s skipped (%s)", chunk_id, err)
