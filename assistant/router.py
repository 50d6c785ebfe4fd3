"""Routing: questions about cited documents or an indicator's series go to the facts store.

"Báo cáo nào nhắc đến Quyết định 2366/QĐ-UBND?", "Các văn bản của UBND tỉnh về cụm công nghiệp?" list
documents; "... ban hành theo quyết định nào?" asks for one, and is answered from the reference index
only when one document clearly fits (else retrieval answers, as before). "Giá trị sản xuất công nghiệp
qua các kỳ báo cáo" asks for a series. When the store has nothing, `answer` returns None and the
ordinary retrieval chain answers.
"""

from __future__ import annotations

import re
import threading
import time
from typing import Any

from assistant.answer_record import AnswerRecord
from assistant.fact_answers import documents_record, no_stock_record, series_record, stock_record
from assistant.query import QueryUnderstanding, understand
from assistant.refindex import CitedDocument, group_documents, search_documents
from assistant.retriever import Filters, Hit, HybridSearch
from assistant.series import SeriesRow, build_series, granularity_asked, indicator_of
from ingest.facts import facts_for, is_in_step, sync_facts
from ingest.periods import Period
from vectorstore.index import Index
from vectorstore.vitext import fold

_TYPES = r"(?:quyet dinh|nghi quyet|nghi dinh|ke hoach|chi thi|thong tu|cong van|thong bao|luat)"
_LISTS_REFS = re.compile(
    r"\b(?:bao cao|tai lieu) nao (?:co )?(?:nhac|de cap|neu|trich|dan)|\bnhac (?:den|toi)\b"
    rf"|\b(?:cac|nhung|danh sach) (?:van ban|{_TYPES})\b|\bvan ban nao\b"
)
_ASKS_SERIES = re.compile(
    r"\bqua cac\b|\bcac ky\b|\b(?:cac|tung|theo) (?:thang|quy|nam|ky)\b|\bdien bien\b|\bchuoi so lieu\b"
    r"|\bbien dong\b|\bxu huong\b"
)
# "có bao nhiêu cửa hàng", "hiện có bao nhiêu chợ", "tổng số siêu thị": how many there are, not how many
# were opened or closed in the period ("phát triển mới bao nhiêu", "thu hồi mấy")
_ASKS_STOCK = re.compile(r"\b(?:co|hien co|toan tinh co|tong so|tong cong) (?:bao nhieu|may)\b|\btong so\b")
_ACTION = re.compile(r"\b(?:moi|them|thu hoi|cap|dong cua|ngung|xay dung|nang cap|chuyen doi|phat trien)\b")
SEARCH_K = 10


def asks_documents(q: QueryUnderstanding) -> bool:
    return bool(_LISTS_REFS.search(q.folded))


def asks_one_document(q: QueryUnderstanding) -> bool:
    return q.wanted_doc_type is not None and not q.references


_STOCK_WORDS = {"tong", "cong", "toan", "tinh", "hien", "nay", "den", "het", "cuoi", "so", "ban", "le", "tren", "dia"}


def counted_asked(q: QueryUnderstanding):
    """The counted thing a "how many are there" question asks about, when it asks nothing more ("có bao
    nhiêu doanh nghiệp tham gia hội nghị" counts participants, not the province's enterprises); None for any
    other question."""
    if not _ASKS_STOCK.search(q.folded) or _ACTION.search(q.folded):
        return None
    for ind in q.indicators:
        named = {w for term in ind.terms for w in fold(term).split()}
        if ind.counted_as and set(q.content_terms) <= named | _STOCK_WORDS:
            return ind
    return None


def _ends_with(row: dict[str, Any], period: Period) -> bool:
    """The row's period is the asked one, or ends on the day the asked one ends."""
    return row.get("period_key") == period.key or str(row.get("period_end") or "") == period.end.isoformat()


def asks_series(q: QueryUnderstanding) -> bool:
    return bool(_ASKS_SERIES.search(q.folded)) and any(i.kind == "indicator" for i in q.indicators)


class FactRouter:
    """Answers from the facts store, kept in step with Chroma (cheap check per question)."""

    def __init__(self, index: Index, engine: HybridSearch | None = None) -> None:
        self.index = index
        self.engine = engine
        self._lock = threading.Lock()
        self._checked = ""
        self._documents: list[CitedDocument] = []
        self._documents_of: str | None = None

    def store(self):
        """The facts store, checked against Chroma only when the store's change marker moved (counting
        chunks costs ~50 ms at 5,000 reports; reading the marker under 1 ms)."""
        generation = self.index.store.generation()
        with self._lock:
            if generation != self._checked and not is_in_step(self.index):
                sync_facts(self.index)
            self._checked = generation
        return facts_for(self.index)

    def documents(self, query: str = "", province: str | None = None, min_coverage: float = 0.75,
                  need_topic: bool = False, q: QueryUnderstanding | None = None) -> list[tuple[CitedDocument, float]]:
        return search_documents(self.cited_documents(), query, province, min_coverage, need_topic, q)

    def cited_documents(self) -> list[CitedDocument]:
        """Every cited document, grouped from the store's rows once per change of the index."""
        store = self.store()
        with self._lock:
            if self._documents_of != self._checked:
                self._documents = group_documents(store.references())
                self._documents_of = self._checked
            return self._documents

    def series(self, indicator: str, province: str | None = None, years: list[int] | None = None,
               granularity: str | None = None) -> tuple[str | None, list[SeriesRow]]:
        ind = indicator_of(indicator)
        if ind is None:
            return None, []
        figures = self.store().figures(ind.name, province)
        rows = build_series(figures, years, granularity)
        if not rows and granularity:  # "các quý" when the reports give months: show what there is
            rows = build_series(figures, years)
        return ind.name, rows

    def stock(self, indicator: str, province: str | None, q: QueryUnderstanding) -> dict[str, Any] | None:
        """The stock count ("toàn tỉnh có 327 cửa hàng") for the asked period, else the latest one; None when
        the reports give none, or give two different stocks for that period (retrieval then answers). A stock
        is a count on a day: one stated at the end of March is the stock at the end of quý I and of "3 tháng
        đầu năm" (not of the year 2023, whose end it does not know)."""
        rows = [r for r in self.store().figures(indicator, province) if not r.get("qualifier")]
        if q.periods:
            rows = [r for r in rows if any(_ends_with(r, p) for p in q.periods)]
        if not rows:
            return None
        last = max(str(r.get("period_end") or "") for r in rows)
        latest = [r for r in rows if str(r.get("period_end") or "") == last]
        return latest[0] if len({r.get("value") for r in latest}) == 1 else None

    def counts_without_stock(self, indicator: str, province: str | None) -> list[dict[str, Any]]:
        """The counts one province's reports give of a thing when none of them is a stock (only those
        opened, handled, registered ...); empty when a stock is given anywhere, or nothing is counted."""
        if not province:
            return []
        rows = self.store().figures(indicator, province)
        return [] if any(not r.get("qualifier") for r in rows) else rows

    def _extra_hits(self, question: str, filters: Filters | None) -> list[Hit]:
        if self.engine is None:
            return []
        return self.engine.search(self.engine.understand(question), SEARCH_K, filters)

    def answer(self, question: str, filters: Filters | None = None, qid: Any = None) -> AnswerRecord | None:
        """The record for a documents or series question, or None to let retrieval answer."""
        started = time.perf_counter()
        q = self.engine.understand(question) if self.engine else understand(question)
        province = (filters.provinces[0] if filters and len(filters.provinces) == 1 else None) or (
            q.provinces[0] if len(q.provinces) == 1 else None)
        if asks_series(q):
            years = sorted({y for p in q.periods for y in p.years})
            name, rows = self.series(question, province, years, granularity_asked(q.folded))
            if rows:
                return series_record(self.index, question, name, rows, self._extra_hits(question, filters), qid,
                                     started)
        counted = counted_asked(q)
        if counted is not None and not asks_series(q):
            row = self.stock(counted.name, province, q)
            if row is not None:
                return stock_record(self.index, question, row, self._extra_hits(question, filters), qid, started)
            others = self.counts_without_stock(counted.name, province)
            if others:
                return no_stock_record(self.index, question, counted.name, str(province), others,
                                       self._extra_hits(question, filters), qid, started)
        if asks_documents(q):
            docs = [d for d, _ in self.documents(question, province, need_topic=True, q=q)]
            if docs:
                return documents_record(self.index, question, docs, self._extra_hits(question, filters), qid,
                                        started)
        if asks_one_document(q):
            found = self.documents(question, province, min_coverage=0.8, need_topic=True, q=q)
            if len(found) == 1 or (len(found) > 1 and found[0][1] > found[1][1]):
                return documents_record(self.index, question, [found[0][0]], self._extra_hits(question, filters),
                                        qid, started)
        return None
