"""Word 97 `.doc` files: converted by LibreOffice headless, read like the DOCX they came from."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from ingest.document import IngestError
from ingest.loaders import load
from ingest.loaders.legacy_doc import soffice
from tests.conftest import CORPUS

needs_soffice = pytest.mark.skipif(soffice() is None, reason="LibreOffice not installed")
REPORT = next((CORPUS / "docx").glob("004_*.docx"))  # footnotes, headings, the letterhead table


@pytest.fixture(scope="module")
def word97(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Report 004 saved as Word 97 by LibreOffice itself."""
    out = tmp_path_factory.mktemp("doc")
    subprocess.run([soffice(), f"-env:UserInstallation=file://{out / 'profile'}", "--headless",
                    "--convert-to", "doc", "--outdir", str(out), str(REPORT)],
                   check=True, capture_output=True, timeout=180)
    path = out / f"{REPORT.stem}.doc"
    assert path.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2, not a renamed docx
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@needs_soffice
def test_doc_reads_like_the_docx_it_was_saved_from_and_is_left_untouched(word97: Path) -> None:
    before = _digest(word97)
    doc, original = load(word97), load(REPORT)
    assert doc.format == "doc" and any("LibreOffice" in n for n in doc.notes)
    assert [(b.kind, b.text) for b in doc.blocks] == [(b.kind, b.text) for b in original.blocks]
    assert {k: f.text for k, f in doc.footnotes.items()} == {k: f.text for k, f in original.footnotes.items()}
    assert len(doc.footnotes) >= 4
    assert _digest(word97) == before and sorted(p.name for p in word97.parent.iterdir() if p.is_file()) == [
        word97.name]


@needs_soffice
def test_word97_file_renamed_docx_is_converted(manifest: dict) -> None:
    doc = load(CORPUS / "bad" / "legacy_word97_renamed.docx")
    original = load(next((CORPUS / "docx").glob("001_*.docx")))
    assert [b.text for b in doc.blocks] == [b.text for b in original.blocks]
    assert any(b.kind == "table_row" for b in doc.blocks)


def test_without_libreoffice_a_doc_is_refused_with_how_to_turn_it_on(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(IngestError) as info:
        load(CORPUS / "bad" / "legacy_word97_renamed.docx")
    assert info.value.code == "legacy_doc_format"
    assert ".docx" in info.value.message and "libreoffice-writer-nogui" in info.value.message


@needs_soffice
def test_a_conversion_that_hangs_is_stopped(monkeypatch, word97: Path) -> None:
    import ingest.loaders.legacy_doc as legacy_doc

    monkeypatch.setattr(legacy_doc, "CONVERT_TIMEOUT_S", 0.01)
    with pytest.raises(IngestError) as info:
        load(word97)
    assert info.value.code == "legacy_doc_format" and "giây" in info.value.message
