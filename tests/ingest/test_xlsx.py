"""Excel annexes: merged headers resolved, one chunk per row with sheet and header, figures as displayed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.chunker import chunk_document
from ingest.facts import facts_for
from ingest.job import run_ingest
from ingest.loaders import load
from ingest.loaders.xlsx import format_number
from ingest.metadata import extract_metadata
from ingest.row_figures import row_figures
from vectorstore.index import open_index

# Figures of report 000 (Trà Vinh, March 2023), laid out the way annexes are.
ROWS = [
    (1, "Giá trị sản xuất công nghiệp", "tỷ đồng", 2600, 2582.06, 1.1901),
    (2, "Tổng mức bán lẻ hàng hóa và dịch vụ", "tỷ đồng", 4700, 4680.3, 1.0338),
]


def annex(path: Path) -> Path:
    """Title merged across the table; "Tháng 3/2023" merged over two sub-columns; others over two rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Biểu 01"
    sheet["A1"] = "PHỤ LỤC: CHỈ TIÊU CÔNG NGHIỆP - THƯƠNG MẠI THÁNG 3/2023 TỈNH TRÀ VINH"
    sheet.merge_cells("A1:F1")
    for col, label in zip("ABC", ["STT", "Chỉ tiêu", "ĐVT"], strict=True):
        sheet[f"{col}2"] = label
        sheet.merge_cells(f"{col}2:{col}3")
    sheet["D2"], sheet["D3"], sheet["E3"] = "Tháng 3/2023", "Kế hoạch", "Ước thực hiện"
    sheet.merge_cells("D2:E2")
    sheet["F2"] = "So cùng kỳ (%)"
    sheet.merge_cells("F2:F3")
    for r, row in enumerate(ROWS, start=4):
        for col, value in zip("ABCDEF", row, strict=True):
            sheet[f"{col}{r}"] = value
        sheet[f"D{r}"].number_format = sheet[f"E{r}"].number_format = "#,##0.00"
        sheet[f"F{r}"].number_format = "0.00%"
    notes = book.create_sheet("Ghi chú")
    notes.append(["Ngày lập", "Người lập", "Số liệu"])
    notes.append([dt.date(2023, 3, 28), "Phòng Kế hoạch", 12.5])
    book.create_sheet("Trống")
    book.save(path)
    return path


def test_each_row_is_a_block_with_its_sheet_resolved_header_and_displayed_numbers(tmp_path: Path) -> None:
    doc = load(annex(tmp_path / "phu_luc.xlsx"))
    rows = [b for b in doc.blocks if b.kind == "table_row"]
    assert len(rows) == 3 and doc.format == "xlsx"
    first = rows[0]
    assert first.table_header == ["STT", "Chỉ tiêu", "ĐVT", "Tháng 3/2023 - Kế hoạch", "Tháng 3/2023 - Ước thực hiện",
                                  "So cùng kỳ (%)"]
    assert first.cells == ["1", "Giá trị sản xuất công nghiệp", "tỷ đồng", "2.600,00", "2.582,06", "119,01%"]
    assert first.table_title and "Biểu 01" in first.table_title and "PHỤ LỤC" in first.table_title
    assert rows[2].cells == ["28/03/2023", "Phòng Kế hoạch", "12,5"] and "Ghi chú" in rows[2].table_title


def test_row_chunks_carry_sheet_and_header_and_the_province_of_the_annex(tmp_path: Path) -> None:
    doc = load(annex(tmp_path / "phu_luc.xlsx"))
    meta = extract_metadata(doc).to_dict()
    chunks = [c for c in chunk_document(doc, "phu_luc.xlsx", meta) if c.metadata["kind"] == "table_row"]
    assert meta["province"] == "Trà Vinh"
    assert "Biểu 01" in chunks[0].body and "Tháng 3/2023 - Ước thực hiện: 2.582,06" in chunks[0].body


def test_facts_store_reads_indicator_rows_but_not_plan_columns(small_index, tmp_path: Path) -> None:
    index = open_index(small_index)
    report = run_ingest(index, [annex(tmp_path / "phu_luc.xlsx")])
    assert report.count("indexed") == 1, [(r.file, r.reason) for r in report.results]
    figures = {(f["indicator"], f["period_key"], f["value"]) for f in facts_for(index).figures()}
    assert ("giá trị sản xuất công nghiệp", "M2023-03", 2582.06) in figures
    assert ("tổng mức bán lẻ hàng hóa và dịch vụ", "M2023-03", 4680.3) in figures
    assert not {v for _, _, v in figures} & {2600.0, 4700.0}, "plan figures are targets, not values"


def test_row_figures_is_total_on_any_text() -> None:
    @given(st.text(max_size=300))
    def check(body: str) -> None:
        for fig in row_figures(body, 2023):
            assert body[fig.span[0]:fig.span[1]] and fig.value >= 0

    check()


@pytest.mark.parametrize(("value", "fmt", "shown"), [
    (2582.06, "#,##0.00", "2.582,06"), (3133, "#,##0", "3.133"), (0.1901, "0.00%", "19,01%"),
    (12.5, "General", "12,5"), (2021, "General", "2021"), (286643, "#,##0;[Red]-#,##0", "286.643"),
    (4527.685, "#,##0.00", "4.527,69"), (0.125, "0.00", "0,13"),  # halves round up from 15 digits, as Excel shows
])
def test_numbers_read_as_the_cell_displays_them(value: float, fmt: str, shown: str) -> None:
    assert format_number(value, fmt) == shown


@given(st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(["#,##0.00", "0.0", "#,##0", "0.00%"]))
def test_displayed_numbers_are_total_and_within_half_a_shown_unit(value: float, fmt: str) -> None:
    shown = format_number(value, fmt)  # any double: no exception
    if abs(value) > 1e12:  # beyond a spreadsheet figure's 15 significant digits once decimals are shown
        return
    decimals = len(fmt.split(".")[1].rstrip("%")) if "." in fmt else 0
    back = float(shown.rstrip("%").replace(".", "").replace(",", "."))
    target = value * 100 if fmt.endswith("%") else value
    assert abs(back - target) <= 0.5 * 10 ** -decimals * (1 + 1e-9) + abs(target) * 1e-14
