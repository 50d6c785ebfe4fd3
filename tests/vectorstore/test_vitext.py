"""Vietnamese search text: a question typed with or without diacritics meets the report's own wording."""

import os
import time
import unicodedata
from pathlib import Path

import pytest

from vectorstore.vitext import fold, has_diacritics, normalise, tokens

SHARED = Path(os.environ.get("BAOCAO_SHARED") or Path(__file__).resolve().parents[2].parent / "shared")
TXT = SHARED / "corpus" / "txt"


def corpus_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(TXT.glob("*.txt")))


def test_normalise_makes_nfc_and_single_spaces():
    nfd = unicodedata.normalize("NFD", "Giá trị  sản xuất\n công nghiệp")
    assert normalise(nfd) == "Giá trị sản xuất công nghiệp"


@pytest.mark.parametrize(
    "text, folded",
    [
        ("Giá trị sản xuất công nghiệp", "gia tri san xuat cong nghiep"),
        ("Đường kết", "duong ket"),
        ("LŨY KẾ QUÝ I/2023", "luy ke quy i/2023"),
        ("Ủy ban nhân dân", "uy ban nhan dan"),
        ("uỷ ban", "uy ban"),  # old-style tone placement folds the same
        (unicodedata.normalize("NFD", "Thái Bình"), "thai binh"),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    "text, expected",
    [
        ("tra vinh hien co bao nhieu cua hang", False),
        ("Trà Vinh", True),
        ("đ", True),
        ("2.582,06 – 19%", False),
    ],
)
def test_has_diacritics(text, expected):
    assert has_diacritics(text) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # figures stay whole in Vietnamese notation; the % sign goes
        ("ước đạt 2.582,06 tỷ đồng", {"2.582,06", "ty_dong"}),
        ("tăng 19,01% so cùng kỳ", {"19,01", "cung_ky"}),
        ("02 sản phẩm", {"2", "san_pham"}),
        # document numbers: whole, stem, number/year, letter codes
        ("Quyết định số 2366/QĐ-UBND", {"2366/qd-ubnd", "2366", "qd", "ubnd", "quyet_dinh"}),
        ("Nghị quyết số 11/2016/NQ-HĐND", {"11/2016/nq-hdnd", "11", "11/2016", "hdnd"}),
        ("Kế hoạch số 126-KH/TU", {"126-kh/tu", "126"}),
        ("Nghị quyết số 01/NQ-CP", {"1/nq-cp", "1"}),
        # dates and month/year lose leading zeros, a month/year also gives its year
        ("ngày 09/12/2022", {"9/12/2022"}),
        ("tháng 03/2023", {"thang_3", "3/2023", "2023"}),
        # periods in every spelling
        ("tháng 03", {"thang_3"}),
        ("thang 3", {"thang_3"}),
        ("lũy kế Quý I/2023", {"quy_1", "2023"}),
        ("quy 1 nam 2023", {"quy_1", "2023"}),
        ("Quý IV/2020", {"quy_4", "2020"}),
        ("9 tháng đầu năm", {"9_thang", "dau_nam"}),
        ("giai đoạn 2016-2020", {"2016", "2020", "2016-2020", "giai_doan"}),
        ("giai đoạn 2016 – 2020", {"2016-2020"}),
    ],
)
def test_canonical_tokens(text, expected):
    assert expected <= set(tokens(text))


@pytest.mark.parametrize(
    "text, absent",
    [
        ("tăng 56,52% so cùng kỳ⁽²⁾", {"2"}),  # footnote mark is not a figure
        ("sức chứa 9.810m³", {"3"}),
        ("Trà Vinh có bao nhiêu cửa hàng của tỉnh", {"bao", "nhieu", "co"}),  # "có"/"của" are stop words...
        ("tháng 3 năm 2023", {"3_nam"}),  # a month, not "3 years"
    ],
)
def test_noise_is_dropped(text, absent):
    assert not absent & set(tokens(text))


def test_stop_words_do_not_swallow_content_words_that_fold_alike():
    # "của" is a stop word but "cửa" (cửa hàng) is not; "có" is, "cơ" (cơ sở) is not
    assert {"cua", "cua_hang", "co", "co_so"} <= set(tokens("Toàn tỉnh có 327 cửa hàng và 10.978 cơ sở"))
    assert {"thiet_bi", "may_moc"} <= set(tokens("hỗ trợ máy móc thiết bị"))


@pytest.mark.parametrize(
    "question, evidence, shared",
    [
        (
            "tra vinh hien co bao nhieu cua hang xang dau quy 1 nam 2023",
            "Đến nay toàn tỉnh có 327 cửa hàng, sức chứa 9.810m³, 10 thương nhân phân phối, 01 tổng đại lý"
            " và 04 kho xăng dầu",
            {"cua", "hang", "cua_hang", "xang_dau"},
        ),
        (
            "chi so san xuat cong nghiep tra vinh thang 1 nam 2021 tang bao nhieu",
            "Chỉ số sản xuất công nghiệp tháng 01/2021 tăng 29,61% so với cùng kỳ",
            {"chi_so", "san_xuat", "cong_nghiep", "thang_1", "2021", "tang"},
        ),
        (
            "Doanh thu bán lẻ của Trà Vinh tháng 3/2023 khoảng bao nhiêu?",
            "Tổng mức bán lẻ hàng hóa và dịch vụ ước tháng 03/2023 đạt 4.680,3 tỷ đồng",
            {"ban_le", "thang_3", "3/2023", "2023"},
        ),
        (
            "QĐ 2366 giao chỉ tiêu gì?",
            "Quyết định số 2366/QĐ-UBND ngày 09/12/2022 của UBND tỉnh Trà Vinh về việc giao chỉ tiêu",
            {"qd", "2366", "giao", "chi_tieu"},
        ),
    ],
)
def test_questions_meet_the_report_wording(question, evidence, shared):
    assert shared <= set(tokens(question)) & set(tokens(evidence))


def test_same_tokens_with_and_without_diacritics_on_real_report():
    text = (TXT / "000_89578c0fb5adbcc8.txt").read_text(encoding="utf-8")
    para = next(line for line in text.splitlines() if "Tổng mức bán lẻ" in line)
    with_marks = set(tokens(para))
    without = set(tokens(fold(para)))
    # folded typing loses only the stop-word filtering of ambiguous words ("co", "cua"...)
    assert len(with_marks - without) == 0
    assert len(without - with_marks) <= 0.15 * len(with_marks)


def test_tokenising_is_fast():
    words = corpus_text().split()
    chunks = [" ".join(words[i : i + 300]) for i in range(0, len(words) - 300, 300)]
    chunks = (chunks * (1000 // len(chunks) + 1))[:1000]  # 1,000 chunks of 300 words
    started = time.perf_counter()
    n = sum(len(tokens(c)) for c in chunks)
    assert n > 100_000
    assert time.perf_counter() - started < 2.0  # about 0.3 s here; 10k chunks ≈ 2.5 s
