"""Period and date parsing: every common spelling, with and without diacritics; dates are not periods."""

from datetime import date

import pytest

from ingest.periods import Period, find_periods, fold_same_length, parse_dates, parse_periods

SPELLINGS = [
    # text, default_year, key, start, end
    ("tháng 3/2023", None, "M2023-03", date(2023, 3, 1), date(2023, 3, 31)),
    ("tháng 03/2023", None, "M2023-03", date(2023, 3, 1), date(2023, 3, 31)),
    ("tháng 03 năm 2023", None, "M2023-03", date(2023, 3, 1), date(2023, 3, 31)),
    ("THÁNG 3 NĂM 2023", None, "M2023-03", date(2023, 3, 1), date(2023, 3, 31)),
    ("thang 3/2023", None, "M2023-03", date(2023, 3, 1), date(2023, 3, 31)),
    ("T3/2023", None, "M2023-03", date(2023, 3, 1), date(2023, 3, 31)),
    ("tháng 3", 2023, "M2023-03", date(2023, 3, 1), date(2023, 3, 31)),
    ("tháng 02/2024", None, "M2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ("quý I/2023", None, "Q2023-1", date(2023, 1, 1), date(2023, 3, 31)),
    ("quy 1 nam 2023", None, "Q2023-1", date(2023, 1, 1), date(2023, 3, 31)),
    ("Q1/2023", None, "Q2023-1", date(2023, 1, 1), date(2023, 3, 31)),
    ("QUÍ II/2023", None, "Q2023-2", date(2023, 4, 1), date(2023, 6, 30)),
    ("quý IV/2020", None, "Q2020-4", date(2020, 10, 1), date(2020, 12, 31)),
    ("6 tháng đầu năm 2020", None, "H2020-1", date(2020, 1, 1), date(2020, 6, 30)),
    ("06 thang dau nam 2020", None, "H2020-1", date(2020, 1, 1), date(2020, 6, 30)),
    ("6 tháng cuối năm 2020", None, "H2020-2", date(2020, 7, 1), date(2020, 12, 31)),
    ("5 tháng đầu năm", 2020, "YTD2020-05", date(2020, 1, 1), date(2020, 5, 31)),
    ("9 tháng 2023", None, "YTD2023-09", date(2023, 1, 1), date(2023, 9, 30)),
    ("9 tháng đầu năm 2023", None, "YTD2023-09", date(2023, 1, 1), date(2023, 9, 30)),
    ("tính chung 9 tháng", 2023, "YTD2023-09", date(2023, 1, 1), date(2023, 9, 30)),
    ("3 tháng cuối năm 2023", None, "Q2023-4", date(2023, 10, 1), date(2023, 12, 31)),
    ("năm 2021", None, "Y2021", date(2021, 1, 1), date(2021, 12, 31)),
    ("giai đoạn 2016-2020", None, "R2016-2020", date(2016, 1, 1), date(2020, 12, 31)),
    ("giai doan 2016 - 2020", None, "R2016-2020", date(2016, 1, 1), date(2020, 12, 31)),
    ("05 năm (2016-2020)", None, "R2016-2020", date(2016, 1, 1), date(2020, 12, 31)),
    ("2021-2025", None, "R2021-2025", date(2021, 1, 1), date(2025, 12, 31)),
    ("thời kỳ 2021-2030", None, "R2021-2030", date(2021, 1, 1), date(2030, 12, 31)),
    ("lũy kế quý I", 2023, "Q2023-1", date(2023, 1, 1), date(2023, 3, 31)),
]


@pytest.mark.parametrize(("text", "year", "key", "start", "end"), SPELLINGS)
def test_spellings_give_one_period(text: str, year: int | None, key: str, start: date, end: date) -> None:
    periods = parse_periods(text, default_year=year)
    assert [p.key for p in periods] == [key]
    assert (periods[0].start, periods[0].end) == (start, end)
    assert Period.from_key(key) == periods[0]


def test_month_with_or_without_leading_zero_and_diacritics_is_the_same_period() -> None:
    assert parse_periods("tháng 3", 2023) == parse_periods("tháng 03", 2023) == parse_periods("thang 03/2023")


def test_period_without_year_needs_a_year() -> None:
    assert parse_periods("tháng 3") == []
    assert parse_periods("quý I") == []


def test_cumulative_expressions_are_flagged() -> None:
    assert parse_periods("lũy kế quý I/2023")[0].cumulative
    assert parse_periods("tính chung 9 tháng đầu năm 2023")[0].cumulative
    assert not parse_periods("quý II/2023")[0].cumulative


@pytest.mark.parametrize("text", ["đạt 99,6% kế hoạch", "2.582,06 tỷ đồng", "ngày 29/5/2020",
                                  "ngày 29 tháng 05 năm 2020", "Trà Vinh, ngày tháng 3 năm 2023",
                                  "Quyết định số 2366/QĐ-UBND ngày 09/12/2022", "Thương hiệu Việt Nam 2023",
                                  "thăng 3 bậc", "quy định số 12"])
def test_numbers_and_dates_are_not_periods(text: str) -> None:
    assert parse_periods(text, default_year=2023) == []


def test_dates_with_day_and_month_precision() -> None:
    assert parse_dates("Quyết định số 2366/QĐ-UBND ngày 09/12/2022") == [(date(2022, 12, 9), "day")]
    assert parse_dates("Trà Vinh, ngày 29 tháng 05 năm 2020") == [(date(2020, 5, 29), "day")]
    assert parse_dates("Tra Vinh, ngay 29/5/2020") == [(date(2020, 5, 29), "day")]
    assert parse_dates("Trà Vinh, ngày      tháng 3 năm 2023") == [(date(2023, 3, 1), "month")]


def test_a_yearless_period_takes_the_year_of_the_next_one_it_is_joined_to() -> None:
    text = "tháng 9 và 9 tháng đầu năm 2023; phương hướng 3 tháng cuối năm 2023"
    keys = [p.key for p in parse_periods(text)]
    assert keys == ["M2023-09", "YTD2023-09", "Q2023-4"]
    assert [p.key for p in parse_periods("tháng 12 và tháng 1/2021")] == ["M2020-12", "M2021-01"]


def test_find_periods_gives_spans_in_the_text() -> None:
    text = "Giá trị sản xuất tháng 03/2023 đạt 2.582,06 tỷ đồng"
    (match,) = find_periods(text)
    assert text[match.span[0]:match.span[1]] == "tháng 03/2023"
    assert match.explicit_year


def test_overlaps_and_contains() -> None:
    march, q1, q2 = Period.from_key("M2023-03"), Period.from_key("Q2023-1"), Period.from_key("Q2023-2")
    assert q1.contains(march) and not march.contains(q1)
    assert q1.overlaps(march) and not q1.overlaps(q2)
    assert Period.from_key("R2016-2020").contains(Period.from_key("Y2018"))
    assert Period.from_key("R2016-2020").type == "five_year"
    assert Period.from_key("R2021-2030").type == "multi_year"


def test_keys_round_trip() -> None:
    for key in ["M2023-03", "Q2023-1", "H2020-2", "YTD2023-09", "Y2021", "R2016-2020", "MR2020-08..12"]:
        assert Period.from_key(key).key == key
    with pytest.raises(ValueError):
        Period.from_key("tháng 3")


def test_fold_keeps_offsets() -> None:
    text = "Quý I/2023 tăng 19,01%"
    assert fold_same_length(text) == "quy i/2023 tang 19,01%"
    assert len(fold_same_length("Lũy kế")) == len("Lũy kế")


def test_spans_of_months() -> None:
    assert [p.key for p in parse_periods("từ tháng 1 đến tháng 5/2020")] == ["YTD2020-05"]
    assert [p.key for p in parse_periods("tháng 8-12/2020")] == ["MR2020-08..12"]
    assert [p.key for p in parse_periods("tháng 3-2023")] == ["M2023-03"]
