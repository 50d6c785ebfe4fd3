"""The extractive composer (default, no model): answer with the report's own sentences.

Units (sentences; a table row stays whole) of the top passages are scored by
how much of the question they cover — IDF-weighted folded tokens, with
indicator aliases bridging paraphrases and half credit for words only the
surrounding passage holds — by how well their passage ranked, and by whether
the period they speak of is the one asked. The best unit answers; more are
added for each other asked period, for words still uncovered, for lists, and
to complete a lead-in ("... như:") or a figure-less sentence. Figures stay
exactly as written because the text is quoted, never rebuilt. When nothing
covers the question, or only another period or province does, the composer
abstains and offers the nearest passage instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from assistant.exclusion import excluded_terms, polarity
from assistant.periodmatch import PeriodMatch, covers, mentioned_periods, report_periods, report_year, same_span
from assistant.query import QueryUnderstanding
from assistant.retriever import Hit
from assistant.units import Unit, footnote_texts, strip_bullet, units_of
from ingest.periods import Period
from vectorstore.vitext import fold, tokens

TOP_PASSAGES = 6
MIN_COVERAGE = 0.4
CONTEXT_CREDIT = 0.5  # a question word only the unit's passage (not the unit) holds
EXTRA_RATIO = 0.8
MAX_UNITS = {"list": 4, "reason": 4}
DEFAULT_MAX_UNITS = 3
_STOCK_QUESTION = re.compile(r"\b(hien co|hien nay|tong so|toan tinh co|tong cong|co tong)\b")
_STOCK_ANSWER = re.compile(r"\b(den nay|hien co|hien nay|tong so|nang tong|toan tinh co|tong cong)\b")
_DIGIT = re.compile(r"\d")
_ASKS_CHANGE = re.compile(r"\b(tang|giam)\b.*\bbao nhieu\b|\bbao nhieu (%|phan tram)")
_CHANGE = re.compile(r"\b(tang|giam)\b|[+-]\d")
ANCHOR_SHARE = 0.01  # a two-syllable question word in at most 1% of passages names something specific
MISSING_PENALTY = 0.4
MIN_OWN_COVERAGE = 0.3
EXCLUSION_WEIGHT = 0.2  # "không tính X" asked: a line about X excluded gains, a line about X included loses


class TermStats(Protocol):
    """What the composer needs to know of the index's vocabulary."""

    n_chunks: int

    def term_weight(self, token: str) -> float: ...
    def doc_freq(self, token: str) -> int: ...


@dataclass
class Scored:
    unit: Unit
    score: float
    coverage: float
    period: PeriodMatch
    per_period: tuple[PeriodMatch, ...]  # the match for each asked period
    covered: frozenset[str]
    missing: tuple[str, ...] = ()  # what the question needs and the unit lacks: "anchor", "figure", "change"


@dataclass
class Composition:
    sentences: list[tuple[str, list[int]]] = field(default_factory=list)  # text, passage indexes cited
    abstained: bool = False
    nearest: list[int] = field(default_factory=list)
    nearest_text: str = ""


def question_tokens(q: QueryUnderstanding) -> set[str]:
    """Tokens of each run of adjacent content words (no bigram spans a removed word)."""
    found = {t for run in q.content_runs for t in tokens(run)}
    return found or set(tokens(q.corrected_text or q.text))


def _alias_tokens(q: QueryUnderstanding, unit_folded: str) -> set[str]:
    """Tokens of all names of an indicator the question names, when the unit uses one of them."""
    extra: set[str] = set()
    for ind in q.indicators:
        names = ind.terms
        if any(fold(n) in unit_folded for n in names):
            for n in names:
                extra.update(tokens(n))
    return extra


def _period_relation(asked: Period, mentioned: Sequence[Period], hit: Hit) -> PeriodMatch:
    if mentioned:
        if any(same_span(asked, m) for m in mentioned):
            return PeriodMatch.EXACT
        return PeriodMatch.CONFLICT
    return hit.period if hit.period != PeriodMatch.NONE else PeriodMatch.REPORT


def _periods_of(q: QueryUnderstanding, unit: Unit, hit: Hit) -> tuple[PeriodMatch, tuple[PeriodMatch, ...]]:
    """The unit's own period words decide; else earlier sentences of its paragraph or its lead-in can
    confirm the asked period; else its section heading ("định hướng 2021-2025"); else its report."""
    if not q.periods:
        return PeriodMatch.NONE, ()
    year = report_year(hit.chunk.metadata)
    own = mentioned_periods(unit.text, year)
    context = [p for text in (*unit.before, *unit.leads) for p in mentioned_periods(text, year)]
    section = mentioned_periods(str(hit.chunk.metadata.get("section") or ""), year)
    per = []
    for asked in q.periods:
        if own:
            per.append(_period_relation(asked, own, hit))
        elif any(same_span(asked, p) for p in context):
            per.append(PeriodMatch.EXACT)
        elif section:
            per.append(_period_relation(asked, section, hit))
        else:
            per.append(_report_relation(asked, hit))
    order = [PeriodMatch.EXACT, PeriodMatch.REPORT, PeriodMatch.CONFLICT]
    return min(per, key=order.index), tuple(per)


def _report_relation(asked: Period, hit: Hit) -> PeriodMatch:
    """A unit without period words speaks for its report: does that report cover this asked period?"""
    reported = report_periods(str(hit.chunk.metadata.get("periods") or ""))
    if not reported:
        return hit.period if hit.period != PeriodMatch.NONE else PeriodMatch.REPORT
    return PeriodMatch.REPORT if any(covers(asked, r) for r in reported) else PeriodMatch.CONFLICT


def _anchors(q_tokens: set[str], stats: TermStats) -> set[str]:
    """Two-syllable question words that name something specific ("châu Âu"): rare as a pair and with
    at least one rare syllable (a rare pair of common syllables is just two words side by side)."""
    limit = max(2.0, ANCHOR_SHARE * stats.n_chunks)
    out = set()
    for t in q_tokens:
        if "_" not in t or not 0 < stats.doc_freq(t) <= limit:
            continue
        a, _, b = t.partition("_")
        if min(stats.doc_freq(a), stats.doc_freq(b)) <= 5 * limit:
            out.add(t)
    return out


HEADING_WORDS = 6  # "2. Khó khăn", "1. Thuận lợi": a short heading is the topic of its sentences


def _topic_heading(hit: Hit) -> str:
    """The innermost heading of a passage when it is a short topic label (else nothing)."""
    leaf = str(hit.chunk.metadata.get("section") or "").rsplit(" > ", 1)[-1]
    leaf = re.sub(r"^(?:[IVX]+|\d+(?:\.\d+)*|[a-zđ])[.)]\s*", "", leaf).strip(" :")
    return leaf if 0 < len(leaf.split()) <= HEADING_WORDS else ""


class _Scorer:
    def __init__(self, q: QueryUnderstanding, hits: Sequence[Hit], stats: TermStats) -> None:
        self.q, self.hits, self.weight = q, hits, stats.term_weight
        self.q_tokens = question_tokens(q)
        self.anchors = _anchors(self.q_tokens, stats)
        self.asks_change = bool(_ASKS_CHANGE.search(q.folded))
        weight = stats.term_weight
        self.total = sum(weight(t) for t in self.q_tokens) or 1.0
        self.top = max((h.score for h in hits), default=1.0) or 1.0
        self.context = [set(tokens(h.chunk.text)) for h in hits]
        self.headings = [_topic_heading(h) for h in hits]
        self.stock = bool(_STOCK_QUESTION.search(q.folded))
        self.excluded = excluded_terms(q.folded)

    def score(self, unit: Unit) -> Scored:
        q, hit = self.q, self.hits[unit.hit]
        unit_folded = fold(unit.text)
        have = set(tokens(unit.text)) | _alias_tokens(q, unit_folded)
        for lead in (*unit.leads, self.headings[unit.hit]):  # a "+" item says what its lead-in says,
            have |= set(tokens(lead)) | _alias_tokens(q, fold(lead))  # a sentence what its heading says
        covered = frozenset(t for t in self.q_tokens if t in have)
        around = {t for t in self.q_tokens - covered if t in self.context[unit.hit]}
        own = sum(self.weight(t) for t in covered) / self.total
        coverage = own + CONTEXT_CREDIT * sum(self.weight(t) for t in around) / self.total
        if own < MIN_OWN_COVERAGE:  # context alone does not make a sentence an answer
            coverage = own
        period, per = _periods_of(q, unit, hit)
        score = coverage + 0.3 * max(hit.score, 0.0) / self.top
        score += {PeriodMatch.EXACT: 0.15, PeriodMatch.CONFLICT: -0.5}.get(period, 0.0)
        if not hit.province_ok:
            score -= 0.5
        if q.kind in ("figure", "list") and _DIGIT.search(unit.text):
            score += 0.1
        if self.stock and _STOCK_ANSWER.search(unit_folded):
            score += 0.15
        if q.kind == "policy" and re.search(r"(quyet dinh|nghi quyet|ke hoach|chi thi|thong tu)\s+(so\s+)?\d",
                                            unit_folded):
            score += 0.15
        score += EXCLUSION_WEIGHT * sum(polarity(unit_folded, w) for w in self.excluded)
        missing = self._missing(unit, have)
        score -= MISSING_PENALTY * len(missing)
        return Scored(unit, score, coverage, period, per, covered, missing)

    def keep_anchors_held_by(self, units: Sequence[Unit]) -> None:
        """An anchor counts only when some candidate sentence holds it: then a sentence without it
        is about something else ("Châu Á" when "Châu Âu" was asked and is written elsewhere)."""
        held: set[str] = set()
        for u in units:
            held |= self.anchors & set(tokens(u.text))
        self.anchors = held

    def _missing(self, unit: Unit, have: set[str]) -> tuple[str, ...]:
        out = []
        if self.anchors and not self.anchors & have:
            out.append("anchor")
        if self.q.kind == "figure" and not _DIGIT.search(unit.text):
            out.append("figure")
        if self.asks_change and not _CHANGE.search(fold(unit.text)):
            out.append("change")
        if self.stock and not _STOCK_ANSWER.search(fold(unit.text)):
            out.append("stock")
        return tuple(out)


def compose_extractive(q: QueryUnderstanding, hits: Sequence[Hit], stats: TermStats) -> Composition:
    if not hits:
        return Composition(abstained=True)
    hits = list(hits[:TOP_PASSAGES])
    units: list[Unit] = []
    for i, hit in enumerate(hits):
        units.extend(units_of(hit.body, i, whole=hit.chunk.metadata.get("kind") == "table_row"))
    scorer = _Scorer(q, hits, stats)
    scorer.keep_anchors_held_by(units)
    scored = sorted((scorer.score(u) for u in units), key=lambda s: s.score, reverse=True)
    if not scored:
        return Composition(abstained=True, nearest=[0])
    best = scored[0]
    if _refuse(best, hits, units):
        return Composition(abstained=True, nearest=[best.unit.hit], nearest_text=best.unit.text)
    chosen = _complete(_select(q, best, scored, hits), units, scorer)
    return Composition(_render(chosen, units))


def _refuse(best: Scored, hits: Sequence[Hit], units: Sequence[Unit]) -> bool:
    if best.coverage < MIN_COVERAGE or best.period == PeriodMatch.CONFLICT:
        return True
    if not hits[best.unit.hit].province_ok:
        return True
    missing = set(best.missing)
    if missing == {"figure"}:  # "... như sau:" may carry the figure in the next sentence
        nxt = _next_unit(best.unit, units)
        missing = set() if nxt is not None and _DIGIT.search(nxt.text) else missing
    return bool(missing)


def _usable(s: Scored, best: Scored, hits: Sequence[Hit]) -> bool:
    return (s.period != PeriodMatch.CONFLICT and s.coverage >= 0.6 * best.coverage
            and hits[s.unit.hit].province_ok and not s.missing)


def _select(q: QueryUnderstanding, best: Scored, scored: list[Scored], hits: Sequence[Hit]) -> list[Scored]:
    chosen = [best]
    limit = MAX_UNITS.get(q.kind, DEFAULT_MAX_UNITS)
    usable = [s for s in scored if _usable(s, best, hits)]
    for i in range(len(q.periods)):  # one unit for each asked period (two periods, two reports)
        for wanted in (PeriodMatch.EXACT, PeriodMatch.REPORT):
            if any(c.per_period[i] == wanted for c in chosen):
                break
            found = next((s for s in usable if s.per_period[i] == wanted and s not in chosen
                          and s.score >= 0.5 * best.score), None)
            if found:
                chosen.append(found)
                break
    covered = set().union(*(c.covered for c in chosen))
    for s in usable:
        if len(chosen) >= limit or s.score < EXTRA_RATIO * best.score:
            break
        if s in chosen or any(s.unit.text == c.unit.text for c in chosen):
            continue
        if (s.covered - covered) or q.kind in ("list", "reason"):
            chosen.append(s)
            covered |= s.covered
    return chosen


def _next_unit(unit: Unit, units: Sequence[Unit]) -> Unit | None:
    for u in units:
        if u.hit == unit.hit and u.position == unit.position + 1 and u.footnote is None:
            return u
    return None


FOLLOWING_ITEMS = 3


def _twin_with_items(unit: Unit, units: Sequence[Unit]) -> Unit:
    """A lead-in closing one passage is repeated at the head of the next, where its items are."""
    if _next_unit(unit, units) is not None:
        return unit
    twins = (u for u in units if u.text == unit.text and u.hit != unit.hit and _next_unit(u, units))
    return next(twins, unit)

LEAD_IN_ITEMS = 4


def _complete(chosen: list[Scored], units: Sequence[Unit], scorer: _Scorer) -> list[Scored]:
    """A lead-in ("... như:") or a figure question's figure-less sentence takes its next sentence;
    for lists and reasons the best sentence takes the rest of its paragraph (the items themselves)."""
    out = list(chosen)
    for s in chosen:
        text = s.unit.text.rstrip()
        wants_more = text.endswith(":") or (scorer.q.kind == "figure" and not _DIGIT.search(text))
        count = 1 if wants_more else 0
        if s is chosen[0] and scorer.q.kind in ("list", "reason"):
            count = FOLLOWING_ITEMS
        lead_in = text.endswith(":") and s is chosen[0]
        if lead_in:
            count = LEAD_IN_ITEMS  # "... như sau:" is only an answer with the items that follow it
        unit = _twin_with_items(s.unit, units) if lead_in else s.unit
        for _ in range(count):
            nxt = _next_unit(unit, units)
            if nxt is None or (count > 1 and not lead_in and nxt.line != s.unit.line):
                break
            if all(nxt.text != c.unit.text for c in out):
                out.append(scorer.score(nxt))
            unit = nxt
    return out


def _render(chosen: list[Scored], units: list[Unit]) -> list[tuple[str, list[int]]]:
    notes = footnote_texts(units)
    out: list[tuple[str, list[int]]] = []
    shown: set[tuple[int, str]] = set()
    ordered = [chosen[0]] + sorted(chosen[1:], key=lambda c: (c.unit.hit, c.unit.position))
    for s in ordered:
        text = strip_bullet(s.unit.text)
        if s.unit.footnote:
            text = f"Chú thích ({s.unit.footnote}): {text}"
        out.append((text, [s.unit.hit]))
        for mark in s.unit.marks:
            key = (s.unit.hit, mark)
            note = notes.get(key)
            if note and key not in shown and note not in text:
                shown.add(key)
                out.append((f"Chú thích ({mark}): {note.strip()}", [s.unit.hit]))
    return out
