"""The sources panel: report, place in the report, highlighted figures, a link to the original."""

from __future__ import annotations

import shutil
from pathlib import Path

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
    assert "không phải trích dẫn" in html and "đoạn gần nhất" in html
    assert render_sources(None, {}, tmp_path) == EMPTY_HTML
