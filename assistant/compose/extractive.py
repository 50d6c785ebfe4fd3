"""The extractive composer (default, no model): answer with the report's own sentences.

Every sentence (a table row stays whole) of the top passages gets features: how much of the question
it covers (IDF-weighted folded tokens, indicator aliases bridging paraphrases, its lead-in and heading),
what only its passage covers, how well the passage ranked, the period it speaks of against the asked
one, the province, whether it states a figure or change of the kind asked, footnotes, position. A fitted
model (decision.py, decision.json) ranks the sentences and gives the best one a calibrated probability
of answering; below the fitted threshold the composer refuses, with the reason and the nearest passage.
Two rules stay rules: a sentence about another period or another province never answers. More sentences
join for each other asked period, for words still uncovered, for lists, and to complete a lead-in
("... như:") or a figure-less sentence. Figures stay exactly as written: the text is quoted, never rebuilt.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from assistant.compose.decision import UnitModel, unit_model
from assistant.exclusion import excluded_terms, polarity
from assistant.measures import asked_measure, states_measure
from assistant.names import absent_items
from assistant.parts import CHANGE, change_given, gives_figure, named_in, named_parts, of_another_total, singled_out
from assistant.periodmatch import PeriodMatch, covers, mentioned_periods, report_periods, report_year, same_span
from assistant.query import QueryUnderstanding
from assistant.question_parts import question_parts
from assistant.retriever import Hit
from assistant.units import Unit, footnote_texts, strip_bullet, units_of
from ingest.lexicon import Indicator
from ingest.periods import Period
from vectorstore.vitext import fold, tokens

TOP_PASSAGES = 6
CONTEXT_CREDIT = 0.5  # a question word only the unit's passage (not the unit) holds
MAX_UNITS = {"list": 4, "reason": 4}
DEFAULT_MAX_UNITS = 3
_STOCK_QUESTION = re.compile(r"\b(hien co|hien nay|tong so|toan tinh co|tong cong|co tong)\b")
_STOCK_ANSWER = re.compile(r"\b(den nay|hien co|hien nay|tong so|nang tong|toan tinh co|tong cong)\b")
_DIGIT = re.compile(r"\d")
_ASKS_CHANGE = re.compile(r"\b(tang|giam)\b.*\bbao nhieu\b|\b(bao nhieu|may) (%|phan tram)|\b(tang|giam) may\b")
ANCHOR_SHARE = 0.01  # a two-syllable question word in at most 1% of passages names something specific


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
    features: dict[str, float] = field(default_factory=dict)  # what the fitted decision read
    p: float = 0.0  # P(right answer if this sentence leads it), from the fitted answer model
    p_alone: float = 0.0  # the same, as if no other sentence competed (for sentences joining an answer)


@dataclass
class Composition:
    sentences: list[tuple[str, list[int]]] = field(default_factory=list)  # text, passage indexes cited
    abstained: bool = False
    nearest: list[int] = field(default_factory=list)
    nearest_text: str = ""
    confidence: float = 0.0  # P(answer right) when answering, P(refusal right) when refusing
    refusal_reason: str | None = None  # other_period | other_province | item_not_given | no_match
    absent_names: tuple[str, ...] = ()  # names, indicators, items the question gives that no passage holds


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


def _period_relation(asked: Period, mentioned: Sequence[Period], hit: Hit, figure: bool) -> PeriodMatch:
    """EXACT when the text names the asked period; CONFLICT when it names only others, except that a
    question that wants no figure accepts a part of the asked period ("nhiệm vụ 6 tháng cuối năm 2020"
    for "năm 2020"); a figure of another span is never the asked one."""
    if mentioned:
        if any(same_span(asked, m) for m in mentioned):
            return PeriodMatch.EXACT
        if not figure and any(covers(asked, m) for m in mentioned):
            return PeriodMatch.REPORT
        if _plan_year(asked, mentioned, hit):
            return PeriodMatch.REPORT
        return PeriodMatch.CONFLICT
    return hit.period if hit.period != PeriodMatch.NONE else PeriodMatch.REPORT


def _plan_year(asked: Period, mentioned: Sequence[Period], hit: Hit) -> bool:
    """In the report of the asked month, a sentence naming only the year holding that month speaks of
    the month with the year of its plan or programme ("Triển khai kế hoạch ... năm 2023, trong tháng tiết
    kiệm 2.247.738 kWh"); a cumulative span ("lũy kế quý I") is another figure and still conflicts."""
    if asked.type != "month" or not all(m.type == "year" and covers(m, asked) for m in mentioned):
        return False
    return _report_of(asked, hit)


def _report_of(asked: Period, hit: Hit) -> bool:
    """The passage is in a report of the asked period itself (the March report for "tháng 3/2023")."""
    return any(same_span(asked, r) for r in report_periods(str(hit.chunk.metadata.get("periods") or "")))


_THIS_PERIOD = {  # "in the month" of a monthly report is that month: "trong tháng tiết kiệm 2.247.738 kWh"
    "month": re.compile(r"\b(?:trong|cua) thang\b(?!\s*(?:\d|truoc|toi|sau|cung|nay nam))|\bthang nay\b"),
    "quarter": re.compile(r"\b(?:trong|cua) quy\b(?!\s*(?:\d|[ivx]\b|truoc|toi|sau|cung))|\bquy nay\b"),
}


def _this_period(asked: Period, text: str, hit: Hit) -> bool:
    """The sentence says "trong tháng" ("trong quý") in the report of the asked month (quarter)."""
    pattern = _THIS_PERIOD.get(asked.type)
    return pattern is not None and pattern.search(fold(text)) is not None and _report_of(asked, hit)


def _periods_of(q: QueryUnderstanding, unit: Unit, hit: Hit) -> tuple[PeriodMatch, tuple[PeriodMatch, ...]]:
    """The unit's own period words decide; else earlier sentences of its paragraph or its lead-in can
    confirm the asked period; else its section heading ("định hướng 2021-2025"); else its report."""
    if not q.periods:
        return PeriodMatch.NONE, ()
    year = report_year(hit.chunk.metadata)
    own = mentioned_periods(unit.text, year)
    context = [p for text in (*unit.before, *unit.leads) for p in mentioned_periods(text, year)]
    section = mentioned_periods(str(hit.chunk.metadata.get("section") or ""), year)
    figure = q.kind == "figure"
    per = []
    for asked in q.periods:
        if _this_period(asked, unit.text, hit):
            per.append(PeriodMatch.EXACT)
        elif own:
            per.append(_period_relation(asked, own, hit, figure))
        elif any(same_span(asked, p) for p in context):
            per.append(PeriodMatch.EXACT)
        elif section:
            per.append(_period_relation(asked, section, hit, figure))
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


_POLICY_REF = re.compile(r"(quyet dinh|nghi quyet|ke hoach|chi thi|thong tu)\s+(so\s+)?\d")
_CLOSING = re.compile(r"^(tren day la|noi nhan|kinh gui|kinh trinh)\b")


class _Scorer:
    def __init__(self, q: QueryUnderstanding, hits: Sequence[Hit], stats: TermStats,
                 model: UnitModel | None = None) -> None:
        self.q, self.hits, self.weight = q, hits, stats.term_weight
        self.model = model or unit_model()
        self.q_tokens = question_tokens(q)
        self.anchors = _anchors(self.q_tokens, stats)
        self.asks_change = bool(_ASKS_CHANGE.search(q.folded))
        weight = stats.term_weight
        self.total = sum(weight(t) for t in self.q_tokens) or 1.0
        self.top = max((h.score for h in hits), default=1.0) or 1.0
        self.context = [set(tokens(h.chunk.text)) for h in hits]
        anywhere = set().union(*self.context) if self.context else set()
        self.nowhere = sum(weight(t) for t in self.q_tokens if t not in anywhere) / self.total
        self.heaviest = max((weight(t) for t in self.q_tokens), default=1.0) or 1.0
        self.headings = [_topic_heading(h) for h in hits]
        self.stock = bool(_STOCK_QUESTION.search(q.folded))
        self.excluded = excluded_terms(q.folded)
        # A rule kept as a rule: a name the question gives ("Hoa Kỳ", "CPI") or an indicator it names that
        # no passage holds means the reports do not speak of it; a total or a neighbour's figure is not its answer.
        self.names_absent = absent_items(q.names, q.indicators, (h.chunk.text for h in hits))

    def score(self, unit: Unit) -> Scored:
        q, hit = self.q, self.hits[unit.hit]
        unit_folded = fold(unit.text)
        have = set(tokens(unit.text)) | _alias_tokens(q, unit_folded)
        for lead in (*unit.leads, self.headings[unit.hit]):  # a "+" item says what its lead-in says,
            have |= set(tokens(lead)) | _alias_tokens(q, fold(lead))  # a sentence what its heading says
        covered = frozenset(t for t in self.q_tokens if t in have)
        around = {t for t in self.q_tokens - covered if t in self.context[unit.hit]}
        own = sum(self.weight(t) for t in covered) / self.total
        context = sum(self.weight(t) for t in around) / self.total
        period, per = _periods_of(q, unit, hit)
        missing = self._missing(unit, have)
        features = self._features(unit, unit_folded, own, context, period, missing)
        features["rarest_missing"] = max((self.weight(t) for t in self.q_tokens - covered), default=0.0) / self.heaviest
        return Scored(unit, self.model.rank(features), own + CONTEXT_CREDIT * context, period, per, covered,
                      missing, features)

    def _features(self, unit: Unit, unit_folded: str, own: float, context: float, period: PeriodMatch,
                  missing: tuple[str, ...]) -> dict[str, float]:
        """The signals the fitted decision weighs (names are the keys of decision.json)."""
        q, hit = self.q, self.hits[unit.hit]
        digit = bool(_DIGIT.search(unit.text))
        return {
            "own_coverage": own,
            "context_coverage": context,
            "retrieval": max(hit.score, 0.0) / self.top,
            "first_passage": float(unit.hit == 0),
            "passage_rank": 1.0 / (1 + unit.hit),
            "period_exact": float(period == PeriodMatch.EXACT),
            "period_report": float(period == PeriodMatch.REPORT),
            "period_conflict": float(period == PeriodMatch.CONFLICT),
            "province_other": float(not hit.province_ok),
            "figure_asked_given": float(q.kind in ("figure", "list") and digit),
            "has_figure": float(digit),
            "stock_given": float(self.stock and bool(_STOCK_ANSWER.search(unit_folded))),
            "policy_ref_given": float(q.kind == "policy" and bool(_POLICY_REF.search(unit_folded))),
            "exclusion": float(sum(polarity(unit_folded, w) for w in self.excluded)),
            "missing_anchor": float("anchor" in missing),
            "missing_figure": float("figure" in missing),
            "missing_change": float("change" in missing),
            "missing_stock": float("stock" in missing),
            "footnote": float(unit.footnote is not None),
            "lead_in": float(unit.text.rstrip().endswith(":")),
            "first_sentence": float(unit.position == 0),
            "closing_formula": float(bool(_CLOSING.search(unit_folded))),
            "short": float(len(unit.text) < 40),
            "reason_asked_heading": float(q.kind == "reason" and bool(self.headings[unit.hit])),
            "asked_nowhere": self.nowhere,
        }

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
        if self.asks_change and not CHANGE.search(fold(unit.text)):
            out.append("change")
        if self.stock and not _STOCK_ANSWER.search(fold(unit.text)):
            out.append("stock")
        return tuple(out)


def compose_extractive(q: QueryUnderstanding, hits: Sequence[Hit], stats: TermStats,
                       model: UnitModel | None = None) -> Composition:
    if not hits:
        return Composition(abstained=True)
    return decide(q, *score_units(q, hits, stats, model))


def decide(q: QueryUnderstanding, hits: list[Hit], units: list[Unit], scorer: _Scorer, scored: list[Scored],
           model: UnitModel | None = None) -> Composition:
    """Answer with the best admissible sentence (and those that complete it) or refuse; `model` may
    override the thresholds of the one that scored (the fit script tries several on one scoring)."""
    model = model or scorer.model
    if not scored:
        return Composition(abstained=True, nearest=[0])
    allowed = _may_answer(q, scored, hits, scorer)
    best = allowed[0] if allowed else scored[0]
    confidence = best.p if allowed else 0.0
    if not allowed or best.p < model.threshold:
        reason = _refusal_reason(q, scored, hits, best, scorer.names_absent)
        return Composition(abstained=True, nearest=[best.unit.hit], nearest_text=best.unit.text,
                           confidence=1.0 - confidence, refusal_reason=reason,
                           absent_names=tuple(scorer.names_absent))
    parts = named_parts(q.indicators)
    giving = [s for s in allowed if any(_gives(s, i, q.search_text) for i in parts)]  # best first
    refused = _part_not_given(q, parts, giving, allowed, scorer)
    if refused is not None:
        refused.confidence = 1.0 - confidence
        return refused
    if not parts:  # a part singled out in the question's own words ("riêng doanh thu bán lẻ hàng hóa")
        giving = [s for s in allowed if any(_gives(s, i, q.search_text) for i in singled_out(q.search_text))]
    chosen = [best]
    if giving and best not in giving:  # a figure question about a part: the part's figure first
        chosen = [giving[0], best] if q.kind == "figure" else [best, giving[0]]
    chosen = _complete(_answer_parts(q, _select(q, chosen, allowed, model), allowed, scorer), units, scorer)
    return Composition(_render(chosen, units, hits), confidence=confidence)


def _may_answer(q: QueryUnderstanding, scored: list[Scored], hits: Sequence[Hit], scorer: _Scorer) -> list[Scored]:
    """The sentences rules allow to answer, best first: none when the question names what no passage holds;
    never one about another period or province, nor one sharing no word with the question (nor its lead-in
    or heading); for a figure asked in a unit ("bao nhiêu MW", "% kế hoạch", "bao nhiêu hợp đồng"), only
    those stating a figure in it."""
    if scorer.names_absent:
        return []
    allowed = [s for s in scored if admissible(s, hits) and s.covered]
    measure = asked_measure(q.text)
    return [s for s in allowed if states_measure(s.unit.text, measure)] if measure else allowed


def _part_not_given(q: QueryUnderstanding, parts: list[Indicator], giving: list[Scored], allowed: list[Scored],
                    scorer: _Scorer) -> Composition | None:
    """The refusal when the question names a part the reports do not give as asked, else None."""
    best = allowed[0]
    context = (*best.unit.before, *best.unit.leads)
    if parts and q.kind == "figure" and not giving and not any(named_in(context, i) for i in parts):
        # named without its figure, or given only for another total ("Hàn Quốc" among export markets when
        # imports were asked): the total is not its answer (unless the best sentence goes on about the part
        # its paragraph opened with). The part's figure for another total, if any, is the nearest passage.
        near = next((s for s in allowed if any(gives_figure(s.unit.text, i) for i in parts)), best)
        return Composition(abstained=True, nearest=[near.unit.hit], nearest_text=near.unit.text,
                           refusal_reason="item_not_given")
    if giving and scorer.asks_change and not any(change_given(s.unit.text, i) for s in giving for i in parts):
        # how a part changed, where the reports give its figure with no change beside it ("Châu Âu đạt 191
        # triệu USD (chiếm 9,4%)"): not given; the sentence giving the part is shown as the nearest
        return Composition(abstained=True, nearest=[giving[0].unit.hit], nearest_text=giving[0].unit.text,
                           refusal_reason="item_not_given")
    return None


def _gives(s: Scored, item: Indicator, question: str) -> bool:
    """The sentence gives the part's figure, and for the asked total (read with its paragraph, lead-ins)."""
    context = (*s.unit.before, s.unit.text, *s.unit.leads)
    return gives_figure(s.unit.text, item) and not of_another_total(question, context)


def _refusal_reason(q: QueryUnderstanding, scored: Sequence[Scored], hits: Sequence[Hit], best: Scored,
                    absent: Sequence[str] = ()) -> str:
    """Why there is no answer, as DESIGN.md's stable codes: no report of the asked province, none of the
    asked period, the item (a name the question gives, a sub-item's own figure) not written, or nothing
    matching at all."""
    if q.provinces and not any(h.province_ok for h in hits):
        return "other_province"
    if absent:
        return "item_not_given"
    on_topic = [s for s in scored if hits[s.unit.hit].province_ok and s.features.get("own_coverage", 0) >= 0.5]
    if q.periods and on_topic and all(s.period == PeriodMatch.CONFLICT for s in on_topic):
        return "other_period"
    if on_topic and best.features.get("missing_anchor"):
        return "item_not_given"
    return "no_match"


def score_units(q: QueryUnderstanding, hits: Sequence[Hit], stats: TermStats, model: UnitModel | None = None
                ) -> tuple[list[Hit], list[Unit], _Scorer, list[Scored]]:
    """Every sentence of the top passages with its features and probability, best first."""
    hits = list(hits[:TOP_PASSAGES])
    units = candidate_units(hits)
    scorer = _Scorer(q, hits, stats, model)
    scorer.keep_anchors_held_by(units)
    scored = sorted((scorer.score(u) for u in units), key=lambda s: s.score, reverse=True)
    for i, s in enumerate(scored):
        runner_up = scored[1].score if i == 0 and len(scored) > 1 else scored[0].score if i else s.score
        s.features["rank"] = s.score
        s.p_alone = scorer.model.probability({**s.features, "margin": 0.0})
        s.features["margin"] = s.score - runner_up
        s.p = scorer.model.probability(s.features)
    return hits, units, scorer, scored


def candidate_units(hits: Sequence[Hit]) -> list[Unit]:
    """The sentences (table rows whole) of the passages an answer may quote."""
    units: list[Unit] = []
    for i, hit in enumerate(hits):
        units.extend(units_of(hit.body, i, whole=hit.chunk.metadata.get("kind") == "table_row"))
    return units


def admissible(s: Scored, hits: Sequence[Hit]) -> bool:
    """Rules kept as rules: a sentence about another period or another province never answers."""
    return s.period != PeriodMatch.CONFLICT and hits[s.unit.hit].province_ok


def _select(q: QueryUnderstanding, chosen: list[Scored], allowed: list[Scored], model: UnitModel) -> list[Scored]:
    """`chosen` (the best sentence, and a named part's) completed: one sentence per asked period, then
    sentences holding question words the chosen ones lack."""
    chosen = list(chosen)
    limit = MAX_UNITS.get(q.kind, DEFAULT_MAX_UNITS)
    usable = [s for s in allowed if s.p_alone >= model.extra_threshold]
    for i in range(len(q.periods)):  # one unit for each asked period (two periods, two reports)
        for wanted in (PeriodMatch.EXACT, PeriodMatch.REPORT):
            if any(c.per_period[i] == wanted for c in chosen):
                break
            found = next((s for s in usable if s.per_period[i] == wanted and s not in chosen), None)
            if found:
                chosen.append(found)
                break
    covered = set().union(*(c.covered for c in chosen))
    for s in usable:
        if len(chosen) >= limit:
            break
        if s in chosen or any(s.unit.text == c.unit.text for c in chosen):
            continue
        if (s.covered - covered) or q.kind in ("list", "reason"):
            chosen.append(s)
            covered |= s.covered
    return chosen


def _answer_parts(q: QueryUnderstanding, chosen: list[Scored], allowed: list[Scored], scorer: _Scorer
                  ) -> list[Scored]:
    """The answer with what it still lacks: the sentence after it when that holds a specific word the
    question asks ("... tại tỉnh Bình Thuận. Kết quả: có 05 biên bản ..."), and for a question asking two or
    three things, for each later part whose words the answer lacks, the best sentence of the first answer's
    passage holding some of them (with a figure, when figures are asked): reports answer "... và giảm đi
    bao nhiêu?" in the sentences after the first figure."""
    out = list(chosen)
    after = _next_unit(out[0].unit, [s.unit for s in allowed])
    lacking = _specific(scorer, scorer.q_tokens - _covered(out))
    found = next((s for s in allowed if s.unit is after and s.covered & lacking and s not in out), None)
    if found:
        out.append(found)
    for part in question_parts(q.corrected_text or q.text)[1:]:
        lacking = (scorer.q_tokens & set(tokens(part))) - _covered(out)
        found = next((s for s in allowed if s.unit.hit == out[0].unit.hit and s not in out and s.covered & lacking
                      and (q.kind != "figure" or _DIGIT.search(s.unit.text))), None)
        if found:
            out.append(found)
    return out


def _covered(chosen: Sequence[Scored]) -> set[str]:
    return set().union(*(c.covered for c in chosen))


def _specific(scorer: _Scorer, words: set[str]) -> set[str]:
    """The two-syllable words among these that say what is asked: at least as rare as the question's
    median word, and not the name of a body ("Sở Công Thương" wrote the report; it is not its content)."""
    weights = sorted(scorer.weight(t) for t in scorer.q_tokens)
    median = weights[len(weights) // 2] if weights else 0.0
    bodies = {t for i in scorer.q.indicators if i.kind == "body" for n in i.terms for t in tokens(n)}
    return {t for t in words if "_" in t and t not in bodies and scorer.weight(t) >= median}


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


def _notes(units: list[Unit], hits: Sequence[Hit]) -> dict[tuple[int, str], tuple[str, int]]:
    """(note text, passage it is in) by (passage, mark). A note kept in a passage of its own (a footnote
    chunk, which quotes the sentence it explains) also serves the passages holding that sentence."""
    notes = {key: (text, key[0]) for key, text in footnote_texts(units).items()}
    for u in units:
        for mark in u.marks:
            if (u.hit, mark) in notes:
                continue
            found = next(((text, hit) for (hit, other), (text, _) in notes.items()
                          if other == mark and hit != u.hit and u.text in hits[hit].body), None)
            if found:
                notes[(u.hit, mark)] = found
    return notes


def _render(chosen: list[Scored], units: list[Unit], hits: Sequence[Hit]) -> list[tuple[str, list[int]]]:
    notes = _notes(units, hits)
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
            note, source = notes.get(key, ("", s.unit.hit))
            if note and key not in shown and note not in text:
                shown.add(key)
                out.append((f"Chú thích ({mark}): {note.strip()}", [source]))
    return out
