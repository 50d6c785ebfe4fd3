"""The answer chain as LangChain runnables: understand -> retrieve -> compose -> check -> record."""

from __future__ import annotations

import time
from typing import Any

from langchain_core.runnables import Runnable, RunnableLambda

from assistant.checks import check_sentences
from assistant.citations import number_sentences, record
from assistant.compose.extractive import Composition, compose_extractive
from assistant.compose.signer import asks_signer, compose_signer
from assistant.query import QueryUnderstanding
from assistant.retriever import Filters, Hit, HybridSearch
from assistant.wording import refusal_text, with_source

RETRIEVE_K = 10


def _understand(engine: HybridSearch):
    def run(inp: dict[str, Any]) -> dict[str, Any]:
        return {**inp, "started": time.perf_counter(), "q": engine.understand(inp["question"])}

    return run


def _retrieve(engine: HybridSearch):
    def run(state: dict[str, Any]) -> dict[str, Any]:
        t = time.perf_counter()
        hits = engine.search(state["q"], RETRIEVE_K, state.get("filters"))
        return {**state, "hits": hits, "t_retrieve": (time.perf_counter() - t) * 1000}

    return run


def _compose(engine: HybridSearch):
    def run(state: dict[str, Any]) -> dict[str, Any]:
        t = time.perf_counter()
        q, hits = state["q"], list(state["hits"])
        comp = compose_signer(q, hits, engine.find_passage) if asks_signer(q) else None
        if comp is None:
            comp = compose_extractive(q, hits, engine)
        return {**state, "hits": hits, "composition": comp, "t_compose": t}

    return run


def _finish(state: dict[str, Any]) -> dict[str, Any]:
    q: QueryUnderstanding = state["q"]
    hits: list[Hit] = state["hits"]
    comp: Composition = state["composition"]
    sentences = check_sentences(comp.sentences, hits) if not comp.abstained else []
    if sentences:
        lines, citations = number_sentences(with_source(sentences, hits), hits)
        answer, abstained = " ".join(lines), False
    else:
        answer, citations = refusal_text(q, comp, hits)
        abstained = True
    timings = {"retrieve": state["t_retrieve"], "answer": (time.perf_counter() - state["t_compose"]) * 1000,
               "total": (time.perf_counter() - state["started"]) * 1000}
    return record(state["question"], answer, abstained, citations, hits, timings, state.get("id"))


def build_chain(engine: HybridSearch) -> Runnable:
    """Input: {"question": str, "id"?: any, "filters"?: Filters}; output: the answer record."""
    return (
        RunnableLambda(_understand(engine))
        | RunnableLambda(_retrieve(engine))
        | RunnableLambda(_compose(engine))
        | RunnableLambda(_finish)
    )


__all__ = ["build_chain", "Filters"]
