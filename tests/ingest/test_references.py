"""Legal document references: the citations reports write and the short forms people ask with."""

import os
import re
from pathlib import Path

import pytest

from ingest.references import Reference, ReferenceQuery, find_references, parse_reference_query

SHARED = Path(os.environ.get("BAOCAO_SHARED") or Path(__file__).resolve().parents[2].parent / "shared")
TXT = SHARED / "corpus" / "txt"


def report(stem: str) -> str:
    return next(TXT.glob(f"{stem}_*.txt")).read_text(encoding="utf-8")


def only(text: str) -> Reference:
    refs = find_references(text)
    assert len(refs) == 1, refs
    return refs[0]


CITATIONS = [
    # text, doc_type, number, date as written, ISO date, issuer, subject starts with
    ("theo Quyết định số 1215/QĐ-UBND ngày 01/7/2022 của UBND tỉnh.",
     "Quyết định", "1215/QĐ-UBND", "01/7/2022", "2022-07-01", "UBND tỉnh", None),
    ("Quyết định số 2366/QĐ-UBND ngày 09/12/2022 của UBND tỉnh Trà Vinh về việc giao chỉ tiêu kế hoạch",
     "Quyết định", "2366/QĐ-UBND", "09/12/2022", "2022-12-09", "UBND tỉnh Trà Vinh", "về việc giao chỉ tiêu"),
    ("Công văn số 245/UBND-CNXD ngày 22/01/2018 của Chủ tịch Ủy ban nhân dân tỉnh về việc tăng cường",
     "Công văn", "245/UBND-CNXD", "22/01/2018", "2018-01-22", "Chủ tịch Ủy ban nhân dân tỉnh", "về việc"),
    ("Quyết định số 30/2020/QĐ-UBND ngày 30/12/2020 ban hành Quy chế quản lý cụm công nghiệp",
     "Quyết định", "30/2020/QĐ-UBND", "30/12/2020", "2020-12-30", None, "ban hành Quy chế"),
    ("hoàn thiện theo Quyết định 4800/QĐ-BCT ngày 08/12/2016 của Bộ Công Thương, nâng dần chất lượng",
     "Quyết định", "4800/QĐ-BCT", "08/12/2016", "2016-12-08", "Bộ Công Thương", None),
    ("Nghị quyết số 39-NQ/TW, ngày 15/01/2019 của Bộ chính trị về nâng cao hiệu quả quản lý",
     "Nghị quyết", "39-NQ/TW", "15/01/2019", "2019-01-15", "Bộ chính trị", "về nâng cao"),
    ("Nghị quyết số 11/2016/NQ-HĐND của Hội đồng nhân dân tỉnh ban hành một số chính sách ưu đãi",
     "Nghị quyết", "11/2016/NQ-HĐND", None, None, "Hội đồng nhân dân tỉnh", "ban hành một số chính sách"),
    ("Nghị quyết số 30-NQ/TW, ngày 23-11-2022 của Bộ Chính trị về phát triển kinh tế - xã hội",
     "Nghị quyết", "30-NQ/TW", "23-11-2022", "2022-11-23", "Bộ Chính trị", "về phát triển"),
    ("Quyết định số 12/QĐ-UBND ngày 29 tháng 05 năm 2020 của UBND tỉnh Trà Vinh",
     "Quyết định", "12/QĐ-UBND", "29 tháng 05 năm 2020", "2020-05-29", "UBND tỉnh Trà Vinh", None),
    ("tình hình thực hiện chỉ thị số 20/CT- TTg ngày 07/5/2020 của Thủ tướng Chính phủ về tăng cường",
     "Chỉ thị", "20/CT-TTg", "07/5/2020", "2020-05-07", "Thủ tướng Chính phủ", "về tăng cường"),
    ("Văn bản số 2697/UBND-KT ngày 10/8/2023 của Ủy ban nhân dân tỉnh về việc thực hiện Nghị quyết",
     "Công văn", "2697/UBND-KT", "10/8/2023", "2023-08-10", "Ủy ban nhân dân tỉnh", "về việc thực hiện"),
    ("Chương trình hành động số 26-CTr/TU ngày 19/5/2023 của Ban Thường vụ Tỉnh ủy về tiếp tục",
     "Chương trình", "26-CTr/TU", "19/5/2023", "2023-05-19", "Ban Thường vụ Tỉnh ủy", "về tiếp tục"),
    ("Công văn số 1170/SKHĐT-THKTKG ngày 25/6/2020 của Sở Kế hoạch và Đầu tư về việc đề cương",
     "Công văn", "1170/SKHĐT-THKTKG", "25/6/2020", "2020-06-25", "Sở Kế hoạch và Đầu tư", "về việc đề cương"),
    ("Nghị quyết số 99/2019/QH14 của Quốc hội về tiếp tục hoàn thiện",
     "Nghị quyết", "99/2019/QH14", None, None, "Quốc hội", "về tiếp tục"),
]


@pytest.mark.parametrize("text, doc_type, number, raw_date, iso, issuer, subject", CITATIONS)
def test_citation_fields(text, doc_type, number, raw_date, iso, issuer, subject):
    ref = find_references(text)[0]
    assert (ref.doc_type, ref.number, ref.date, ref.date_iso, ref.issuer) == (
        doc_type, number, raw_date, iso, issuer)
    if subject is None:
        assert ref.subject is None
    else:
        assert ref.subject and ref.subject.startswith(subject)
    cited = text[ref.span[0] : ref.span[1]]
    assert number.replace(" ", "") in cited.replace(" ", "") and (issuer is None or cited.endswith(issuer))


def test_nested_citations_are_all_found():
    text = ("Kế hoạch số 126-KH/TU ngày 03/5/2019 của Ban Thường vụ Tỉnh ủy thực hiện Nghị quyết "
            "số 39-NQ/TW, ngày 15/01/2019 của Bộ chính trị về nâng cao hiệu quả")
    plan, resolution = find_references(text)
    assert (plan.number, plan.issuer, resolution.number) == ("126-KH/TU", "Ban Thường vụ Tỉnh ủy", "39-NQ/TW")
    assert plan.subject.startswith("thực hiện Nghị quyết số 39-NQ/TW")
    assert (plan.stem, resolution.stem) == ("126", "39")


def test_two_citations_joined_by_and_keep_their_own_issuers():
    text = ("Nghị quyết số 01/NQ-CP ngày 06/01/2023 của Chính phủ và Quyết định số 95/QĐ-UBND "
            "ngày 19/01/2023 của UBND tỉnh")
    first, second = find_references(text)
    assert (first.issuer, second.issuer) == ("Chính phủ", "UBND tỉnh")
    assert first.stem == "1"


def test_a_comma_continues_the_sentence_not_the_subject():
    ref = only("Nghị quyết số 11/2016/NQ-HĐND ngày 08/12/2016 của HĐND tỉnh, thực hiện đầu tư mở rộng")
    assert ref.issuer == "HĐND tỉnh" and ref.subject is None
    ref = find_references("Quyết định số 402/QĐ-UBND ngày 09/03/2020, bãi bỏ quyết định số 1524/QĐ-UBND")[0]
    assert ref.subject.startswith("bãi bỏ quyết định")


@pytest.mark.parametrize(
    "text",
    [
        "Xây dựng kế hoạch 05 năm (2021-2025) của ngành",
        "đạt 27,04% so kế hoạch, tăng 56,52% so cùng kỳ",
        "Báo cáo tình hình sản xuất công nghiệp tháng 3 năm 2023",
        "quy định của pháp luật về an toàn thực phẩm",
    ],
)
def test_no_reference_where_there_is_none(text):
    assert find_references(text) == []


def test_laws_are_cited_by_name():
    refs = find_references("Thực hiện Luật Phòng, chống tham nhũng và các văn bản; Luật Khiếu nại, Luật PCTN")
    assert [r.title for r in refs] == ["Luật Phòng, chống tham nhũng", "Luật Khiếu nại", "Luật PCTN"]
    assert all(r.doc_type == "Luật" and r.number is None for r in refs)


@pytest.mark.parametrize(
    "stem, number, date_iso, issuer",
    [
        ("000", "2366/QĐ-UBND", "2022-12-09", "UBND tỉnh Trà Vinh"),
        ("000", "1215/QĐ-UBND", "2022-07-01", "UBND tỉnh"),
        ("000", "139/QĐ-UBND", "2023-02-13", None),
        ("001", "126-KH/TU", "2019-05-03", "Ban Thường vụ Tỉnh ủy"),
        ("001", "39-NQ/TW", "2019-01-15", "Bộ chính trị"),
        ("001", "245/UBND-CNXD", "2018-01-22", "Chủ tịch Ủy ban nhân dân tỉnh"),
        ("002", "4800/QĐ-BCT", "2016-12-08", "Bộ Công Thương"),
        ("003", "1804/QĐ-TTg", "2020-11-13", "Thủ tướng Chính phủ"),
    ],
)
def test_real_reports(stem, number, date_iso, issuer):
    refs = [r for r in find_references(report(stem)) if r.number == number]
    assert refs, f"{number} not found in {stem}"
    assert (refs[0].date_iso, refs[0].issuer) == (date_iso, issuer)


def test_every_cited_number_in_the_corpus_is_read():
    """Each "số N/..." document number written in the reports comes out of find_references."""
    cited = re.compile(r"(?:Quyết định|Nghị quyết|Kế hoạch|Chỉ thị|Công văn) số (\d+[/-][\w/-]*\w)")
    for path in sorted(TXT.glob("00[0-3]_*.txt")):  # 004 is hard-wrapped PDF text (loaders re-join it)
        text = path.read_text(encoding="utf-8")
        found = {r.number for r in find_references(text)}
        written = set(cited.findall(text))
        assert written <= found, (path.name, written - found)


QUESTIONS = [
    ("QĐ 2366", [("Quyết định", "2366", None)]),
    ("quyet dinh 2366 giao chi tieu gi", [("Quyết định", "2366", None)]),
    ("Quyết định số 2366/QĐ-UBND về việc gì?", [("Quyết định", "2366", "2366/QĐ-UBND")]),
    ("NQ 39 của Bộ Chính trị", [("Nghị quyết", "39", None)]),
    ("nghi quyet so 11/2016/NQ-HDND", [("Nghị quyết", "11", "11/2016/NQ-HDND")]),
    ("Kế hoạch 126-KH/TU ngày 03/5/2019 thực hiện nghị quyết nào?", [("Kế hoạch", "126", "126-KH/TU")]),
    ("thay Công văn 245/UBND-CNXD", [("Công văn", "245", "245/UBND-CNXD")]),
    ("theo 1804/QĐ-TTg", [("Quyết định", "1804", "1804/QĐ-TTg")]),
    ("được giao theo quyết định nào?", []),
    ("kế hoạch 5 năm 2016-2020", []),
    ("đạt bao nhiêu % kế hoạch năm 2023", []),
    ("báo cáo 2016-2020", []),
]


@pytest.mark.parametrize("question, expected", QUESTIONS)
def test_parse_reference_query(question, expected):
    assert [(r.doc_type, r.stem, r.number) for r in parse_reference_query(question)] == expected


def test_query_matches_the_citation():
    ref = only("Quyết định số 2366/QĐ-UBND ngày 09/12/2022 của UBND tỉnh Trà Vinh")
    assert ReferenceQuery("Quyết định", "2366").matches(ref)
    assert parse_reference_query("quyet dinh so 2366/qd-ubnd")[0].matches(ref)
    assert not ReferenceQuery("Nghị quyết", "2366").matches(ref)
    assert not ReferenceQuery("Quyết định", "236").matches(ref)
    assert ref.label == "Quyết định số 2366/QĐ-UBND ngày 09/12/2022"
