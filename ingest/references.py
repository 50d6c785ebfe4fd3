"""Legal document references in report text and in questions.

Reports cite the documents they implement ("Quyết định số 2366/QĐ-UBND ngày
09/12/2022 của UBND tỉnh Trà Vinh về việc giao chỉ tiêu ..."), and leadership
asks by them ("theo QĐ 2366", "quyet dinh 2366"). `find_references` reads the
citations of a text: type, number as written, date (as written and ISO), issuer
and subject when stated, and where they sit. `parse_reference_query` reads the
looser forms people type into a question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from vectorstore.vitext import fold

# Folded type word -> canonical type. "Văn bản số ..." is a công văn.
DOC_TYPES = {
    "luat": "Luật", "nghi dinh": "Nghị định", "nghi quyet": "Nghị quyết", "quyet dinh": "Quyết định",
    "chi thi": "Chỉ thị", "ke hoach": "Kế hoạch", "thong tu": "Thông tư", "cong van": "Công văn",
    "van ban": "Công văn", "thong bao": "Thông báo", "de an": "Đề án", "chuong trinh": "Chương trình",
    "ket luan": "Kết luận", "bao cao": "Báo cáo", "huong dan": "Hướng dẫn",
}
# Letter code of a document number -> type ("2366/QĐ-UBND" is a Quyết định).
CODE_TYPES = {
    "qd": "Quyết định", "nq": "Nghị quyết", "nd": "Nghị định", "ct": "Chỉ thị", "kh": "Kế hoạch",
    "tt": "Thông tư", "tb": "Thông báo", "da": "Đề án", "ctr": "Chương trình", "kl": "Kết luận",
    "bc": "Báo cáo", "hd": "Hướng dẫn", "khhd": "Kế hoạch",
}
# Short forms typed in questions (folded).
_QUERY_TYPES = {
    **DOC_TYPES, "qd": "Quyết định", "nq": "Nghị quyết", "nd": "Nghị định", "ct": "Chỉ thị", "kh": "Kế hoạch",
    "tt": "Thông tư", "cv": "Công văn", "tb": "Thông báo", "ctr": "Chương trình", "kl": "Kết luận",
}


@dataclass(frozen=True)
class Reference:
    """One cited document. `number` is as written (spaces removed), None for a law cited by name."""

    doc_type: str
    number: str | None
    date: str | None = None  # as written: "09/12/2022", "29 tháng 05 năm 2020"
    date_iso: str | None = None  # "2022-12-09"
    issuer: str | None = None  # "UBND tỉnh Trà Vinh", "Bộ Công Thương" ... when stated
    subject: str | None = None  # "về việc giao chỉ tiêu ...", "ban hành Kế hoạch ..." when stated
    span: tuple[int, int] = (0, 0)  # the citation "Quyết định số ... của ..." in the text
    title: str | None = None  # a law's name: "Luật Cạnh tranh"

    @property
    def stem(self) -> str | None:
        """The leading number, leading zeros dropped: "2366/QĐ-UBND" -> "2366", "01/NQ-CP" -> "1"."""
        if not self.number:
            return None
        return re.match(r"\d+", self.number).group(0).lstrip("0") or "0"

    @property
    def label(self) -> str:
        """Short form for display: "Quyết định số 2366/QĐ-UBND ngày 09/12/2022"."""
        head = self.title or f"{self.doc_type} số {self.number}"
        return f"{head} ngày {self.date}" if self.date else head


@dataclass(frozen=True)
class ReferenceQuery:
    """A document a question names: type when said, number stem always, full number when typed."""

    doc_type: str | None
    stem: str
    number: str | None = None

    def matches(self, ref: Reference) -> bool:
        if ref.stem != self.stem or (self.doc_type and ref.doc_type != self.doc_type):
            return False
        return self.number is None or fold(self.number) == fold(ref.number or "")


_TYPE_WORDS = (r"Luật|Nghị\s+định|Nghị\s+quyết|Quyết\s+định|Chỉ\s+thị|Kế\s+hoạch|Thông\s+tư|Công\s+văn"
               r"|Văn\s+bản|Thông\s+báo|Đề\s+án|Chương\s+trình(?:\s+hành\s+động)?|Kết\s+luận|Báo\s+cáo"
               r"|Hướng\s+dẫn")
_L = r"[^\W\d_]"  # a letter
_NUMBER = rf"\d+(?:/\d{{4}})?(?:[-/]\s?{_L}[\w&]*)+|\d+(?:/\d{{4}})?"
_DATE = (r"\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}"
         r"|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}")
_CITATION = re.compile(
    rf"(?<!\w)(?P<type>{_TYPE_WORDS})(?P<so>\s+số)?\s*:?\s*(?P<number>{_NUMBER})(?![\w/])"
    rf"(?:\s*,?\s*ngày\s+(?P<date>{_DATE}))?",
    re.IGNORECASE,
)
_LAW = re.compile(r"(?<!\w)Luật\s+(?P<name>[^\W\d_]+(?:(?:\s|,\s)[^\W\d_]+){0,16})")
_LAW_STOP = re.compile(
    r"\s(?:về|trên|đối|và\s+(?:các|Nghị|Luật)|của|năm|đã|để|cho|tại|theo|đến|được|trong|nhằm|số)\b"
    r"|,\s(?=[A-ZĐ])|,\s*Luật",
)
# Issuers reports name; checked first, longest first. Else the phrase after "của" up to a stop.
_ISSUERS = sorted((
    "Thủ tướng Chính phủ", "Chính phủ", "Quốc hội", "Bộ Chính trị", "Ban Bí thư",
    "Ban Bí thư Trung ương Đảng", "Ban Chấp hành Trung ương Đảng", "Ban Thường vụ Tỉnh ủy",
    "Ban thường vụ Tỉnh ủy", "Tỉnh ủy",
    "Bộ Công Thương", "Bộ Công thương", "Sở Kế hoạch và Đầu tư", "Sở Công Thương",
    "Cục Công Thương địa phương", "Chủ tịch UBND tỉnh", "Chủ tịch Ủy ban nhân dân tỉnh", "UBND tỉnh",
    "Ủy ban nhân dân tỉnh", "HĐND tỉnh", "Hội đồng nhân dân tỉnh", "Ban Chỉ đạo liên ngành",
    "Ban chỉ đạo liên ngành",
), key=len, reverse=True)
_ISSUER = re.compile(r"\s*,?\s*(?:của|do)\s+(?P<issuer>[^,;.:()\n]{2,120})")
_ISSUER_STOP = re.compile(
    r"\s(?:về|ban\s+hành|thực\s+hiện|triển\s+khai|phê\s+duyệt|quy\s+định|xử\s+phạt|thì|để|đang|tại|theo"
    r"|và\s+(?!Đầu\s+tư|Phát\s+triển|Môi\s+trường|Công\s+nghệ|Truyền\s+thông|Xã\s+hội))(?!\w)"
)
_PROVINCE_TAIL = re.compile(r"\s+(?:tỉnh\s+)?[A-ZĐ][^\W\d_]*(?:\s+[A-ZĐ][^\W\d_]*){0,3}")
# The subject follows the citation directly; after a comma only an unmistakable subject verb counts
# ("..., thực hiện đầu tư" continues the sentence rather than naming the document's subject).
_SUBJECT_END = r"[^;\n]{3,400}?)(?=\s*(?:[;\n]|\.\s|\.$|$|\(Kèm))"
_SUBJECT = re.compile(
    r"\s+(?P<subject>(?:về|ban\s+hành|phê\s+duyệt|quy\s+định|bãi\s+bỏ|sửa\s+đổi|thực\s+hiện|triển\s+khai"
    r"|giao|hướng\s+dẫn|tổ\s+chức)\b" + _SUBJECT_END
    + r"|\s*,\s*(?P<subject2>(?:về|ban\s+hành|phê\s+duyệt|bãi\s+bỏ|sửa\s+đổi)\b" + _SUBJECT_END
)


def _iso(raw: str) -> str | None:
    nums = [int(n) for n in re.findall(r"\d+", raw)]
    if len(nums) != 3:
        return None
    try:
        return date(nums[2], nums[1], nums[0]).isoformat()
    except ValueError:
        return None


def _issuer(text: str, pos: int) -> tuple[str | None, int]:
    """The issuer after the citation ("của UBND tỉnh Trà Vinh") and where it ends."""
    m = _ISSUER.match(text, pos)
    if not m:
        return None, pos
    start = m.start("issuer")
    for name in _ISSUERS:
        if text.startswith(name, start):
            end = start + len(name)
            tail = _PROVINCE_TAIL.match(text, end)
            if tail and not _ISSUER_STOP.match(text, end) and name.endswith(("tỉnh", "Tỉnh ủy")):
                end = tail.end()
                stop = _ISSUER_STOP.search(text, start, end)
                end = stop.start() if stop else end
            return text[start:end].strip(), end
    raw = m.group("issuer")
    stop = _ISSUER_STOP.search(raw)
    issuer = raw[: stop.start()] if stop else raw
    return issuer.strip() or None, start + len(issuer.rstrip())


def _subject(text: str, pos: int) -> str | None:
    m = _SUBJECT.match(text, pos)
    return (m.group("subject") or m.group("subject2")).strip(" ,") if m else None


def _citation(m: re.Match[str], text: str) -> Reference:
    doc_type = DOC_TYPES[" ".join(fold(m.group("type")).split()).removesuffix(" hanh dong")]
    number = re.sub(r"\s+", "", m.group("number"))
    raw_date = m.group("date")
    issuer, end = _issuer(text, m.end())
    return Reference(
        doc_type=doc_type,
        number=number,
        date=re.sub(r"\s+", " ", raw_date) if raw_date else None,
        date_iso=_iso(raw_date) if raw_date else None,
        issuer=issuer,
        subject=_subject(text, end),
        span=(m.start(), end),
    )


def _laws(text: str, taken: list[tuple[int, int]]) -> list[Reference]:
    out = []
    m = _LAW.search(text)
    while m:
        name = m.group("name")
        stop = _LAW_STOP.search(name)
        name = (name[: stop.start()] if stop else name).strip(" ,")
        end = m.start("name") + len(name)
        # "pháp luật" is no law's name; "Luật số ..." is a numbered citation, read above
        if name[0].isupper() and not any(s <= m.start() < e for s, e in taken):
            out.append(Reference("Luật", None, span=(m.start(), end), title="Luật " + name))
        m = _LAW.search(text, max(end, m.start() + 1))
    return out


def find_references(text: str) -> list[Reference]:
    """Every document citation in the text, in order (nested ones too: a plan and what it implements)."""
    refs: list[Reference] = []
    for m in _CITATION.finditer(text):
        if not m.group("so") and not re.search(r"[^\W\d_]", m.group("number")):
            continue  # a bare number needs "số" ("kế hoạch 05 năm" is not a reference)
        refs.append(_citation(m, text))
    refs += _laws(text, [r.span for r in refs])
    return sorted(refs, key=lambda r: r.span)


# ---- questions ------------------------------------------------------------------------------
_Q_TYPES = "|".join(sorted((re.escape(k) for k in _QUERY_TYPES), key=len, reverse=True))
_Q_NUMBER = r"\d+(?:/\d{4})?(?:[-/][a-z][a-z0-9&]*)*"
_QUERY_REF = re.compile(
    rf"(?<![a-z0-9])(?:(?P<type>{_Q_TYPES})\s*(?:so\s*)?:?\s*)?(?P<number>{_Q_NUMBER})(?![\w/])"
    r"(?P<unit>\s*(?:%|nam|thang|quy|ngay|ty|trieu|nghin|km|nguoi|doanh|co so|san pham)(?![a-z]))?"
)


def _code_type(number: str) -> str | None:
    """Type from a number's letter code: "2366/qd-ubnd" -> Quyết định, "245/ubnd-cnxd" -> Công văn."""
    codes = re.findall(r"[a-z][a-z0-9]*", number)
    if not codes:
        return None
    return CODE_TYPES.get(codes[0], "Công văn" if codes[0] in ("ubnd", "sct", "bct", "skhdt") else None)


def parse_reference_query(text: str) -> list[ReferenceQuery]:
    """Documents a question names: "QĐ 2366", "quyet dinh 2366", "Nghị quyết 39-NQ/TW", "245/UBND-CNXD"."""
    folded = fold(text)
    out: dict[tuple[str | None, str], ReferenceQuery] = {}
    for m in _QUERY_REF.finditer(folded):
        number, typed = m.group("number"), m.group("type")
        full = bool(re.search(r"[a-z]", number))
        if not typed and not full:
            continue  # a bare number is a figure, not a document
        if not full and (m.group("unit") or re.fullmatch(r"(?:19|20)\d\d", number)):
            continue  # "kế hoạch 5 năm", "báo cáo 2016-2020": a count or a year, not a number
        doc_type = _QUERY_TYPES.get(typed) if typed else _code_type(number)
        stem = re.match(r"\d+", number).group(0).lstrip("0") or "0"
        original = _original_number(text, number) if full else None
        out.setdefault((doc_type, stem), ReferenceQuery(doc_type, stem, original))
    return list(out.values())


def _original_number(text: str, folded_number: str) -> str:
    """The number as the user typed it (with diacritics: "2366/QĐ-UBND"), found by folding candidates."""
    for cand in re.findall(r"\d[\w/\-&]*", text):
        if fold(cand) == folded_number:
            return cand
    return folded_number.upper()
