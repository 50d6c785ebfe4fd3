"""The unit a question asks its figure in, and the refusal when no passage states a figure in it.
Inputs are written for these tests, not taken from the question sets."""

from __future__ import annotations

import pytest
from hypothesis import given

from assistant.measures import asked_measure, states_measure
from assistant.service import AskService
from tests.textgen import any_text, vietnamese_text


@pytest.mark.parametrize(("question", "measure"), [
    ("Nhà máy điện mặt trời Lam Giang có công suất bao nhiêu MW?", "mw"),
    ("san luong dien tieu thu thang 5 la bao nhieu trieu kwh", "kwh"),
    ("Xuất khẩu năm 2024 đạt bao nhiêu triệu USD?", "usd"),
    ("Doanh thu quý II đạt bao nhiêu tỷ đồng?", "dong"),
    ("Bán lẻ 6 tháng đạt bao nhiêu % kế hoạch năm?", "plan"),
    ("ban le 6 thang dat bao nhieu phan tram so voi ke hoach", "plan"),
    ("Có bao nhiêu hộ dùng điện?", "ho"),  # a thing the reports count with the same noun
    ("Giá trị sản xuất tăng bao nhiêu %?", None),  # a change, in no particular unit
    ("Bao nhiêu tấn gạo được xuất khẩu?", "tan"),
    ("Tại hội chợ Lam Giang ký được bao nhiêu hợp đồng?", "hop dong"),
    ("lam giang co may cua hang tien loi", "cua hang"),
    ("Có bao nhiêu người tham gia tập huấn?", None),  # people are written as "học viên", "đại biểu"
])
def test_the_measure_a_question_asks(question: str, measure: str | None) -> None:
    assert asked_measure(question) == measure


@pytest.mark.parametrize(("sentence", "measure", "stated"), [
    ("Lũy kế tiết kiệm được 4.450.150 kWh, tăng 1,63%.", "kwh", True),
    ("dự án điện gió công suất dự kiến 2.000MW", "mw", True),
    ("kim ngạch nhập khẩu ước đạt 1.330 triệu USD", "usd", True),
    ("Có 08 sản phẩm tăng (Thuốc viên, Điện thương phẩm).", "kwh", False),
    ("Bán lẻ ước đạt 9.660,84 tỷ đồng, đạt 26,89% kế hoạch.", "plan", True),
    ("Tổng mức bán lẻ ước đạt 50.703 tỷ đồng, tăng 17,3%.", "plan", False),
    ("Kế hoạch năm 2024 giao 5.000 tỷ đồng.", "plan", False),  # the plan, not a share of it
    ("Kết quả: có 05 biên bản ghi nhớ và 01 hợp đồng được ký kết.", "hop dong", True),
    ("có 12 cơ sở, doanh nghiệp tham gia với hơn 30 sản phẩm", "doanh nghiep", True),
    ("hỗ trợ cho 02 đơn vị doanh nghiệp sản xuất", "doanh nghiep", True),
    ("Bách Hoá Xanh, có 19 DN, HTX trong tỉnh tham dự.", "doanh nghiep", True),  # the lexicon's abbreviation
    ("Đoàn tham gia Hội nghị kết nối giao thương tại tỉnh Bến Tre.", "hop dong", False),
    ("ký hợp đồng với 3 nhà phân phối", "hop dong", False),  # the number counts distributors
])
def test_a_sentence_states_a_figure_in_the_measure(sentence: str, measure: str, stated: bool) -> None:
    assert states_measure(sentence, measure) is stated


@given(vietnamese_text() | any_text())
def test_measure_readers_are_total(text: str) -> None:
    measure = asked_measure(text)
    assert measure is None or isinstance(measure, str)
    assert isinstance(states_measure(text, measure or "kwh"), bool)


@pytest.fixture(scope="module")
def service(txt_index) -> AskService:
    return AskService(txt_index)


@pytest.mark.parametrize("question", [
    "điện thương phẩm quý 1/2023 Trà Vinh được bao nhiêu kWh",  # listed among products that rose, no figure
    "Tổng mức bán lẻ 9 tháng 2023 Thái Bình hoàn thành bao nhiêu phần trăm kế hoạch năm?",  # no share of plan
    "Ở hội nghị kết nối giao thương tại Bến Tre quý I/2023, Trà Vinh ký được bao nhiêu hợp đồng?",  # none counted
])
def test_a_figure_in_a_unit_no_report_states_is_refused(service, question: str) -> None:
    rec = service.ask(question)
    assert rec["abstained"], rec["answer"]


@pytest.mark.parametrize(("question", "figure"), [
    ("GTSXCN tháng 3/2023 Trà Vinh bao nhiêu tỷ đồng", "2.582,06 tỷ đồng"),
    ("ban le quy 1 2023 tra vinh dat bao nhieu % ke hoach", "26,89% kế hoạch"),
])
def test_a_figure_in_the_asked_unit_is_answered(service, question: str, figure: str) -> None:
    rec = service.ask(question)
    assert not rec["abstained"] and figure in rec["answer"], rec["answer"]
