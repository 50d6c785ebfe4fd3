"""The fitted answer decision: how likely a sentence of a retrieved passage answers the question.

A logistic regression over the signals the extractive composer reads (question coverage, period and
province relation, figure kind, position, ...), fitted by `assistant/compose/fit_decision.py` on
labelled questions and stored beside this file as `decision.json` (weights, the answer threshold
chosen for the refusal/false-refusal trade-off, and how it scored on questions it was not fitted on).
Inference is a dot product: no scikit-learn at run time.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DECISION_FILE = Path(__file__).with_name("decision.json")


@dataclass(frozen=True)
class UnitModel:
    """Two fitted linear models over the same named features.

    `rank` orders the sentences of one question (a conditional logit: only differences between
    sentences of the same question were fitted, so it has no intercept); `probability` says how likely
    the best-ranked sentence is a right answer (a logistic regression, calibrated on questions), which
    is the answer's confidence and, against `threshold`, the answer/refuse decision.
    """

    features: tuple[str, ...]
    rank_coef: tuple[float, ...]
    answer_coef: tuple[float, ...]  # over ANSWER_FEATURES
    intercept: float
    threshold: float  # answer when the best sentence's probability reaches this, else refuse
    extra_threshold: float  # further sentences join the answer from this probability on
    version: str = ""

    def rank(self, values: dict[str, float]) -> float:
        return sum(c * values.get(name, 0.0) for name, c in zip(self.features, self.rank_coef))

    def probability(self, values: dict[str, float]) -> float:
        """P(this sentence, as the best one, answers the question); unknown features are ignored."""
        names = ANSWER_FEATURES
        z = self.intercept + sum(c * values.get(name, 0.0) for name, c in zip(names, self.answer_coef))
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    @classmethod
    def from_dict(cls, data: dict) -> UnitModel:
        return cls(tuple(data["features"]), tuple(map(float, data["rank_coef"])),
                   tuple(map(float, data["answer_coef"])), float(data["intercept"]), float(data["threshold"]),
                   float(data["extra_threshold"]), str(data.get("version", "")))

    def to_dict(self) -> dict:
        return {"version": self.version, "features": list(self.features), "answer_features": list(ANSWER_FEATURES),
                "rank_coef": list(self.rank_coef), "answer_coef": list(self.answer_coef),
                "intercept": self.intercept, "threshold": self.threshold, "extra_threshold": self.extra_threshold}


# The answer model reads few signals (it is fitted on one row per question, so on hundreds of rows, not
# thousands): the rank model's score, how far it is ahead of the next sentence ("margin"), and what the
# question asks that the sentence, or every passage, lacks.
ANSWER_FEATURES = ("rank", "margin", "own_coverage", "asked_nowhere", "rarest_missing", "missing_anchor",
                   "missing_figure", "missing_change", "missing_stock", "period_exact")


@lru_cache(maxsize=1)
def unit_model() -> UnitModel:
    """The packaged model (decision.json beside this file)."""
    return UnitModel.from_dict(json.loads(DECISION_FILE.read_text(encoding="utf-8")))
