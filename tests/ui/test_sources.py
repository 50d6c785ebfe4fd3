"""The sources panel: report, place in the report, highlighted figures, a link to the original."""

from __future__ import annotations

import html as html_lib
import re
import shutil
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from ui.catalog import ReportInfo
from ui.sources import EMPTY_HTML, figures_by_citation, file_url, highlight, render_sources

PDF = "001_739995c49d508915.pdf"


def _files(tmp_path: Path, corpus: Path) -> Path:
    files = tmp_path / "files"
    files.mkdir()
    shutil.copy(corpus / "pdf" / PDF, files / PDF)
    return files


def test_figures_are_taken_from_the_sentence_that_cites_the_passage() -> None:
    answer = "Tổng mức bán lẻ đạt 13.233,79 tỷ đồng [1]. Chỉ số tăng 18,35% [2][1]. Tháng 3 giảm [2]."
    figs = figures_by_citation(answer)
    assert figs[1] == {"13.233,79", "18,35"} and figs[2] == {"18,35"}


def test_dates_periods_years_and_document_numbers_are_not_figures() -> None:
    answer = ("Theo báo cáo tháng 01/2021 – Trà Vinh: giá trị sản xuất tháng 01 năm 2021 đạt 3.133 tỷ đồng, "
              "bằng 2010 lần... theo Quyết định số 2366/QĐ-UBND ngày 09/12/2022, giai đoạn 2016-2020 tăng 13,04%, "
              "có 327 cửa hàng [1].")
    assert figures_by_citation(answer)[1] == {"3.133", "13,04", "327"}


def test_a_figure_is_marked_where_it_is_a_figure_not_inside_a_date() -> None:
    out = highlight("Tháng 01/2021 đạt 2.021 tỷ; năm 2021 tăng 21%", {"2.021", "21", "2021"})
    assert out.count("<mark>") == 2 and "<mark>2.021</mark>" in out and "<mark>21</mark>%" in out


@given(st.text(alphabet=st.sampled_from(list("0123456789.,/%- [] tháng năm quý đạt tỷ<>&")), max_size=120),
       st.sets(st.from_regex(r"\d{1,4}([.,]\d{1,3})?", fullmatch=True), max_size=4))
def test_highlighting_is_total_and_loses_no_text(text: str, figures: set[str]) -> None:
    out = highlight(text, figures | set(figures_by_citation(text + " [1]").get(1, set())))
    assert html_lib.unescape(re.sub(r"</?mark>", "", out)) == text


def test_highlight_escapes_and_marks_only_the_figures() -> None:
    out = highlight("<b>đạt 13.233,79 tỷ đồng, tăng 18,35%</b>", {"13.233,79"})
    assert out == "&lt;b&gt;đạt <mark>13.233,79</mark> tỷ đồng, tăng 18,35%&lt;/b&gt;"


def test_pdf_link_opens_the_cited_page(tmp_path: Path, corpus: Path) -> None:
    files = _files(tmp_path, corpus)
    url = file_url(files, PDF, 3)
    assert url.startswith("gradio_api/file=/") and url.endswith(f"{PDF}#page=3")
    assert file_url(files, "../" + PDF, 3) == url  # only a basename is looked up
    assert file_url(files, "khong-co.pdf", 1) == ""


def test_card_names_report_province_period_section_page(tmp_path: Path, corpus: Path) -> None:
    files = _files(tmp_path, corpus)
    record = {
        "answer": "Tổng mức bán lẻ hàng hóa và dịch vụ 5 tháng đạt 13.233,79 tỷ đồng [1].",
        "citations": [{"n": 1, "file": PDF, "title": "", "province": "Trà Vinh",
                       "period": "6 tháng đầu năm 2020", "section": "I > 1. Công nghiệp", "page": 2,
                       "text": "Tổng mức bán lẻ hàng hóa và dịch vụ 5 tháng ước đạt 13.233,79 tỷ đồng."}],
    }
    report = ReportInfo(file=PDF, subject="Kiểm điểm chỉ đạo, điều hành 6 tháng đầu năm", number="351/BC-SCT")
    html = render_sources(record, {PDF: report}, files)
    for text in ("[1]", "Kiểm điểm chỉ đạo", "Tỉnh Trà Vinh", "Kỳ: 6 tháng đầu năm 2020",
                 "Mục: I &gt; 1. Công nghiệp", "Trang 2", "<mark>13.233,79</mark>", "Mở bản gốc, trang 2",
                 "#page=2", "Số 351/BC-SCT"):
        assert text in html, text


def test_refusal_shows_nearest_passages_as_reference_only(tmp_path: Path) -> None:
    record = {"answer": "Không tìm thấy.", "abstained": True, "citations": [],
              "retrieved": [{"file": "a.txt", "text": "đoạn gần nhất", "page": None, "section": ""}]}
    html = render_sources(record, {}, tmp_path)
    assert "không phải câu trả lời" in html and "đoạn gần nhất" in html and "bc-near" in html
    assert render_sources(None, {}, tmp_path) == EMPTY_HTML


def test_refusal_citations_are_nearest_passages_with_no_figure_marked(tmp_path: Path) -> None:
    record = {"answer": "Không tìm thấy ... Gần nhất: «đạt 2.582,06 tỷ đồng» [1].", "abstained": True,
              "citations": [{"n": 1, "file": "a.txt", "text": "ước tháng 03 đạt 2.582,06 tỷ đồng", "page": 2}]}
    html = render_sources(record, {}, tmp_path)
    assert "bc-near" in html and "≈ [1]" in html and "<mark>" not in html


def test_a_question_asked_back_has_no_sources(tmp_path: Path) -> None:
    record = {"answer": "Anh/chị muốn hỏi chỉ tiêu nào?", "abstained": True, "clarification": True,
              "citations": [], "retrieved": []}
    assert render_sources(record, {}, tmp_path) == EMPTY_HTML


def test_a_passage_read_from_a_scan_says_so_and_marks_the_figures_ocr_was_unsure_of(tmp_path: Path) -> None:
    record = {
        "answer": "Giá trị sản xuất công nghiệp ước đạt 1.234,5 tỷ đồng (chưa kiểm chứng: 1.234,5) [1]. "
                  "Sản lượng điện đạt 56,7 triệu kWh [2].",
        "citations": [
            {"n": 1, "file": "quet.pdf", "title": "", "province": "Trà Vinh", "period": "", "section": "",
             "page": 1, "text": "Giá trị sản xuất công nghiệp ước đạt 1.234,5 tỷ đồng, tăng 8,9%.",
             "ocr": True, "ocr_note": "(nhận dạng từ ảnh quét)", "unverified": ["1.234,5"]},
            {"n": 2, "file": "goc.pdf", "title": "", "province": "Trà Vinh", "period": "", "section": "",
             "page": 3, "text": "Sản lượng điện đạt 56,7 triệu kWh."},
        ],
    }
    cards = render_sources(record, {}, tmp_path).split('<div class="bc-src"')[1:]
    assert "Trang 1 <span class=\"bc-ocr\">(nhận dạng từ ảnh quét)</span>" in cards[0]
    assert "chưa kiểm chứng (OCR đọc không chắc chắn): 1.234,5" in cards[0]
    assert re.search(r'<span class="bc-unverified"[^>]*>1\.234,5</span>', cards[0])
    assert "<mark>1.234,5</mark>" not in cards[0]  # an unsure figure is never shown as a confirmed one
    assert "ảnh quét" not in cards[1] and "bc-unverified" not in cards[1] and "<mark>56,7</mark>" in cards[1]


def test_a_table_rows_cells_are_shown_apart(tmp_path: Path) -> None:
    """A cited row arrives as the table writes it (cells apart by tabs): each cell stays, a rule between."""
    row = "Bảng: DANH MỤC ĐỀ ÁN\nSTT\tTên đề án\tThời gian trình\n3\tChương trình khuyến công\tQuý III/2020"
    record = {"answer": "Thời gian trình: Quý III/2020 [1].", "abstained": False,
              "citations": [{"n": 1, "file": "a.txt", "text": row, "page": None}]}
    html = render_sources(record, {}, tmp_path)
    assert "\t" not in html and html.count("bc-cell-sep") == 4
    assert "Tên đề án" in html and "Chương trình khuyến công" in html and "Quý III/2020" in html
