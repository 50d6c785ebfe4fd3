"""Query understanding: periods, province, documents, indicators, kind and content of a question,
typed with or without diacritics, and small typos fixed against the reports' own vocabulary."""

import os
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest

from assistant.query import correct_terms, question_kind, understand
from ingest.lexicon import INDICATORS, expand_query, find_indicators
from vectorstore.vitext import fold, tokens

SHARED = Path(os.environ.get("BAOCAO_SHARED") or Path(__file__).resolve().parents[2].parent / "shared")
TXT = SHARED / "corpus" / "txt"


@lru_cache(maxsize=1)
def corpus_vocabulary() -> Counter:
    """Token -> number of lines holding it, as the lexical index would count document frequencies."""
    vocab: Counter = Counter()
    for path in TXT.glob("*.txt"):
        for line in path.read_text(encoding="utf-8").splitlines():
            vocab.update(set(tokens(line)))
    return vocab


def test_reads_periods_province_and_diacritics():
    q = understand("Giá trị sản xuất công nghiệp Trà Vinh 5 tháng đầu năm 2020 đạt bao nhiêu?")
    assert [p.key for p in q.periods] == ["YTD2020-05"]
    assert q.provinces == ["Trà Vinh"]
    assert q.has_diacritics and q.kind == "figure"
    assert q.indicators[0].name == "giá trị sản xuất công nghiệp"


def test_question_without_diacritics_reads_the_same():
    plain = understand("tra vinh hien co bao nhieu cua hang xang dau quy 1 nam 2023")
    marked = understand("Trà Vinh hiện có bao nhiêu cửa hàng xăng dầu quý 1 năm 2023")
    assert not plain.has_diacritics and marked.has_diacritics
    for q in (plain, marked):
        assert [p.key for p in q.periods] == ["Q2023-1"]
        assert q.provinces == ["Trà Vinh"]
        assert q.kind == "figure"
        assert q.content_terms == ["cua", "hang", "xang", "dau"]
    assert plain.folded == fold(marked.text)


KINDS = [
    ("Tổng mức bán lẻ hàng hóa và dịch vụ tháng 3/2023 đạt bao nhiêu?", "figure"),
    ("Có mấy chợ hạng I?", "figure"),
    ("ty le ho su dung dien dat bao nhieu phan tram", "figure"),
    ("Số doanh nghiệp thay đổi thế nào từ năm 2021 đến năm 2023?", "figure"),
    ("Hỗ trợ máy móc thiết bị cho cơ sở nào?", "other"),
    ("Những sản phẩm công nghiệp nào giảm mạnh?", "list"),
    ("nhung san pham nao giam manh", "list"),
    ("Ba cửa hàng giới thiệu sản phẩm OCOP đặt ở những đâu?", "list"),
    ("Sở thẩm định 3 dự án điện gió nào?", "list"),
    ("Doanh nghiệp bình ổn được xác định theo quyết định nào?", "policy"),
    ("Kế hoạch này thực hiện nghị quyết nào của Bộ Chính trị?", "policy"),
    ("Căn cứ pháp lý để hỗ trợ khuyến công là gì?", "policy"),
    ("theo van ban nao", "policy"),
    ("Vì sao chỉ số sản xuất công nghiệp giảm?", "reason"),
    ("Ngành còn hạn chế gì về khu, cụm công nghiệp?", "reason"),
    ("nguyen nhan tang truong cham", "reason"),
    ("Ai ký báo cáo 9 tháng năm 2023?", "who"),
    ("ai ky bao cao", "who"),
    ("Tỉnh đã có quy hoạch cụm công nghiệp chưa?", "yes_no"),
    ("Chợ Long Đức có được đầu tư hay không?", "yes_no"),
    ("Dự thảo công văn dự kiến trình vào quý nào?", "other"),
]


@pytest.mark.parametrize("question, kind", KINDS)
def test_question_kind(question, kind):
    assert question_kind(question)[0] == kind
    assert understand(question).kind == kind


@pytest.mark.parametrize(
    "question, doc_type",
    [
        ("được giao theo quyết định nào?", "Quyết định"),
        ("thuc hien nghi quyet nao", "Nghị quyết"),
        ("theo văn bản nào?", None),
    ],
)
def test_policy_questions_name_the_document_type_asked(question, doc_type):
    q = understand(question)
    assert q.kind == "policy" and q.wanted_doc_type == doc_type


@pytest.mark.parametrize(
    "question, numbers",
    [
        ("QĐ 2366 giao chỉ tiêu gì?", ["2366"]),
        ("Dự thảo thay Công văn 245/UBND-CNXD trình khi nào?", ["245/UBND-CNXD"]),
        ("Kế hoạch 126-KH/TU ngày 03/5/2019 thực hiện nghị quyết nào?", ["126-KH/TU"]),
        ("Giá trị sản xuất công nghiệp tháng 3/2023?", []),
    ],
)
def test_reference_numbers(question, numbers):
    assert understand(question).reference_numbers == numbers


@pytest.mark.parametrize(
    "question, terms",
    [
        ("Giá trị sản xuất công nghiệp tháng 3/2023 của tỉnh Thái Bình là bao nhiêu?",
         ["gia", "tri", "san", "xuat", "cong", "nghiep"]),
        ("chi so san xuat cong nghiep tra vinh thang 1 nam 2021 tang bao nhieu",
         ["chi", "so", "san", "xuat", "cong", "nghiep", "tang"]),
        ("Lũy kế quý I/2023, Trà Vinh có bao nhiêu HTX?", ["htx"]),
        ("Hỗ trợ máy móc thiết bị giai đoạn 2016-2020 ở Trà Vinh?",
         ["ho", "tro", "may", "moc", "thiet", "bi"]),
        ("Kế hoạch thực hiện Chiến lược xuất nhập khẩu đến năm 2030 theo quyết định nào?",
         ["ke", "hoach", "thuc", "hien", "chien", "luoc", "xuat", "nhap", "khau", "quyet", "dinh"]),
        ("Số doanh nghiệp Trà Vinh thay đổi thế nào từ tháng 01/2021 đến quý I/2023?", ["so", "doanh", "nghiep"]),
        ("Tổng mức bán lẻ quý I/2023 biến động ra sao?", ["tong", "muc", "ban", "le"]),
    ],
)
def test_content_terms_leave_out_question_period_and_province_words(question, terms):
    assert understand(question).content_terms == terms


def test_content_tokens_pair_only_adjacent_words():
    q = understand("Giá trị sản xuất công nghiệp Trà Vinh tháng 3/2023 tăng bao nhiêu?")
    assert q.content_runs == ["gia tri san xuat cong nghiep", "tang"]
    assert {"gia_tri", "cong_nghiep", "tang"} <= q.content_tokens
    assert "nghiep_tang" not in q.content_tokens


# ---- lexicon ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "question, expansion",
    [
        ("Doanh thu bán lẻ của Trà Vinh tháng 3/2023 khoảng bao nhiêu?",
         "tổng mức bán lẻ hàng hóa và dịch vụ"),
        ("doanh thu ban le thang 3", "tổng mức bán lẻ hàng hóa và dịch vụ"),
        ("IIP tháng 9/2023 tăng bao nhiêu?", "chỉ số sản xuất công nghiệp"),
        ("GTSXCN 5 tháng", "giá trị sản xuất công nghiệp"),
        ("QĐ 2366", "quyết định"),
        ("kim ngach XK 9 thang", "kim ngạch xuất khẩu"),
        ("bao nhieu cay xang", "cửa hàng xăng dầu"),
        ("kéo mới bao nhiêu km lưới trung thế", "đường dây trung thế"),
        ("TMĐT", "thương mại điện tử"),
        ("so HTX", "hợp tác xã"),
        ("kiểm tra VSATTP", "an toàn thực phẩm"),
    ],
)
def test_expansion_brings_the_report_wording(question, expansion):
    """The report's wording reaches the search: spelled out in the question (meeting shorthand) or added."""
    assert expansion in expand_query(question)
    q = understand(question)
    assert expansion in q.expansions or expansion in q.text


@pytest.mark.parametrize(
    "question",
    [
        "Tổng mức bán lẻ hàng hóa và dịch vụ tháng 3/2023",
        "Giá trị sản xuất công nghiệp quý I",
        "xuất khẩu da giày",
        "vệ sinh an toàn thực phẩm",
    ],
)
def test_no_expansion_when_the_question_already_uses_the_report_wording(question):
    assert expand_query(question) == []


def test_indicators_are_found_with_or_without_diacritics():
    for text in ("Chỉ số sản xuất công nghiệp", "chi so san xuat cong nghiep", "IIP"):
        assert [i.name for i in find_indicators(text)] == ["chỉ số sản xuất công nghiệp"]
    found = find_indicators("Xuất khẩu sang Châu Âu tăng bao nhiêu?")  # a market is a part, not an indicator
    assert [(i.name, i.kind) for i in found] == [("châu Âu", "item")]


def test_lexicon_abbreviations_are_not_vietnamese_words():
    """An abbreviation must not match an ordinary word of running text once folded ("TU" would be "từ")."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in TXT.glob("*.txt"))
    lower_words = {fold(w) for w in re.findall(r"[^\W\d_]+", text) if w == w.lower()}
    for ind in INDICATORS:
        for abbr in (*ind.abbreviations, *ind.aliases):
            for part in re.findall(r"[^\W_]+", abbr):
                if part[0].isupper() and part[1:2].isupper():  # "GTSX", "TTg", not "Tỉnh"
                    assert fold(part) not in lower_words, abbr


# ---- typos ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "terms, fixed",
    [
        (["thai", "bin"], ["thai", "binh"]),
        (["bao", "nhiu"], ["bao", "nhieu"]),
        (["du", "lich", "lu", "han"], ["du", "lich", "lu", "hanh"]),
        (["tra", "vin"], ["tra", "vinh"]),
        (["cong", "ngiep"], ["cong", "nghiep"]),  # the corpus itself has this typo once
        (["gia", "tri", "san", "xuat"], ["gia", "tri", "san", "xuat"]),
        (["xuat", "khau", "chau", "au"], ["xuat", "khau", "chau", "au"]),
        (["2023", "x"], ["2023", "x"]),
    ],
)
def test_correct_terms(terms, fixed):
    assert correct_terms(terms, corpus_vocabulary()) == fixed


def test_correct_terms_with_a_plain_word_set():
    vocab = {"thai", "binh", "thai_binh", "nhieu", "nhu"}
    assert correct_terms(["thai", "bin", "nhiu"], vocab) == ["thai", "binh", "nhieu"]


def test_typos_in_a_question_are_fixed_before_reading_it():
    question = ("Doanh thu dịch vụ lưu trú, ăn uống, du lịch lữ hàn của Thái Bìn 9 tháng đầu năm 2023 "
                "được bao nhiu?")
    assert understand(question).provinces == []  # as typed, the province is unreadable
    q = understand(question, corpus_vocabulary())
    assert q.corrections == {"han": "hanh", "bin": "binh", "nhiu": "nhieu"}
    assert q.provinces == ["Thái Bình"]
    assert q.kind == "figure"
    assert "Thái Binh" in q.search_text and q.text == question


def test_correct_sentences_are_left_alone():
    vocab = corpus_vocabulary()
    text = (TXT / "003_1270833f58a97ba9.txt").read_text(encoding="utf-8")
    sentences = [s for s in re.split(r"[.;]\s", text) if 40 < len(s) < 200][:80]
    assert sentences
    for s in sentences:
        assert understand(s, vocab).corrections == {}, s
        assert understand(fold(s), vocab).corrections == {}, s


@pytest.mark.parametrize(("question", "dense"), [
    ("Giá trị sản xuất công nghiệp tháng 3/2023 của tỉnh Thái Bình là bao nhiêu?",
     "Giá trị sản xuất công nghiệp tỉnh Thái Bình"),
    ("9 tháng đầu năm 2023, những sản phẩm công nghiệp nào của Thái Bình giảm mạnh?",
     "sản phẩm công nghiệp Thái Bình giảm mạnh"),
    ("Tổng mức bán lẻ quý I/2023 là bao nhiêu?", "Tổng mức bán lẻ"),
])
def test_the_dense_text_keeps_content_words_and_province_but_not_periods(question, dense):
    assert understand(question).content_text == dense


def test_within_budget_cuts_the_tail_only_when_the_model_counts_too_many():
    from assistant.dense_text import within_budget

    def words(text: str) -> int:
        return len(text.split())

    text = "giá trị sản xuất công nghiệp Trà Vinh tính cả nhiệt điện"
    assert within_budget(text, words, budget=20) == text
    assert within_budget(text, words, budget=6) == "giá trị sản xuất công nghiệp"
    assert within_budget(text, words, budget=1) == "giá trị sản"  # never fewer than MIN_WORDS
    assert within_budget(text, lambda _: None, budget=1) == text  # a model that cannot count


def test_exclusions_are_read_from_the_question_and_the_lines():
    from assistant.exclusion import excluded_terms, polarity

    assert excluded_terms(fold("giá trị sản xuất không tính nhiệt điện quý I")) == ["nhiet"]
    assert excluded_terms(fold("doanh thu lưu trú ăn uống quý I")) == []  # "trú" is no "trừ"
    assert polarity(fold("+ Không có Nhiệt điện: ước 4.201,37 tỷ đồng"), "nhiet") == 1
    assert polarity(fold("+ Có Nhiệt điện: ước 7.038,88 tỷ đồng"), "nhiet") == -1
    assert polarity(fold("Tổng mức bán lẻ hàng hóa"), "nhiet") == 0
