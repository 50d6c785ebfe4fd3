"""Bad input through the real `baocao ingest`: a plain Vietnamese reason for each bad file, the good
ones indexed, and the reports already in the index left exactly as they were."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import unicodedata
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfWriter

from ingest.document import IngestError
from ingest.loaders import load
from tests.conftest import CORPUS, MANIFEST
from tests.ingest.cli_run import baocao, dump_index, ingest_json

BAD = CORPUS / "bad"
VIETNAMESE = set("ăâđêôơưàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ")
HELD = ["001_739995c49d508915", "004_b2627541d245ea87"]  # already in the index before the bad batch
GOOD = [CORPUS / "txt" / "003_1270833f58a97ba9.txt"]
SHOULD_INGEST = {Path(b["path"]).name for b in MANIFEST["bad"] if b["expected"]["outcome"].startswith("ingest")
                 and b["path"].endswith(".txt") and "large" not in b["path"]}


def pdf_with_pages(path: Path, pages: int) -> Path:
    """A real PDF of blank pages, written in well under a second."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    writer.write(path)
    return path


def zip_bomb(path: Path) -> Path:
    """A 100 KB .docx whose document.xml inflates to 80 MB."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(80):
                member.write(b" " * (1 << 20))
    return path


def generated_bad(folder: Path) -> list[Path]:
    """Bad inputs made on the spot, including two that carry the names of reports already indexed."""
    folder.mkdir(parents=True)
    large = folder / "large_30mb.txt"
    subprocess.run([sys.executable, str(BAD / "make_large.py"), str(large)], check=True, capture_output=True)
    made = [large, pdf_with_pages(folder / "hai_nghin_trang.pdf", 2000), zip_bomb(folder / "bom_nen.docx")]
    samples = {
        f"{HELD[0]}.txt": b"\x00\x01\x02 binary \x00" * 200,  # a damaged copy of an indexed report
        f"{HELD[1]}.txt": b"<!DOCTYPE html><html><body>trang web</body></html>",
        "bang_tinh.xlsx": b"PK\x03\x04 not a zip",
        "chi_khoang_trang.txt": b"  \n\n \t \n",
        "hong.pdf": b"%PDF-1.7\n1 0 obj <<>> endobj\n",
        "khong_duoi": b"Bao cao khong co phan mo rong",
    }
    for name, content in samples.items():
        (folder / name).write_bytes(content)
        made.append(folder / name)
    return made


def refused_reason(refused: list[dict], name: str) -> str:
    return next(r["reason"] for r in refused if r["file"] == name)


def plain_vietnamese(reason: str) -> bool:
    """A reason a clerk can read: Vietnamese words, no exception class or traceback."""
    return bool(set(reason.lower()) & VIETNAMESE) and not any(
        w in reason for w in ("Traceback", "Error", "Exception", "errno", "object at 0x"))


def test_two_thousand_page_pdf_is_refused_quickly_with_its_page_count(tmp_path: Path) -> None:
    started = time.perf_counter()
    path = pdf_with_pages(tmp_path / "2000_trang.pdf", 2000)
    with pytest.raises(IngestError) as info:
        load(path)
    assert info.value.code == "too_large" and "2000 trang" in info.value.message
    assert time.perf_counter() - started < 30, "generating and refusing must not take long"


def test_mixed_batch_reports_every_bad_file_and_leaves_held_reports_untouched(
    txt_index, vector_cache: Path, tmp_path: Path
) -> None:
    index = tmp_path / "index"
    first = ingest_json([CORPUS / "txt" / f"{s}.txt" for s in HELD], index, vector_cache)
    assert first["counts"]["indexed"] == len(HELD)
    before = dump_index(index, vector_cache)

    bad = sorted(p for p in BAD.iterdir() if p.is_file())
    inputs = GOOD + bad + generated_bad(tmp_path / "sinh")
    # Without Tesseract and LibreOffice on the PATH (tested with them in test_ocr.py, test_legacy_doc.py),
    # the scan and the Word 97 file get their refusals, which must say how to turn those readers on.
    report = ingest_json(inputs, index, vector_cache, timeout=600, PATH=str(tmp_path / "khong_co_chuong_trinh"))
    after = dump_index(index, vector_cache)

    results = {Path(p).name + str(i): r for i, (p, r) in enumerate(zip(inputs, report["files"]))}
    assert len(report["files"]) == len(inputs), "every input gets exactly one outcome"
    assert [r["file"] for r in report["files"]] == [p.name for p in inputs]
    indexed = {r["file"] for r in report["files"] if r["status"] == "indexed"}
    refused = [r for r in report["files"] if r["status"] == "refused"]
    assert indexed == {p.name for p in GOOD} | SHOULD_INGEST, results
    assert len(refused) == len(inputs) - len(indexed)
    for r in refused:
        assert r["code"] not in ("", "internal_error"), f"{r['file']}: an unexpected crash, not a reason: {r['reason']}"
        assert plain_vietnamese(r["reason"]), f"{r['file']}: {r['reason']!r}"
    codes = {r["file"]: r["code"] for r in refused}
    assert codes["hai_nghin_trang.pdf"] == "too_large" and codes["bom_nen.docx"] == "too_large"
    assert codes["large_30mb.txt"] == "too_large"
    assert "apt-get install" in refused_reason(refused, "scanned_image_only.pdf")
    assert "apt-get install" in refused_reason(refused, "legacy_word97_renamed.docx")

    for stem in HELD:  # byte for byte: same record, same chunk ids, texts and metadata, same stored original
        doc = f"{stem}.txt"
        assert after["records"][doc] == before["records"][doc]
        assert after["chunks"][doc] == before["chunks"][doc]
        assert after["files"][doc] == before["files"][doc]
    assert set(after["records"]) == {f"{s}.txt" for s in HELD} | indexed
    assert set(after["chunks"]) == set(after["records"]), "no chunks of a refused file"
    assert after["lexical_ids"] == after["chroma_ids"] and after["provisional"] == 0
    print(f"\ninputs tried: {len(inputs)}, refused with a reason: {len(refused)}, indexed: {len(indexed)}, "
          f"held reports unchanged: {len(HELD)}, lost: 0")


ODD_NAMES = [
    unicodedata.normalize("NFD", "Báo cáo tháng 3 – Trà Vinh.txt"),  # combining marks (as macOS writes them)
    "\u202ebáo cáo đảo chiều.txt",  # a right-to-left override that would disguise the name
    "تقرير báo cáo עברית.txt",  # right-to-left scripts
    "Báo cáo 📊🇻🇳 quý I.txt",  # emoji, flag sequences
    "báo cáo [bold] [tháng 3].txt",  # console markup lookalikes
    "Báo cáo " + "rất dài " * 20 + ".txt",  # near the 255-byte limit of file names
]


def test_odd_names_and_dot_dot_paths_through_the_cli(txt_index, vector_cache: Path, tmp_path: Path) -> None:
    src = CORPUS / "txt" / f"{HELD[0]}.txt"
    folder = tmp_path / "vao"
    (folder / "con").mkdir(parents=True)
    for name in ODD_NAMES:
        assert len(name.encode()) <= 255
        shutil.copyfile(src, folder / name)
    paths = [str(folder / "con" / ".." / name) for name in ODD_NAMES]  # named through ../
    index = tmp_path / "index"
    report = ingest_json(paths, index, vector_cache)
    assert [r["status"] for r in report["files"]] == ["indexed"] * len(ODD_NAMES), report

    state = dump_index(index, vector_cache)
    expected = {unicodedata.normalize("NFC", n).replace("\u202e", "") for n in ODD_NAMES}
    assert set(state["records"]) == expected, "ids are the visible NFC names"
    assert set(state["files"]) == expected, "each stored original is inside files/, under its id"
    assert not list((index.parent).glob("*.txt")), "nothing was written outside the index through ../"
    assert state["lexical_ids"] == state["chroma_ids"]

    table = baocao(["ingest", *paths, "--index", str(index), "-q"], vector_cache, COLUMNS="400")
    assert table.returncode == 0 and "[bold] [tháng 3]" in table.stdout, table.stderr[-2000:]
    nfc = unicodedata.normalize("NFC", ODD_NAMES[0])
    removed = baocao(["docs", "--index", str(index), "--remove", nfc], vector_cache)
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert nfc not in dump_index(index, vector_cache)["records"], "the name typed in NFC removes the NFD file"
