"""Excel 97 annexes (.xls): read with xlrd into the same rows as the .xlsx they were saved from.

`tests/data/phu_luc_97.xls` is the annex of test_xlsx.py saved as Excel 97 by LibreOffice itself
(`python -m tests.data.make_xls_fixture`): a real BIFF file with a merged title, a two-row merged
header and figures under `#,##0.00` and `0.00%` formats.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.document import IngestError
from ingest.facts import facts_for
from ingest.job import run_ingest
from ingest.loaders import load
from ingest.sniff import sniff
from tests.conftest import CORPUS
from tests.ingest.test_xlsx import annex
from ui.uploads import refusal
from vectorstore.index import open_index

XLS = Path(__file__).resolve().parents[1] / "data" / "phu_luc_97.xls"
WORD97 = CORPUS / "bad" / "legacy_word97_renamed.docx"  # a real Word 97 (OLE2) file


def _rows(doc) -> list[tuple]:
    return [(b.cells, b.table_header, b.table_title) for b in doc.blocks if b.kind == "table_row"]


def test_xls_reads_the_rows_headers_and_displayed_figures_of_the_xlsx_it_was_saved_from(tmp_path: Path) -> None:
    doc, original = load(XLS), load(annex(tmp_path / "phu_luc.xlsx"))
    assert doc.format == "xls" and _rows(doc) == _rows(original)
    first = _rows(doc)[0]
    assert first[0] == ["1", "Giá trị sản xuất công nghiệp", "tỷ đồng", "2.600,00", "2.582,06", "119,01%"]
    assert first[1][3:5] == ["Tháng 3/2023 - Kế hoạch", "Tháng 3/2023 - Ước thực hiện"]  # merged header resolved
    assert "Biểu 01" in first[2] and "PHỤ LỤC" in first[2]


def test_an_xls_annex_is_indexed_and_its_indicator_rows_reach_the_facts_store(small_index) -> None:
    index = open_index(small_index)
    report = run_ingest(index, [XLS])
    assert report.count("indexed") == 1, [(r.file, r.reason) for r in report.results]
    figures = {(f["indicator"], f["period_key"], f["value"]) for f in facts_for(index).figures()}
    assert ("giá trị sản xuất công nghiệp", "M2023-03", 2582.06) in figures
    assert index.store.get_document(XLS.name)["format"] == "xls"


def test_word_and_excel_97_files_are_told_apart_by_content_not_name(tmp_path: Path) -> None:
    excel_named_doc = Path(shutil.copyfile(XLS, tmp_path / "phu_luc.doc"))
    word_named_xls = Path(shutil.copyfile(WORD97, tmp_path / "bao_cao.xls"))
    assert sniff(XLS) == "xls" and sniff(excel_named_doc) == "xls" and sniff(word_named_xls) == "doc"
    assert refusal(Path(shutil.copyfile(XLS, tmp_path / "Phụ lục 2019.xls"))) is None
    assert refusal(word_named_xls) == ("Nội dung tệp là DOC nhưng tên tệp có đuôi .xls; "
                                       "hãy đặt đúng đuôi rồi tải lại.")


def test_a_damaged_xls_is_refused_in_vietnamese(tmp_path: Path) -> None:
    broken = tmp_path / "hong.xls"
    broken.write_bytes(XLS.read_bytes()[:3000])
    with pytest.raises(IngestError) as info:
        load(broken)
    assert info.value.code in ("unreadable", "no_text") and "không đọc được" in info.value.message.lower()


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=3000))
def test_sniffing_an_office_97_file_is_total(tmp_path_factory, body: bytes) -> None:
    path = tmp_path_factory.mktemp("ole") / "tep.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + body)
    try:
        kind = sniff(path)
    except IngestError as err:
        assert err.message
    else:
        assert kind in ("doc", "xls")
