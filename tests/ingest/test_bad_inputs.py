"""Broken and awkward inputs: a clear Vietnamese message or a faithful repair, never a crash."""

from __future__ import annotations

import shutil
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest

from ingest.document import IngestError, LoadedDocument
from ingest.loaders import load
from ingest.sniff import MAX_FILE_BYTES
from tests.conftest import CORPUS, MANIFEST

BAD = CORPUS / "bad"
EXPECTED = {Path(b["path"]).name: b for b in MANIFEST["bad"]}
VIETNAMESE = set("ăâđêôơưàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ")
REPORTS = {r["stem"][:3]: r["stem"] for r in MANIFEST["reports"]}


def _error(path: Path, **kwargs: str) -> IngestError:
    with pytest.raises(IngestError) as info:
        load(path, **kwargs)
    err = info.value
    assert err.message and set(err.message.lower()) & VIETNAMESE, "message must be plain Vietnamese"
    return err


def _same(a: LoadedDocument, b: LoadedDocument) -> None:
    assert [(x.kind, x.text, x.footnote_ids, x.cells) for x in a.blocks] == [
        (x.kind, x.text, x.footnote_ids, x.cells) for x in b.blocks
    ]
    assert {k: f.text for k, f in a.footnotes.items()} == {k: f.text for k, f in b.footnotes.items()}


@pytest.fixture()
def no_converters(monkeypatch, tmp_path: Path) -> None:
    """A machine without Tesseract or LibreOffice (an empty PATH): their files get today's refusals."""
    monkeypatch.setenv("PATH", str(tmp_path))


@pytest.mark.parametrize("name", sorted(p.name for p in BAD.iterdir() if p.is_file()))
def test_every_bad_file_gives_a_document_or_a_clear_error(name: str, no_converters: None) -> None:
    try:
        doc = load(BAD / name)
    except IngestError as err:
        assert err.code and err.message
        expected = EXPECTED.get(name, {}).get("expected", {})
        if expected.get("outcome", "").startswith("reject"):
            assert err.code == expected["error"]
        return
    assert doc.blocks
    assert not EXPECTED.get(name, {}).get("expected", {}).get("outcome", "ingest").startswith("reject")


def test_scanned_pdf_asks_for_ocr(no_converters: None) -> None:
    err = _error(BAD / "scanned_image_only.pdf")
    assert err.code == "no_text_layer" and "OCR" in err.message


def test_truncated_pdf_is_refused_as_damaged() -> None:
    assert _error(BAD / "truncated_40pct.pdf").code == "corrupt_pdf"


def test_encrypted_pdf_needs_its_password() -> None:
    path = BAD / "encrypted_password_secret.pdf"
    assert _error(path).code == "encrypted_pdf"
    assert _error(path, password="sai-mat-khau").code == "encrypted_pdf"
    doc = load(path, password=EXPECTED[path.name]["password"])
    _same(doc, load(CORPUS / "pdf" / f"{REPORTS['001']}.pdf"))
    assert doc.pages == 7


def test_empty_file_is_refused() -> None:
    assert _error(BAD / "empty.pdf").code == "empty_file"


def test_html_saved_as_docx_is_not_a_word_file() -> None:
    err = _error(BAD / "not_a_zip.docx")
    assert err.code == "invalid_docx" and "HTML" in err.message


def test_legacy_word_file_is_asked_to_be_saved_as_docx(no_converters: None) -> None:
    err = _error(BAD / "legacy_word97_renamed.docx")
    assert err.code == "legacy_doc_format" and ".doc" in err.message and ".docx" in err.message


@pytest.mark.parametrize(
    ("name", "original"),
    [("windows1258.txt", "001"), ("nfd_decomposed.txt", "003"), ("utf8_bom_crlf.txt", "000")],
)
def test_encoding_variants_load_exactly_like_the_original(name: str, original: str) -> None:
    doc = load(BAD / name)
    _same(doc, load(CORPUS / "txt" / f"{REPORTS[original]}.txt"))
    assert not doc.blocks[0].text.startswith("\ufeff")


def test_nfd_text_is_searchable_in_nfc() -> None:
    assert any("Thái Bình" in b.text for b in load(BAD / "nfd_decomposed.txt").blocks)


def test_tcvn3_text_is_converted_to_unicode() -> None:
    doc = load(BAD / "tcvn3_abc.txt")
    expected = EXPECTED["tcvn3_abc.txt"]["expected"]["expected_text"]
    assert "\n\n".join(b.text for b in doc.blocks) == expected.strip()
    assert any("TCVN3" in note for note in doc.notes)


def test_tcvn3_mojibake_saved_as_utf8_is_repaired(tmp_path: Path) -> None:
    mojibake = (BAD / "tcvn3_abc.txt").read_bytes().decode("cp1252")
    assert "T×nh h×nh s¶n xuÊt" in mojibake
    path = tmp_path / "mojibake.txt"
    path.write_text(mojibake, encoding="utf-8")
    text = "\n\n".join(b.text for b in load(path).blocks)
    assert text == EXPECTED["tcvn3_abc.txt"]["expected"]["expected_text"].strip()


def test_vni_text_is_converted_not_indexed_as_mojibake(tmp_path: Path) -> None:
    vni = "Tình hình saûn xuaát coâng nghieäp vaø hoaït ñoäng thöông maïi thaùng 01 naêm 2021 taêng khaù.\n"
    path = tmp_path / "vni.txt"
    path.write_bytes((vni * 40).encode("cp1252"))
    text = load(path).blocks[0].text
    assert text.startswith("Tình hình sản xuất công nghiệp và hoạt động thương mại tháng 01 năm 2021 tăng khá.")


def test_thirty_megabyte_text_is_refused_quickly(tmp_path: Path) -> None:
    out = tmp_path / "large_30mb.txt"
    subprocess.run([sys.executable, str(BAD / "make_large.py"), str(out)], check=True, capture_output=True)
    assert out.stat().st_size == EXPECTED["large_30mb.txt"]["bytes"]
    assert _error(out).code == "too_large"


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.pdf"
    with path.open("wb") as fh:  # sparse: no disk space used
        fh.write(b"%PDF-1.7\n")
        fh.truncate(MAX_FILE_BYTES + 1)
    assert _error(path).code == "too_large"


def test_docx_zip_bomb_is_refused_from_its_declared_size(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b" " * (1 << 20)
            for _ in range(80):
                member.write(chunk)
    assert path.stat().st_size < 1_000_000
    assert _error(path).code == "too_large"


def test_zip_without_word_document_is_not_a_docx(tmp_path: Path) -> None:
    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "không phải Word")
    assert _error(path).code == "invalid_docx"


def test_odd_unicode_file_name_loads(tmp_path: Path) -> None:
    name = unicodedata.normalize("NFD", "Báo cáo Q1 — Trà Vinh ½ 😀 (bản sao).txt")
    path = tmp_path / name
    shutil.copyfile(CORPUS / "txt" / f"{REPORTS['000']}.txt", path)
    doc = load(path)
    assert doc.path == path
    _same(doc, load(CORPUS / "txt" / f"{REPORTS['000']}.txt"))


def test_content_decides_the_reader_not_the_extension(tmp_path: Path) -> None:
    pdf_named_docx = tmp_path / "bao_cao.docx"
    shutil.copyfile(CORPUS / "pdf" / f"{REPORTS['004']}.pdf", pdf_named_docx)
    assert load(pdf_named_docx).format == "pdf"
    docx_named_pdf = tmp_path / "bao_cao.pdf"
    shutil.copyfile(CORPUS / "docx" / f"{REPORTS['004']}.docx", docx_named_pdf)
    assert load(docx_named_pdf).format == "docx"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("trang_web.txt", b"<!DOCTYPE html><html><body>x</body></html>", "unsupported_type"),
        ("nhi_phan.txt", b"\x00\x01\x02binary\x00" * 100, "unsupported_type"),
        ("bang_tinh.xlsx", b"PK\x03\x04not really a zip", "unsupported_type"),
        ("hong.pdf", b"this is not a pdf at all", "corrupt_pdf"),
        ("khoang_trang.txt", b"   \n\n  \n", "no_text"),
    ],
)
def test_other_unreadable_inputs(tmp_path: Path, name: str, content: bytes, code: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert _error(path).code == code


def test_vni_mojibake_saved_as_utf8_is_converted(tmp_path: Path) -> None:
    vni = "Baùo caùo tình hình saûn xuaát coâng nghieäp vaø hoaït ñoäng thöông maïi cuûa Sôû Coâng Thöông.\n"
    path = tmp_path / "vni_utf8.txt"
    path.write_text(vni * 30, encoding="utf-8")
    assert load(path).blocks[0].text.startswith("Báo cáo tình hình sản xuất công nghiệp và hoạt động thương mại "
                                                 "của Sở Công Thương.")
