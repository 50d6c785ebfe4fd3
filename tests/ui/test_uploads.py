"""Uploaded file names become report ids and stored file names: they must be plain, safe basenames."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from ui.uploads import discard, safe_name, stage


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Báo cáo tháng 3.pdf", "Báo cáo tháng 3.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\vanthu\\BC quý I.DOCX", "BC quý I.docx"),
        ('bc<1>:"x"?.txt', "bc_1_x_.txt"),
        ("..", "tai-lieu"),
        (".bashrc", "bashrc"),
        ("a\x00b\nc.md", "abc.md"),
    ],
)
def test_safe_name(given: str, expected: str) -> None:
    assert safe_name(given) == expected


def test_safe_name_composes_vietnamese_and_limits_length() -> None:
    nfd = unicodedata.normalize("NFD", "Báo cáo Sở Công Thương.txt")
    assert safe_name(nfd) == "Báo cáo Sở Công Thương.txt"
    long = safe_name("x" * 400 + ".pdf")
    assert long.endswith(".pdf") and len(long) <= 150


def test_stage_copies_under_index_uploads_and_discard_removes(tmp_path: Path, corpus: Path) -> None:
    src = tmp_path / "in" / "bc:01.txt"
    src.parent.mkdir()
    src.write_bytes((corpus / "txt" / "001_739995c49d508915.txt").read_bytes())
    staged = stage([src], tmp_path / "index")
    assert [p.relative_to(tmp_path) for p in staged] == [Path("index/uploads/bc_01.txt")]
    assert staged[0].read_bytes() == src.read_bytes()
    discard(staged)
    assert not staged[0].exists() and src.exists()
