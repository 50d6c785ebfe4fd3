"""Questions that ask two or three things, and the answer holding each. Inputs written for these tests."""

from __future__ import annotations

import pytest
from hypothesis import given

from assistant.question_parts import question_parts
from assistant.service import AskService
from tests.textgen import any_text, vietnamese_text


@pytest.mark.parametrize(("question", "parts"), [
    ("Năm 2024 Lam Giang có bao nhiêu chợ, và cả năm xây mới bao nhiêu chợ?", 2),
    ("Tháng 5 cấp bao nhiêu giấy phép, bao nhiêu giấy phép cấp trực tuyến?", 2),
    ("Xuất khẩu tháng 6 đạt bao nhiêu? Nhập khẩu đạt bao nhiêu?", 2),
    ("Những mặt hàng nào tăng; mặt hàng nào giảm?", 2),
    ("Tổng mức bán lẻ hàng hóa và dịch vụ quý II bao nhiêu?", 1),  # "và" inside a name
    ("Nhà máy gạch, nhà máy gạo ở Lam Giang công suất bao nhiêu?", 1),  # "máy" asks nothing
    ("ban le thang 6 bn, tang bn so cung ky", 2),
    ("", 0),
])
def test_parts_of_a_question(question: str, parts: int) -> None:
    assert len(question_parts(question)) == parts


@given(vietnamese_text() | any_text())
def test_question_parts_is_total_and_keeps_the_words(text: str) -> None:
    parts = question_parts(text)
    assert all(p.strip() for p in parts)
    assert all(p in text for p in parts)  # cut, never rewritten


@pytest.fixture(scope="module")
def service(txt_index) -> AskService:
    return AskService(txt_index)


def test_each_part_of_a_two_part_question_is_answered(service) -> None:
    rec = service.ask("Năm 2019 ngành công nghiệp Trà Vinh có bao nhiêu lao động, và cả giai đoạn 2016-2020 "
                      "giảm bao nhiêu?")
    assert not rec["abstained"], rec["answer"]
    assert "54.324" in rec["answer"] and "4.470" in rec["answer"]


def test_the_next_sentence_holding_what_the_answer_lacks_joins_it(service) -> None:
    """"… tại tỉnh Bình Thuận. Kết quả: có 05 biên bản ghi nhớ …": the signing is in the next sentence."""
    rec = service.ask("Đoàn Trà Vinh đi kết nối thị trường ở Bình Thuận tháng 1/2021 ký kết được những gì?")
    assert not rec["abstained"], rec["answer"]
    assert "05 biên bản ghi nhớ" in rec["answer"] and "01 hợp đồng" in rec["answer"]


def test_the_reporting_body_is_not_what_a_next_sentence_must_add(service) -> None:
    """"Sở Công Thương" in the question is who wrote the report: no sentence joins for its words alone."""
    rec = service.ask("Sở Công Thương Trà Vinh tháng 1/2021 tiếp nhận bao nhiêu hồ sơ thủ tục hành chính?")
    assert not rec["abstained"] and "1.575 hồ sơ" in rec["answer"], rec["answer"]
    assert "Xây dựng Kế hoạch" not in rec["answer"]
