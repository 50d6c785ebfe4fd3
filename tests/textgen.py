"""Hypothesis strategies for Vietnamese-like text: what real reports and real questions throw at parsers.

Syllables built from Vietnamese onsets, vowels, every tone mark and codas (in NFC, NFD or typed
without diacritics), numbers in Vietnamese and English notation, decimal months and quarters,
dates (valid or not), Roman numerals, document symbols, footnote marks, control and zero-width
characters, very long tokens and other scripts, glued together with spaces, punctuation and
line breaks. The profile (fixed seed, bounded examples) lives in tests/conftest.py.
"""

from __future__ import annotations

import unicodedata

from hypothesis import strategies as st

ONSETS = ["", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh", "p",
          "ph", "qu", "r", "s", "t", "th", "tr", "v", "x", "Đ", "Th", "NG"]
VOWELS = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "oa", "oe", "uy", "ươ", "iê", "uô", "ai",
          "ao", "ưa", "uâ", "yê", "A", "Ơ", "Ư"]
TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]  # huyền, sắc, ngã, hỏi, nặng
CODAS = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t", "i", "o", "u", "y"]

WORDS = ["tháng", "quý", "năm", "lũy kế", "ước đạt", "tăng", "giảm", "so cùng kỳ", "giai đoạn", "đầu năm",
         "6 tháng đầu năm", "9 tháng", "cả năm", "Quyết định số", "Nghị quyết", "Kế hoạch", "Công văn",
         "UBND tỉnh", "Sở Công Thương", "Trà Vinh", "Thái Bình", "tỷ đồng", "triệu USD", "%", "giá trị sản xuất",
         "công nghiệp", "tổng mức bán lẻ", "chỉ số", "IIP", "kéo dài", "thời gian", "khoảng", "hơn", "gần", "lần",
         "ngày", "Số:", "V/v", "BÁO CÁO", "Nơi nhận:", "GIÁM ĐỐC", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "bao nhiêu",
         "là gì", "không", "của", "và", "Điều", "Luật", "Chương", "Mục", "so với", "kế hoạch", "dự kiến",
         "tháng trước", "cùng kỳ năm trước", "nhiệt điện", "xuất khẩu", "cửa hàng xăng dầu"]
ROMANS = ["I", "II", "III", "IV", "V", "VI", "IX", "X", "XII", "XIV", "MMXX", "i", "iv", "Iv", "IIII", "VX"]
SYMBOLS = ["2366/QĐ-UBND", "11/2016/NQ-HĐND", "123/BC-SCT", "45/KH-UBND", "08/2023/TT-BCT", "QĐ-TTg",
           "/QĐ-", "12/CV-", "1/", "2366/qd-ubnd", "số 01/2020/NĐ-CP", "99999999/ABC-XYZ-Q-R"]
CONTROLS = ["\u200b", "\u200c", "\u200d", "\ufeff", "\x00", "\x0b", "\x0c", "\u202e", "\u2028", "\r", "\t",
            "\xad", "\u00a0", "\u3000", "\ufffd", "\u0301", "\u0323\u0323"]
SCRIPTS = ["中文報告", "русский", "العربية", "😀", "🇻🇳", "ﬁ", "Ω", "ß", "ǅ", "İ", "𝟙𝟚", "١٢٣", "²", "⁽³⁾", "¹²",
           "½", "Ⅳ", "①", "…", "–", "—", "“", "”", "«", "»", "•"]
SEPARATORS = [" ", " ", " ", "  ", ", ", ". ", "; ", ": ", "\n", "\n\n", "/", "-", " - ", "(", ")", "[", "]",
              "*", "+", "|", "\\", "'", '"', "?", "!"]


@st.composite
def syllables(draw: st.DrawFn) -> str:
    onset, vowel = draw(st.sampled_from(ONSETS)), draw(st.sampled_from(VOWELS))
    tone, coda = draw(st.sampled_from(TONES)), draw(st.sampled_from(CODAS))
    return unicodedata.normalize("NFC", onset + vowel[0] + tone + vowel[1:] + coda)


def _digits(lo: int, hi: int) -> st.SearchStrategy[str]:
    return st.integers(lo, hi).map(str)


@st.composite
def numbers(draw: st.DrawFn) -> str:
    """Integers, leading zeros, Vietnamese and English thousands/decimals, percents, huge digit runs."""
    whole = draw(st.integers(0, 10**9))
    frac = draw(st.integers(0, 999))
    grouped = f"{whole:,}"
    kind = draw(st.integers(0, 9))
    return [
        str(whole), f"0{draw(st.integers(0, 9))}", grouped.replace(",", ".") + f",{frac:02d}",
        grouped + f".{frac:02d}", f"{draw(st.integers(0, 99))},{frac}%", f"{draw(st.integers(0, 99))}.{frac}",
        "9" * draw(st.integers(20, 400)), f"{draw(st.integers(0, 20))},{draw(st.integers(0, 9))}",
        ".".join(str(draw(st.integers(0, 999))) for _ in range(draw(st.integers(2, 6)))),
        f"{whole}/{frac}/{draw(st.integers(0, 99999))}",
    ][kind]


@st.composite
def periods(draw: st.DrawFn) -> str:
    """Period phrases, well formed or not: decimal months, month 13, quarter V, day 31 of February."""
    m, q, y = draw(_digits(0, 14)), draw(_digits(0, 6)), draw(_digits(0, 10000))
    d = draw(_digits(0, 40))
    n = draw(st.sampled_from(["1,5", "5.0", "2,5", "0,5", "12", "13", "03", "0", "1.000", "3,33"]))
    return draw(st.sampled_from([
        f"tháng {m}/{y}", f"tháng 0{m} năm {y}", f"quý {draw(st.sampled_from(ROMANS))}/{y}", f"quý {q} năm {y}",
        f"6 tháng đầu năm {y}", f"{m} tháng {y}", f"{n} tháng", f"{n} quý", f"kéo dài {n} tháng",
        f"giai đoạn {y}-{draw(_digits(0, 10000))}", f"{y} - {y}", f"lũy kế {m} tháng", f"ngày {d}/{m}/{y}",
        f"{d}/{m}/{y}", f"ngày {d} tháng {m} năm {y}", f"từ tháng {m} đến tháng {q}", f"tháng {m}-{q}/{y}",
        f"năm {y}", f"cuối năm {y}", f"đầu năm {y}", f"6 tháng cuối năm {y}", f"{m}/{y}", f"thang {m} nam {y}",
        f"quy {q}/{y}", f"tháng {n}/{y}", f"trong {n} tháng đầu năm", f"{d}.{m}.{y}", f"{y}-{m}-{d}",
    ]))


def _pieces() -> st.SearchStrategy[str]:
    return st.one_of(
        syllables(), syllables(), syllables(), st.sampled_from(WORDS), numbers(), periods(),
        st.sampled_from(ROMANS), st.sampled_from(SYMBOLS), st.sampled_from(CONTROLS), st.sampled_from(SCRIPTS),
        st.text(max_size=8), st.sampled_from(["a" * 3000, "đ" * 500, "ờ" * 200, "1" * 2000, "2.582,06" * 100]),
    )


def _spell(text: str, form: int) -> str:
    """The same text as NFC, NFD, without diacritics or upper-cased (what other offices send)."""
    if form == 1:
        return unicodedata.normalize("NFD", text)
    if form == 2:
        stripped = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
        return stripped.replace("đ", "d").replace("Đ", "D")
    if form == 3:
        return text.upper()
    return text


@st.composite
def vietnamese_text(draw: st.DrawFn, max_pieces: int = 40) -> str:
    """Report-like or question-like text: pieces joined by separators, in one spelling."""
    parts = draw(st.lists(_pieces(), max_size=max_pieces))
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(parts), max_size=len(parts)))
    text = "".join(p + s for p, s in zip(parts, seps))
    return _spell(text, draw(st.integers(0, 4)))


def any_text() -> st.SearchStrategy[str]:
    """Vietnamese-like text most of the time, arbitrary Unicode some of the time."""
    return st.one_of(vietnamese_text(), vietnamese_text(), vietnamese_text(), st.text(max_size=200))


def report_lines() -> st.SearchStrategy[list[str]]:
    """The lines of a whole (odd) report: a header, headings, paragraphs, a signature."""
    heading = st.builds(lambda n, t: f"{n} {t}", st.sampled_from(ROMANS + ["1.", "2.1.", "a)", "-", "+", "1)", "*"]),
                        vietnamese_text(8))
    return st.lists(st.one_of(vietnamese_text(20), heading, st.sampled_from(WORDS)), max_size=25)
