"""The answer chain as LangChain runnables: understand -> retrieve -> compose -> answer -> record.

One chain serves plain and streamed answers: its last step yields `{"text": piece}` while an LLM
writes and then `{"record": AnswerRecord}`. `chain.stream(inp)` hands those out as they come;
`chain.invoke(inp)` adds them up (LangChain's AddableDict), so `invoke(inp)["record"]` is the same
record. Retrieval goes through the project's `HybridRetriever`.

The extractive composition is always computed (a few ms): it is the answer when no LLM is
configured, the fallback when the LLM is unreachable or all its sentences fail the checks, and the
source of the "nearest passage" shown with a refusal. An LLM only ever sees passages whose period
and province agree with the question, so it cannot silently answer about another month or province.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from langchain_core.runnables import Runnable, RunnableLambda
from langchain_core.runnables.utils import AddableDict

from assistant.answer_record import AnswerRecord, answer_record
from assistant.checks import check_sentences
from assistant.citations import number_sentences
from assistant.compose.extractive import Composition, compose_extractive
from assistant.compose.llm import LLMComposer, LLMUnavailable, is_refusal, split_cited_sentences
from assistant.compose.signer import asks_signer, compose_signer
from assistant.injection import without_instructions
from assistant.periodmatch import PeriodMatch
from assistant.query import QueryUnderstanding
from assistant.retriever import Filters, Hit, HybridRetriever, HybridSearch, hit_of
from assistant.wording import refusal_text, with_source

RETRIEVE_K = 10
LLM_PASSAGES = 6
CHECK_FAILED = "Câu trả lời của mô hình không qua được kiểm tra số liệu; đây là câu trả lời trích xuất."

State = dict[str, Any]


def _understand(engine: HybridSearch):
    def run(inp: State) -> State:
        return {**inp, "started": time.perf_counter(), "q": engine.understand(inp["question"])}

    return run


def _retrieve(engine: HybridSearch):
    def run(state: State) -> State:
        t = time.perf_counter()
        retriever = HybridRetriever(engine=engine, k=RETRIEVE_K, filters=state.get("filters"))
        hits = [hit_of(doc) for doc in retriever.invoke(state["question"])]
        return {**state, "hits": hits, "t_retrieve": (time.perf_counter() - t) * 1000}

    return run


def _compose(engine: HybridSearch):
    def run(state: State) -> State:
        t = time.perf_counter()
        q, hits = state["q"], list(state["hits"])
        comp = compose_signer(q, hits, engine.find_passage) if asks_signer(q) else None
        if comp is None:
            comp = compose_extractive(q, hits, engine)
        return {**state, "hits": hits, "composition": comp, "t_compose": t, "mode": "extractive"}

    return run


def llm_passages(q: QueryUnderstanding, hits: list[Hit]) -> list[int]:
    """Indexes of the hits an LLM may read: none about another period or province than asked."""
    keep = [i for i, h in enumerate(hits) if h.period != PeriodMatch.CONFLICT and h.province_ok]
    return keep[:LLM_PASSAGES]


def wants_llm(state: State) -> bool:
    """Signer questions are answered from report metadata, which the passages do not spell out."""
    return not asks_signer(state["q"]) and bool(llm_passages(state["q"], state["hits"]))


def llm_messages_input(state: State) -> tuple[str, list[str]]:
    """(question, passage texts with their context header) for the LLM composer."""
    hits = state["hits"]
    return state["question"], [without_instructions(hits[i].chunk.text) for i in llm_passages(state["q"], hits)]


def apply_llm_answer(state: State, text: str) -> State:
    """Turn the LLM's text into checked sentences over the full hit list (or fall back)."""
    order = llm_passages(state["q"], state["hits"])
    if is_refusal(text):
        nearest = state["composition"].nearest or [0]
        return {**state, "composition": Composition(abstained=True, nearest=nearest), "mode": "llm"}
    sentences = [(s, [order[i] for i in cited]) for s, cited in split_cited_sentences(text, len(order))]
    kept = check_sentences(sentences, state["hits"])
    if not kept:
        return {**state, "notice": CHECK_FAILED}
    dropped = len(sentences) - len(kept)
    notice = f"Đã bỏ {dropped} câu không có căn cứ trong đoạn trích dẫn." if dropped else None
    return {**state, "composition": Composition(kept), "mode": "llm", "notice": notice, "source_named": True}


def _answer(llm: LLMComposer | None):
    """The LLM's text pieces as it writes (when one is configured and may answer), then the record."""

    def run(state: State) -> Iterator[AddableDict]:
        if llm is not None and wants_llm(state):
            text = ""
            try:
                for piece in llm.stream(*llm_messages_input(state)):
                    text += piece
                    yield AddableDict(text=piece)
                state = apply_llm_answer(state, text)
            except LLMUnavailable as exc:
                state = {**state, "notice": exc.notice}
        yield AddableDict(record=finish(state))

    return run


def finish(state: State) -> AnswerRecord:
    """Checks, [n] numbering, refusal wording, the DESIGN.md answer record."""
    q: QueryUnderstanding = state["q"]
    hits: list[Hit] = state["hits"]
    comp: Composition = state["composition"]
    sentences = check_sentences(comp.sentences, hits) if not comp.abstained else []
    if sentences:
        named = sentences if state.get("source_named") else with_source(sentences, hits)
        lines, citations = number_sentences(named, hits)
        answer, abstained = " ".join(lines), False
    else:
        answer, citations = refusal_text(q, comp, hits)
        abstained = True
    timings = {"retrieve": state["t_retrieve"], "answer": (time.perf_counter() - state["t_compose"]) * 1000,
               "total": (time.perf_counter() - state["started"]) * 1000}
    extra = {"mode": state.get("mode"), "notice": state.get("notice"),
             "standalone_question": state.get("standalone_question"),
             "confidence": round(comp.confidence, 3) if comp.confidence else None,
             "refusal_reason": (comp.refusal_reason or "no_match") if abstained else None}
    ranked = hits if abstained else cited_first(hits, [c.chunk_id for c in citations])
    return answer_record(state.get("asked") or state["question"], answer, abstained, citations, ranked, timings,
                         state.get("id"), **extra)


def cited_first(hits: list[Hit], cited_ids: list[str]) -> list[Hit]:
    """The final rerank: passages the answer rests on (sentence-level evidence) lead the retrieved list."""
    order = {cid: i for i, cid in enumerate(cited_ids)}
    return sorted(hits, key=lambda h: order.get(h.id, len(order)))


def build_chain(engine: HybridSearch, llm: LLMComposer | None = None) -> Runnable:
    """Input: {"question": str, "id"?: any, "filters"?: Filters, "asked"?: str, "standalone_question"?: str};
    output: {"text"?: the LLM's text, "record": AnswerRecord} (streamed: the pieces, then the record)."""
    return (RunnableLambda(_understand(engine)) | RunnableLambda(_retrieve(engine))
            | RunnableLambda(_compose(engine)) | RunnableLambda(_answer(llm)))


__all__ = ["build_chain", "Filters"]
