"""Query understanding: what a question asks about, read before any search.

Periods and province decide which report may answer (the worst mistake is
another period's or province's figure), document references and indicators
steer retrieval, the kind of question shapes the answer, and the content terms
are what a passage must cover to count as an answer. Everything works on
questions typed without diacritics, and, given the index vocabulary, with
small typos ("Thái Bìn", "bao nhiu").
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice

from assistant.names import question_names
from assistant.period_roles import subject_matches
from assistant.shorthand import expand
from ingest.lexicon import Indicator, expand_query, find_indicators
from ingest.periods import Period, find_periods, fold_same_length
from ingest.provinces import find_provinces
from ingest.references import ReferenceQuery, parse_reference_query
from vectorstore.vitext import STOP_WORDS, STOP_WORDS_FOLDED, fold, has_diacritics, normalise, tokens

Kind = str  # "figure" | "list" | "policy" | "reason" | "who" | "yes_no" | "other"


@dataclass
class QueryUnderstanding:
    text: str  # NFC, single spaces
    folded: str
    has_diacritics: bool
    periods: list[Period] = field(default_factory=list)
    provinces: list[str] = field(default_factory=list)
    references: list[ReferenceQuery] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    expansions: list[str] = field(default_factory=list)
    kind: Kind = "other"
    content_terms: list[str] = field(default_factory=list)  # folded words, in question order
    content_runs: list[str] = field(default_factory=list)  # the same, as runs of adjacent words
    content_text: str = ""  # content words and provinces as typed (typos corrected), periods left out
    wanted_doc_type: str | None = None  # "Quyết định" for "theo quyết định nào"
    corrections: dict[str, str] = field(default_factory=dict)  # typo -> vocabulary word (folded)
    corrected_text: str | None = None  # `text` with the typos replaced, when there were any
    names: list[str] = field(default_factory=list)  # capitalised names it gives ("Hoa Kỳ", "CPI"), not provinces

    @property
    def search_text(self) -> str:
        """The text to search with: typos corrected when a vocabulary was given."""
        return self.corrected_text or self.text

    @property
    def reference_numbers(self) -> list[str]:
        """Numbers to look for in passages: the full number when typed ("2366/QĐ-UBND"), else the stem."""
        return [r.number or r.stem for r in self.references]

    @property
    def content_tokens(self) -> set[str]:
        """Search tokens of the content terms, bigrams only between words adjacent in the question."""
        out: set[str] = set()
        for run in self.content_runs:
            out.update(tokens(run))
        return out


# ---- question kind ----------------------------------------------------------------------------
_DOC_WORDS = {
    "quyet dinh": "Quyết định", "nghi quyet": "Nghị quyết", "nghi dinh": "Nghị định", "thong tu": "Thông tư",
    "chi thi": "Chỉ thị", "ke hoach": "Kế hoạch", "cong van": "Công văn", "van ban": None,
    "chuong trinh": "Chương trình", "de an": "Đề án", "luat": "Luật", "ket luan": "Kết luận",
}
_DOC_ASKED = re.compile(r"\b(" + "|".join(_DOC_WORDS) + r")\s+(?:so\s+)?(?:nao|gi|may)\b")
_POLICY = re.compile(r"\b(?:can cu|co so phap ly|van ban phap ly|theo van ban|van ban nao|so hieu)\b")
_WHO = re.compile(r"\b(?:ai|nguoi ky|do ai|ky boi)\b")
_REASON = re.compile(
    r"\b(?:vi sao|tai sao|nguyen nhan|kho khan|han che|vuong mac|ton tai|ly do|bat cap|yeu kem|do dau)\b"
)
_YES_NO = re.compile(r"\b(?:hay khong|co phai|phai khong|dung khong|duoc khong|hay chua)\b"
                     r"|\b(?:co|da|duoc)\b.*\b(?:khong|chua)\s*\??\s*$")
_LIST = re.compile(
    r"\b(?:nhung|cac)\b.*\b(?:nao|gi)\b"
    r"|\b(?:liet ke|ke ten|nhung dau|o dau|nhung gi|gom nhung|bao gom nhung)\b"
    r"|(?:\b\d+|\bhai|\bba|\bbon)\s+[a-z]+(?:\s+[a-z]+){0,5}\s+nao\b"
)
_FIGURE = re.compile(
    r"\b(?:bao nh[a-z]*u|ty le|phan tram|so luong|tong so|tong cong|bao lau|muc tang|muc giam)\b|%"
)
_HOW = re.compile(r"\b(?:nhu )?(?:the nao|ra sao)\b")
_HOW_FIGURE = re.compile(r"\b(?:tang|giam|thay doi|ket qua|so voi|bien dong|dat|tang truong)\b")


def question_kind(text: str) -> tuple[Kind, str | None]:
    """Kind of question and, for "theo quyết định nào", the document type asked for."""
    folded = fold(text)
    asked = _DOC_ASKED.search(folded)
    if _WHO.search(folded):
        return "who", None
    if asked or _POLICY.search(folded):
        return "policy", _DOC_WORDS.get(asked.group(1)) if asked else None
    if _REASON.search(folded):
        return "reason", None
    if _YES_NO.search(folded):
        return "yes_no", None
    if _LIST.search(_HOW.sub(" ", folded)):
        return "list", None
    if _FIGURE.search(folded) or _asks_how_many(text, folded):
        return "figure", None
    if _HOW.search(folded) and _HOW_FIGURE.search(folded):
        return "figure", None
    return "other", None


def _asks_how_many(text: str, folded: str) -> bool:
    """ "mấy" asks a count; without diacritics "may" is also "máy" (machine), so not before its nouns."""
    if has_diacritics(text):
        return re.search(r"(?<!\w)mấy(?!\w)", text.lower()) is not None
    return re.search(r"\bmay\b(?!\s+(?:moc|thiet bi|bien ap|phat|tinh|cat|may))", folded) is not None


# ---- content terms ----------------------------------------------------------------------------
_QUESTION_PHRASES = (
    "co bao nhieu", "bao nhieu", "nhu the nao", "the nao", "ra sao", "vi sao", "tai sao", "la gi",
    "hay khong", "co phai", "phai khong", "dung khong", "duoc khong", "cho biet", "cu the", "khoang", "o dau",
    "nhung dau", "khi nao", "luy ke", "tinh chung", "tinh den", "den nay", "hien nay", "hien tai", "hien co",
    "dau nam", "cuoi nam", "ca nam", "giai doan", "thoi diem", "cung ky nam truoc",
    # asking how a figure moved: the figures answer it, the words are rarely in the report
    "thay doi the nao", "thay doi nhu the nao", "thay doi ra sao", "bien dong the nao", "bien dong nhu the nao",
    "bien dong ra sao", "tang giam the nao", "tang giam ra sao", "tang hay giam",
)
# Left after the phrases: question and period words (accented forms, and folded for plain typing).
_QUESTION_WORDS = frozenset({"nào", "gì", "ai", "sao", "mấy", "tháng", "quý", "năm"})
_QUESTION_WORDS_FOLDED = frozenset({"nao", "gi", "ai", "sao", "thang", "quy", "nam"})


_QUESTION_PHRASE_RE = re.compile(
    r"\b(?:" + "|".join(sorted(_QUESTION_PHRASES, key=len, reverse=True)) + r")\b"
)


def _blank(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """Overwrite spans with "|" (a break: words on either side are not adjacent any more)."""
    chars = list(text)
    for s, e in spans:
        chars[s:e] = "|" * (e - s)
    return "".join(chars)


def _province_spans(folded: str, provinces: Sequence[str]) -> list[tuple[int, int]]:
    spans = []
    for name in provinces:
        key = re.escape(fold(name.removeprefix("TP. "))).replace(r"\ ", r"\s+")
        pattern = rf"(?:\b(?:tinh|thanh pho|tp\.?)\s+)?\b{key}\b"
        spans += [m.span() for m in re.finditer(pattern, folded)]
    return spans


def _content_runs(text: str, period_spans: Sequence[tuple[int, int]], provinces: Sequence[str]
                  ) -> list[list[tuple[str, str]]]:
    """Runs of content words, each (folded, as typed): question words, stop words, periods and provinces
    cut them."""
    folded = fold_same_length(text)  # offsets of `text` stay valid
    masked = _blank(folded, [*period_spans, *_province_spans(folded, provinces)])
    masked = _QUESTION_PHRASE_RE.sub(lambda m: "|" * len(m.group(0)), masked)
    accented = has_diacritics(text)
    runs: list[list[tuple[str, str]]] = [[]]
    for m in re.finditer(r"\w[\w/\-]*(?:[.,]\d+)*|[^\w\s]", masked):
        word, original = m.group(0), text[m.start() : m.end()]
        if not re.search(r"\w", word) or "|" in word or _is_stop(word, original.lower(), accented):
            runs.append([])
        else:
            runs[-1].append((word.strip("-"), original.strip("-")))
    return [r for r in runs if r]


def _is_stop(word: str, original: str, accented: bool) -> bool:
    if accented:  # the accents tell "mấy" (how many) from "máy" (machine), "năm" (year) from "Nam"
        return original in STOP_WORDS or original in _QUESTION_WORDS
    return word in STOP_WORDS_FOLDED or word in _QUESTION_WORDS_FOLDED


# ---- typos ------------------------------------------------------------------------------------
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _edits(word: str) -> list[tuple[int, str]]:
    """Edit-distance-1 variants with a preference rank (a dropped letter is the commonest typo)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = [(0, a + c + b) for a, b in splits for c in _LETTERS]
    out += [(1, a + c + b[1:]) for a, b in splits if b for c in _LETTERS if c != b[0]]
    out += [(2, a + b[1] + b[0] + b[2:]) for a, b in splits if len(b) > 1]
    out += [(3, a + b[1:]) for a, b in splits if b and len(word) > 2]
    return out


Vocabulary = Mapping[str, int] | Collection[str]  # folded tokens, with frequencies when a Mapping
RARE_PAIR_RATIO = 20  # a known word is replaced only if the edited pair is this much more frequent


def _freq(vocabulary: Vocabulary, word: str) -> int:
    return int(vocabulary.get(word, 0)) if isinstance(vocabulary, Mapping) else int(word in vocabulary)


def _pair_freq(vocabulary: Vocabulary, prev: str | None, word: str, nxt: str | None) -> int:
    """How often the word forms a bigram with its neighbours (1/0 for a plain set)."""
    left = _freq(vocabulary, f"{prev}_{word}") if prev else 0
    right = _freq(vocabulary, f"{word}_{nxt}") if nxt else 0
    return left + right


def _fix_unknown(vocabulary: Vocabulary, word: str, prev: str | None, nxt: str | None) -> str:
    """An unknown word: the closest edit (insertions first), a known bigram and frequency break ties."""
    candidates = [(rank, w) for rank, w in _edits(word) if w in vocabulary]
    if not candidates:
        return word
    return min(candidates, key=lambda c: (c[0], -_pair_freq(vocabulary, prev, c[1], nxt),
                                          -_freq(vocabulary, c[1]), c[1]))[1]


def _fix_known(vocabulary: Vocabulary, word: str, prev: str | None, nxt: str | None) -> str:
    """A known word the reports (almost) never write after the word before it: "lu han" -> "lu hanh"."""
    if prev is None or len(word) < 3 or (nxt and f"{word}_{nxt}" in vocabulary):
        return word
    have = _freq(vocabulary, f"{prev}_{word}")
    if have == 0:  # an unknown pair: only a dropped letter is put back
        edits, need = [w for rank, w in _edits(word) if rank == 0], 1
    elif isinstance(vocabulary, Mapping):  # a rare pair ("cong ngiep"): a far commoner one-edit pair wins
        edits, need = [w for rank, w in _edits(word) if rank <= 2], max(5, RARE_PAIR_RATIO * have)
    else:
        return word
    scored = [(_freq(vocabulary, f"{prev}_{w}"), w) for w in edits if w in vocabulary]
    best = max(scored, default=(0, word))
    return best[1] if best[0] >= need else word


def correct_terms(terms: Sequence[str], vocabulary: Vocabulary, keep: Collection[str] = ()) -> list[str]:
    """Folded words (in question order) fixed to the vocabulary by one edit.

    An unknown word takes its closest known edit ("bin" -> "binh", "nhiu" -> "nhieu"). A known word
    changes only when the vocabulary has bigrams and the edit turns a pair with the word before it that
    the reports (almost) never write into one they do ("lu han" -> "lu hanh"; "cong ngiep", a typo the
    corpus itself has once, -> "cong nghiep"), so correctly spelled words stay. Numbers, one-letter
    words and `keep` words stay as they are, and `keep` words give no context.
    """
    out = list(terms)
    has_bigrams = any("_" in w for w in vocabulary)
    for i, word in enumerate(terms):
        if len(word) < 2 or not word.isalpha() or not word.isascii() or word in keep:
            continue
        prev = out[i - 1] if i and out[i - 1] not in keep else None
        nxt = terms[i + 1] if i + 1 < len(terms) and terms[i + 1] not in keep else None
        if word not in vocabulary:
            out[i] = _fix_unknown(vocabulary, word, prev, nxt)
        elif has_bigrams:
            out[i] = _fix_known(vocabulary, word, prev, nxt)
    return out


_STOP_ALTERNATION = "|".join(sorted(map(re.escape, STOP_WORDS), key=len, reverse=True))
_CONTEXT_BREAK = re.compile(rf"[^\w\s]|\d+|(?<!\w)(?:{_STOP_ALTERNATION})(?!\w)")
# Never "fixed": question words (reports lack "bao nhieu") and stop words (the index drops them).
_PROTECTED = (frozenset(w for p in _QUESTION_PHRASES for w in p.split()) | _QUESTION_WORDS_FOLDED
              | {fold(w) for w in STOP_WORDS})


_ACRONYM = re.compile(r"(?<!\w)[A-ZĐ]{2,}(?!\w)")


def _apply_corrections(text: str, vocabulary: Vocabulary) -> dict[str, str]:
    """Typo -> fix for the question's words, each judged by its neighbours as the index saw them:
    punctuation, numbers and stop words break the context; province names are kept."""
    keep = _PROTECTED | {w for p in find_provinces(text) for w in fold(p).split()}
    keep |= {fold(w) for w in _ACRONYM.findall(text)}  # "CPI", "FDI" are typed on purpose, never typos
    keep |= {w for ind in find_indicators(text) for t in ind.terms for w in fold(t).split()}  # nor lexicon words
    out: dict[str, str] = {}
    for run in _CONTEXT_BREAK.split(text.lower()):
        folded = " ".join("|" if w in STOP_WORDS_FOLDED else w for w in map(fold, (run or "").split()))
        for segment in folded.split("|"):
            words = segment.split()
            fixed = correct_terms(words, vocabulary, keep=keep)
            out.update((a, b) for a, b in zip(words, fixed, strict=True) if a != b)
    return out


def _corrected(text: str, corrections: Mapping[str, str]) -> str:
    def repl(m: re.Match[str]) -> str:
        word = m.group(0)
        new = corrections.get(fold(word))
        if new is None:
            return word
        return new.capitalize() if word[0].isupper() else new

    return re.sub(r"[^\W\d_]+", repl, text)


# ---- the whole reading ------------------------------------------------------------------------
MIN_SYLLABLES = 300  # fewer distinct words (a few short reports): every unseen word would look like a typo


def _enough(vocabulary: Vocabulary | None) -> bool:
    """Typo correction needs a vocabulary the size of at least a real report or two."""
    if not vocabulary:
        return False
    words = (w for w in vocabulary if w.isalpha())  # stops at the MIN_SYLLABLES-th: vocabularies run to 100k+
    return next(islice(words, MIN_SYLLABLES - 1, None), None) is not None


def known_provinces_in(folded: str, known: Collection[str]) -> list[str]:
    """Indexed provinces (from the reports' metadata) named in the question, for names no built-in
    list has (a new province, an invented sample one)."""
    return [name for name in known if re.search(rf"\b{re.escape(fold(name))}\b", folded)]


def understand(question: str, vocabulary: Vocabulary | None = None,
               known_provinces: Collection[str] = ()) -> QueryUnderstanding:
    """Read a question. `vocabulary` (folded index tokens, ideally with frequencies and bigrams)
    enables typo correction; without it the question is read as typed. `known_provinces` are those
    of the indexed reports (recognised even when no built-in list has them, and by initials)."""
    typed = normalise(question)
    text = normalise(expand(typed, known_provinces))
    corrections = _apply_corrections(text, vocabulary) if _enough(vocabulary) else {}
    reading = _corrected(text, corrections) if corrections else text
    matches = find_periods(reading, bare_months=True)
    periods: list[Period] = []
    for m in subject_matches(reading, matches):
        if m.period not in periods:
            periods.append(m.period)
    provinces = find_provinces(reading)
    provinces += [p for p in known_provinces_in(fold(reading), known_provinces) if p not in provinces]
    kind, wanted = question_kind(reading)
    spans = [m.span for m in matches]
    word_runs = _content_runs(reading, spans, provinces)
    runs = [" ".join(w for w, _ in run) for run in word_runs]
    return QueryUnderstanding(
        text=text,
        folded=fold(text),
        has_diacritics=has_diacritics(text),
        periods=periods,
        provinces=provinces,
        references=parse_reference_query(reading),
        indicators=find_indicators(reading),
        expansions=list(dict.fromkeys([*expand_query(reading), *expand_query(typed)])),
        kind=kind,
        content_terms=[w for run in runs for w in run.split()],
        wanted_doc_type=wanted,
        corrections=corrections,
        corrected_text=reading if corrections else None,
        content_runs=runs,
        names=question_names(reading, provinces),
        content_text=" ".join(o for run in _content_runs(reading, spans, []) for _, o in run),
    )
