"""Answer records built from the facts store: a cited table of documents or of an indicator's periods.

The record is the ordinary one of DESIGN.md: `answer` holds a Markdown table whose every cell carries
the [n] of the passage it was read from, `citations` maps each [n], `retrieved` lists those passages
first. Optional fields `table` (rows for the UI and its chart) and `references` are added.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from assistant.answer_record import AnswerRecord, Citation, answer_record, citation_of
from assistant.refindex import CitedDocument
from assistant.retriever import Hit
from assistant.series import SeriesRow, format_vn, signed
from ingest.chunker import split_sentences
from vectorstore.index import Index


class Cites:
    """[n] numbers for chunks in order of first use, and the hits behind them."""

    def __init__(self, index: Index, chunk_ids: Sequence[str]) -> None:
        chunks = index.store.get_chunks(list(dict.fromkeys(chunk_ids)))
        self.hits = {c.id: Hit(c, 1.0) for c in chunks}
        self.order: dict[str, int] = {}

    def mark(self, *chunk_ids: str) -> str:
        marks = []
        for cid in dict.fromkeys(chunk_ids):
            if cid in self.hits:
                self.order.setdefault(cid, len(self.order) + 1)
                marks.append(f"[{self.order[cid]}]")
        return "".join(marks)

    def citations(self) -> list[Citation]:
        return [citation_of(n, self.hits[cid]) for cid, n in self.order.items()]

    def cited_hits(self) -> list[Hit]:
        return [self.hits[cid] for cid in self.order]


def _cell(text: str, mark: str) -> str:
    text = (text or "").replace("|", "/").replace("\n", " ").strip()
    return f"{text} {mark}".strip() if text else ""


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def _file(hit: Hit | None) -> str:
    return hit.chunk.metadata.get("file", "") if hit else ""


def _finish(question: str, answer: str, cites: Cites, extra_hits: Sequence[Hit], started: float,
            qid: Any, **extra: Any) -> AnswerRecord:
    cited = cites.cited_hits()
    seen = {h.id for h in cited}
    ranked = cited + [h for h in extra_hits if h.id not in seen]
    ms = (time.perf_counter() - started) * 1000
    return answer_record(question, answer, False, cites.citations(), ranked,
                         {"retrieve": 0.0, "answer": ms, "total": ms}, qid, **extra)


def documents_record(index: Index, question: str, docs: list[CitedDocument], extra_hits: Sequence[Hit] = (),
                     qid: Any = None, started: float | None = None) -> AnswerRecord:
    """The cited documents as a table: number, date, issuer, subject, and the reports citing each."""
    started = started or time.perf_counter()
    cites = Cites(index, [m.chunk_id for d in docs for m in d.mentions])
    rows = []
    for d in docs:
        first = cites.mark(d.mentions[0].chunk_id)
        rows.append([_cell(d.name, first)] + [_cell(v or "", first if v else "") for v in (d.date, d.issuer, d.subject)]
                    + [_reports_cell(d, cites)])
    head = (f"Tìm thấy {len(docs)} văn bản được các báo cáo trích dẫn:" if len(docs) > 1
            else f"{_one(docs[0], cites)}{_contexts(docs[0], cites)}")
    table = _table(["Văn bản", "Ngày", "Cơ quan ban hành", "Trích yếu", "Báo cáo nhắc đến"], rows)
    return _finish(question, f"{head}\n\n{table}", cites, extra_hits, started, qid, mode="references",
                   references=[d.to_dict() for d in docs])


def report_name(hit: Hit | None, fallback: str = "") -> str:
    """A report as people name it: its title, province and first period (its file name only as a last
    resort): "Tình hình sản xuất công nghiệp ... (Trà Vinh, tháng 3/2023)"."""
    meta = hit.chunk.metadata if hit else {}
    title = " ".join(str(meta.get("title") or "").split())
    where = ", ".join(p for p in (str(meta.get("province") or ""),
                                  str(meta.get("period_labels") or "").split(";")[0].strip()) if p)
    if not title:
        return f"{fallback or _file(hit)} ({where})" if where else (fallback or _file(hit))
    return f"{title} ({where})" if where else title


def _reports_cell(d: CitedDocument, cites: Cites) -> str:
    """Each citing report once, with the [n] of every passage of it that mentions the document."""
    by_file: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for m in d.mentions:
        hit = cites.hits.get(m.chunk_id)
        key = _file(hit) or m.doc_id
        by_file.setdefault(key, []).append(m.chunk_id)
        names.setdefault(key, report_name(hit, key))
    return "; ".join(f"{names[f]} {cites.mark(*ids)}" for f, ids in by_file.items())


def _one(d: CitedDocument, cites: Cites) -> str:
    """The single document a question asks for, as a sentence: "Quyết định số ... ngày ... của ... về ..."."""
    parts = [d.name, f"ngày {d.date}" if d.date else "", f"của {d.issuer}" if d.issuer else "", d.subject or ""]
    return " ".join(p for p in parts if p) + f" {cites.mark(d.mentions[0].chunk_id)}."


MAX_CONTEXTS = 3


def _contexts(d: CitedDocument, cites: Cites) -> str:
    """What the reports say of the one document asked for: the words around each distinct citation
    ("tổng kết 10 năm thực hiện Nghị định số 45/2012/NĐ-CP ..."), so "nhắc trong nội dung gì" is answered."""
    seen: set[str] = set()
    lines = []
    for m in d.mentions:
        text = " ".join(m.context.split())
        if not text or text in seen or text == " ".join(m.quote.split()):
            continue
        seen.add(text)
        lines.append(f"«{text}» {cites.mark(m.chunk_id)}")
        if len(lines) == MAX_CONTEXTS:
            break
    return f" Các báo cáo nhắc đến: {'; '.join(lines)}." if lines else ""


def _value_cell(row: SeriesRow, cites: Cites) -> str:
    return "; ".join(_cell(f["value_text"], cites.mark(f["chunk_id"])) for f in row.values)


def _difference(row: SeriesRow, cites: Cites) -> str:
    """Plain words for two values of one period: which report said what, and by how much they differ."""
    a, b = row.values[0], row.values[1]
    label = f"{row.period_label}" + (f" ({row.qualifier})" if row.qualifier else "")
    diff = abs(signed(b) - signed(a))
    unit = a["unit"] if a["unit"] == b["unit"] else ""
    def said(f: dict[str, Any]) -> str:
        kind = "ước tính" if f["estimate"] else "số chính thức"
        return f"{f['value_text']} ({kind}, {report_name(cites.hits.get(f['chunk_id']))}) {cites.mark(f['chunk_id'])}"
    return (f"- {label}: các báo cáo ghi hai giá trị khác nhau — {said(a)} và {said(b)}; "
            f"chênh lệch {format_vn(diff)}{' ' + unit if unit else ''}.")


def series_record(index: Index, question: str, indicator: str, rows: list[SeriesRow],
                  extra_hits: Sequence[Hit] = (), qid: Any = None, started: float | None = None) -> AnswerRecord:
    """One row per period (and sub-item), every cell cited; disagreements listed under the table."""
    started = started or time.perf_counter()
    cites = Cites(index, [f["chunk_id"] for r in rows for f in r.figures])
    provinces = sorted({r.province for r in rows})
    body, table = [], []
    for r in rows:
        lead = r.figures[0]
        mark = cites.mark(lead["chunk_id"])
        period = r.period_label + (" (lũy kế)" if lead["cumulative"] and r.period.type == "quarter" else "")
        cells = [_cell(period + (f" — {r.qualifier}" if r.qualifier else ""), mark)]
        cells += [_cell(r.province, mark)] if len(provinces) > 1 else []
        cells += [_value_cell(r, cites), _cell("; ".join(lead["comparisons"]), mark if lead["comparisons"] else ""),
                  _cell("ước tính" if lead["estimate"] else "chính thức", mark)]
        body.append(cells)
        table.append({"period": r.period_label, "period_key": r.period_key, "period_type": r.period.type,
                      "period_end": r.period.end.isoformat(), "province": r.province,
                      "qualifier": r.qualifier, "value_text": lead["value_text"], "value": signed(lead),
                      "unit": lead["unit"], "comparisons": lead["comparisons"], "estimate": bool(lead["estimate"]),
                      "conflict": r.conflict, "citations": [cites.order[f["chunk_id"]] for f in r.values
                                                            if f["chunk_id"] in cites.order]})
    header = ["Kỳ"] + (["Tỉnh"] if len(provinces) > 1 else []) + ["Giá trị", "So sánh", "Ước tính / chính thức"]
    where = ", ".join(p for p in provinces if p)
    text = f"{indicator[0].upper() + indicator[1:]}{' — ' + where if where else ''} qua {len(rows)} kỳ báo cáo:"
    text += "\n\n" + _table(header, body)
    notes = [_difference(r, cites) for r in rows if r.conflict]
    if notes:
        text += "\n\nSố liệu không thống nhất giữa các báo cáo:\n" + "\n".join(notes)
    return _finish(question, text, cites, extra_hits, started, qid, mode="series", table=table, indicator=indicator)


def stock_record(index: Index, question: str, row: dict[str, Any], extra_hits: Sequence[Hit] = (),
                 qid: Any = None, started: float | None = None) -> AnswerRecord:
    """"How many are there": the sentence of the report that states the stock, quoted whole and cited."""
    started = started or time.perf_counter()
    cites = Cites(index, [row["chunk_id"]])
    hit = cites.hits.get(row["chunk_id"])
    sentence = _sentence_at(hit.body if hit else "", str(row["value_text"]))
    where = " – ".join(p for p in (str(row.get("period_label") or ""), str(row.get("province") or "")) if p)
    lead = f"Theo báo cáo {where}: " if where else ""
    return _finish(question, f"{lead}{sentence} {cites.mark(row['chunk_id'])}", cites, extra_hits, started, qid)


MAX_OTHER_COUNTS = 3  # counts shown beside a refusal: what the reports do count, not all of it


def no_stock_record(index: Index, question: str, thing: str, province: str, rows: Sequence[dict[str, Any]],
                    extra_hits: Sequence[Hit] = (), qid: Any = None, started: float | None = None) -> AnswerRecord:
    """"How many are there" where the province's reports count the thing only for something else ("06 cửa
    hàng" to be dealt with, "01 cửa hàng" opened): refused, saying so, with the counts they do give."""
    started = started or time.perf_counter()
    cites = Cites(index, [r["chunk_id"] for r in rows[:MAX_OTHER_COUNTS]])
    given = "; ".join(_count_shown(r, cites) for r in rows[:MAX_OTHER_COUNTS])
    answer = (f"Không tìm thấy tổng số {thing} hiện có của {province} trong các báo cáo đã nạp. "
              f"Các báo cáo chỉ nêu: {given}.")
    record = _finish(question, answer, cites, extra_hits, started, qid, refusal_reason="item_not_given")
    return record.with_changes(abstained=True)


def _count_shown(row: dict[str, Any], cites: Cites) -> str:
    about = ", ".join(str(v) for v in (row.get("qualifier"), row.get("period_label")) if v)
    return f"{row['value_text']} ({about}) {cites.mark(row['chunk_id'])}".replace(" ()", "")


def _sentence_at(body: str, value_text: str) -> str:
    """The sentence of `body` that writes `value_text` (the figure itself when none does)."""
    for line in body.split("\n"):
        for sentence in split_sentences(line):
            if value_text in sentence:
                return sentence.strip().lstrip("-+• ").rstrip(";")
    return value_text
