"""Parts of a total a question names (a market, a product): their own figure, or a refusal saying the
report does not give it. Inputs are written for these tests, not taken from the question sets."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.parts import change_given, gives_figure, named_in, of_another_total
from assistant.service import AskService
from ingest.lexicon import find_indicators
from tests.textgen import any_text, vietnamese_text


def _item(name: str):
    return next(i for i in find_indicators(name) if i.kind == "item")


@pytest.mark.parametrize(("sentence", "item", "given_"), [
    ("(Hàn Quốc 339 triệu USD, tăng 13,4%; Nhật Bản 287 triệu USD)", "Nhật Bản", True),
    ("Châu Á là thị trường xuất khẩu lớn nhất của tỉnh đạt 1.078 triệu USD (chiếm 53%)", "châu Á", True),
    ("gồm dệt may (1.127 triệu USD, giảm 2,88%), cao su (5 triệu USD)", "dệt may", True),
    ("các mặt hàng dệt may, thủy sản, cao su đạt 600 triệu USD", "dệt may", False),  # the group's figure
    ("cấp 20.000 C/O cho hàng sang các thị trường như: Hàn Quốc, Nhật Bản, các nước ASEAN", "ASEAN", False),
    ("Doanh nghiệp xúc tiến thương mại tại thị trường Hoa Kỳ; ký 3 hợp đồng", "Hoa Kỳ", False),  # next clause
])
def test_a_parts_figure_follows_its_name_in_its_own_clause(sentence: str, item: str, given_: bool) -> None:
    assert gives_figure(sentence, _item(item)) is given_


@pytest.mark.parametrize(("question", "context", "other"), [
    ("Nhập khẩu từ Nhật Bản năm 2024 bao nhiêu?", "Thị trường xuất khẩu: Nhật Bản 287 triệu USD", True),
    ("nhap khau tu han quoc bao nhieu", "kim ngạch xuất khẩu sang Hàn Quốc 339 triệu USD", True),
    ("Xuất khẩu sang Nhật Bản bao nhiêu?", "Thị trường xuất khẩu: Nhật Bản 287 triệu USD", False),
    ("Nhập khẩu từ Nhật Bản bao nhiêu?", "Kim ngạch xuất, nhập khẩu với Nhật Bản 90 triệu USD", False),  # both
    ("Nhật Bản mua bao nhiêu hàng?", "Thị trường xuất khẩu: Nhật Bản 287 triệu USD", False),  # no total asked
])
def test_a_figure_for_a_rival_total_is_not_the_asked_one(question: str, context: str, other: bool) -> None:
    assert of_another_total(question, [context]) is other


def test_a_part_named_earlier_in_the_paragraph_is_its_context() -> None:
    assert named_in(["Phê duyệt 11 đề án hỗ trợ ứng dụng máy móc thiết bị."], _item("máy móc thiết bị"))
    assert not named_in(["Phê duyệt 11 đề án khuyến công."], _item("máy móc thiết bị"))


@given(vietnamese_text() | any_text(), st.lists(vietnamese_text() | any_text(), max_size=3))
def test_part_readers_are_total(text: str, context: list[str]) -> None:
    item = _item("Nhật Bản")
    assert isinstance(gives_figure(text, item), bool)
    assert isinstance(change_given(text, item), bool)
    assert isinstance(of_another_total(text, context), bool)
    assert isinstance(named_in(context, item), bool)


@pytest.fixture(scope="module")
def service(txt_index) -> AskService:
    return AskService(txt_index)


@pytest.mark.parametrize(("question", "nearest"), [
    # a market the report gives for exports only, asked for imports: the export figure is shown, not given
    ("nhap khau tu nhat ban cua thai binh 9 thang 2023 dat bao nhieu", "287 triệu USD"),
    ("Thái Bình nhập hàng từ thị trường Hàn Quốc bao nhiêu trong 9 tháng năm 2023?", "339 triệu USD"),
])
def test_a_part_given_only_for_another_total_is_refused(service, question: str, nearest: str) -> None:
    rec = service.ask(question)
    assert rec["abstained"] and rec["refusal_reason"] == "item_not_given", rec["answer"]
    assert nearest in rec["answer"]


def test_a_part_named_without_a_figure_is_refused_not_answered_with_the_total(service) -> None:
    rec = service.ask("Thai Binh xuat khau sang thi truong Hoa Ky duoc bao nhieu trong 9 thang nam 2023?")
    assert rec["abstained"] and rec["refusal_reason"] == "item_not_given", rec["answer"]
    assert "2.032" not in rec["answer"].split("Gần nhất")[0]


def test_a_parts_figure_leads_the_answer(service) -> None:
    rec = service.ask("Xuất khẩu của Thái Bình sang Nhật Bản 9 tháng 2023 được bao nhiêu?")
    assert not rec["abstained"], rec["answer"]
    assert "287 triệu USD" in rec["citations"][0]["text"] and rec["answer"].index("287") < 120


@pytest.mark.parametrize(("sentence", "item", "changed"), [
    ("Châu Âu đạt 191 triệu USD (chiếm 9,4%).", "châu Âu", False),
    ("tiếp đến là Châu Mỹ đạt 577 triệu USD (chiếm 28,4%), tăng 3,4%;", "châu Mỹ", True),
    ("(Hàn Quốc 339 triệu USD, tăng 13,4%; Nhật Bản 287 triệu USD)", "Nhật Bản", False),
    ("(Hàn Quốc 339 triệu USD, tăng 13,4%; Nhật Bản 287 triệu USD)", "Hàn Quốc", True),
    ("gồm dệt may (1.127 triệu USD, giảm 2,88%), cao su (5 triệu USD)", "cao su", False),
])
def test_a_change_is_read_in_the_parts_own_clause(sentence: str, item: str, changed: bool) -> None:
    indicator = next(i for i in find_indicators(item) if i.kind == "item")
    assert change_given(sentence, indicator) is changed


def test_a_parts_change_the_report_does_not_give_is_refused_showing_the_part(service) -> None:
    rec = service.ask("Kim ngạch hàng Thái Bình bán sang thị trường EU 9 tháng năm 2023 so cùng kỳ tăng mấy %?")
    assert rec["abstained"] and rec["refusal_reason"] == "item_not_given", rec["answer"]
    assert "191 triệu USD" in rec["answer"]  # the part's figure, shown as the nearest passage


@pytest.mark.parametrize(("question", "phrase"), [
    ("Trong tổng mức bán lẻ năm 2024 của Lam Giang, riêng doanh thu dịch vụ lưu trú là bao nhiêu?",
     "doanh thu dich vu luu tru"),
    ("GTSX công nghiệp quý II, riêng phần công nghiệp khai khoáng đạt bao nhiêu?", "cong nghiep khai khoang"),
    ("Chỉ số sản xuất riêng tháng 9/2024 tăng bao nhiêu?", None),  # a period singled out, not a part
    ("Tổng mức bán lẻ quý I bao nhiêu?", None),
])
def test_a_part_singled_out_in_the_questions_own_words(question: str, phrase: str | None) -> None:
    from assistant.parts import singled_out

    found = singled_out(question)
    assert [i.name for i in found] == ([phrase] if phrase else [])


@given(vietnamese_text() | any_text())
def test_singled_out_is_total(text: str) -> None:
    from assistant.parts import singled_out

    assert all(len(i.name.split()) >= 2 for i in singled_out(text))


def test_a_name_inside_a_longer_name_is_not_the_part() -> None:
    """"bán lẻ hàng hóa" inside "tổng mức bán lẻ hàng hóa và dịch vụ ... đạt 4.680,3" is the total."""
    from ingest.lexicon import Indicator

    part = Indicator("ban le hang hoa", kind="item")
    assert not gives_figure("Tổng mức bán lẻ hàng hóa và dịch vụ ước đạt 4.680,3 tỷ đồng", part)
    assert gives_figure("Trong đó: bán lẻ hàng hóa ước đạt 3.200 tỷ đồng", part)


def test_a_part_singled_out_leads_the_answer(service) -> None:
    rec = service.ask("Thái Bình 9 tháng 2023, riêng doanh thu bán lẻ hàng hóa trong tổng mức bán lẻ là bao nhiêu?")
    assert not rec["abstained"] and "44.443" in rec["answer"].split("[1]")[0], rec["answer"]
