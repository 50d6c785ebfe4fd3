"""Names a question gives ("Ấn Độ", "CPI") and the refusal when no retrieved passage holds them.

Inputs are written for these tests (markets, indexes and plants the five reports do or do not name),
not taken from the question sets; the parsers are checked total with Hypothesis.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.names import absent_items, absent_names, question_names
from assistant.query import understand
from assistant.service import AskService
from ingest.lexicon import find_indicators
from tests.textgen import any_text, vietnamese_text
from vectorstore import vitext


@pytest.mark.parametrize(("question", "provinces", "names"), [
    ("Kim ngạch xuất khẩu sang Ấn Độ của Lam Giang năm 2024 là bao nhiêu?", ["Lam Giang"], ["Ấn Độ"]),
    ("Chỉ số giá tiêu dùng (CPI) tháng 5 của Lam Giang?", ["Lam Giang"], ["CPI"]),
    ("Hỏi Sở Công Thương Lam Giang cấp bao nhiêu giấy phép?", ["Lam Giang"], ["Sở Công Thương"]),
    ("Tại Hội nghị xúc tiến ở Lam Giang ký bao nhiêu hợp đồng?", ["Lam Giang"], ["Hội"]),  # "Tại" opens
    ("Lam Giang có bao nhiêu chợ Hạng I?", ["Lam Giang"], ["Hạng"]),  # a province opening the question
    ("Nhà máy nhiệt điện Sông Hậu 1 phát bao nhiêu điện?", [], ["Sông Hậu"]),
    ("Xuất khẩu quý I/2024 tăng bao nhiêu?", [], []),  # a Roman numeral names nothing
    ("Hàng mẫu D và mẫu E được cấp bao nhiêu C/O?", [], ["C/O"]),  # one-letter forms are too short
    ("Sở CT báo cáo gì? Tổng mức bán lẻ ra sao?", [], []),  # opening words, two-letter shorthand
    ("kim ngach xuat khau sang han quoc", [], []),  # typed in lower case: no names, nothing lost
])
def test_names_of_a_question(question: str, provinces: list[str], names: list[str]) -> None:
    assert question_names(question, provinces) == names


def test_a_name_is_held_as_words_with_its_diacritics() -> None:
    passages = ["Xuất khẩu hàng hóa kỳ này tăng 5%.", "Tết Nguyên đán Quý Mão 2023 hàng hóa dồi dào."]
    assert absent_names(["Hoa Kỳ", "Tết Quý Mão", "Nguyên"], passages) == ["Hoa Kỳ"]
    assert absent_names(["Nhat Ban"], ["Xuất sang Nhật Bản 287 triệu USD"]) == []  # typed without marks
    assert absent_names(["MW"], ["công suất 2.000MW"]) == []  # a unit written onto its number


def test_an_acronym_is_held_by_its_spelled_out_form() -> None:
    passages = ["Chỉ số sản xuất công nghiệp ước tháng 03 tăng 19,01%."]
    assert absent_names(["IIP", "CPI"], passages) == ["CPI"]


def test_an_indicator_no_passage_names_is_absent_by_any_of_its_names() -> None:
    asked = find_indicators("chi so gia tieu dung va doanh thu ban le thang 5")
    passages = ["Tổng mức bán lẻ hàng hóa và dịch vụ tháng 5 ước đạt 2.100 tỷ đồng."]
    assert absent_items([], asked, passages) == ["chỉ số giá tiêu dùng"]
    assert absent_items(["CPI"], asked, passages) == ["CPI"]  # one thing, listed once
    assert absent_items([], asked, [*passages, "CPI tháng 5 tăng 0,3%."]) == []
    africa = find_indicators("xuất khẩu sang châu Phi")
    assert absent_items(["Phi"], africa, passages) == ["châu Phi"]  # a word of the part's name: the part


def test_typo_correction_leaves_acronyms_alone() -> None:
    vocabulary = {w: 50 for w in vitext.tokens("chỉ số chi tiêu giá tiêu dùng tháng năm tăng bao nhiêu Lam Giang")}
    q = understand("Chỉ số giá tiêu dùng (CPI) tháng 5/2024 tăng bao nhiêu?", vocabulary)
    assert "cpi" not in q.corrections
    assert q.names == ["CPI"]


def test_typo_correction_leaves_lexicon_words_alone() -> None:
    """"dép" is in no report of a small index, but "giày dép" is a product the lexicon knows."""
    vocabulary = {w: 50 for w in vitext.tokens("kim ngạch xuất khẩu giày dáp đạt bao nhiêu tháng năm Lam Giang")}
    q = understand("kim ngach xuat khau giay dep lam giang", vocabulary)
    assert "dep" not in q.corrections and "da giày" in [i.name for i in q.indicators]


@given(any_text(), st.lists(vietnamese_text(max_pieces=3), max_size=3))
def test_question_names_is_total(text: str, provinces: list[str]) -> None:
    names = question_names(text, provinces)
    assert all(isinstance(n, str) and n for n in names)


@given(vietnamese_text(), st.lists(vietnamese_text(), max_size=4))
def test_a_name_taken_from_a_passage_is_never_absent(question: str, passages: list[str]) -> None:
    """Whatever a passage writes capitalised, a question that copies it finds it held."""
    for passage in passages:
        for name in question_names("hỏi về " + passage):
            assert absent_names([name], [passage]) == []
    absent_names(question_names(question), passages)


@pytest.fixture(scope="module")
def service(txt_index) -> AskService:
    return AskService(txt_index)


@pytest.mark.parametrize(("question", "name"), [
    ("Thái Bình xuất khẩu sang thị trường Ấn Độ được bao nhiêu trong 9 tháng năm 2023?", "Ấn Độ"),
    ("Chỉ số CPI của Thái Bình tháng 9/2023 là bao nhiêu?", "CPI"),
    ("Tháng 3/2023 Trà Vinh thu hút thêm bao nhiêu dự án FDI?", "FDI"),
    ("chi so gia tieu dung thai binh thang 9/2023 tang bao nhieu", "chỉ số giá tiêu dùng"),  # lower case
    ("kim ngach xuat khau hang cao su cua thai binh 9 thang 2023", "cao su"),  # a product of the total
    ("thai binh xuat sang campuchia bao nhieu trong 9 thang nam 2023", "Campuchia"),  # a market
])
def test_a_name_no_report_gives_is_refused_saying_so(service, question: str, name: str) -> None:
    rec = service.ask(question)
    assert rec["abstained"], rec["answer"]
    assert f"không nhắc đến «{name}»" in rec["answer"]
    assert rec["refusal_reason"] == "item_not_given"


@pytest.mark.parametrize(("question", "figure"), [
    ("Thái Bình bán sang Nhật Bản được bao nhiêu hàng hóa trong 9 tháng năm 2023?", "287 triệu USD"),
    ("xuat khau thuy san cua thai binh 9 thang 2023 dat bao nhieu", "24 triệu USD"),
    ("9 tháng 2023 Thái Bình xuất khẩu sang hong kong được bao nhiêu", "143 triệu USD"),
])
def test_a_part_of_a_total_is_answered_with_its_own_figure(service, question: str, figure: str) -> None:
    """Not refused for the name, and not only the total: the sentence giving the part's figure is quoted."""
    rec = service.ask(question)
    assert "không nhắc đến" not in rec["answer"] and rec.get("refusal_reason") != "item_not_given"
    assert not rec["abstained"] and figure in rec["answer"], rec["answer"]
    assert any(figure in c["text"] for c in rec["citations"])
