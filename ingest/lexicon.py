"""The domain lexicon: indicators, programmes, bodies and document types with their other names.

Users ask with other words than the reports use ("doanh thu bán lẻ" for "tổng
mức bán lẻ hàng hóa và dịch vụ", "IIP", "QĐ 2366"), so a query is expanded with
the names the reports write. One table, data only: each row is a canonical
name (the spelling reports use most), its aliases (other full forms, and
abbreviations reports also write in running text: "IIP", "UBND", "OCOP") and
abbreviations seen only in questions or tables ("QĐ", "KH", "XK"). A query is
expanded towards the name only: an alias or abbreviation brings in the name, the
name brings in nothing (reports already write it; adding every alias diluted the
query on the corpus). Matching is on folded text, so it works for questions typed
without diacritics; no abbreviation here is a Vietnamese syllable once folded
("TU" for Tỉnh ủy or "ĐA" for Đề án are left out: "tu", "da" are words). A name that is one such
syllable ("chợ", folded "cho": "for") is written "=chợ" and matched only as written, with its tone marks,
and not as the end of a longer word ("hội chợ", "phiên chợ" are fairs).

Things reports count ("327 cửa hàng", "115 chợ") name what they count after the number: those rows
say so in a last column, the noun the count is written with ("cửa hàng" for "cửa hàng xăng dầu"), and
are read by `ingest.counts`, not as amounts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from vectorstore import vitext
from vectorstore.vitext import fold


@dataclass(frozen=True)
class Indicator:
    """A named concept of the reports: `name` as reports write it, other names in `aliases`."""

    name: str
    aliases: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    kind: str = "indicator"  # indicator | topic | body | doc_type
    counted_as: str = ""  # the noun a count of it is written with: "cửa hàng" ("327 cửa hàng"); "" for amounts
    exact: bool = False  # matched only as written (a one-syllable name that folds to a common word)

    @property
    def terms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases, *self.abbreviations)


# "item" rows are parts of a total a report may give a figure of (a product, a market): a question naming
# one that no passage names is about something the reports do not give (assistant/names.py).
# kind | name | aliases ";"-separated | abbreviations ";"-separated [| counted as]; an indented line
# continues a row; "=" before a name: match it only as written.
_TABLE = """
indicator | tổng mức bán lẻ hàng hóa và dịch vụ | tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng;
    tổng mức bán lẻ hàng hóa và dịch vụ tiêu dùng; tổng mức bán lẻ; doanh thu bán lẻ; doanh số bán lẻ |
indicator | chỉ số sản xuất công nghiệp | chỉ số sản xuất toàn ngành công nghiệp;
    chỉ số phát triển công nghiệp; IIP |
indicator | giá trị sản xuất công nghiệp | giá trị sản xuất ngành công nghiệp | GTSXCN; GTSX công nghiệp
indicator | chỉ số giá tiêu dùng | | CPI
indicator | điện thương phẩm | sản lượng điện thương phẩm |
indicator | hộ sử dụng điện | tỷ lệ hộ sử dụng điện; số hộ sử dụng điện; hộ dân sử dụng điện; hộ có điện;
    hộ dân có điện |
indicator | chỉ số năng lực cạnh tranh cấp tỉnh | năng lực cạnh tranh cấp tỉnh | PCI
indicator | vốn đầu tư trực tiếp nước ngoài | đầu tư trực tiếp nước ngoài; vốn FDI; dự án FDI | FDI
indicator | kim ngạch xuất khẩu | kim ngạch xuất khẩu hàng hóa; giá trị xuất khẩu; bán ra nước ngoài;
    bán sang nước ngoài | XK; KNXK
indicator | kim ngạch nhập khẩu | kim ngạch nhập khẩu hàng hóa; giá trị nhập khẩu; mua từ nước ngoài;
    mua của nước ngoài | NK; KNNK
indicator | xuất nhập khẩu | kim ngạch xuất nhập khẩu | XNK
indicator | lưu trú, ăn uống | dịch vụ lưu trú, ăn uống; doanh thu lưu trú, ăn uống; lưu trú và ăn uống |
indicator | du lịch lữ hành | lữ hành; dịch vụ lữ hành |
indicator | tổng sản phẩm trên địa bàn | GRDP |
indicator | ngân sách nhà nước | NSNN |
indicator | đường dây trung thế | lưới điện trung thế; lưới trung thế; đường dây trung áp |
indicator | đường dây hạ thế | lưới điện hạ thế; lưới hạ thế; đường dây hạ áp |
indicator | cửa hàng xăng dầu | cửa hàng bán lẻ xăng dầu; cây xăng; trạm xăng | | cửa hàng
indicator | cửa hàng tiện lợi | cửa hàng tiện ích | | cửa hàng
indicator | siêu thị | | | siêu thị
indicator | trung tâm thương mại | TTTM | | trung tâm thương mại
indicator | =chợ | | | chợ
indicator | cơ sở, doanh nghiệp | cơ sở sản xuất kinh doanh; cơ sở công nghiệp, thương mại; cơ sở/DN;
    cơ sở/doanh nghiệp | | cơ sở, doanh nghiệp
topic | thương mại điện tử | TMĐT |
topic | cụm công nghiệp | CCN |
topic | khu công nghiệp | KCN |
topic | khu kinh tế | KKT |
topic | an toàn thực phẩm | vệ sinh an toàn thực phẩm; ATTP; VSATTP |
topic | nông thôn mới | xây dựng nông thôn mới; NTM |
topic | OCOP | mỗi xã một sản phẩm; sản phẩm OCOP |
topic | thủ tục hành chính | TTHC |
topic | cải cách hành chính | CCHC |
topic | xúc tiến thương mại | XTTM |
topic | công nghiệp nông thôn | CNNT |
topic | sản phẩm công nghiệp nông thôn tiêu biểu | CNNTTB; SPCNNTTB |
topic | khuyến công | chương trình khuyến công; đề án khuyến công; kinh phí khuyến công |
topic | hợp tác xã | HTX |
topic | kinh tế tập thể | KTTT |
topic | doanh nghiệp | | DN
topic | doanh nghiệp tư nhân | DNTN |
topic | hộ kinh doanh | HKD |
topic | công nghiệp hỗ trợ | CNHT |
topic | tiểu thủ công nghiệp | TTCN |
topic | năng lượng tái tạo | NLTT |
topic | sử dụng năng lượng tiết kiệm và hiệu quả | tiết kiệm năng lượng;
    sử dụng năng lượng tiết kiệm, hiệu quả | SDNLTK&HQ; TKNL
topic | tiết kiệm điện | |
topic | nhà máy điện gió | dự án điện gió; điện gió | NMĐG
topic | điện mặt trời | điện năng lượng mặt trời | ĐMT
topic | quản lý thị trường | QLTT |
topic | bình ổn thị trường | bình ổn giá; chương trình bình ổn |
topic | công nghệ thông tin | CNTT |
topic | dịch vụ công trực tuyến | DVCTT |
topic | phòng cháy chữa cháy | PCCC |
topic | sản xuất sạch hơn | SXSH |
topic | vật liệu nổ công nghiệp | VLNCN |
topic | kinh tế - xã hội | kinh tế xã hội; KT-XH |
topic | tiêu chí số 4 về điện | tiêu chí 4; tiêu chí điện; điện nông thôn |
topic | tiêu chí số 7 về cơ sở hạ tầng thương mại nông thôn | tiêu chí 7;
    cơ sở hạ tầng thương mại nông thôn; tiêu chí chợ |
topic | người lao động | NLĐ |
topic | cán bộ, công chức, viên chức | CBCCVC; CCVC |
item | dệt may | hàng dệt may; may mặc; hàng may mặc |
item | thủy sản | hàng thủy sản |
item | da giày | giày dép; túi xách |
item | gỗ và sản phẩm gỗ | sản phẩm gỗ; đồ gỗ |
item | điện tử | linh kiện điện tử; máy tính; điện thoại |
item | máy móc thiết bị | máy móc, thiết bị |
item | sắt thép | sắt, thép |
item | phân bón | |
item | hóa chất | |
item | nông sản | |
item | =gạo | |
item | cà phê | |
item | hạt điều | |
item | cao su | |
item | rau quả | |
item | xơ sợi | hàng sợi; sợi các loại |
item | thủ công mỹ nghệ | mây tre đan |
item | dược phẩm | |
item | xi măng | |
item | Hoa Kỳ | |
item | Nhật Bản | |
item | Hàn Quốc | |
item | Trung Quốc | |
item | Đài Loan | |
item | Hồng Kông | Hongkong |
item | Ấn Độ | |
item | Thái Lan | |
item | Campuchia | |
item | =Lào | |
item | Singapore | |
item | Malaysia | |
item | Indonesia | |
item | Liên bang Nga | |
item | Australia | |
item | châu Âu | Liên minh châu Âu; EU |
item | châu Á | |
item | châu Mỹ | |
item | châu Phi | |
item | ASEAN | Đông Nam Á |
body | ủy ban nhân dân | UBND |
body | hội đồng nhân dân | HĐND |
body | Bộ Công Thương | BCT |
body | Sở Công Thương | SCT |
body | Thủ tướng Chính phủ | | TTg
body | Chính phủ | | CP
body | Trung ương | | TW
body | Ban Thường vụ Tỉnh ủy | | BTV Tỉnh ủy; BTVTU
body | Sở Kế hoạch và Đầu tư | Sở KHĐT; KHĐT | KH&ĐT
body | Sở Nông nghiệp và Phát triển nông thôn | NN&PTNT | NN và PTNT; NNPTNT
body | Ban quản lý | BQL |
doc_type | quyết định | | QĐ
doc_type | nghị quyết | | NQ
doc_type | nghị định | | NĐ
doc_type | kế hoạch | | KH
doc_type | thông tư | | TT
doc_type | chỉ thị | | CT
doc_type | công văn | văn bản | CV
doc_type | kết luận | | KL
doc_type | thông báo | | TB
doc_type | báo cáo | | BC
doc_type | chương trình | | CTr
"""


def _parse(table: str) -> tuple[Indicator, ...]:
    rows = []
    lines: list[str] = []
    for line in table.strip().splitlines():
        if line.startswith(" ") and lines:
            lines[-1] += " " + line.strip()
        else:
            lines.append(line)
    for line in lines:
        kind, name, aliases, abbreviations, counted = ([p.strip() for p in line.split("|")] + [""])[:5]
        split = lambda s: tuple(t.strip() for t in s.split(";") if t.strip())  # noqa: E731
        exact = name.startswith("=")
        rows.append(Indicator(name.lstrip("="), split(aliases), split(abbreviations), kind, counted, exact))
    return tuple(rows)


INDICATORS: tuple[Indicator, ...] = _parse(_TABLE)


def match_key(text: str) -> str:
    """Folded, punctuation-free form used for matching ("KT-XH" -> "kt xh", "NN&PTNT" -> "nn ptnt")."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())


@lru_cache(maxsize=1)
def _matcher() -> tuple[re.Pattern[str], dict[str, tuple[Indicator, bool]]]:
    """One regex over every term (longest first) and term key -> (indicator, is_abbreviation)."""
    lookup: dict[str, tuple[Indicator, bool]] = {}
    for ind in INDICATORS:
        if ind.exact:
            continue
        for term in (ind.name, *ind.aliases):
            lookup.setdefault(match_key(term), (ind, False))
        for term in ind.abbreviations:
            lookup.setdefault(match_key(term), (ind, True))
    alternation = "|".join(re.escape(k) for k in sorted(lookup, key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9])(?:{alternation})(?![a-z0-9])"), lookup


@lru_cache(maxsize=1)
def _exact_matcher() -> tuple[re.Pattern[str] | None, dict[str, Indicator]]:
    """The names matched only as written: lower case with tone marks, a word of its own, not after
    another syllable of the same word group ("hội chợ", "phiên chợ": fairs)."""
    lookup = {vitext.normalise(t).lower(): ind for ind in INDICATORS if ind.exact for t in (ind.name, *ind.aliases)}
    if not lookup:
        return None, lookup
    alternation = "|".join(re.escape(k) for k in sorted(lookup, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?<!hội )(?<!phiên )(?:{alternation})(?!\w)"), lookup


def _matches(text: str) -> list[tuple[Indicator, bool]]:
    pattern, lookup = _matcher()
    found = [lookup[m.group(0)] for m in pattern.finditer(match_key(text))]
    exact, names = _exact_matcher()
    if exact is not None:
        found += [(names[m.group(0)], False) for m in exact.finditer(vitext.normalise(text).lower())]
    return found


def find_indicators(text: str) -> list[Indicator]:
    """The lexicon entries a text names (any spelling, with or without diacritics), first mention first."""
    seen: dict[str, Indicator] = {}
    for ind, _ in _matches(text):
        seen.setdefault(ind.name, ind)
    return list(seen.values())


RIVAL_SHARED = 2  # syllables two names must share to be rivals ("kim ngạch ... khẩu")


@cache
def rival_words() -> tuple[tuple[frozenset[str], frozenset[str], frozenset[str]], ...]:
    """(the syllables setting one name apart, those setting its rival apart, those they share) for each
    pair of indicator names sharing at least two syllables ("nhập" / "xuất" / "kim ngạch khẩu"): what a
    text about the one is most easily mistaken for."""
    names = [frozenset(match_key(i.name).split()) for i in INDICATORS if i.kind == "indicator"]
    out = []
    for own in names:
        for theirs in names:
            if own != theirs and len(own & theirs) >= RIVAL_SHARED and own - theirs and theirs - own:
                out.append((own - theirs, theirs - own, own & theirs))
    return tuple(out)


def expand_query(text: str) -> list[str]:
    """The report's own name for what the text calls otherwise ("doanh thu ban le" -> "tổng mức bán lẻ
    hàng hóa và dịch vụ"), to add to a search query. One name per concept and only when the text lacks
    it: on the corpus, adding every alias diluted the query and lowered the evidence rank."""
    key = f" {match_key(text)} "
    extra: dict[str, None] = {}
    for ind, _ in _matches(text):
        if f" {match_key(ind.name)} " not in key:
            extra.setdefault(ind.name, None)
    return list(extra)
