"""Read Excel annexes (.xlsx, "Phụ lục") with openpyxl: one table-row block per data row.

Annex sheets put a title on top (merged across the table), then a header of
one or two rows where a merged cell spans its sub-columns ("Năm 2023" over
"Kế hoạch" | "Thực hiện") or its rows ("Chỉ tiêu" over both header rows).
Merged cells are resolved to their top-left value, header rows are joined
per column ("Năm 2023 - Thực hiện") and every data row becomes a block that
carries the sheet name and that header, as the other loaders' table rows do.
Numbers are written as the cell displays them, in Vietnamese notation
(a cell formatted `#,##0.00` holding 2582.06 reads "2.582,06").

`sheet_blocks` works on a `Sheet` (displayed text and merged ranges), so the
Excel 97 reader (`xls.py`) turns its sheets into the same blocks.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal
from pathlib import Path
from typing import Any

from ingest.document import Block, LoadedDocument
from ingest.loaders.docx import check_zip_sizes
from ingest.repair import clean

MAX_ROWS = 20_000  # per sheet; an annex is tens to hundreds of rows
MAX_HEADER_ROWS = 3
_DECIMALS = re.compile(r"0\.(0+)")
_WIDE = Context(prec=400)  # a double has at most 309 integer digits: no rounding context may overflow
NOTE = "Đọc bảng tính Excel: mỗi dòng số liệu là một đoạn."


@dataclass
class Sheet:
    """A visible sheet as displayed: text of every cell, and its merged ranges (1-based, inclusive)."""

    title: str
    grid: list[list[str]]
    merged: list[tuple[int, int, int, int]]  # (first row, last row, first column, last column)


def load_xlsx(path: Path) -> LoadedDocument:
    import openpyxl

    check_zip_sizes(path)
    book = openpyxl.load_workbook(path, data_only=True)
    blocks: list[Block] = []
    for sheet in book.worksheets:
        if sheet.sheet_state == "visible":
            blocks.extend(sheet_blocks(_sheet(sheet)))
    return LoadedDocument(path, "xlsx", blocks, notes=[NOTE])


def _sheet(sheet: Any) -> Sheet:
    width = sheet.max_column
    grid = [[display(c) for c in row[:width]]
            for row in sheet.iter_rows(max_row=min(sheet.max_row, MAX_ROWS), max_col=width)]
    merged = [(r.min_row, r.max_row, r.min_col, r.max_col) for r in sheet.merged_cells.ranges]
    return Sheet(sheet.title, grid, merged)


def sheet_blocks(sheet: Sheet) -> list[Block]:
    """A heading for the sheet's title, then one table-row block per data row with the joined header."""
    grid = _filled(sheet)
    rows = [r for r in range(len(grid)) if any(grid[r])]
    if not rows:
        return []
    titles: list[str] = []
    while rows and len({c for c in grid[rows[0]] if c}) == 1 and len(rows) > 1:
        titles.append(next(c for c in grid[rows[0]] if c))
        rows.pop(0)
    depth = _header_depth(sheet.merged, rows[0] + 1)
    header = _joined_header([grid[r] for r in rows[:depth]])
    title = f"Trang tính {sheet.title}" + (f": {' '.join(titles)}" if titles else "")
    blocks = [Block("heading", clean(" ".join(titles) or sheet.title), level=1)]
    for r in rows[depth:]:
        cells = [clean(c) for c in grid[r]]
        if cells == header:
            continue
        blocks.append(Block("table_row", " | ".join(c for c in cells if c), cells=cells, table_header=header,
                            table_title=title))
    return blocks


def _filled(sheet: Sheet) -> list[list[str]]:
    """The grid (rows x columns, padded) with merged ranges filled with their top-left value."""
    width = max((len(row) for row in sheet.grid), default=0)
    grid = [row + [""] * (width - len(row)) for row in sheet.grid[:MAX_ROWS]]
    for min_row, max_row, min_col, max_col in sheet.merged:
        if min_row > len(grid) or min_col > width:
            continue
        top = grid[min_row - 1][min_col - 1]
        for r in range(min_row - 1, min(max_row, len(grid))):
            for c in range(min_col - 1, min(max_col, width)):
                grid[r][c] = top
    return grid


def _header_depth(merged: list[tuple[int, int, int, int]], first_row: int) -> int:
    """Rows of the header: the rows a merged header cell spans, plus the sub-header under a wide one."""
    depth = 1
    for min_row, max_row, min_col, max_col in merged:
        if min_row != first_row:
            continue
        depth = max(depth, max_row - min_row + 1, 2 if max_col > min_col else 1)
    return min(depth, MAX_HEADER_ROWS)


def _joined_header(rows: list[list[str]]) -> list[str]:
    """One label per column: its header cells top-down, repeats (from merged cells) dropped."""
    out = []
    for col in zip(*rows, strict=True):
        parts = list(dict.fromkeys(clean(c) for c in col if c and clean(c)))
        out.append(" - ".join(parts))
    return out


def display(cell: Any) -> str:
    """A cell's value as Excel shows it, with Vietnamese separators (2.582,06; 19,01%)."""
    value = cell.value
    if value is None:
        return ""
    return display_value(value, str(cell.number_format or "General"))


def display_value(value: Any, number_format: str) -> str:
    """A value under its cell's number format, as Excel shows it (dates day first)."""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int | float):
        return format_number(value, number_format)
    return str(value).strip()


def format_number(value: float, fmt: str) -> str:
    """`value` under an Excel number format (the first section), in Vietnamese notation."""
    section = fmt.split(";")[0]
    percent = "%" in section
    if percent:
        value *= 100
    if section.lower() == "general":
        text = repr(int(value)) if float(value).is_integer() else f"{value:.10g}"
        return _vietnamese(text, grouped=False)
    match = _DECIMALS.search(section)
    decimals = len(match.group(1)) if match else 0
    grouped = "," in section.split(".")[0]
    shown = excel_round(value, decimals)
    text = f"{shown:,.{decimals}f}" if grouped else f"{shown:.{decimals}f}"
    return _vietnamese(text, grouped) + ("%" if percent else "")


def excel_round(value: float, decimals: int) -> Decimal | float:
    """`value` rounded as Excel displays it: from its 15 significant digits, halves away from zero
    (4527.685 shows 4.527,69, although the nearest double is 4527.68499...)."""
    if not math.isfinite(value):
        return value
    step = Decimal(1).scaleb(-decimals)
    return Decimal(f"{value:.15g}").quantize(step, rounding=ROUND_HALF_UP, context=_WIDE)


def _vietnamese(text: str, grouped: bool) -> str:
    """'2,582.06' -> '2.582,06' (grouped), '12.6' -> '12,6'."""
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".") if grouped else text.replace(".", ",")
