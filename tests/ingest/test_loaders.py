"""Loaders on the 5 corpus reports x 3 formats: facts, footnotes, tables, clean text (manifest.json)."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest

from ingest.document import LoadedDocument, footnote_mark
from ingest.loaders import load
from tests.conftest import CORPUS, MANIFEST

REPORTS = {r["stem"]: r for r in MANIFEST["reports"]}
FORMATS = ("txt", "docx", "pdf")
CASES = [(stem, fmt) for stem in REPORTS for fmt in FORMATS]
S000, S001, S004 = (next(s for s in REPORTS if s.startswith(p)) for p in ("000", "001", "004"))


@cache
def _doc(stem: str, fmt: str) -> LoadedDocument:
    return load(CORPUS / fmt / f"{stem}.{fmt}")


def _ws(text: str) -> str:
    return " ".join(text.split())


def _all_text(doc: LoadedDocument) -> str:
    return _ws(" ".join([b.text for b in doc.blocks] + [f.text for f in doc.footnotes.values()]))


@pytest.mark.parametrize(("stem", "fmt"), CASES)
def test_probe_answers_are_in_the_loaded_text(stem: str, fmt: str) -> None:
    text = _all_text(_doc(stem, fmt))
    for fact in REPORTS[stem]["probe_facts"]:
        assert _ws(fact["a"]) in text, fact["q"]


@pytest.mark.parametrize(("stem", "fmt"), CASES)
def test_footnotes_counted_numbered_and_referenced(stem: str, fmt: str) -> None:
    doc = _doc(stem, fmt)
    n = REPORTS[stem]["structure"]["footnotes"]
    assert list(doc.footnotes) == [str(i) for i in range(1, n + 1)]
    referenced = [i for b in doc.blocks for i in b.footnote_ids]
    assert sorted(referenced, key=int) == list(doc.footnotes)  # each footnote marked once in the body
    for b in doc.blocks:
        for i in b.footnote_ids:
            assert footnote_mark(i) in b.text


@pytest.mark.parametrize(("stem", "fmt"), CASES)
def test_footnote_text_is_not_left_in_the_body(stem: str, fmt: str) -> None:
    doc = _doc(stem, fmt)
    body = " ".join(b.text for b in doc.blocks)
    for fn in doc.footnotes.values():
        assert fn.text and fn.text not in body


@pytest.mark.parametrize("stem", list(REPORTS))
def test_pdf_footnotes_sit_on_the_page_of_their_mark(stem: str) -> None:
    doc = _doc(stem, "pdf")
    assert doc.pages == REPORTS[stem]["structure"]["pdf_pages"]
    assert {k: f.page for k, f in doc.footnotes.items()} == REPORTS[stem]["structure"]["pdf_footnote_pages"]


@pytest.mark.parametrize(("stem", "fmt"), CASES)
def test_blocks_are_clean_text(stem: str, fmt: str) -> None:
    for b in _doc(stem, fmt).blocks:
        assert b.text == _ws(b.text) and unicodedata.is_normalized("NFC", b.text)
        assert "**" not in b.text and "\t" not in b.text
        assert not re.fullmatch(r"\d{1,3}", b.text), "page number left in the text"


@pytest.mark.parametrize(("stem", "fmt"), CASES)
def test_headings_only_where_the_source_declares_them(stem: str, fmt: str) -> None:
    headings = [b for b in _doc(stem, fmt).blocks if b.kind == "heading"]
    if fmt == "docx":
        assert len(headings) == REPORTS[stem]["structure"]["docx_heading_paragraphs"]
        assert all(b.level and 1 <= b.level <= 6 for b in headings)
    else:
        assert headings == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_retail_total_is_linked_to_its_breakdown_footnote(fmt: str) -> None:
    doc = _doc(S000, fmt)
    assert "Lưu trú, ăn uống ước đạt 2.515 tỷ đồng" in doc.footnotes["2"].text
    block = next(b for b in doc.blocks if "14.184,14 tỷ đồng" in b.text)
    assert "2" in block.footnote_ids
    assert any("2.582,06 tỷ đồng" in b.text for b in doc.blocks)


@pytest.mark.parametrize("fmt", FORMATS)
def test_appendix_table_rows_carry_their_header(fmt: str) -> None:
    appendix = REPORTS[S001]["appendix"]
    rows = [b for b in _doc(S001, fmt).blocks if b.kind == "table_row"]
    assert len(rows) == appendix["data_rows"]
    for row in rows:
        assert row.table_header == appendix["header"]
        assert row.table_title and row.table_title.startswith(appendix["title"])
        assert row.cells and len(row.cells) == len(appendix["header"])
    second = dict(zip(appendix["header"], rows[1].cells, strict=True))
    assert second["Thời gian trình"] == "Quý IV/2020"
    assert "245/UBND-CNXD" in second["Tên đề án"]


@pytest.mark.parametrize(("stem", "fmt"), [(s, f) for s in REPORTS for f in ("docx", "pdf")])
def test_letterhead_and_signature_stay_as_plain_lines(stem: str, fmt: str) -> None:
    """Metadata extraction needs these lines whole, even though they sit in layout tables."""
    report = REPORTS[stem]
    texts = [b.text for b in _doc(stem, fmt).blocks if b.kind == "paragraph"]
    assert f"UBND TỈNH {report['province'].upper()}" in texts
    assert _ws(report["report_number_raw"]) in texts
    assert _ws(report["issue_date_raw"]) in texts
    assert report["signer"]["name"] in texts
    assert "Nơi nhận:" in texts


def test_pdf_paragraph_across_a_page_break_is_one_block() -> None:
    doc = _doc(S000, "pdf")
    block = next(b for b in doc.blocks if "Thủy sản đông lạnh, Quần áo các loại, Sản xuất điện" in b.text)
    assert "Quần áo các loại, Nước sinh hoạt, Thủy sản đông lạnh" in block.text  # printed on page 2
    assert block.page == 1
    assert all(b.page is not None and 1 <= b.page <= doc.pages for b in doc.blocks)


def test_pdf_extracted_text_is_reflowed_with_its_page_end_footnotes() -> None:
    doc = _doc(S004, "txt")
    assert doc.footnotes["1"].text == "Đường kết"
    assert doc.footnotes["2"].text.endswith("là 289.159 hộ.")  # continued after a wrapped line
    assert doc.footnotes["4"].text.startswith("(1) dự án NMĐG Đông Thành 1")  # enumeration, not a mark
    marked = next(b for b in doc.blocks if b.footnote_ids == ["1"])
    assert "chưa vào vụ sản xuất⁽¹⁾." in marked.text and "(1)" not in marked.text
    subject = (
        "Tình hình sản xuất công nghiệp, hoạt động thương mại tháng 01/2021 "
        "và Chương trình công tác tháng 02/2021"
    )
    assert subject in [b.text for b in doc.blocks]


def test_superscript_unit_is_not_taken_for_a_footnote_mark() -> None:
    for fmt in FORMATS:
        assert any("9.810m³" in b.text for b in _doc(S000, fmt).blocks), fmt


def test_page_break_fragments_are_rejoined_in_text_exports() -> None:
    stem = next(s for s in REPORTS if s.startswith("002"))
    doc = _doc(stem, "txt")
    footnote7 = doc.footnotes["7"].text
    assert "(4) Quy chế" in footnote7 and "(5) Kế hoạch triển khai lộ trình" in footnote7
    assert any(
        b.text.endswith(
            "trong thời kỳ hội nhập quốc tế” và “Hợp tác quốc tế về vệ sinh ATTP”; "
            "Hiệp định CPTPP đến các cơ quan quản lý Nhà nước, doanh nghiệp, có 429 người tham dự."
        )
        for b in doc.blocks
    )


def test_markdown_headings_emphasis_and_pipe_tables(tmp_path: Path) -> None:
    md = tmp_path / "bao_cao.md"
    md.write_text(
        "# Báo cáo tháng 3\n\n**Giá trị sản xuất** ước đạt *2.582,06 tỷ đồng*.\n\n"
        "| STT | Chỉ tiêu | Giá trị |\n|---|---|---|\n"
        "| 1 | IIP | 19,01% |\n| 2 | Bán lẻ | 4.680,3 tỷ đồng |\n",
        encoding="utf-8",
    )
    doc = load(md)
    assert doc.format == "md"
    assert (doc.blocks[0].kind, doc.blocks[0].level, doc.blocks[0].text) == ("heading", 1, "Báo cáo tháng 3")
    assert doc.blocks[1].text == "Giá trị sản xuất ước đạt 2.582,06 tỷ đồng."
    rows = [b for b in doc.blocks if b.kind == "table_row"]
    assert [r.cells for r in rows] == [["1", "IIP", "19,01%"], ["2", "Bán lẻ", "4.680,3 tỷ đồng"]]
    assert rows[0].table_header == ["STT", "Chỉ tiêu", "Giá trị"]
