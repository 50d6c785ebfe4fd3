"""Figure mentions: Vietnamese number notation, and indicator/period/value read from real report lines."""

import pytest

from ingest.figures import find_figures, parse_multiple, parse_number


@pytest.mark.parametrize("text, value", [
    ("2.582,06", 2582.06), ("12,6", 12.6), ("3.133", 3133.0), ("16.376,78", 16376.78), ("0,85", 0.85),
    ("19,01", 19.01), ("270", 270.0), ("1.330", 1330.0),
])
def test_vietnamese_notation(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc", "2.58,06", "1,2,3"])
def test_not_a_number(text):
    assert parse_number(text) is None


@pytest.mark.parametrize("text, factor, qualifier", [
    ("tăng hơn 1 lần", 1.0, "hơn"), ("tăng 3,4 lần so cùng kỳ", 3.4, None), ("tăng gần 20 lần", 20.0, "gần"),
])
def test_multiples(text, factor, qualifier):
    m = parse_multiple(text)
    assert (m.factor, m.qualifier) == (pytest.approx(factor), qualifier)


def one(text: str, year: int | None = 2023):
    figs = find_figures(text, year)
    assert len(figs) == 1, figs
    return figs[0]


def test_value_with_period_comparisons_and_estimate():
    f = one("- Giá trị sản xuất công nghiệp tính chung cả tỉnh ước tháng 03 đạt 2.582,06 tỷ đồng, tăng 14% so "
            "tháng trước, giảm 1,16% so tháng cùng kỳ.")
    assert (f.indicator, f.period_key, f.value_text, f.value, f.unit, f.estimate) == (
        "giá trị sản xuất công nghiệp", "M2023-03", "2.582,06 tỷ đồng", 2582.06, "tỷ đồng", True)
    assert f.comparisons == ("tăng 14% so tháng trước", "giảm 1,16% so tháng cùng kỳ")


def test_alias_and_the_period_written_after_the_value():
    figs = find_figures("- Giá trị sản xuất công nghiệp: GTSXCN từ 18.705,52 tỷ đồng năm 2016, tăng lên 38.584 tỷ "
                        "đồng vào năm 2019, ước năm 2020 tăng lên 45.266 tỷ đồng, bình quân giai đoạn (2016-2020) "
                        "tăng 24,1% (Nghị quyết tăng 18,78%).", 2016)
    assert [(f.period_key, f.value, f.estimate) for f in figs] == [
        ("Y2016", 18705.52, False), ("Y2019", 38584.0, False), ("Y2020", 45266.0, True)]


def test_a_period_stated_once_covers_the_next_indicator_of_the_line():
    figs = find_figures("Chỉ số sản xuất công nghiệp 5 tháng tăng 18,35% so cùng kỳ; Giá trị sản xuất công nghiệp "
                        "đạt 16.376,78 tỷ đồng, tăng 11,81% so cùng kỳ, đạt 36,07% so kế hoạch.", 2020)
    gtsx = [f for f in figs if f.indicator == "giá trị sản xuất công nghiệp"]
    assert [(f.period_key, f.value, f.estimate) for f in gtsx] == [("YTD2020-05", 16376.78, False)]
    iip = [f for f in figs if f.indicator == "chỉ số sản xuất công nghiệp"]
    assert [(f.value_text, f.comparisons) for f in iip] == [("tăng 18,35%", ("so cùng kỳ",))]


def test_sub_items_inherit_indicator_and_period_and_keep_their_label():
    text = ("- Giá trị sản xuất công nghiệp tính chung cả tỉnh ước tháng 03 đạt 2.582,06 tỷ đồng.\nLũy kế quý I:\n"
            "+ Có Nhiệt điện: ước 7.038,88 tỷ đồng, đạt 20,79% kế hoạch, giảm 5,53% so quý cùng kỳ.\n"
            "+ Không có Nhiệt điện: ước 4.201,37 tỷ đồng, đạt 22,28% kế hoạch.")
    figs = find_figures(text, 2023)[1:]
    assert [(f.period_key, f.value, f.qualifier) for f in figs] == [
        ("Q2023-1", 7038.88, "Có Nhiệt điện"), ("Q2023-1", 4201.37, "Không có Nhiệt điện")]
    assert all(text[f.span[0]:f.span[1]].startswith(f.value_text.split()[0]) for f in figs)


def test_breakdown_parts_are_not_the_total():
    text = ("Tính chung 9 tháng đầu năm 2023, tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng ước đạt "
            "50.703 tỷ đồng, tăng 17,3% so với cùng kỳ. Trong đó: doanh thu bán lẻ hàng hóa ước đạt 44.443 tỷ đồng, "
            "tăng 16,8%; doanh thu dịch vụ lưu trú, ăn uống, du lịch lữ hành ước đạt 3.643 tỷ đồng, tăng 30%.")
    figs = find_figures(text, 2023)
    assert [(f.indicator, f.value) for f in figs] == [
        ("tổng mức bán lẻ hàng hóa và dịch vụ", 50703.0), ("lưu trú, ăn uống", 3643.0)]


def test_comparison_periods_are_not_the_figure_period():
    f = one("Giá trị sản xuất công nghiệp tháng 9/2023 (giá so sánh 2010) ước đạt 8.321 tỷ đồng, giảm 4,9% so với "
            "cùng kỳ năm 2022.")
    assert (f.period_key, f.comparisons) == ("M2023-09", ("giảm 4,9% so với cùng kỳ năm 2022",))


def test_a_value_before_its_indicator():
    figs = find_figures("tháng 03 phát triển 0,85km đường dây trung thế; 0,48km đường dây hạ thế", 2023)
    assert [(f.indicator, f.value) for f in figs] == [("đường dây trung thế", 0.85), ("đường dây hạ thế", 0.48)]


@pytest.mark.parametrize("text", [
    "làm ảnh hưởng nhiều đến giá trị sản xuất công nghiệp chung của tỉnh",
    "Phiên chợ đạt doanh thu khoảng 850 triệu đồng",
])
def test_no_figure_without_an_indicator_and_a_value(text):
    assert find_figures(text, 2023) == []


def test_an_average_over_a_span_is_not_the_years_own_change() -> None:
    text = ("Kim ngạch xuất khẩu năm 2022 đạt 1.234,5 triệu USD, tăng 8,2% so cùng kỳ, "
            "bình quân giai đoạn 2018-2022 tăng 5,5%.")
    (fig,) = [f for f in find_figures(text, 2022) if f.value_text.startswith("1.234,5")]
    assert fig.comparisons == ("tăng 8,2% so cùng kỳ",)
