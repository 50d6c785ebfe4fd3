"""Fusion of lexical and dense scores, weighted and gated.

Measured on these reports: BM25 over folded syllables finds the evidence far
more often than the small dense model, and plain reciprocal-rank fusion lets
dense noise bury exact lexical hits. So scores are min-max normalised per
query and mixed with a lexical-heavy weight; dense similarity mostly breaks
ties and rescues paraphrases that share few words with the report.
"""

from __future__ import annotations

from collections.abc import Mapping

LEXICAL_WEIGHT = 0.7
DENSE_WEIGHT = 0.3


def _normalise(scores: Mapping[str, float]) -> dict[str, float]:
    if not scores:
        return {}
    hi, lo = max(scores.values()), min(scores.values())
    span = hi - lo
    if span <= 1e-9:
        return {k: 1.0 for k in scores}
    return {k: (v - lo) / span for k, v in scores.items()}


def fuse(
    lexical: Mapping[str, float],
    dense: Mapping[str, float],
    lexical_weight: float = LEXICAL_WEIGHT,
    dense_weight: float = DENSE_WEIGHT,
) -> dict[str, float]:
    """Weighted sum of normalised scores over the union of candidates (missing = 0), lexical ones first:
    the order is the same in every process (a set's order changes with the hash seed)."""
    lex, den = _normalise(lexical), _normalise(dense)
    return {k: lexical_weight * lex.get(k, 0.0) + dense_weight * den.get(k, 0.0) for k in {**lex, **den}}
