"""Report metadata and provinces: all 5 corpus reports x 3 formats must match manifest.json."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

import pytest

from ingest.document import Block, LoadedDocument
from ingest.loaders import load
from ingest.metadata import extract_metadata
from ingest.provinces import MERGED_2025, PROVINCES, find_provinces

SHARED = Path(os.environ.get("BAOCAO_SHARED") or Path(__file__).resolve().parents[2].parent / "shared")
CORPUS = SHARED / "corpus"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
REPORTS = {r["stem"]: r for r in MANIFEST["reports"]}
FORMATS = ("txt", "docx", "pdf")


def _raw_pdf_lines(path: Path) -> LoadedDocument:
    """Every pypdf text line as its own block: the subject stays wrapped ("… (2021-" / "2025)")."""
    import pypdf

    pages = [p.extract_text() for p in pypdf.PdfReader(str(path)).pages]
    lines = [(i, ln) for i, text in enumerate(pages, 1) for ln in text.split("\n") if ln.strip()]
    blocks = [Block("paragraph", ln, page=i) for i, ln in lines]
    return LoadedDocument(path, "pdf", blocks, pages=len(pages))


@cache
def _meta(stem: str, fmt: str) -> dict:
    return extract_metadata(load(CORPUS / fmt / f"{stem}.{fmt}")).to_dict()


def _ws(text: str | None) -> str | None:
    return " ".join(text.split()) if text is not None else None


CASES = [(stem, fmt) for stem in REPORTS for fmt in FORMATS]
FIELDS = ("province", "issuing_agency", "parent_authority", "document_type", "report_number", "issue_date",
          "issue_date_precision", "title")


@pytest.mark.parametrize(("stem", "fmt"), CASES)
def test_header_fields_match_manifest(stem: str, fmt: str) -> None:
    # The txt originals 000-003 lack the "UBND TỈNH … / SỞ CÔNG THƯƠNG" block, but every field the
    # manifest expects is still derivable: number and place-date lines are present, the agency follows
    # from the province and the BC-SCT symbol. So no format is exempt.
    meta, expected = _meta(stem, fmt), REPORTS[stem]
    assert {f: meta[f] for f in FIELDS} == {f: expected[f] for f in FIELDS}
    assert _ws(meta["report_number_raw"]) == _ws(expected["report_number_raw"])
    assert _ws(meta["issue_date_raw"]) == _ws(expected["issue_date_raw"])


@pytest.mark.parametrize(("stem", "fmt"), CASES)
def test_subject_matches_manifest(stem: str, fmt: str) -> None:
    assert _ws(_meta(stem, fmt)["subject"]) == _ws(REPORTS[stem]["subject"])


@pytest.mark.parametrize(("stem", "fmt"), CASES)
def test_signer_matches_manifest(stem: str, fmt: str) -> None:
    signer, expected = _meta(stem, fmt)["signer"], REPORTS[stem]["signer"]
    assert signer is not None
    assert (signer["name"], signer["title"], signer["signing_capacity"]) == (
        expected["name"], expected["title"], expected["signing_capacity"])


@pytest.mark.parametrize(("stem", "fmt"), CASES)
def test_periods_and_roles_match_manifest(stem: str, fmt: str) -> None:
    meta = _meta(stem, fmt)
    got = [(p["type"], p["start"], p["end"], p["role"]) for p in meta["periods"]]
    assert got == [(p["type"], p["start"], p["end"], p["role"]) for p in REPORTS[stem]["periods"]]
    assert meta["period_keys"] == list(dict.fromkeys(p["key"] for p in meta["periods"]))
    assert all(p["label"] for p in meta["periods"])


def test_keys_and_years_for_filtering() -> None:
    assert _meta("000_89578c0fb5adbcc8", "txt")["period_keys"] == ["M2023-03", "Q2023-1", "Q2023-2"]
    assert _meta("002_368a2f4118ee684c", "pdf")["years"] == list(range(2016, 2026))


def test_report_issued_in_may_reports_the_first_half_year() -> None:
    meta = _meta("001_739995c49d508915", "docx")
    assert meta["issue_date"] == "2020-05-29"
    assert [(p["label"], p["role"]) for p in meta["periods"]] == [
        ("6 tháng đầu năm 2020", "reported"), ("6 tháng cuối năm 2020 (kế hoạch)", "plan")]


@pytest.mark.parametrize("stem", list(REPORTS))
def test_wrapped_pdf_lines_give_the_same_metadata(stem: str) -> None:
    """Metadata does not depend on the loader re-joining hard-wrapped lines (header on one line, subject
    over two)."""
    meta = extract_metadata(_raw_pdf_lines(CORPUS / "pdf" / f"{stem}.pdf")).to_dict()
    keep = ("province", "issue_date", "report_number", "subject", "signer", "period_keys")
    assert {k: meta[k] for k in keep} == {k: _meta(stem, "pdf")[k] for k in keep}


def test_metadata_of_an_empty_document_is_empty_not_an_error() -> None:
    meta = extract_metadata(LoadedDocument(Path("empty.txt"), "txt", []))
    assert meta.province is None and meta.periods == [] and meta.signer is None


def test_province_from_body_when_header_and_place_line_are_missing() -> None:
    blocks = [Block("paragraph", "BÁO CÁO"), Block("paragraph", "Tình hình hoạt động thương mại năm 2022"),
              Block("paragraph", "Sở Công Thương tỉnh Thái Bình báo cáo kết quả như sau: ...")]
    meta = extract_metadata(LoadedDocument(Path("x.txt"), "txt", blocks))
    assert meta.province == "Thái Bình"
    assert meta.issuing_agency == "Sở Công Thương tỉnh Thái Bình"
    assert meta.period_keys == ["Y2022"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Sở Công Thương tỉnh Trà Vinh", ["Trà Vinh"]),
    ("so cong thuong tra vinh", ["Trà Vinh"]),
    ("TRÀ VINH", ["Trà Vinh"]),
    ("Thai Binh", ["Thái Bình"]),
    ("Thành phố Hồ Chí Minh và TP.HCM", ["TP. Hồ Chí Minh"]),
    ("Bà Rịa - Vũng Tàu", ["Bà Rịa - Vũng Tàu"]),
    ("Vĩnh Long, Trà Vinh", ["Vĩnh Long", "Trà Vinh"]),
    ("Thái Bình Dương", []),
    ("vì hòa bình", []),
    ("tư tưởng Hồ Chí Minh", []),
    ("Trà Vinhh", []),
])
def test_find_provinces(text: str, expected: list[str]) -> None:
    assert find_provinces(text) == expected


def test_province_tables_are_complete() -> None:
    assert len(set(PROVINCES)) == 63
    assert set(MERGED_2025) == set(PROVINCES)
    assert len(set(MERGED_2025.values())) == 34
    assert MERGED_2025["Trà Vinh"] == "Vĩnh Long"
