"""Counts of things ("45 cửa hàng bán lẻ xăng dầu", "12 chợ"): what is counted, in which period, as what.

The sentences are written for these tests in the reports' style; none is taken from a report or a
question set.
"""

from __future__ import annotations

import pytest

from ingest.counts import find_counts
from ingest.facts import count_period
from ingest.figures import find_figures
from ingest.lexicon import find_indicators
from ingest.periods import Period

H1 = Period.from_key("H2024-1")
PETROL = "cửa hàng xăng dầu"


def counts(text: str, default: Period | None = H1, year: int = 2024) -> list[tuple[str, str, str, float, str]]:
    """(indicator, period key, value as written, value, qualifier) of each count; each quoted verbatim."""
    found = find_counts(text, year, default)
    for f in found:
        assert text[f.span[0]:f.span[1]] == f.value_text
    return [(f.indicator, f.period_key, f.value_text, f.value, f.qualifier) for f in found]


def test_a_stock_and_its_list_of_other_things_counted() -> None:
    text = "Tính đến cuối kỳ, toàn huyện có 45 cửa hàng bán lẻ xăng dầu, 3 siêu thị, 02 TTTM và 1.012 chợ."
    assert counts(text) == [
        (PETROL, "H2024-1", "45 cửa hàng", 45.0, ""), ("siêu thị", "H2024-1", "3 siêu thị", 3.0, ""),
        ("trung tâm thương mại", "H2024-1", "02 TTTM", 2.0, ""), ("chợ", "H2024-1", "1.012 chợ", 1012.0, "")]
    assert {f.unit for f in find_counts(text, 2024, H1)} == {"cửa hàng", "siêu thị", "trung tâm thương mại", "chợ"}


def test_an_action_on_things_is_its_qualifier_not_the_stock() -> None:
    text = "- Cấp mới 2 cửa hàng⁽³⁾ xăng dầu; gia hạn giấy phép cho 15 cửa hàng. Hiện có 210 cửa hàng, 4 kho."
    assert counts(text) == [(PETROL, "H2024-1", "2 cửa hàng", 2.0, "cấp mới"),
                            (PETROL, "H2024-1", "15 cửa hàng", 15.0, "gia hạn giấy phép cho"),
                            (PETROL, "H2024-1", "210 cửa hàng", 210.0, "")]


def test_a_bare_store_is_the_kind_the_line_named_and_a_proper_name_is_no_kind() -> None:
    assert counts("Kiểm tra 9 cửa hàng trên địa bàn.") == []  # which kind of store: the line does not say
    text = "Khai trương 05 cửa hàng tiện ích; 02 Cửa hàng Co.op Food; đóng cửa 1 cửa hàng đã xuống cấp."
    assert counts(text) == [("cửa hàng tiện lợi", "H2024-1", "05 cửa hàng", 5.0, "khai trương"),
                            ("cửa hàng tiện lợi", "H2024-1", "1 cửa hàng", 1.0, "đóng cửa")]


def test_periods_written_beside_the_count_and_estimates() -> None:
    text = "Năm 2021 toàn tỉnh có 90 chợ, năm 2022 có 93 chợ, dự kiến năm 2023 có 95 chợ."
    found = find_counts(text, 2021, Period.from_key("R2021-2025"))
    assert [(f.period_key, f.value, f.qualifier, f.estimate) for f in found] == [
        ("Y2021", 90.0, "", False), ("Y2022", 93.0, "", False), ("Y2023", 95.0, "", True)]


def test_breakdowns_targets_and_unsaid_kinds_are_not_counts() -> None:
    assert [c[2] for c in counts("Toàn tỉnh có 120 chợ (05 chợ hạng I); trong đó 20 chợ ở thành thị.")] == [
        "120 chợ"]
    assert counts("Phấn đấu đến năm 2030 toàn tỉnh có 150 chợ.", Period.from_key("Y2024")) == []
    assert counts("Hội chợ có 7 siêu thị tham gia.") == []  # "có" alone: not said to be all of them


@pytest.mark.parametrize("text", [
    "Theo Quyết định số 15/2021/QĐ-UBND ngày 10/5/2021 chợ được chuyển đổi.",  # document number, date
    "Năm 2023 chợ truyền thống vẫn giữ vai trò chính.",  # a year
    "Tỷ lệ 35% chợ đạt chuẩn, 2,5 chợ mỗi xã, quý 4 siêu thị mở cửa muộn.",  # percentage, decimal, quarter
    "Doanh thu đạt 120 tỷ đồng siêu thị tăng mạnh.",  # an amount of money
    "Cửa hàng số 12 cửa hàng Petrolimex tại phường 3 chợ Long Bình.",  # a store number, a ward
])
def test_numbers_that_are_no_counts(text: str) -> None:
    assert counts(text) == []


def test_an_amount_beside_counted_things_is_not_their_figure() -> None:
    text = "Tháng 5/2024 toàn tỉnh có 12 siêu thị, doanh thu đạt 300 tỷ đồng."
    assert [f.indicator for f in find_figures(text, 2024)] == []
    assert counts(text) == [("siêu thị", "M2024-05", "12 siêu thị", 12.0, "")]
    named = "Về phát triển cơ sở, doanh nghiệp: quý I/2024 thành lập 10 doanh nghiệp, tổng vốn đăng ký 50 tỷ đồng."
    assert [(f.indicator, f.value_text) for f in find_figures(named, 2024)] == [
        ("cơ sở, doanh nghiệp", "50 tỷ đồng")]  # named as a subject, not as a count: the amount is its own


def test_a_one_syllable_name_is_matched_only_as_written() -> None:
    names = lambda text: [i.name for i in find_indicators(text)]  # noqa: E731
    assert names("Cho tôi hỏi số liệu") == [] and names("Hội chợ Xuân") == [] and names("mỗi phiên chợ") == []
    assert names("Số chợ của tỉnh") == ["chợ"] and names("so cay xang") == [PETROL]


def test_the_default_period_is_the_sections_and_none_in_a_plan() -> None:
    meta = {"periods": "M2024-03,Q2024-1,Q2024-2", "period_labels": "tháng 3/2024; quý I/2024; quý II/2024 (kế hoạch)"}
    assert count_period({**meta, "section": "II. NHIỆM VỤ CHUYÊN MÔN"}, 2024).key == "M2024-03"
    assert count_period({**meta, "section": "I. KẾT QUẢ QUÝ I/2024 > 1. Thương mại"}, 2024).key == "Q2024-1"
    assert count_period({**meta, "section": "III. PHƯƠNG HƯỚNG QUÝ II/2024"}, 2024) is None
