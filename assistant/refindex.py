"""The reference index: which legal documents the reports cite, and where.

Leadership asks by document ("Báo cáo nào nhắc đến Quyết định 2366/QĐ-UBND?"), by issuer and topic
("Các văn bản của UBND tỉnh về cụm công nghiệp?") or by what a document did ("Kế hoạch thực hiện
Chiến lược xuất nhập khẩu ban hành theo quyết định nào?"). The facts store holds every citation with
its chunk; here citations are grouped per document (type + number, or a law's name) and matched:
by number when the question names one, else by the question's words over what the reports say
around each citation (subject, issuer, the sentence), with the lexicon's other names on both sides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from assistant.query import QueryUnderstanding, understand
from ingest.lexicon import Indicator, find_indicators
from ingest.references import ReferenceQuery
from vectorstore.vitext import fold

# Words that say "which documents" rather than what about.
_ASKING = {"van", "ban", "bao", "cao", "nhac", "den", "toi", "de", "cap", "trich", "dan", "nao", "cac", "nhung",
           "hanh", "theo", "duoc", "co", "ve", "viec", "so", "ngay", "cua", "neu", "chieu", "lien", "quan"}


@dataclass
class Mention:
    chunk_id: str
    doc_id: str
    province: str
    quote: str
    context: str


@dataclass
class CitedDocument:
    """One legal document and every passage of the reports that cites it."""

    doc_type: str
    number: str | None
    title: str | None
    date: str | None = None
    date_iso: str | None = None
    issuer: str | None = None
    subject: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    _searchable: dict[bool, str] = field(default_factory=dict, repr=False, compare=False)

    @property
    def name(self) -> str:
        return self.title or f"{self.doc_type} số {self.number}"

    @property
    def reports(self) -> list[str]:
        return list(dict.fromkeys(m.doc_id for m in self.mentions))

    def matches(self, ref: ReferenceQuery) -> bool:
        stem = re.match(r"\d+", self.number or "")
        if not stem or (stem.group(0).lstrip("0") or "0") != ref.stem:
            return False
        if ref.doc_type and ref.doc_type != self.doc_type:
            return False
        return ref.number is None or fold(ref.number) == fold(self.number or "")

    def searchable(self, own: bool = False) -> str:
        """Folded text of what is known about the document (`own`: its name, issuer and subject only),
        with the lexicon's names for what it mentions ("CCN" -> "cụm công nghiệp"), padded with spaces."""
        if own not in self._searchable:  # the documents are grouped once per index change, searched often
            parts = [self.name, self.issuer, self.subject] + ([] if own else [m.context for m in self.mentions])
            self._searchable[own] = _plain(" ".join(filter(None, parts)), expand=True)
        return self._searchable[own]

    def issued_by(self, body: Indicator) -> bool:
        """Named as the issuer, or in the number's symbol ("2366/QĐ-UBND" is the provincial committee's)."""
        issuer = _plain(f"{self.issuer or ''} {(self.number or '').partition('/')[2]}")
        return any(f" {fold(t)} " in issuer or issuer.startswith(f" {fold(t)}") for t in body.terms)

    def to_dict(self) -> dict[str, Any]:
        return {"doc_type": self.doc_type, "number": self.number, "title": self.title, "name": self.name,
                "date": self.date, "date_iso": self.date_iso, "issuer": self.issuer, "subject": self.subject,
                "reports": self.reports, "mentions": [m.__dict__ for m in self.mentions]}


def _plain(text: str, expand: bool = False) -> str:
    """Folded words separated by single spaces, padded; `expand` appends the lexicon's names."""
    extra = [ind.name for ind in find_indicators(text)] if expand else []
    return " " + " ".join(re.findall(r"[a-z0-9]+", fold(text + " " + " ".join(extra)))) + " "


def group_documents(rows: list[dict[str, Any]]) -> list[CitedDocument]:
    """Citation rows of the facts store -> one entry per document (first stated date/issuer/subject)."""
    docs: dict[tuple[str, str], CitedDocument] = {}
    for r in rows:
        key = (r["doc_type"], fold(r["number"] or r["title"] or ""))
        doc = docs.setdefault(key, CitedDocument(r["doc_type"], r["number"], r["title"]))
        doc.date, doc.date_iso = doc.date or r["date"], doc.date_iso or r["date_iso"]
        doc.issuer = doc.issuer or r["issuer"]
        if r["subject"] and len(r["subject"]) > len(doc.subject or ""):
            doc.subject = r["subject"]
        if not any(m.chunk_id == r["chunk_id"] for m in doc.mentions):
            doc.mentions.append(Mention(r["chunk_id"], r["doc_id"], r["province"] or "", r["quote"],
                                        r.get("context") or ""))
    return sorted(docs.values(), key=lambda d: (d.date_iso or "", d.name), reverse=True)


def _canonical(run: str) -> str:
    """A question run with the lexicon's other names replaced by the name ("ccn" -> "cum cong nghiep")."""
    out = f" {run} "
    for ind in find_indicators(run):
        if ind.kind == "doc_type":  # "văn bản" asks for documents; it is no topic
            continue
        for term in (*ind.aliases, *ind.abbreviations):
            out = out.replace(_plain(term), _plain(ind.name))
    return out.strip()


def _terms(q: QueryUnderstanding, drop: list[str]) -> list[str]:
    """What a document must be about: word pairs of the question's content runs (single words when
    alone), leaving out the asking words, the wanted type and the issuer; plus a year asked about."""
    wanted = set(fold(q.wanted_doc_type).split()) if q.wanted_doc_type else set()
    terms: list[str] = []
    for run in q.content_runs:
        piece: list[str] = []
        text = f" {_canonical(run)} "
        for phrase in drop:  # the issuer named in the question is matched on the issuer, not here
            text = text.replace(phrase, " | ")
        for word in [*text.split(), ""]:
            if word and word not in _ASKING and word not in wanted and word != "|" and "/" not in word:
                piece.append(word)
                continue
            terms += [" ".join(p) for p in zip(piece, piece[1:])] if len(piece) > 1 else piece
            piece = []
    terms += [str(y) for p in q.periods for y in p.years if len(p.years) == 1]
    return list(dict.fromkeys(terms))


def coverage(doc: CitedDocument, terms: list[str], own: bool = False) -> float:
    if not terms:
        return 1.0
    have = doc.searchable(own)
    return sum(1 for t in terms if f" {t} " in have) / len(terms)


def _issuers(q: QueryUnderstanding) -> list[Indicator]:
    """Bodies the question says issued the document ("của UBND tỉnh", "của Bộ Công Thương")."""
    folded = f" {q.folded} "
    return [b for b in q.indicators if b.kind == "body"
            and any(re.search(rf"\b(?:cua|do) {re.escape(fold(t))}\b", folded) for t in b.terms)]


def search_documents(docs: list[CitedDocument], question: str = "", province: str | None = None,
                     min_coverage: float = 0.75, need_topic: bool = False, q: QueryUnderstanding | None = None
                     ) -> list[tuple[CitedDocument, float]]:
    """Documents the question is about, best first, with how much of the question each covers.

    `need_topic`: a question that names no number, issuer or topic ("theo văn bản nào?") finds nothing
    rather than every document (a chat question like that is a follow-up, not a request for the list)."""
    q = q or (understand(question) if question.strip() else None)  # `q`: the caller already read it
    province = province or (q.provinces[0] if q and len(q.provinces) == 1 else None)
    if province:
        docs = [d for d in docs if any(m.province == province for m in d.mentions)]
    if q is None:
        return [(d, 1.0) for d in docs]
    if q.references:
        return [(d, 1.0) for d in docs if any(d.matches(r) for r in q.references)]
    if q.wanted_doc_type:
        docs = [d for d in docs if d.doc_type == q.wanted_doc_type]
    issuers = _issuers(q)
    if issuers:
        docs = [d for d in docs if any(d.issued_by(b) for b in issuers)]
    terms = _terms(q, [_plain(t) for b in issuers for t in b.terms])
    if need_topic and not terms and not issuers:
        return []
    scored = [(d, coverage(d, terms), coverage(d, terms, own=True)) for d in docs]
    kept = sorted([s for s in scored if s[1] >= min_coverage], key=lambda s: (-s[1], -s[2]))
    return [(d, c + own / 100) for d, c, own in kept]
