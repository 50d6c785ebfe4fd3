"""The fitted answer decision: reproducible from its script, read the same way at run time, and the
generated questions it can be checked on are labelled from the reports' own text."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from assistant.compose.decision import DECISION_FILE, UnitModel, unit_model
from assistant.compose.extractive import compose_extractive
from assistant.compose.fit_decision import generated_questions, load_questions, search_all
from assistant.compose.fit_decision import main as fit_main
from assistant.retriever import HybridSearch
from assistant.service import AskService
from ingest.periods import Period
from tests.conftest import SHARED
from vectorstore.index import open_index
from vectorstore.vitext import fold

SETS = [str(SHARED / "eval" / f"{name}.jsonl") for name in ("dev", "dev_b", "dev_c")]


@pytest.fixture(scope="module")
def engine(txt_index) -> HybridSearch:
    return HybridSearch(open_index(txt_index))


@pytest.mark.slow
def test_the_fit_script_reproduces_the_packaged_decision(txt_index, engine, tmp_path, monkeypatch):
    """Same data, same weights: two fits on this index are identical, and equal to the packaged file, which
    was fitted by the CLI on an index built in another process from a warm vector cache (dense search is
    exact, so the candidates never depend on how the store was written; vectorstore/exact.py). The
    tolerance only allows another CPU's float rounding; every answer-or-refuse decision must agree."""
    monkeypatch.setenv("BAOCAO_VECTOR_CACHE", str(txt_index.vector_cache))
    outs = [tmp_path / "first.json", tmp_path / "second.json"]
    for out in outs:
        fit_main(["--index", str(txt_index.index_dir), "--qa", *SETS, "--out", str(out)])
    first, second = (json.loads(out.read_text()) for out in outs)
    assert first == second
    packaged = json.loads(DECISION_FILE.read_text())
    assert first["features"] == packaged["features"]
    for key in ("rank_coef", "answer_coef"):
        assert first[key] == pytest.approx(packaged[key], abs=1e-3), key
    refit, shipped = UnitModel.from_dict(first), UnitModel.from_dict(packaged)
    data = [s for path in SETS for s in search_all(engine, load_questions(Path(path)), "check")]
    same = [compose_extractive(s.q, s.hits, engine, refit).abstained
            == compose_extractive(s.q, s.hits, engine, shipped).abstained for s in data]
    assert all(same), sum(same)


def test_probability_is_a_calibrated_logistic_of_the_named_features():
    model = UnitModel(("a", "b"), (1.0, -1.0), tuple([0.0] * 10), 0.0, 0.5, 0.5)
    assert model.rank({"a": 2.0, "b": 0.5, "unknown": 9.0}) == 1.5
    assert unit_model().probability({}) == pytest.approx(1 / (1 + math.exp(-unit_model().intercept)))
    assert 0.0 < unit_model().threshold < 1.0


def test_generated_questions_are_labelled_from_the_report_text(engine):
    questions = generated_questions(engine, 10_000)
    chunks = {c.id: c.text[int(c.metadata.get("header_len", 0)):] for c in engine.index.store.iter_chunks()}
    provinces = {str(c.metadata.get("province")) for c in engine.index.store.iter_chunks()}
    periods = {k for r in engine.index.store.list_documents() for k in r["metadata"].get("period_keys") or []}
    answerable = [q for q in questions if q["must_contain"]]
    unanswerable = [q for q in questions if not q["must_contain"]]
    assert len(answerable) >= 100 and len(unanswerable) >= 50
    for q in answerable:  # the gold figure is written in the passage the question was made from
        assert all(m in chunks[q["chunk_id"]] for m in q["must_contain"]), q
    for q in unanswerable:
        if q["id"].endswith("other-province"):
            assert q["province"] not in provinces
        elif q["id"].endswith("other-period"):
            assert q["period"] not in periods and Period.from_key(q["period"]).start.year > 1990
    assert len({fold(q["question"]) for q in questions}) > 0.9 * len(questions)  # wordings differ


def test_generated_questions_about_another_period_or_province_are_refused(txt_index, engine):
    service = AskService(txt_index)
    moved = [q for q in generated_questions(engine, 10_000) if q["id"].endswith(("other-period", "other-province"))]
    refused = [service.ask(q["question"])["abstained"] for q in moved[::4]]
    assert sum(refused) / len(refused) >= 0.9, refused
