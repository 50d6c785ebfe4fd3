"""Consistency check of an index directory, with repair: Chroma is the truth, the rest follows.

What can drift after a crash, a killed process or a hand-edited folder, and what repair does:

* a lexical cache file that is damaged (truncated, overwritten): set aside and rebuilt from Chroma;
* a report left "writing" (ingest killed mid-way) or whose chunks in Chroma are not the chunk ids its
  record lists: ingested again from its stored original or its source file when either still has
  the recorded hash, otherwise marked so the next `baocao ingest` of that file redoes it;
* a report left "removing" (removal killed mid-way): the removal is finished;
* chunks whose report is not in the registry (orphans): deleted;
* a stored original that went missing: copied again from the source when it still matches;
* files under files/ of no registered report, temporary copies: deleted;
* a lexical cache out of step with Chroma: brought back in step.

Repair never deletes a registered report.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ingest.facts import facts_for, sync_facts
from ingest.file_hash import file_sha256
from vectorstore.errorlog import SkippedChunks
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


def _matching_file(candidates: list[Path], sha: str | None) -> Path | None:
    """The first candidate file that still has the recorded content."""
    for path in candidates:
        if sha and path.is_file() and file_sha256(path) == sha:
            return path
    return None


def _chunk_ids_per_doc(index: Index) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for c in index.store.iter_chunks():
        out[str(c.metadata.get("doc_id", ""))].add(c.id)
    return out


def _check_lexical_file(index: Index, found: Findings, repair: bool) -> None:
    lexical = index.lexical
    if lexical.recovered_from is not None:
        found.problems.append(f"Tệp chỉ mục từ khóa bị hỏng (đã chuyển sang {lexical.recovered_from.name}).")
        found.repairs.append("đã tạo lại tệp chỉ mục từ khóa từ Chroma.")
    elif not lexical.healthy():
        found.problems.append("Tệp chỉ mục từ khóa bị hỏng (không đọc được).")
        if repair:
            lexical.rebuild_if_damaged()
            found.repairs.append("đã tạo lại tệp chỉ mục từ khóa từ Chroma.")


def _redo(index: Index, rec: dict, found: Findings) -> None:
    """Ingest an inconsistent report again from a file that still has its recorded content."""
    from ingest.job import run_ingest

    doc_id = rec["doc_id"]
    source = Path(rec.get("source") or "")
    candidates = [index.files_dir / doc_id] + ([source] if source.name else [])
    path = _matching_file(candidates, rec.get("sha256"))
    index.store.put_document({**rec, "status": "writing"})  # also what makes the ingest below redo it
    result = run_ingest(index, [path]).results[0] if path else None
    if result and result.status != "refused":
        found.repairs.append(f"{doc_id}: đã nạp lại từ {path} ({result.chunks} đoạn).")
        return
    found.repairs.append(f"{doc_id}: không còn tệp gốc khớp; đánh dấu để lần nạp tới làm lại (các đoạn được giữ).")


def _check_record(index: Index, rec: dict, have: set[str], found: Findings, repair: bool) -> None:
    doc_id, status = rec["doc_id"], rec.get("status")
    if status == "removing":
        found.problems.append(f"{doc_id}: lần xóa trước bị gián đoạn.")
        if repair:
            from ingest.job import remove_document

            remove_document(index, doc_id)
            found.repairs.append(f"{doc_id}: đã xóa xong.")
        return
    expected = set(rec.get("chunk_ids") or [])
    if status != "complete":
        found.problems.append(f"{doc_id}: lần nạp trước bị gián đoạn.")
    elif have != expected:
        found.problems.append(f"{doc_id}: sổ đăng ký ghi {len(expected)} đoạn nhưng Chroma có {len(have)} "
                              f"({len(have - expected)} thừa, {len(expected - have)} thiếu).")
    else:
        _check_original(index, rec, found, repair)
        return
    if repair:
        _redo(index, rec, found)


def _check_original(index: Index, rec: dict, found: Findings, repair: bool) -> None:
    doc_id = rec["doc_id"]
    if (index.files_dir / doc_id).is_file():
        return
    found.problems.append(f"{doc_id}: thiếu bản gốc trong {index.files_dir} (liên kết mở tệp sẽ hỏng).")
    source = _matching_file([Path(rec.get("source") or "")], rec.get("sha256")) if rec.get("source") else None
    if repair and source:
        index.files_dir.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, index.files_dir / doc_id)
        found.repairs.append(f"{doc_id}: đã chép lại bản gốc từ {source}.")


def _check_documents(index: Index, found: Findings, repair: bool) -> None:
    per_doc = _chunk_ids_per_doc(index)
    records = {r["doc_id"]: r for r in index.store.list_documents()}
    for doc_id, rec in records.items():
        _check_record(index, rec, per_doc.get(doc_id, set()), found, repair)
    for doc_id in [d for d in per_doc if d not in records]:
        found.problems.append(f"{len(per_doc[doc_id])} đoạn của '{doc_id}' không thuộc báo cáo nào đã đăng ký.")
        if repair:
            index.store.delete_chunks(sorted(per_doc[doc_id]))
            found.repairs.append(f"đã xóa các đoạn mồ côi của '{doc_id}'.")


def _check_stray_files(index: Index, found: Findings, repair: bool) -> None:
    """Stored originals of no registered report, and temporary copies a kill left behind."""
    if not index.files_dir.is_dir():
        return
    known = {r["doc_id"] for r in index.store.list_documents()}
    stray = [p for p in sorted(index.files_dir.iterdir()) if p.is_file() and p.name not in known]
    if stray:
        found.problems.append(f"{len(stray)} tệp trong {index.files_dir} không thuộc báo cáo nào đã đăng ký.")
        if repair:
            for p in stray:
                p.unlink(missing_ok=True)
            found.repairs.append(f"đã xóa {len(stray)} tệp thừa trong {index.files_dir}.")


def _check_lexical(index: Index, found: Findings, repair: bool) -> None:
    truth, have = set(index.store.chunk_ids()), index.lexical.ids()
    stale = index.lexical.is_stale_tokenizer()
    if truth != have or stale:
        why = "bộ tách từ đã thay đổi" if stale else f"lệch {len(truth ^ have)} đoạn so với Chroma"
        found.problems.append(f"Chỉ mục từ khóa {why}.")
        if repair:
            skipped = SkippedChunks("chỉ mục từ khóa", index.settings.index_dir)
            index.sync_lexical(skipped)
            found.repairs.append("đã đồng bộ lại chỉ mục từ khóa từ Chroma.")
            _report_skipped(skipped, found)


def _check_facts(index: Index, found: Findings, repair: bool) -> None:
    store = facts_for(index)
    truth, have = set(index.store.chunk_ids()), store.chunk_ids()
    if truth != have or store.is_stale():
        why = "bộ trích xuất đã thay đổi" if store.is_stale() else f"lệch {len(truth ^ have)} đoạn so với Chroma"
        found.problems.append(f"Chỉ mục văn bản và số liệu {why}.")
        if repair:
            skipped = SkippedChunks("chỉ mục văn bản và số liệu", index.settings.index_dir)
            sync_facts(index, skipped)
            found.repairs.append("đã đọc lại văn bản và số liệu từ Chroma.")
            _report_skipped(skipped, found)


def _report_skipped(skipped: SkippedChunks, found: Findings) -> None:
    """Chunks a repair could not process stay a problem, named, with the log holding why."""
    if skipped.ids:
        found.problems.append(f"{skipped.what}: {len(skipped.ids)} đoạn không xử lý được (lỗi nội bộ: "
                              f"{', '.join(skipped.ids[:5])}); chi tiết trong {skipped.log}.")


def check_and_repair(index: Index, repair: bool = True) -> Findings:
    """Inspect (and with `repair`, fix) the index; registered reports are never deleted."""
    found = Findings()
    _check_lexical_file(index, found, repair)
    _check_documents(index, found, repair)
    _check_stray_files(index, found, repair)
    _check_lexical(index, found, repair)
    _check_facts(index, found, repair)
    found.documents = len(index.store.list_documents())
    found.chunks = index.store.count()
    return found
