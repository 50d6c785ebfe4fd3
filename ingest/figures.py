"""Figure mentions in report text: which indicator, which period, what value, compared with what.

Staff ask for an indicator across periods ("giá trị sản xuất công nghiệp qua các kỳ báo cáo"), so each
report's figures are read once at ingest: the indicator (normalised through the domain lexicon), the
period, the value as written and as a number parsed from Vietnamese notation (2.582,06 -> 2582.06), the
unit, the comparisons that follow ("tăng 14% so tháng trước") and whether the value is an estimate
("ước", "dự kiến"). Reports write a figure after its period ("ước tháng 03 đạt 2.582,06 tỷ đồng") or
before it ("18.705,52 tỷ đồng năm 2016"); a line keeps its period until it names another, a "+" sub-item
takes its indicator and period from the lines it hangs from, and figures in parentheses (targets,
breakdowns) or after "Trong đó" (sub-sectors) are not the indicator's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ingest.lexicon import Indicator, find_indicators
from ingest.periods import Period, find_periods

_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_UNITS = ("nghìn tỷ đồng|tỷ đồng|triệu đồng|nghìn đồng|tỷ USD|triệu USD|nghìn USD|USD|triệu kWh|kWh|MW|km|"
          "nghìn tấn|tấn")
_LEVEL = re.compile(rf"(?<![\d.,])(?P<num>{_NUM})\s*(?P<unit>{_UNITS})(?!\w)")
_CHANGE = re.compile(
    rf"(?P<dir>tăng|giảm)(?:\s+lên)?(?P<q>\s+(?:hơn|gần|khoảng|trên|gấp))?\s+(?P<num>{_NUM})\s*(?P<unit>%|lần)"
    r"(?P<base>\s+so(?:\s+với)?\s+[^;()\n⁽]*?(?=\s+và\s+(?:tăng|giảm)|,\s|,$|;|\.\s|\.$|\(|⁽|$))?"
)
_PLAN = re.compile(rf"đạt\s+(?P<num>{_NUM})\s*%\s*(?:so\s+(?:với\s+)?)?(?:kế\s+hoạch|KH)[^,;.()\n]*")
_ESTIMATE = re.compile(r"(?<!\w)(?:ước|Ước|dự\s+kiến|Dự\s+kiến|dự\s+ước)(?!\w)")
_PARENS = re.compile(r"\([^()]*\)")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ\-+])")
_SUB_LABEL = re.compile(r"^\+\s*(?P<label>[^:]{2,60}):")


def parse_number(text: str) -> float | None:
    """A number in Vietnamese notation: "2.582,06" -> 2582.06, "12,6" -> 12.6, "3.133" -> 3133."""
    text = text.strip()
    if not re.fullmatch(_NUM, text):
        return None
    return float(text.replace(".", "").replace(",", "."))


@dataclass(frozen=True)
class Multiple:
    """A change stated as a multiple: "tăng 3,4 lần", "tăng hơn 1 lần", "gần 20 lần"."""

    factor: float
    qualifier: str | None  # "hơn", "gần", "khoảng" ... when said


_MULTIPLE = re.compile(rf"(?:(?P<q>hơn|gần|khoảng|trên|gấp)\s+)?(?P<num>{_NUM})\s*lần(?!\w)")


def parse_multiple(text: str) -> Multiple | None:
    m = _MULTIPLE.search(text)
    if not m:
        return None
    return Multiple(parse_number(m.group("num")) or 0.0, m.group("q"))


@dataclass(frozen=True)
class Figure:
    """One figure a report states for an indicator and period."""

    indicator: str  # the lexicon's name
    period_key: str
    period_label: str
    value_text: str  # as written: "2.582,06 tỷ đồng", "tăng 19,01%"
    value: float
    unit: str
    comparisons: tuple[str, ...] = ()  # "tăng 14% so tháng trước", "đạt 27,04% so kế hoạch"
    estimate: bool = False
    qualifier: str = ""  # a sub-item's label: "Có Nhiệt điện"
    cumulative: bool = False
    span: tuple[int, int] = field(default=(0, 0), compare=False)  # the value in the passage


@dataclass
class _Context:
    indicator: Indicator | None = None
    period: Period | None = None
    qualifier: str = ""
    previous: Indicator | None = None  # the last sentence's indicator: the parent of a "Trong đó: ..."


def _masked(line: str) -> str:
    """The line with parentheses blanked (same length): targets and notes there are not the figure."""
    out = line
    while True:
        new = _PARENS.sub(lambda m: " " * len(m.group(0)), out)
        if new == out:
            return out
        out = new


_PERIOD_GAP = re.compile(r"[\s,]*(?:vào\s+|trong\s+|của\s+|đến\s+|tính\s+đến\s+)?")


def _period_for(text: str, pos: int, end: int, periods: list[tuple[int, Period]], ctx: _Context
                ) -> Period | None:
    """The period written right after the value ("38.584 tỷ đồng vào năm 2019"), else the latest one
    before it, else the line's."""
    gap = _PERIOD_GAP.match(text, end)
    after = [p for at, p in periods if at == gap.end()]
    if after:
        return after[0]
    before = [p for at, p in periods if at < pos]
    return before[-1] if before else ctx.period


_SEGMENT = re.compile(r";|(?<!\w)(?:[Tt]rong\s+đó|[Bb]ao\s+gồm)(?!\w)")


_COUNTED_BEFORE = re.compile(r"\d[\s⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾]*$")


def _indicators_in(text: str) -> list[tuple[int, Indicator]]:
    """Indicators named in `text` with where each is first named. A counted thing named after its count
    ("12 siêu thị, doanh thu 300 tỷ đồng") is what the number counts (`ingest.counts`), not the amount's."""
    low = text.lower()
    out = []
    for ind in find_indicators(text):
        if ind.kind != "indicator":
            continue
        hits = [i for t in ind.terms for i in _positions(low, t.lower())]
        if ind.counted_as:  # named as written and not right after a count ("01 cửa hàng⁽⁶⁾ xăng dầu")
            hits = [i for i in hits if not _COUNTED_BEFORE.search(low, max(0, i - 12), i)]
            if not hits:
                continue
        out.append((min(hits) if hits else 0, ind))
    return sorted(out, key=lambda x: x[0])


def _positions(low: str, term: str) -> list[int]:
    """Where `term` is written in `low` (none when it matched only without diacritics)."""
    out, at = [], low.find(term)
    while at >= 0:
        out.append(at)
        at = low.find(term, at + 1)
    return out


def _named_after(text: str, end: int) -> Indicator | None:
    """"0,85km đường dây trung thế": an indicator named right after the value owns it."""
    following = text[end : end + 80]
    found = _indicators_in(following)
    return found[0][1] if found and not following[: found[0][0]].strip() else None


def _indicator_for(text: str, pos: int, end: int, ctx: _Context) -> Indicator | None:
    """The first indicator of the value's segment (after the last ";" or "Trong đó"), else the sentence's.

    A figure after "Trong đó" that names the parent again ("doanh thu bán lẻ hàng hóa" under the total)
    is a part of it, not the indicator itself.
    """
    after = _named_after(text, end)
    if after:
        return after
    cuts = [m for m in _SEGMENT.finditer(text, 0, pos)]
    seg = cuts[-1].end() if cuts else 0
    own = _indicators_in(text[seg:pos])
    parents = _indicators_in(text[:seg])
    parent = parents[0][1] if parents else ctx.indicator or ctx.previous
    breakdown = any(m.group(0) != ";" for m in cuts)
    if own:
        return None if breakdown and own[0][1] == parent else own[0][1]
    return None if breakdown else parent


def _changes(text: str, start: int, end: int) -> list[re.Match[str]]:
    return [m for m in _CHANGE.finditer(text, start, end)]


_AVERAGE = re.compile(r"bình\s+quân|binh\s+quan|trung\s+bình", re.I)


def _comparisons(text: str, start: int, end: int) -> tuple[str, ...]:
    """The changes and plan shares that follow a figure, up to an average over another span
    ("..., bình quân giai đoạn 2016-2020 tăng 13,04%" is not the year's own change)."""
    average = _AVERAGE.search(text, start, end)
    end = average.start() if average else end
    found = [(m.start(), m.group(0).strip()) for m in _CHANGE.finditer(text, start, end)]
    found += [(m.start(), m.group(0).strip()) for m in _PLAN.finditer(text, start, end)]
    return tuple(t for _, t in sorted(found))


def _period_positions(text: str, default_year: int | None) -> list[tuple[int, Period]]:
    """Periods of the text, leaving out those inside a comparison ("so với cùng kỳ năm 2022")."""
    bases = [(m.start("base"), m.end("base")) for m in _CHANGE.finditer(text) if m.group("base")]
    out = []
    for m in find_periods(text, default_year, bare_months=True):
        if not any(s <= m.span[0] < e for s, e in bases):
            out.append((m.span[0], m.period))
    return out


def _sentence_figures(text: str, offset: int, default_year: int | None, ctx: _Context) -> list[Figure]:
    masked = _masked(text)
    levels = list(_LEVEL.finditer(masked))
    if not levels and not _CHANGE.search(masked):
        return []  # no value and no change stated: skip reading its periods (most of the extraction's time)
    periods = _period_positions(masked, default_year)
    out: list[Figure] = []
    prev_end = 0
    for i, m in enumerate(levels):
        nxt = levels[i + 1].start() if i + 1 < len(levels) else len(masked)
        fig = _figure(masked, m, m.group("num"), m.group("unit"), prev_end, nxt, periods, ctx, offset)
        if fig:
            out.append(fig)
        prev_end = m.end()
    with_level = {f.indicator for f in out}
    out += [f for f in _change_figures(masked, periods, ctx, offset) if f.indicator not in with_level]
    return sorted(out, key=lambda f: f.span)


def _figure(text: str, m: re.Match[str], num: str, unit: str, prev_end: int, nxt: int,
            periods: list[tuple[int, Period]], ctx: _Context, offset: int) -> Figure | None:
    indicator = _indicator_for(text, m.start(), m.end(), ctx)
    period = _period_for(text, m.start(), m.end(), periods, ctx)
    value = parse_number(num)
    if indicator is None or period is None or value is None:
        return None
    return Figure(
        indicator.name, period.key, period.label, m.group(0).strip(),
        value, unit, _comparisons(text, m.end(), nxt), bool(_ESTIMATE.search(text, prev_end, m.start())),
        ctx.qualifier, period.cumulative, (offset + m.start(), offset + m.end()),
    )


def _change_figures(text: str, periods: list[tuple[int, Period]], ctx: _Context, offset: int) -> list[Figure]:
    """An index stated only by its change ("IIP ước tháng 03 tăng 19,01% so tháng trước, giảm ...")."""
    out: list[Figure] = []
    changes = _changes(text, 0, len(text))
    taken: set[str] = set()
    prev_end = 0
    for i, m in enumerate(changes):
        indicator = _indicator_for(text, m.start(), m.start(), ctx)
        period = _period_for(text, m.start(), m.start(), periods, ctx)
        if indicator is None or period is None or period.key in taken:
            prev_end = m.end()
            continue
        same = [c for c in changes[i + 1:] if _period_for(text, c.start(), c.start(), periods, ctx) == period
                and _indicator_for(text, c.start(), c.start(), ctx) == indicator]
        rest = tuple(c.group(0).strip() for c in same)
        unit = m.group("unit")
        value = parse_number(m.group("num")) or 0.0
        head = m.group(0)[: m.end("unit") - m.start()].strip()
        base = (m.group("base") or "").strip()
        comps = ((base,) if base else ()) + rest
        out.append(Figure(indicator.name, period.key, period.label, head, value, unit, comps,
                          bool(_ESTIMATE.search(text, prev_end, m.start())), ctx.qualifier, period.cumulative,
                          (offset + m.start(), offset + m.end("unit"))))
        taken.add(period.key)
        prev_end = m.end()
    return out


def _line_context(line: str, leads: list[str], default_year: int | None) -> _Context:
    """What a "+" sub-item inherits: the indicator and period of its lead-in lines, and its own label."""
    ctx = _Context()
    if not line.lstrip().startswith("+"):
        return ctx
    for lead in leads:  # nearest first
        if ctx.period is None:
            found = find_periods(_masked(lead), default_year, bare_months=True)
            ctx.period = found[-1].period if found else None
        if ctx.indicator is None:
            named = {i.name for _, i in _indicators_in(lead)}
            inds = [i for i in find_indicators(lead) if i.name in named]
            ctx.indicator = inds[0] if inds else None
    label = _SUB_LABEL.match(line.strip())
    ctx.qualifier = label.group("label").strip(" *") if label else ""
    return ctx


def _leads(previous: list[str]) -> list[str]:
    """Lines a "+" item hangs from: up to and including its "-" parent, nearest first."""
    found = []
    for prev in reversed(previous):
        if prev.lstrip().startswith("+"):
            continue
        found.append(prev)
        if prev.lstrip().startswith("-") or not prev.rstrip().endswith(":"):
            break
    return found


def find_figures(text: str, default_year: int | None = None) -> list[Figure]:
    """Every indicator figure of a passage, in order; spans index into `text`."""
    out: list[Figure] = []
    previous: list[str] = []
    pos = 0
    for line in text.split("\n"):
        start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        ctx = _line_context(line, _leads(previous), default_year)
        previous.append(line)
        sent_start = 0
        for piece in _SENTENCE.split(line) if line else []:
            at = line.find(piece, sent_start)
            sent_start = at + len(piece)
            figs = _sentence_figures(piece, start + at, default_year, ctx)
            out.extend(figs)
            named = _indicators_in(piece)
            ctx.previous = named[0][1] if named else ctx.previous
            if figs and not line.lstrip().startswith("+"):
                ctx.period = replace(Period.from_key(figs[-1].period_key), label=figs[-1].period_label)
    return out
