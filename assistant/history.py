"""Follow-up questions: "còn tháng 1/2021 thì sao?" becomes a question that stands alone.

Retrieval sees one question at a time, and a follow-up names only what changed, so the rest
(indicator, period, province) is carried over from the previous question, itself resolved the same
way. The previous question is edited in place when possible, which keeps its wording ("đạt bao
nhiêu", "quyết định nào"): a new period replaces the old period, a new province the old province, a
new subject the old indicator. Rule-based and offline; `rewrite_prompt` asks an LLM instead when one
is configured, and `parse_rewrite` takes its reply (falling back to the rule-based question).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ingest.lexicon import find_indicators
from ingest.periods import PeriodMatch, find_periods, fold_same_length
from ingest.provinces import ALIASES, admin_prefix, find_provinces
from vectorstore.vitext import fold, normalise

MAX_TURNS = 4  # previous questions looked at
ANSWER_CHARS = 300  # of each previous answer shown to the LLM rewriter

# Cues, on folded text. Strong cues always mark a follow-up ("còn ...", "... thì sao").
_LEAD = re.compile(r"^(?:(?:the|vay|con|va|nhung)\s+)*(?:con|thi|the|vay)(?:\s+(?:ve|doi\s+voi))?\b\s*")
_TAIL = re.compile(
    r"\s*\b(?:thi\s+(?:sao|the\s+nao|nhu\s+the\s+nao|ra\s+sao)|nhi|nua|vay|the|a|nhe)[\s?.!]*$")
_WEAK_TAIL = re.compile(r"\s*\b(?:nhu\s+the\s+nao|the\s+nao|ra\s+sao|sao)[\s?.!]*$")
# Words that glue a removed period/province to the sentence, or only ask "how much" / "compared to".
_GLUE = {"cua", "o", "tai", "trong", "tinh", "thanh", "pho", "tp", "va", "thi", "cho", "den"}
_MODIFIER = _GLUE | {"so", "voi", "cung", "ky", "tang", "giam", "bao", "nhieu", "dat", "uoc", "ke", "hoach",
                     "thang", "nam", "truoc", "la", "may", "gi", "duoc", "ty", "le", "phan", "tram", "muc",
                     "bang", "luy", "co"}
_QUESTION_TAIL = re.compile(
    r"\s*(?:(?:uoc\s+)?(?:dat|la|duoc|tang|giam|co)\s+)?(?:bao\s+nhieu(?:\s*%)?|the\s+nao|nhu\s+the\s+nao"
    r"|ra\s+sao|may)\s*\??\s*$")
_CONNECTOR = re.compile(r"[\s,;\-–]*(?:va|,)?[\s,]*(?:(?:luy\s+ke|tinh\s+chung)\s*(?:den\s+)?)?\s*")
_CUMULATIVE = re.compile(r"\b(?:luy\s+ke|tinh\s+chung)\s+(?:den\s+)?$")
_ASKS = re.compile(r"bao\s+nhieu|the\s+nao|ra\s+sao|\bmay\b|%")

Span = tuple[int, int]


@dataclass
class _Parsed:
    """What a question names, with where it names it (spans in `text`, the normalised question)."""

    text: str
    folded: str  # same length as text
    periods: list[PeriodMatch]
    provinces: list[tuple[str, Span]]
    indicators: list[Span]  # lexicon entries of kind "indicator"
    strong_cue: bool
    residual: str  # what is left once cues, periods and provinces are removed
    indicator_only: bool  # nothing but an indicator and question words ("Tổng mức bán lẻ đạt bao nhiêu?")

    @property
    def year(self) -> int | None:
        return self.periods[0].period.end.year if self.periods else None

    @property
    def subject(self) -> str:
        """The residual when it names something (not only "so với cùng kỳ", "bao nhiêu")."""
        words = fold(self.residual).split()
        return self.residual if any(w not in _MODIFIER for w in words) else ""


def resolve_followup(question: str, history: Sequence[dict[str, str]]) -> str:
    """A standalone version of `question` given previous turns ({"question", "answer"}, oldest first)."""
    previous = [h.get("question", "") for h in history[-MAX_TURNS:] if (h.get("question") or "").strip()]
    if not previous:
        return question
    base = _parse(resolve_followup(previous[-1], [{"question": q} for q in previous[:-1]]))
    cur = _parse(normalise(question), base.year)
    if not _is_followup(cur):
        return question
    if cur.subject and (_ASKS.search(fold(cur.subject)) or len(base.indicators) != 1):
        return _from_parts(cur, base)
    return _edit(base, cur)


def _is_followup(cur: _Parsed) -> bool:
    """Cue words, nothing of its own to ask about, or only an indicator: the rest comes from before."""
    if cur.subject and cur.periods and cur.provinces:
        return False  # complete on its own, whatever its cue words
    if cur.strong_cue or not cur.subject:
        return True
    return cur.indicator_only


# ------------------------------------------------------------------ reading a question


def _parse(text: str, default_year: int | None = None) -> _Parsed:
    text = normalise(text)
    folded = fold_same_length(text)
    lead, tail = _LEAD.match(folded), _TAIL.search(folded)
    strong = bool((lead and lead.group().strip()) or tail)
    cut_start = lead.end() if lead else 0
    cut_end = tail.start() if tail else (_WEAK_TAIL.search(folded) or _end(folded)).start()
    periods = find_periods(text, default_year, bare_months=True)
    provinces = _province_spans(text, folded, cut_start)
    indicators = _indicator_spans(text, folded)
    removed = [m.span for m in periods] + [s for _, s in provinces]
    residual = _residual(text, folded, (cut_start, cut_end), removed)
    rest = fold(_residual(text, folded, (cut_start, cut_end), removed + indicators)).split()
    only = bool(indicators) and sum(w not in _MODIFIER for w in rest) <= 1
    return _Parsed(text, folded, periods, provinces, indicators, strong, residual, only)


def _end(folded: str) -> re.Match[str]:
    return re.search(r"[\s?.!]*$", folded)  # type: ignore[return-value]  # always matches


def _residual(text: str, folded: str, keep: Span, removed: list[Span]) -> str:
    chars = [c if keep[0] <= i < keep[1] else " " for i, c in enumerate(text)]
    for s, e in removed:
        chars[s:e] = " " * (e - s)
    words = "".join(chars).replace("?", " ").split()
    while words and fold(words[0]).strip(",.;:") in _GLUE:
        words.pop(0)
    while words and fold(words[-1]).strip(",.;:") in _GLUE:
        words.pop()
    return " ".join(words).strip(" ,.;:")


def _province_spans(text: str, folded: str, after_cue: int) -> list[tuple[str, Span]]:
    """Provinces `find_provinces` accepts, located in the text (a bare follow-up "con thai binh" too)."""
    names = find_provinces(text)
    spans: list[tuple[str, Span]] = []
    for name in names or find_provinces("tỉnh " + text[after_cue:]):
        forms = [fold_same_length(name.removeprefix("TP. ")), *ALIASES.get(name, ())]
        for form in sorted(forms, key=len, reverse=True):
            pattern = r"[\s\-.]*".join(map(re.escape, re.findall(r"\w+", form)))
            m = re.search(rf"(?<!\w){pattern}(?!\w)", folded)
            if m:
                spans.append((name, m.span()))
                break
    return spans


def _indicator_spans(text: str, folded: str) -> list[Span]:
    spans: list[Span] = []
    for ind in find_indicators(text):
        if ind.kind != "indicator":
            continue
        for term in sorted(ind.terms, key=len, reverse=True):
            pattern = r"\W+".join(map(re.escape, re.findall(r"\w+", fold_same_length(term))))
            m = re.search(rf"(?<!\w){pattern}(?!\w)", folded)
            if m:
                spans.append(m.span())
                break
    return spans


# ------------------------------------------------------------------ writing the standalone question


def _period_text(cur: _Parsed) -> str:
    return " và ".join(cur.text[m.span[0]:m.span[1]] if m.explicit_year else m.period.label
                       for m in cur.periods)


def _province_text(name: str) -> str:
    return name if name.startswith("TP.") else f"{admin_prefix(name)} {name}"


def _period_region(base: _Parsed) -> Span | None:
    """The first run of the base's periods joined only by connectors ("tháng 3 và lũy kế quý I/2023")."""
    if not base.periods:
        return None
    start, end = base.periods[0].span
    for m in base.periods[1:]:
        if not _CONNECTOR.fullmatch(base.folded[end:m.span[0]]):
            break
        end = m.span[1]
    qualifier = _CUMULATIVE.search(base.folded[:start])  # "lũy kế" belongs to the period it replaces
    return (qualifier.start() if qualifier else start), end


def _edit(base: _Parsed, cur: _Parsed) -> str:
    """The base question with what the follow-up changed; additions go after the indicator or at the end."""
    text = base.text
    body_end = _end(base.folded).start()
    anchor = base.indicators[0][1] if base.indicators else body_end
    edits: list[tuple[int, int, str]] = []
    if cur.subject and base.indicators:
        edits.append((*base.indicators[0], cur.subject))
    region = _period_region(base)
    if cur.periods:
        edits.append((*region, _period_text(cur)) if region else (anchor, anchor, " " + _period_text(cur)))
    if cur.provinces:
        name = cur.provinces[0][0]
        if base.provinces:
            edits.append((*base.provinces[0][1], name))
        else:
            where = region[1] if region and not cur.periods else anchor
            edits.append((where, where, " của " + _province_text(name)))
    if cur.residual and not cur.subject:
        tail = _QUESTION_TAIL.search(base.folded[:body_end]) if _ASKS.search(fold(cur.residual)) else None
        start = tail.start() if tail else body_end
        edits.append((start, body_end, " " + cur.residual))
    for s, e, new in sorted(edits, key=lambda x: (x[0], x[1]), reverse=True):
        text = text[:s] + new + text[e:]
    return _tidy(text, ask=base.text.rstrip().endswith("?"))


def _from_parts(cur: _Parsed, base: _Parsed) -> str:
    """The follow-up's own subject, then the period and province it lacks, then its question words."""
    subject = cur.subject
    tail = _QUESTION_TAIL.search(fold_same_length(subject))
    core, asks = (subject[:tail.start()], subject[tail.start():]) if tail else (subject, "")
    parts = [core]
    if cur.periods or base.periods:
        parts.append(_period_text(cur if cur.periods else base))
    provinces = cur.provinces or base.provinces
    if provinces:
        parts.append("của " + _province_text(provinces[0][0]))
    return _tidy(" ".join([*parts, asks]), ask=True)


def _tidy(text: str, ask: bool) -> str:
    text = re.sub(r"\s+([,.;:?])", r"\1", normalise(text)).strip(" ,;")
    text = text[:1].upper() + text[1:]
    return text.rstrip("?. ") + "?" if ask else text


# ------------------------------------------------------------------ LLM-side rewrite

REWRITE_SYSTEM = """Bạn giúp tra cứu báo cáo của Sở Công Thương. Hãy viết lại câu hỏi mới của người dùng \
thành MỘT câu hỏi độc lập, hiểu được mà không cần đọc hội thoại trước.
Quy tắc:
- Giữ chỉ tiêu, kỳ báo cáo (tháng, quý, 6 tháng, 9 tháng, năm kèm năm cụ thể) và tỉnh của các câu hỏi \
trước, trừ khi câu hỏi mới thay đổi chúng: kỳ mới thay kỳ cũ, tỉnh mới thay tỉnh cũ, chỉ tiêu mới thay \
chỉ tiêu cũ.
- Không trả lời câu hỏi, không thêm số liệu hay thông tin không có trong hội thoại.
- Nếu câu hỏi mới đã đầy đủ, chép lại nguyên văn.
- Chỉ trả về đúng câu hỏi đã viết lại, bằng tiếng Việt có dấu, không giải thích."""


def rewrite_prompt(question: str, history: Sequence[dict[str, str]]) -> list[dict[str, str]]:
    """Chat messages asking an LLM for the standalone question (hint: the rule-based rewrite)."""
    turns = []
    for i, h in enumerate(history[-MAX_TURNS:], 1):
        answer = normalise(h.get("answer") or "")
        if len(answer) > ANSWER_CHARS:
            answer = answer[:ANSWER_CHARS].rsplit(" ", 1)[0] + "…"
        turns.append(f"Hỏi {i}: {normalise(h.get('question') or '')}\nĐáp {i}: {answer}")
    user = ("<hoi_thoai>\n" + "\n".join(turns) + "\n</hoi_thoai>\n\n"
            f"Câu hỏi mới: {normalise(question)}\n"
            f"Gợi ý viết lại tự động (có thể chưa đúng): {resolve_followup(question, history)}\n\n"
            "Câu hỏi độc lập:")
    return [{"role": "system", "content": REWRITE_SYSTEM}, {"role": "user", "content": user}]


def parse_rewrite(reply: str, fallback: str) -> str:
    """The LLM's standalone question, cleaned; `fallback` when the reply is empty or rambles."""
    reply = re.sub(r"^\s*<think>.*?</think>", "", reply, flags=re.DOTALL)
    lines = [ln.strip() for ln in reply.strip().splitlines() if ln.strip()]
    text = re.sub(r"^(?:câu hỏi độc lập|câu hỏi)\s*:\s*", "", lines[0], flags=re.IGNORECASE) if lines else ""
    text = text.strip(" \"'“”«»*")
    if not text or len(text) > 3 * max(len(fallback), 80):
        return fallback
    return text


# ------------------------------------------------------------------ asking back

ASK_INDICATOR = ("Anh/chị muốn hỏi chỉ tiêu nào{of}? Ví dụ: giá trị sản xuất công nghiệp, "
                 "tổng mức bán lẻ hàng hóa và dịch vụ, kim ngạch xuất khẩu.")
ASK_ANYTHING = ("Anh/chị muốn hỏi về chỉ tiêu, kỳ báo cáo hay văn bản nào? Hãy nêu rõ hơn, ví dụ: "
                "Tổng mức bán lẻ hàng hóa và dịch vụ tháng 3/2023 là bao nhiêu?")
_DOCUMENT = re.compile(r"\b(?:quyet\s+dinh|qd|nghi\s+quyet|nghi\s+dinh|ke\s+hoach|thong\s+tu|cong\s+van|chi\s+thi"
                       r"|van\s+ban|ubnd)\b")


def clarification(question: str, history: Sequence[dict[str, str]]) -> str | None:
    """What to ask back when a question names only a period or province and nothing earlier says of what.

    "còn tháng 3 thì sao?" at the start of a chat, or after a question about a document (which has no
    indicator or period to carry over), would otherwise be searched as "tháng 3" alone and answered
    with whatever line mentions a March. None when the question can be answered (or resolved).
    """
    previous = [h.get("question", "") for h in history[-MAX_TURNS:] if (h.get("question") or "").strip()]
    base = _parse(resolve_followup(previous[-1], [{"question": q} for q in previous[:-1]])) if previous else None
    # any year lets a bare "tháng 3" be read as a period; only its words are used below
    cur = _parse(normalise(question), (base.year if base else None) or date.today().year)
    if cur.subject or cur.indicators:
        return None
    if base is not None and (base.indicators or base.periods) and not _DOCUMENT.search(base.folded):
        return None  # a period or province swap on an indicator question: resolve_followup handles it
    names = [cur.text[s:e] for s, e in sorted([m.span for m in cur.periods] + [s for _, s in cur.provinces])]
    if not names:
        return ASK_ANYTHING
    return ASK_INDICATOR.format(of=" của " + " ".join(names))
