"""Meeting shorthand and period spellings a question may use, and periods that are not the asked one.

Inputs written from the failure patterns of issue 15 (not copied from any question set).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.period_roles import Role, role
from assistant.query import understand
from assistant.shorthand import expand, initials
from ingest.periods import find_periods

KNOWN = ("Thái Bình", "Trà Vinh", "Lam Giang")


@pytest.mark.parametrize(("question", "period_key"), [
    ("NK 6T/2022 đạt bn", "H2022-1"),
    ("bán lẻ 11T-2021 so CK", "YTD2021-11"),
    ("sản lượng điện Q2/22", "Q2022-2"),
    ("sản lượng điện quý 4/21 tăng bao nhiêu", "Q2021-4"),
    ("GTSX CN T7/22 bn", "M2022-07"),
    ("doanh thu tháng cuối cùng của năm 2022", "M2022-12"),
    ("doanh thu tháng cuối năm 2021 ra sao", "M2021-12"),
    ("nhiệm vụ 6 tháng cuối năm 2021 là gì", "H2021-2"),  # the last six months, not December
    ("3 thang cuoi nam 2022 xuat khau", "Q2022-4"),
    ("ba tháng cuối năm 2024 bán lẻ", "Q2024-4"),
    ("xuất khẩu tháng đầu tiên trong năm 2024 đạt bao nhiêu", "M2024-01"),
    ("hai quý đầu năm 2022 nhập khẩu bao nhiêu", "H2022-1"),
    ("xuat khau 3 quy dau nam 2021 bao nhieu", "YTD2021-09"),
    ("nửa đầu năm 2022 bán lẻ ra sao", "H2022-1"),
    ("cộng dồn bốn tháng năm 2024 bán lẻ", "YTD2024-04"),
    ("KNNK Lam Giang 2022?", "Y2022"),
    ("ban le tra vinh 2021 bn", "Y2021"),
])
def test_period_shorthand_is_read_as_the_asked_period(question: str, period_key: str) -> None:
    q = understand(question, None, KNOWN)
    assert [p.key for p in q.periods] == [period_key]


@pytest.mark.parametrize(("question", "expected"), [
    ("XK TV T2/2022 bn?", "xuat khau tra vinh thang 2/2022 bao nhieu?"),  # typed without diacritics
    ("TMBL HH&DV LG 6T/2024 đạt", "tổng mức bán lẻ hàng hóa và dịch vụ Lam Giang 6 tháng năm 2024 đạt"),
    ("KNNK TB tăng so CK", "kim ngạch nhập khẩu Thái Bình tăng so cùng kỳ"),
])
def test_shorthand_is_spelled_out(question: str, expected: str) -> None:
    assert expand(question, KNOWN) == expected


def test_initials_stand_for_a_province_only_when_unambiguous() -> None:
    assert initials("Bà Rịa - Vũng Tàu") == "BRVT"
    assert "Thái Bình" in expand("XK TB quý 2", ["Thái Bình", "Trà Vinh"])
    assert expand("XK TB quý 2", ["Thái Bình", "Tân Biên"]).startswith("xuất khẩu TB")  # two "TB": kept


def test_a_province_known_only_from_the_index_is_recognised() -> None:
    assert understand("ban le lam giang quy 2 nam 2024", None, KNOWN).provinces == ["Lam Giang"]
    assert understand("bán lẻ quý 2 năm 2024", None, KNOWN).provinces == []


@pytest.mark.parametrize(("question", "asked"), [
    ("Tháng 5/2022 sản lượng tăng bao nhiêu so với tháng 4/2022?", ["M2022-05"]),
    ("Quý II/2024 bán lẻ so với quý II/2023 tăng bao nhiêu?", ["Q2024-2"]),
    ("Theo Quyết định số 118/QĐ-UBND năm 2019, nhiệm vụ tháng 6/2021 là gì?", ["M2021-06"]),
    ("Quyết định 55/QĐ-UBND năm 2018 giao nhiệm vụ gì?", []),
    ("so với tháng 4/2022 thì sao?", ["M2022-04"]),
    ("Quyết định 2210/QĐ-UBND giao chỉ tiêu gì?", []),  # a document number is not a year
    ("Giai đoạn 2016-2020 bán lẻ tăng bình quân bao nhiêu?", ["R2016-2020"]),
    ("Giai đoạn 2016 - 2020 bán lẻ tăng bình quân bao nhiêu?", ["R2016-2020"]),
    ("Nghị quyết 11/2016/NQ-HĐND hỗ trợ bao nhiêu chợ?", []),
    ("Dịp Tết Giáp Thìn 2024 ở Lam Giang bán lẻ bao nhiêu?", []),  # a bare year inside: part of a name
    # asked to compare: each side is asked
    ("So sánh xuất khẩu Lam Giang quý I/2024 với quý I/2023", ["Q2024-1", "Q2023-1"]),
    ("Bán lẻ tháng 6/2024 chênh lệch bao nhiêu so với tháng 6/2023?", ["M2024-06", "M2023-06"]),
    ("so sanh gia tri san xuat nam 2022 va nam 2023", ["Y2022", "Y2023"]),
])
def test_comparison_bases_and_document_dates_are_not_asked(question: str, asked: list[str]) -> None:
    assert [p.key for p in understand(question, None, KNOWN).periods] == asked


@pytest.mark.parametrize(("text", "roles"), [
    ("Doanh thu tháng 5/2022 tăng 3% so với tháng 4/2022.", [Role.SUBJECT, Role.BASE]),
    ("Tỷ lệ tăng từ 21,5% năm 2018 lên 30% năm 2022.", [Role.BASE, Role.SUBJECT]),
    ("Thực hiện Kế hoạch số 77/KH-UBND năm 2021 của UBND tỉnh trong quý I/2022.", [Role.DOCUMENT, Role.SUBJECT]),
])
def test_roles_of_periods_in_report_sentences(text: str, roles: list[Role]) -> None:
    assert [role(text, m) for m in find_periods(text)] == roles


@given(st.text(max_size=300), st.lists(st.text(max_size=20), max_size=4))
def test_expand_is_total(text: str, provinces: list[str]) -> None:
    assert isinstance(expand(text, provinces), str)


_WORDS = st.sampled_from(["tháng", "quý", "năm", "T3/23", "9T/2023", "Q1/23", "so với", "từ", "lên", "số",
                          "12/QĐ-UBND", "2023", "1,5", "đầu tiên", "cuối cùng", "của", "CK", "bn", "3 quý đầu"])


@given(st.lists(_WORDS | st.text(max_size=8), max_size=30).map(" ".join))
def test_understanding_with_shorthand_is_total(text: str) -> None:
    q = understand(text, None, KNOWN)
    assert all(p.start <= p.end for p in q.periods)
