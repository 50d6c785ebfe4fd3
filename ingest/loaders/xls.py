"""Read Excel 97-2003 annexes (.xls) with xlrd, into the same row blocks as .xlsx.

Older annexes ("Phụ lục") are `.xls`. xlrd reads the BIFF file directly: the
cell values, each cell's number format and the merged ranges, which is all
`xlsx.sheet_blocks` needs (merged headers resolved, one block per row with the
sheet name and header, numbers as the cell displays them). Chosen over a
LibreOffice conversion to .xlsx by bench/xls_bench.py: on a 901-row annex
both give every row as the .xlsx it was saved from, xlrd in 0.05 s against
2.4 s for the conversion, and xlrd needs no system package.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ingest.document import IngestError, LoadedDocument
from ingest.loaders.xlsx import MAX_ROWS, NOTE, Sheet, display_value, sheet_blocks

_REFUSAL = "Tệp Excel cũ (.xls) bị hỏng hoặc được bảo vệ bằng mật khẩu, không đọc được. Hãy mở bằng Excel và lưu lại."


def load_xls(path: Path) -> LoadedDocument:
    """An `.xls` workbook: every visible sheet's rows as table-row blocks."""
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except xlrd.XLRDError as exc:
        raise IngestError("unreadable", _REFUSAL) from exc
    try:
        blocks = []
        for number in range(book.nsheets):
            sheet = book.sheet_by_index(number)
            if sheet.visibility == 0:
                blocks.extend(sheet_blocks(_sheet(book, sheet)))
    finally:
        book.release_resources()
    return LoadedDocument(path, "xls", blocks, notes=[NOTE])


def _sheet(book: Any, sheet: Any) -> Sheet:
    rows = min(sheet.nrows, MAX_ROWS)
    grid = [[_display(book, sheet.cell(r, c)) for c in range(sheet.ncols)] for r in range(rows)]
    merged = [(r0 + 1, r1, c0 + 1, c1) for r0, r1, c0, c1 in sheet.merged_cells]  # xlrd: 0-based, end excluded
    return Sheet(sheet.name, grid, merged)


def _display(book: Any, cell: Any) -> str:
    """A cell as Excel shows it: numbers under their format, dates day first, errors and blanks empty."""
    import xlrd

    kind = cell.ctype
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    if kind == xlrd.XL_CELL_BOOLEAN:
        return display_value(bool(cell.value), "General")
    if kind == xlrd.XL_CELL_DATE:
        try:
            return display_value(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode), "General")
        except (xlrd.xldate.XLDateError, ValueError, OverflowError):
            return display_value(cell.value, "General")
    if kind == xlrd.XL_CELL_NUMBER:
        return display_value(cell.value, _number_format(book, cell.xf_index))
    return display_value(cell.value, "General")


def _number_format(book: Any, xf_index: int | None) -> str:
    try:
        return str(book.format_map[book.xf_list[xf_index].format_key].format_str or "General")
    except (IndexError, KeyError, TypeError, AttributeError):
        return "General"
