"""Excel 97 (.xls) benchmark: the reader choice behind ingest/loaders/xls.py.

An annex is built as .xlsx (a title merged across the table, a two-row header with "Tháng 3/2023"
merged over "Kế hoạch" | "Ước thực hiện" and the other labels merged over both rows, figures
formatted `#,##0.00`, `0.00%` and `#,##0`, a dated notes sheet), then saved as .xls by LibreOffice
itself (the "MS Excel 97" filter, as a department's old files were written). Two ways to read
the .xls are compared against the blocks the .xlsx loader reads from the original:

- xlrd: the BIFF file read directly (values, number formats, merged ranges);
- LibreOffice: `soffice --headless --convert-to xlsx` (Debian libreoffice-calc-nogui), then openpyxl.

Fidelity counts the rows whose cells (numbers as displayed) and joined header equal the original's.

    python -m bench.xls_bench [--rows 300] [--json /tmp/baocao-bench/xls.json]
"""

from __future__ import annotations

import datetime as dt
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import parser, table, write_json
from ingest.document import Block

INDICATORS = ["Giá trị sản xuất công nghiệp", "Tổng mức bán lẻ hàng hóa và dịch vụ", "Sản lượng điện thương phẩm",
              "Kim ngạch xuất khẩu", "Kim ngạch nhập khẩu", "Chỉ số sản xuất công nghiệp (IIP)"]


def annex_xlsx(path: Path, rows: int = 40) -> Path:
    """An annex as departments lay them out, `rows` indicator rows per sheet over three sheets."""
    import openpyxl

    book = openpyxl.Workbook()
    for n, sheet in enumerate([book.active, book.create_sheet(), book.create_sheet()], start=1):
        sheet.title = f"Biểu 0{n}"
        sheet["A1"] = f"PHỤ LỤC {n}: CHỈ TIÊU CÔNG NGHIỆP - THƯƠNG MẠI THÁNG 3/2023 TỈNH TRÀ VINH"
        sheet.merge_cells("A1:G1")
        for col, label in zip("ABC", ["STT", "Chỉ tiêu", "ĐVT"], strict=True):
            sheet[f"{col}2"] = label
            sheet.merge_cells(f"{col}2:{col}3")
        sheet["D2"], sheet["D3"], sheet["E3"] = "Tháng 3/2023", "Kế hoạch", "Ước thực hiện"
        sheet.merge_cells("D2:E2")
        sheet["F2"], sheet["G2"] = "So cùng kỳ (%)", "Số cơ sở"
        sheet.merge_cells("F2:F3")
        sheet.merge_cells("G2:G3")
        for i in range(rows):
            r = i + 4
            value = 1000 + i * 37.123 + n
            sheet.append([i + 1, f"{INDICATORS[i % len(INDICATORS)]} ({i + 1})", "tỷ đồng", value * 1.01, value,
                          1 + (i % 50) / 1000, 10_000 + i * 13])
            sheet[f"D{r}"].number_format = sheet[f"E{r}"].number_format = "#,##0.00"
            sheet[f"F{r}"].number_format = "0.00%"
            sheet[f"G{r}"].number_format = "#,##0"
    notes = book.create_sheet("Ghi chú")
    notes.append(["Ngày lập", "Người lập", "Số liệu"])
    notes.append([dt.date(2023, 3, 28), "Phòng Kế hoạch", 12.5])
    book.save(path)
    return path


def soffice_convert(source: Path, fmt: str, outdir: Path, timeout: float = 180) -> Path:
    """`source` converted by LibreOffice headless to `fmt` ("xls": the MS Excel 97 filter, or "xlsx")."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise RuntimeError("LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
    target = {"xls": "xls:MS Excel 97", "xlsx": "xlsx"}[fmt]
    with tempfile.TemporaryDirectory(prefix="baocao-lo-") as profile:
        subprocess.run([exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                        "--convert-to", target, "--outdir", str(outdir), str(source)],
                       capture_output=True, timeout=timeout, check=True)
    out = outdir / f"{source.stem}.{fmt}"
    if not out.is_file():
        raise RuntimeError(f"LibreOffice wrote no {out.name}")
    return out


def _rows(blocks: list[Block]) -> list[tuple[list[str], list[str]]]:
    return [(b.cells or [], b.table_header or []) for b in blocks if b.kind == "table_row"]


def _same(got: list[Block], want: list[Block]) -> int:
    return sum(1 for a, b in zip(_rows(got), _rows(want)) if a == b)


def _timed(step: Any, repeat: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        out = step()
        times.append(time.perf_counter() - started)
    return statistics.median(times), out


def run(rows: int, repeat: int = 3) -> dict[str, Any]:
    from ingest.loaders.xls import load_xls
    from ingest.loaders.xlsx import load_xlsx

    with tempfile.TemporaryDirectory(prefix="baocao-xls-") as tmp:
        work = Path(tmp)
        original = load_xlsx(annex_xlsx(work / "phu_luc.xlsx", rows))
        xls = soffice_convert(work / "phu_luc.xlsx", "xls", work / "xls")
        want = len(_rows(original.blocks))

        xlrd_s, by_xlrd = _timed(lambda: load_xls(xls), repeat)

        def via_libreoffice() -> Any:
            out = work / f"lo-{time.perf_counter_ns()}"
            return load_xlsx(soffice_convert(xls, "xlsx", out))

        lo_s, by_lo = _timed(via_libreoffice, repeat)
        return {
            "rows": want, "xls_bytes": xls.stat().st_size,
            "xlrd": {"seconds": round(xlrd_s, 3), "same_rows": _same(by_xlrd.blocks, original.blocks)},
            "libreoffice": {"seconds": round(lo_s, 3), "same_rows": _same(by_lo.blocks, original.blocks)},
            "example_row": _rows(by_xlrd.blocks)[0][0],
        }


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--rows", type=int, default=300, help="indicator rows per sheet (three sheets)")
    args = p.parse_args()
    result = run(args.rows)
    columns = ["reader", "seconds (median of 3)", "rows equal to the .xlsx"]
    table(f"Reading a {result['rows']}-row .xls annex", columns, [
        [name, result[name]["seconds"], f"{result[name]['same_rows']}/{result['rows']}"]
        for name in ("xlrd", "libreoffice")])
    print("first row read by xlrd:", result["example_row"])
    write_json(args.json, result)


if __name__ == "__main__":
    main()
