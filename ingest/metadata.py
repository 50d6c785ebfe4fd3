"""Report metadata from the text of a loaded report: who issued it, when, about which periods, who signed.

Retrieval filters and every citation depend on the province and the periods of a report, so they are read
from the official layout of a Vietnamese administrative document (Decree 30/2020): header
("UBND TỈNH …" / "SỞ CÔNG THƯƠNG"), "Số: …/BC-SCT", place-date line, title, subject, closing signature.
The header block may be missing (plain-text originals): the province then comes from the place-date line
or the body. Only the text is used, so the same rules serve PDF, DOCX and TXT.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field

from ingest.document import LoadedDocument
from ingest.periods import Period, PeriodMatch, find_periods, fold_same_length, parse_dates
from ingest.provinces import admin_prefix, find_provinces

_HEAD_LINES = 40
_DOC_TYPES = {"bao cao", "ke hoach", "to trinh", "thong bao", "quyet dinh", "chuong trinh", "de an",
              "cong van", "huong dan", "chi thi"}
_PARENT = re.compile(r"^(?:ubnd|uy\s+ban\s+nhan\s+dan)\s+(?:tinh|thanh\s+pho|tp\.?)\s*(.+)$")
_AGENCY = re.compile(r"^so\s+(\S.*)$")
_NUMBER = re.compile(r"^so\s*[:.]?\s*(\d*)\s*/\s*([a-z][a-z0-9]*(?:-[a-z0-9]+)*)")
_PLACE_DATE = re.compile(r"([^,\n]*?),\s*ngay\b.*?nam\s+(?:19|20)\d\d")
_MARKUP = re.compile(r"^[\s*#_>]+|[\s*_]+$")

_POSITION = (r"(?:pho\s+)?(?:giam\s+doc|chu\s+tich|chanh\s+van\s+phong|truong\s+phong|truong\s+ban"
             r"|chi\s+cuc\s+truong|cuc\s+truong|vu\s+truong|bo\s+truong|thu\s+truong)")
_CAPACITY = rf"(?:kt|tl|tm|tuq)\.\s*(?:{_POSITION}|uy\s+ban\s+nhan\s+dan|ubnd|so\s+\S.*?)"
_SIGN_LINE = re.compile(rf"^(?:({_CAPACITY})\s+)?({_POSITION})$|^({_CAPACITY})$")

_BODY_START = re.compile(r"^(?:[ivxlc]+[.)](?!\d)|\d{1,2}(?:\.\d{1,2})*[.)](?!\d)|[a-z][.)]\s|[-+•*]"
                         r"|phan\s+thu|can\s+cu|thuc\s+hien\s|trien\s+khai|theo\s|kinh\s+gui|ngay\s+\d)")
_PLAN_CUES = (r"chuong\s+trinh\s+cong\s+tac|phuong\s+huong|dinh\s+huong|de\s+xuat|nhiem\s+vu\s+trong\s+tam"
              r"|ke\s+hoach\s+cong\s+tac|du\s+kien|giai\s+phap")
_CUES = re.compile(rf"(?P<plan>{_PLAN_CUES})|(?P<reported>tinh\s+hinh|ket\s+qua|thuc\s+hien|kiem\s+diem"
                   r"|danh\s+gia|so\s+ket|tong\s+ket)")


@dataclass
class Signer:
    name: str | None
    title: str | None  # "Phó Giám đốc"
    signing_capacity: str | None  # "KT. GIÁM ĐỐC" when signing on behalf of someone, else None
    title_lines: list[str] = field(default_factory=list)


@dataclass
class ReportMetadata:
    """What a report says about itself; field names follow corpus/manifest.json."""

    province: str | None = None
    issuing_agency: str | None = None
    parent_authority: str | None = None
    document_type: str | None = None
    report_number: str | None = None  # None when the number is left blank ("Số: /BC-SCT")
    report_number_raw: str | None = None
    issue_date: str | None = None  # ISO "2020-05-29", or "2023-03" when the day is blank
    issue_date_precision: str | None = None  # "day" | "month"
    issue_date_raw: str | None = None
    title: str | None = None
    subject: str | None = None
    signer: Signer | None = None
    periods: list[dict] = field(default_factory=list)  # {type, label, start, end, role, key}
    period_keys: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def extract_metadata(doc: LoadedDocument) -> ReportMetadata:
    """Read the header, subject, periods and signature of a report; fields not found stay None."""
    lines = _lines(doc)
    head = lines[:_HEAD_LINES]
    meta = ReportMetadata()
    title_at = _title_index(head)
    before_title = head[:title_at] if title_at is not None else head[:10]  # number, place-date come first
    _read_number(before_title, meta)
    _read_place_date(before_title, meta)
    if title_at is not None:
        meta.title = head[title_at]
        meta.document_type = meta.title.capitalize()
        meta.subject = _subject(head[title_at + 1:])
    _read_authority(head, lines, meta)
    meta.signer = _signer(lines)
    _read_periods(meta, doc.text)
    return meta


# ---------------------------------------------------------------- lines


def _lines(doc: LoadedDocument) -> list[str]:
    """Non-empty lines, table cells split out (the header and the signature are two-column tables)."""
    out: list[str] = []
    for block in doc.blocks:
        pieces = block.cells if block.cells else re.split(r"\t| \| ", block.text)
        for piece in pieces:
            for line in piece.split("\n"):
                line = re.sub(r"\*\*|__", "", _MARKUP.sub("", line)).strip()
                if line:
                    out.append(unicodedata.normalize("NFC", re.sub(r"[ \u00a0]+", " ", line)))
    return out


def _fold(line: str) -> str:
    return fold_same_length(line).strip()


# ---------------------------------------------------------------- header


def _read_number(head: list[str], meta: ReportMetadata) -> None:
    for line in head:
        m = _NUMBER.match(_fold(line))
        if m:
            meta.report_number_raw = line[m.start():m.end()]
            symbol = line[m.start(2):m.end(2)].upper()
            meta.report_number = f"{m.group(1)}/{symbol}" if m.group(1) else None
            return


def _read_place_date(head: list[str], meta: ReportMetadata) -> None:
    for line in head:
        m = _PLACE_DATE.search(_fold(line))
        if not m:
            continue
        dates = parse_dates(line[m.start():m.end()])
        if not dates:
            continue
        day, precision = dates[0]
        place_start = m.start(1)
        number = _NUMBER.match(_fold(line))
        if number and number.end() <= m.end(1):  # "Số: /BC-SCT Trà Vinh, ngày ..." on one line
            place_start = number.end()
        if len(line[place_start:m.end(1)].strip()) > 40:
            continue  # a sentence with ", ngày ...", not a place name
        meta.issue_date_raw = line[place_start:m.end()].strip()
        meta.issue_date = day.isoformat() if precision == "day" else f"{day.year}-{day.month:02d}"
        meta.issue_date_precision = precision
        places = find_provinces(line[place_start:m.end(1)])
        meta.province = places[0] if places else None
        return


def _title_index(head: list[str]) -> int | None:
    for i, line in enumerate(head):
        if line.isupper() and _fold(line) in _DOC_TYPES:
            return i
    return None


def _read_authority(head: list[str], lines: list[str], meta: ReportMetadata) -> None:
    agency = None
    for i, line in enumerate(head[:12]):
        m = _PARENT.match(_fold(line))
        if m and line.isupper():
            found = find_provinces(line[m.start(1):])
            meta.province = found[0] if found else meta.province or _named_unit(line[m.start(1):])
            nxt = _AGENCY.match(_fold(head[i + 1])) if i + 1 < len(head) else None
            agency = _agency_name(head[i + 1][nxt.start(1):]) if nxt else None
            break
    meta.province = meta.province or _body_province(lines)
    if agency is None and ((meta.report_number_raw or "").upper().endswith("SCT") or _mentions_sct(lines)):
        agency = "Sở Công Thương"
    if meta.province:
        unit = f"{admin_prefix(meta.province)} {meta.province.removeprefix('TP. ')}"
        meta.parent_authority = f"UBND {unit}"
        meta.issuing_agency = f"{agency} {unit}" if agency else None


def _agency_name(raw: str) -> str:
    """ "SỞ CÔNG THƯƠNG" -> "Sở Công Thương"; text of the right header column is cut off."""
    cut = re.search(r"\s+(?:cong\s+hoa|doc\s+lap)\b", _fold(raw))
    name = raw[:cut.start()].strip() if cut else raw.strip()
    return "Sở Công Thương" if _fold(name) == "cong thuong" else "Sở " + name.capitalize()


def _mentions_sct(lines: list[str]) -> bool:
    return any("so cong thuong" in _fold(line) for line in lines[:60])


def _named_unit(name: str) -> str | None:
    """A province the list does not know (renamed, merged, or invented in samples): "LAM GIANG" -> "Lam Giang"."""
    words = name.strip(" .:").split()
    return " ".join(w.capitalize() for w in words) if 0 < len(words) <= 4 else None


def _body_province(lines: list[str]) -> str | None:
    """Most-named province of the first pages, preferring "tỉnh X" mentions, for reports without header."""
    counts: Counter[str] = Counter()
    for line in lines[:200]:
        folded = _fold(line)
        for name in find_provinces(line):
            bonus = 3 if re.search(r"(?:tinh|cong\s+thuong)\s+" + _fold(name), folded) else 1
            counts[name] += bonus
    return counts.most_common(1)[0][0] if counts else None


# ---------------------------------------------------------------- subject


def _subject(after_title: list[str]) -> str | None:
    """The subject line(s) under the title; PDF text wraps it, so continuation lines are re-joined."""
    parts: list[str] = []
    for line in after_title[:6]:
        if parts and not _continues(parts[-1], line):
            break
        parts.append(line)
    if not parts:
        return None
    text = parts[0]
    for part in parts[1:]:
        glue = "" if re.search(r"\S-$", text) else " "
        text += glue + part
    return re.sub(r"\s+", " ", text).strip()


def _continues(prev: str, line: str) -> bool:
    folded = _fold(line)
    if line.isupper() or _BODY_START.match(folded):
        return False
    if line[0].islower() or line[0].isdigit() or line[0] == "(":
        return True
    return not re.search(r"[.:;!?]$", prev) and len(line) <= 100


# ---------------------------------------------------------------- signature


def _signer(lines: list[str]) -> Signer | None:
    """The last signature block: capacity/position lines in capitals, then the signer's name."""
    for i in range(len(lines) - 1, -1, -1):
        if not _is_sign_line(lines[i]):
            continue
        name = _name_after(lines, i)
        if name is None:
            continue
        first = i
        while first > 0 and i - first < 3 and _is_sign_line(lines[first - 1]):
            first -= 1
        return _make_signer(lines[first:i + 1], name)
    return None


def _is_sign_line(line: str) -> bool:
    return line.isupper() and bool(_SIGN_LINE.match(_fold(line).rstrip(".:")))


def _name_after(lines: list[str], i: int) -> str | None:
    for line in lines[i + 1:i + 8]:
        if line.isdigit():
            continue  # page number
        return line if _is_name(line) else None
    return None


def _is_name(line: str) -> bool:
    """ "Nguyễn Thị Mộng Thu": 2-6 capitalised words of letters only."""
    words = line.split()
    return 2 <= len(words) <= 6 and all(w.isalpha() and w[0].isupper() and w[1:].islower() for w in words)


def _make_signer(title_lines: list[str], name: str) -> Signer:
    split: list[str] = []
    for line in title_lines:
        m = _SIGN_LINE.match(_fold(line).rstrip(".:"))
        if m and m.group(1):  # "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC" joined on one line
            split += [line[:m.end(1)].strip(), line[m.start(2):].strip()]
        else:
            split.append(line)
    capacity = [s for s in split if re.match(r"^(?:kt|tl|tm|tuq)\.", _fold(s))]
    positions = [s for s in split if s not in capacity]
    title = positions[-1] if positions else re.sub(r"^\S+\.\s*", "", capacity[-1])
    return Signer(name, _position_case(title), " / ".join(capacity) or None, split)


def _position_case(upper: str) -> str:
    """ "PHÓ GIÁM ĐỐC" -> "Phó Giám đốc", "GIÁM ĐỐC" -> "Giám đốc" (Vietnamese official style)."""
    words = upper.lower().split()
    words[0] = words[0].capitalize()
    if words[0] == "Phó" and len(words) > 1:
        words[1] = words[1].capitalize()
    return " ".join(words)


# ---------------------------------------------------------------- periods


def _read_periods(meta: ReportMetadata, body: str) -> None:
    year = int(meta.issue_date[:4]) if meta.issue_date else None
    source = meta.subject or ""
    matches = find_periods(source, default_year=year)
    if not matches:  # no period in the subject: the closing "Trên đây là báo cáo ..." sentence
        closing = re.search(r"Trên đây là báo cáo[^\n]*", body, flags=re.IGNORECASE)
        source = closing.group() if closing else ""
        matches = find_periods(source, default_year=year)
    roles = _roles(matches, fold_same_length(source))
    seen: set[tuple[str, str]] = set()
    for match, role in zip(matches, roles, strict=True):
        p = match.period
        if (p.key, role) in seen:
            continue
        seen.add((p.key, role))
        meta.periods.append({"type": p.type, "label": _role_label(p, role), "start": p.start.isoformat(),
                             "end": p.end.isoformat(), "role": role, "key": p.key})
    meta.period_keys = list(dict.fromkeys(p["key"] for p in meta.periods))
    meta.years = sorted({y for m in matches for y in m.period.years})


def _roles(matches: list[PeriodMatch], folded: str) -> list[str]:
    """Reported / plan from the cue words before each period; reported containing reported = cumulative."""
    roles: list[str] = []
    role, prev_end = "reported", 0
    for m in matches:
        cues = list(_CUES.finditer(folded[prev_end:m.span[0]]))
        if cues:
            role = "plan" if cues[-1].lastgroup == "plan" else "reported"
        roles.append(role)
        prev_end = m.span[1]
    reported = [m.period for m, r in zip(matches, roles, strict=True) if r == "reported"]
    for i, m in enumerate(matches):
        if roles[i] == "reported" and any(_strictly_contains(m.period, o) for o in reported):
            roles[i] = "cumulative"
    return roles


def _strictly_contains(outer: Period, inner: Period) -> bool:
    return outer.contains(inner) and outer != inner


def _role_label(p: Period, role: str) -> str:
    if role == "plan":
        return f"{p.label} (kế hoạch)"
    if role == "cumulative" and "đầu năm" not in p.label:
        return f"lũy kế {p.label}"
    return p.label

