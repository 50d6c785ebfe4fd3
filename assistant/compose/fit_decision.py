"""Fit decision.json: which sentence answers, and whether to answer at all, learned from labelled questions.

    python -m assistant.compose.fit_decision --index DIR --qa A.jsonl B.jsonl ... [--generated N]
                                             [--out FILE] [--validate] [--validate-reports]

The index must hold the reports the questions are about. Each question is read and searched as the
app does; every sentence of its top passages becomes a row of features (assistant/compose/extractive.py)
labelled 1 when it holds a string the gold answer must contain and its passage holds the gold
evidence. A conditional logit (pairs of right and wrong sentences of one question) ranks sentences; a
logistic regression on the best-ranked sentence of each question says whether it answers (scikit-learn,
deterministic). `--generated N` adds questions generated from the index's own figures
(assistant/question_gen.py) to the answer model with GENERATED_SHARE of its weight (0 by default: they
made held-out figures worse). The answer threshold and the threshold for further sentences are then
chosen on the hand-written sets by running the real composer, a wrong answer costing WRONG_ANSWER_COST
refusals. `--validate` prints leave-one-set-out figures (fit on the other sets, score the one left out)
and writes nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import product
from pathlib import Path
from typing import Any

from assistant.compose.decision import ANSWER_FEATURES, DECISION_FILE, UnitModel
from assistant.compose.extractive import (
    TOP_PASSAGES,
    Composition,
    Scored,
    admissible,
    compose_extractive,
    decide,
    score_units,
)
from assistant.evaluate import contains, norm
from assistant.names import absent_items
from assistant.query import QueryUnderstanding
from assistant.question_gen import generate
from assistant.retriever import Hit, HybridSearch
from ingest.facts import facts_for
from vectorstore.index import open_index
from vectorstore.settings import Settings

RETRIEVE_K = 10
WRONG_ANSWER_COST = 2.0  # an answer staff cannot trust is worse than "not found" (a refusal scores 0)
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(2, 17))
EXTRA_THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
PAIRS_PER_QUESTION = 40
ANSWER_C = 1.0  # inverse regularisation of the answer model
# Share of the answer model's total weight given to generated questions. Measured leave-one-set-out:
# 0.3 made every held-out set worse (dev_c answer accuracy 0.70 -> 0.44), so the shipped fit gives them
# none; they stay a check (tests) and a probe for new mechanisms. Change it only with --validate figures.
GENERATED_SHARE = 0.0
FEATURES = (
    "own_coverage", "context_coverage", "retrieval", "first_passage", "passage_rank", "period_exact",
    "period_report", "period_conflict", "province_other", "figure_asked_given", "has_figure", "stock_given",
    "policy_ref_given", "exclusion", "missing_anchor", "missing_figure", "missing_change", "missing_stock",
    "footnote", "lead_in", "first_sentence", "closing_formula", "short", "reason_asked_heading",
    "asked_nowhere", "rarest_missing",
)


@dataclass
class Searched:
    """A labelled question, read and searched once (fitting and threshold search reuse it)."""

    item: dict[str, Any]
    q: QueryUnderstanding
    hits: list[Hit]
    source: str

    @property
    def answerable(self) -> bool:
        return bool(self.item.get("evidence"))


def search_all(engine: HybridSearch, items: Sequence[dict[str, Any]], source: str) -> list[Searched]:
    out = []
    for item in items:
        q = engine.understand(item["question"])
        out.append(Searched(item, q, engine.search(q, RETRIEVE_K), source))
    return out


def labelled(engine: HybridSearch, s: Searched, model: UnitModel) -> list[tuple[Scored, bool]]:
    """Every candidate sentence of one question, best ranked first, with its label."""
    hits, _, _, scored = score_units(s.q, s.hits, engine, model)
    gold = [norm(m) for m in s.item.get("must_contain") or []]
    evidence = s.item.get("evidence") or []
    return [(sc, s.answerable and any(g in norm(sc.unit.text) for g in gold)
             and any(contains(hits[sc.unit.hit].chunk.text, e) for e in evidence)) for sc in scored]


def _vector(sc: Scored, names: Sequence[str]) -> list[float]:
    return [sc.features.get(f, 0.0) for f in names]


def fit_rank(engine: HybridSearch, data: Sequence[Searched], weights: dict[str, float]) -> tuple[float, ...]:
    """Conditional logit by pairs: for each question, each right sentence against each wrong one (at most
    PAIRS_PER_QUESTION pairs, hardest wrong ones first); each question weighs the same in total."""
    from sklearn.linear_model import LogisticRegression

    probe = UnitModel(FEATURES, (0.0,) * len(FEATURES), (), 0.0, 0.5, 0.5)
    xs, ys, ws = [], [], []
    for s in data:
        rows = labelled(engine, s, probe)
        right = [_vector(sc, FEATURES) for sc, ok in rows if ok]
        wrong = [_vector(sc, FEATURES) for sc, ok in rows if not ok][:PAIRS_PER_QUESTION]
        pairs = [(r, w) for r in right for w in wrong][:PAIRS_PER_QUESTION]
        for r, w in pairs:
            diff = [a - b for a, b in zip(r, w)]
            xs += [diff, [-d for d in diff]]
            ys += [1, 0]
            ws += [weights[s.source] / len(pairs)] * 2
    lr = LogisticRegression(C=1.0, max_iter=5000, fit_intercept=False)
    lr.fit(xs, ys, sample_weight=_unit_mean(ws))
    return tuple(round(float(c), 6) for c in lr.coef_[0])


def fit_answer(engine: HybridSearch, data: Sequence[Searched], rank_coef: tuple[float, ...],
               weights: dict[str, float]) -> tuple[tuple[float, ...], float]:
    """Logistic regression, one row per question: the best admissible sentence under the rank model,
    labelled by whether it holds the answer (never, for unanswerable questions)."""
    from sklearn.linear_model import LogisticRegression

    model = UnitModel(FEATURES, rank_coef, (), 0.0, 0.5, 0.5)
    names = ANSWER_FEATURES
    xs, ys, ws = [], [], []
    for s in data:
        if absent_items(s.q.names, s.q.indicators, (h.chunk.text for h in s.hits[:TOP_PASSAGES])):
            continue  # refused by rule (a name or indicator no passage holds), not by the model
        rows = [(sc, ok) for sc, ok in labelled(engine, s, model) if admissible(sc, s.hits)]
        if rows:
            xs.append(_vector(rows[0][0], names))
            ys.append(int(rows[0][1]))
            ws.append(weights[s.source])
    lr = LogisticRegression(C=ANSWER_C, max_iter=5000)
    lr.fit(xs, ys, sample_weight=_unit_mean(ws))
    return tuple(round(float(c), 6) for c in lr.coef_[0]), round(float(lr.intercept_[0]), 6)


def _unit_mean(ws: list[float]) -> list[float]:
    scale = len(ws) / sum(ws)
    return [w * scale for w in ws]


def source_weights(data: Sequence[Searched], generated_share: float = 0.0) -> dict[str, float]:
    """Generated questions weigh `generated_share` of the total, hand-written ones the rest; within each,
    every question alike."""
    written = sum(s.source != "generated" for s in data)
    generated = len(data) - written
    share = generated_share if generated else 0.0
    return {s.source: (share / generated if s.source == "generated" else (1 - share) / written) for s in data}


def fit_weights(engine: HybridSearch, ranking: Sequence[Searched], answering: Sequence[Searched]) -> UnitModel:
    """The rank model on hand-written questions (generated ones, all alike in wording, made held-out
    ranking worse); the answer model also on generated ones, whose unanswerable twins (a part of a total
    the report does not give) teach refusals that hand-written sets hold few of."""
    rank_coef = fit_rank(engine, ranking, source_weights(ranking))
    answer_coef, intercept = fit_answer(engine, answering, rank_coef, source_weights(answering, GENERATED_SHARE))
    return UnitModel(FEATURES, rank_coef, answer_coef, intercept, 0.5, 0.5)


def outcome(s: Searched, comp: Composition) -> float:
    """Utility of one composed answer: +1 right answer or right refusal, -cost a wrong answer."""
    if comp.abstained:
        return 0.0 if s.answerable else 1.0
    if not s.answerable:
        return -WRONG_ANSWER_COST
    answer = norm(" ".join(text for text, _ in comp.sentences))
    return 1.0 if all(norm(m) in answer for m in s.item["must_contain"]) else -WRONG_ANSWER_COST


def choose_thresholds(engine: HybridSearch, data: Sequence[Searched], model: UnitModel) -> UnitModel:
    """The answer and extra-sentence thresholds with the best total utility on `data`; of thresholds
    tied on it, the highest (the utility is flat over a range, and where answering more gains nothing
    on the data, refusing is what a user who cannot check the answer is better served by)."""
    best, best_utility = model, float("-inf")
    scorings = [(s, score_units(s.q, s.hits, engine, model)) for s in data if s.hits]
    empty = sum(outcome(s, Composition(abstained=True)) for s in data if not s.hits)
    for t, tx in product(sorted(THRESHOLDS, reverse=True), EXTRA_THRESHOLDS):
        if tx < t:
            continue
        trial = replace(model, threshold=t, extra_threshold=tx)
        utility = empty + sum(outcome(s, decide(s.q, *scoring, trial)) for s, scoring in scorings)
        if utility > best_utility:
            best, best_utility = trial, utility
    return best


def fit(engine: HybridSearch, sets: dict[str, list[Searched]], generated: list[Searched], version: str) -> UnitModel:
    written = [s for data in sets.values() for s in data]
    model = fit_weights(engine, written, written + generated)
    model = choose_thresholds(engine, written, model)
    return replace(model, version=version)


def metrics(engine: HybridSearch, data: Sequence[Searched], model: UnitModel) -> dict[str, float]:
    """Answer accuracy, refusal recall and false refusals of the composer alone (as score.py counts them)."""
    answered_ok = answerable = refused_ok = unanswerable = false_refusals = 0
    for s in data:
        comp = compose_extractive(s.q, s.hits, engine, model)
        if s.answerable:
            answerable += 1
            answered_ok += outcome(s, comp) == 1.0
            false_refusals += comp.abstained
        else:
            unanswerable += 1
            refused_ok += comp.abstained
    return {"answer_accuracy": round(answered_ok / max(answerable, 1), 3),
            "refusal_recall": round(refused_ok / max(unanswerable, 1), 3),
            "false_refusals": round(false_refusals / max(answerable, 1), 3)}


def validate_reports(engine: HybridSearch, sets: dict[str, list[Searched]], generated: list[Searched]
                     ) -> list[dict[str, Any]]:
    """Leave one report out: fit on every question that does not draw on the report (its answerable
    questions are left out of every set; unanswerable ones, which name no report, stay in), then score
    the questions whose evidence lies in it: what an unseen report's questions can expect."""
    reports = sorted({d for data in sets.values() for s in data for d in s.item.get("doc") or []})
    out = []
    for report in reports:
        about = [s for data in sets.values() for s in data if report in (s.item.get("doc") or [])]
        rest = {k: [s for s in v if report not in (s.item.get("doc") or [])] for k, v in sets.items()}
        model = fit(engine, rest, generated, f"without {report}")
        out.append({"held_out": report, "questions": len(about), "threshold": model.threshold,
                    **metrics(engine, about, model)})
    return out


def generated_questions(engine: HybridSearch, limit: int) -> list[dict[str, Any]]:
    index = engine.index
    figures = facts_for(index).figures()
    chunks = list(index.store.iter_chunks())
    texts = {c.id: c.text[int(c.metadata.get("header_len", 0)):] for c in chunks}
    docs: dict[str, str] = {}
    for c in chunks:
        doc = str(c.metadata.get("doc_id", ""))
        docs[doc] = docs.get(doc, "") + "\n" + texts[c.id]
    periods = {k for r in index.store.list_documents() for k in (r.get("metadata") or {}).get("period_keys") or []}
    questions = [g.as_qa() for g in generate(figures, texts, periods, docs)]
    return questions[:limit]


def load_questions(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", required=True)
    ap.add_argument("--qa", nargs="+", required=True, type=Path)
    ap.add_argument("--generated", type=int, default=0, help="at most this many generated questions")
    ap.add_argument("--out", type=Path, default=DECISION_FILE)
    ap.add_argument("--validate", action="store_true", help="leave-one-set-out figures; writes nothing")
    ap.add_argument("--validate-reports", action="store_true",
                    help="leave-one-report-out figures (fitted without any question about the report); writes nothing")
    args = ap.parse_args(argv)
    engine = HybridSearch(open_index(Settings.from_env(args.index)))
    sets = {p.stem: search_all(engine, load_questions(p), p.stem) for p in args.qa}
    generated = search_all(engine, generated_questions(engine, args.generated), "generated") if args.generated else []
    print(f"questions: {', '.join(f'{k} {len(v)}' for k, v in sets.items())}, generated {len(generated)}",
          file=sys.stderr)
    if args.validate_reports:
        for line in validate_reports(engine, sets, generated):
            print(json.dumps(line))
        return
    if args.validate:
        for held in sets:
            rest = {k: v for k, v in sets.items() if k != held}
            model = fit(engine, rest, generated, f"without {held}")
            print(json.dumps({"held_out": held, "threshold": model.threshold, **metrics(engine, sets[held], model),
                              "in_sample": metrics(engine, [s for v in rest.values() for s in v], model)}))
        return
    sources = "+".join([*sets, "generated"])
    model = fit(engine, sets, generated, f"fitted on {sources}")
    args.out.write_text(json.dumps(model.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({"written": str(args.out), **{k: metrics(engine, v, model) for k, v in sets.items()}}))


if __name__ == "__main__":
    main()
