"""The extractive composer (default, no model): answer with the report's own sentences.

Units (sentences/clauses) of the top passages are scored by how much of the
question they cover (IDF-weighted folded tokens, with indicator aliases
bridging paraphrases), how well their passage ranked, and whether the
period they speak of is the one asked. The best unit answers; more are
added for other asked periods, for terms still uncovered, and for lists.
Figures stay exactly as written because the text is quoted, never rebuilt.
When nothing covers the question, or only another period/province does,
the composer abstains and offers the nearest passage instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from assistant.periodmatch import PeriodMatch, mentioned_periods, report_year, same_span
from assistant.query import QueryUnderstanding
from assistant.retriever import Hit
from assistant.units import Unit, footnote_units, units_of
from ingest.chunker import split_sentences
from ingest.periods import Period
from vectorstore.vitext import fold, tokens

TOP_PASSAGES = 6
MIN_COVERAGE = 0.5
EXTRA_RATIO = 0.75
MAX_UNITS = {"list": 4, "reason": 4}
DEFAULT_MAX_UNITS = 3


@dataclass
class Scored:
    unit: Unit
    score: float
    coverage: float
    period: PeriodMatch
    covered: frozenset[str]


@dataclass
class Composition:
    sentences: list[tuple[str, list[int]]] = field(default_factory=list)  # text, passage indexes cited
    abstained: bool = False
    nearest: list[int] = field(default_factory=list)
    nearest_text: str = ""


Weight = Callable[[str], float]


def _alias_tokens(q: QueryUnderstanding, unit_folded: str) -> set[str]:
    """Tokens of all aliases of an indicator the question names, when the unit uses one of them."""
    extra: set[str] = set()
    for ind in q.indicators:
        names = [ind.name, *ind.aliases]
        if any(fold(n) in unit_folded for n in names):
            for n in names:
                extra.update(tokens(n))
    return extra


def _unit_period(q: QueryUnderstanding, unit: Unit, hit: Hit) -> PeriodMatch:
    if not q.periods:
        return PeriodMatch.NONE
    mentioned = mentioned_periods(unit.text, report_year(hit.chunk.metadata))
    if not mentioned:
        return hit.period
    if any(same_span(a, m) for a in q.periods for m in mentioned):
        return PeriodMatch.EXACT
    if hit.period == PeriodMatch.EXACT and not any(m.overlaps(a) for a in q.periods for m in mentioned):
        return PeriodMatch.CONFLICT
    return PeriodMatch.CONFLICT if hit.period == PeriodMatch.CONFLICT else PeriodMatch.REPORT


def _score(q: QueryUnderstanding, q_tokens: set[str], weight: Weight, unit: Unit, hit: Hit,
           rank_score: float) -> Scored:
    unit_folded = fold(unit.text)
    have = set(tokens(unit.text)) | _alias_tokens(q, unit_folded)
    total = sum(weight(t) for t in q_tokens) or 1.0
    covered = frozenset(t for t in q_tokens if t in have)
    coverage = sum(weight(t) for t in covered) / total
    period = _unit_period(q, unit, hit)
    score = coverage + 0.35 * rank_score
    score += {PeriodMatch.EXACT: 0.2, PeriodMatch.CONFLICT: -0.5}.get(period, 0.0)
    if not hit.province_ok:
        score -= 0.5
    if q.kind == "figure" and any(ch.isdigit() for ch in unit.text):
        score += 0.08
    if q.kind == "policy" and any(r in unit_folded for r in ("quyet dinh", "nghi quyet", "ke hoach so", "/qd-")):
        score += 0.12
    return Scored(unit, score, coverage, period, covered)


def compose_extractive(q: QueryUnderstanding, hits: Sequence[Hit], weight: Weight) -> Composition:
    if not hits:
        return Composition(abstained=True)
    q_tokens = set(tokens(" ".join(q.content_terms))) or set(tokens(q.text))
    top = max(h.score for h in hits) or 1.0
    scored: list[Scored] = []
    all_units: list[Unit] = []
    for i, hit in enumerate(hits[:TOP_PASSAGES]):
        body_units = units_of(hit.body, i)
        if q.kind == "list":
            body_units = _whole_sentences(hit.body, i)
        all_units.extend(body_units)
        scored.extend(_score(q, q_tokens, weight, u, hit, max(hit.score, 0) / top) for u in body_units)
    scored.sort(key=lambda s: s.score, reverse=True)
    best = scored[0] if scored else None
    if best is None or _refuse(best, hits):
        if best is None:
            return Composition(abstained=True, nearest=[0])
        return Composition(abstained=True, nearest=[best.unit.hit], nearest_text=best.unit.text)
    chosen = _select(q, best, scored)
    return Composition(_render(chosen, hits, all_units))


def _whole_sentences(body: str, hit: int) -> list[Unit]:
    units = []
    for line in body.split("\n"):
        for s in split_sentences(line.strip()):
            units.append(Unit(s, hit, len(units)))
    return units


def _refuse(best: Scored, hits: Sequence[Hit]) -> bool:
    if best.coverage < MIN_COVERAGE:
        return True
    if best.period == PeriodMatch.CONFLICT:
        return True
    return not hits[best.unit.hit].province_ok


def _select(q: QueryUnderstanding, best: Scored, scored: list[Scored]) -> list[Scored]:
    chosen = [best]
    limit = MAX_UNITS.get(q.kind, DEFAULT_MAX_UNITS)
    ok = [s for s in scored if s.period != PeriodMatch.CONFLICT and hits_ok(s)]
    # one unit per asked period (questions spanning two periods or two reports)
    for asked in q.periods:
        if any(_names_period(c, asked) for c in chosen):
            continue
        for s in ok:
            if s not in chosen and s.score >= 0.5 * best.score and _names_period(s, asked):
                chosen.append(s)
                break
    covered = set().union(*(c.covered for c in chosen))
    for s in ok:
        if len(chosen) >= limit:
            break
        if s in chosen or s.score < EXTRA_RATIO * best.score:
            continue
        gain = s.covered - covered
        if gain or q.kind in ("list", "reason"):
            if any(s.unit.text == c.unit.text for c in chosen):
                continue
            chosen.append(s)
            covered |= s.covered
    return chosen


def hits_ok(s: Scored) -> bool:
    return s.coverage >= MIN_COVERAGE * 0.8


def _names_period(s: Scored, asked: Period) -> bool:
    return any(same_span(asked, m) for m in mentioned_periods(s.unit.text, asked.end.year))


def _render(chosen: list[Scored], hits: Sequence[Hit], all_units: list[Unit]) -> list[tuple[str, list[int]]]:
    notes = footnote_units(all_units)
    out: list[tuple[str, list[int]]] = []
    seen_notes: set[tuple[int, str]] = set()
    for s in sorted(chosen, key=lambda c: (c.unit.hit, c.unit.position)) if len(chosen) > 1 else chosen:
        text = s.unit.text.strip()
        out.append((text, [s.unit.hit]))
        for mark in s.unit.marks:
            key = (s.unit.hit, mark)
            note = notes.get(key)
            if note and key not in seen_notes and note.text not in text:
                seen_notes.add(key)
                out.append((f"Chú thích ({mark}): {note.text.strip()}", [s.unit.hit]))
    return out
