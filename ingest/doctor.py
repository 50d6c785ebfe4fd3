"""Consistency check of an index directory, with repair: Chroma is the truth, the rest follows.

What can drift after a crash, a killed process or a hand-edited folder: chunks whose report is not
in the registry (an ingest stopped before its record), reports left "writing", a registry count
that no longer matches Chroma, a lexical cache out of step, a stored original that went missing.
Repair never deletes a registered report: it removes orphan chunks, marks mismatched reports so the
next `baocao ingest` redoes them, and rebuilds the lexical cache.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ingest.facts import facts_for, sync_facts
from vectorstore.index import Index


@dataclass
class Findings:
    problems: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)
    documents: int = 0
    chunks: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def lines(self) -> list[str]:
        head = f"Chỉ mục có {self.documents} báo cáo, {self.chunks} đoạn."
        if self.ok:
            return [head, "Không phát hiện vấn đề nào."]
        out = [head] + [f"- {p}" for p in self.problems]
        out += [f"Đã sửa: {r}" for r in self.repairs] or ["Chưa sửa gì (chạy lại không có --check-only để sửa)."]
        return out


def _chunks_per_doc(index: Index) -> Counter[str]:
    return Counter(str(c.metadata.get("doc_id", "")) for c in index.store.iter_chunks())


def _check_documents(index: Index, per_doc: Counter[str], found: Findings, repair: bool) -> None:
    records = {r["doc_id"]: r for r in index.store.list_documents()}
    found.documents = len(records)
    for doc_id, rec in records.items():
        if rec.get("status") != "complete":
            found.problems.append(f"{doc_id}: lần nạp trước bị gián đoạn; nạp lại tệp này để hoàn tất.")
        elif per_doc.get(doc_id, 0) != rec.get("n_chunks"):
            found.problems.append(
                f"{doc_id}: sổ đăng ký ghi {rec.get('n_chunks')} đoạn nhưng Chroma có {per_doc.get(doc_id, 0)}.")
            if repair:
                index.store.put_document({**rec, "status": "writing"})
                found.repairs.append(f"{doc_id}: đánh dấu để lần nạp tới làm lại (các đoạn hiện có được giữ).")
        elif not (index.files_dir / doc_id).is_file():
            found.problems.append(f"{doc_id}: thiếu bản gốc trong {index.files_dir} (liên kết mở tệp sẽ hỏng).")
    orphans = [d for d in per_doc if d not in records]
    for doc_id in orphans:
        found.problems.append(f"{per_doc[doc_id]} đoạn của '{doc_id}' không thuộc báo cáo nào đã đăng ký.")
        if repair:
            index.store.delete_chunks(index.store.chunk_ids(where={"doc_id": doc_id}))
            found.repairs.append(f"đã xóa các đoạn mồ côi của '{doc_id}'.")


def _check_lexical(index: Index, found: Findings, repair: bool) -> None:
    truth, have = set(index.store.chunk_ids()), index.lexical.ids()
    stale = index.lexical.is_stale_tokenizer()
    if truth != have or stale:
        why = "bộ tách từ đã thay đổi" if stale else f"lệch {len(truth ^ have)} đoạn so với Chroma"
        found.problems.append(f"Chỉ mục từ khóa {why}.")
        if repair:
            index.sync_lexical()
            found.repairs.append("đã đồng bộ lại chỉ mục từ khóa từ Chroma.")


def _check_facts(index: Index, found: Findings, repair: bool) -> None:
    store = facts_for(index)
    truth, have = set(index.store.chunk_ids()), store.chunk_ids()
    if truth != have or store.is_stale():
        why = "bộ trích xuất đã thay đổi" if store.is_stale() else f"lệch {len(truth ^ have)} đoạn so với Chroma"
        found.problems.append(f"Chỉ mục văn bản và số liệu {why}.")
        if repair:
            sync_facts(index)
            found.repairs.append("đã đọc lại văn bản và số liệu từ Chroma.")


def check_and_repair(index: Index, repair: bool = True) -> Findings:
    """Inspect (and with `repair`, fix) the index; registered reports are never deleted."""
    found = Findings()
    per_doc = _chunks_per_doc(index)
    _check_documents(index, per_doc, found, repair)
    _check_lexical(index, found, repair)
    _check_facts(index, found, repair)
    found.chunks = index.store.count()
    return found
