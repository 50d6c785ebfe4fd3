"""Scanned PDFs: pages without a text layer read by Tesseract (vie), cited as read from a scan.

Real files only: the corpus scan (pages 1-2 of report 004 rasterised) and a mixed PDF built here from
report 000 with its second page replaced by a picture of itself. Three pages are OCR'd in all.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from assistant.checks import figures
from assistant.citations import number_sentences
from assistant.retriever import Hit
from assistant.service import AskService
from bench.ocr_bench import cer
from ingest.chunker import split_sentences
from ingest.document import IngestError, LoadedDocument
from ingest.job import FileResult, Progress, run_ingest
from ingest.loaders import load
from ingest.loaders.ocr import ocr_unavailable
from tests.indexes import CORPUS, make_settings
from tests.ingest.cli_run import baocao
from vectorstore.index import open_index
from vectorstore.settings import Settings

SCAN = CORPUS / "bad" / "scanned_image_only.pdf"
ORIGINAL = next((CORPUS / "txt").glob("004_*.txt")).read_text(encoding="utf-8")
REPORT_004 = next((CORPUS / "pdf").glob("004_*.pdf"))
REPORT_000 = next((CORPUS / "pdf").glob("000_*.pdf"))
needs_ocr = pytest.mark.skipif(ocr_unavailable() is not None, reason=f"OCR not installed: {ocr_unavailable()}")
# Questions of our own whose answers are on pages 1-2 of report 004 (Trà Vinh, January 2021).
QUESTIONS = [
    "Giá trị sản xuất công nghiệp của Trà Vinh trong tháng 01/2021 ước đạt bao nhiêu tỷ đồng?",
    "Tháng 1 năm 2021 tổng mức bán lẻ hàng hóa và dịch vụ tỉnh Trà Vinh là bao nhiêu?",
    "Đến tháng 01/2021 Trà Vinh có bao nhiêu hộ sử dụng điện?",
]


class RecordedProgress(Progress):
    """Every hook call of an ingest, in the order the job made them."""

    def __init__(self) -> None:
        self.events: list[tuple] = []

    def file_started(self, name: str) -> None:
        self.events.append(("file", name))

    def chunks(self, total: int) -> None:
        self.events.append(("chunks", total))

    def ocr_pages(self, name: str, done: int, total: int) -> None:
        self.events.append(("ocr", name, done, total))

    def file_done(self, result: FileResult) -> None:
        self.events.append(("done", result.file))


SCAN_PROGRESS = RecordedProgress()


@pytest.fixture(scope="module")
def scan_index(tmp_path_factory: pytest.TempPathFactory, vector_cache: Path) -> Settings:
    """The corpus scan ingested by the real job (the only OCR of it in this module), its progress recorded."""
    settings = make_settings(tmp_path_factory.mktemp("idx-scan"), vector_cache)
    report = run_ingest(open_index(settings), [SCAN], SCAN_PROGRESS)
    assert [r.status for r in report.results] == ["indexed"], [(r.file, r.reason) for r in report.results]
    return settings


@needs_ocr
def test_the_ingest_progress_receives_each_ocr_page_in_order_before_the_passages(scan_index: Settings) -> None:
    name = SCAN.name
    ocr = [e for e in SCAN_PROGRESS.events if e[0] == "ocr"]
    assert ocr == [("ocr", name, 0, 2), ("ocr", name, 1, 2), ("ocr", name, 2, 2)]
    kinds = [e[0] for e in SCAN_PROGRESS.events]
    assert kinds[0] == "file" and kinds.index("chunks") > kinds.index("ocr") + 2 and kinds[-1] == "done"


@needs_ocr
def test_the_cli_prints_the_scan_pages_while_it_reads_them(tmp_path: Path, vector_cache: Path) -> None:
    done = baocao(["ingest", str(SCAN), "--index", str(tmp_path / "idx")], vector_cache)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [line for line in done.stderr.splitlines() if line.startswith("Nhận dạng ảnh quét: trang")]
    assert lines == [f"Nhận dạng ảnh quét: trang {n}/2 (tệp {SCAN.name})" for n in (0, 1, 2)]
    assert "scanned_image_only.pdf │ đã nạp" in done.stdout


@pytest.fixture(scope="module")
def text_index(tmp_path_factory: pytest.TempPathFactory, vector_cache: Path) -> Settings:
    settings = make_settings(tmp_path_factory.mktemp("idx-004"), vector_cache)
    assert run_ingest(open_index(settings), [REPORT_004]).count("indexed") == 1
    return settings


def _chunks(settings: Settings) -> list[tuple[str, dict]]:
    """(body, metadata) of every stored chunk, in document order."""
    chunks = sorted(open_index(settings).store.iter_chunks(), key=lambda c: int(c.metadata["position"]))
    return [(c.text[int(c.metadata.get("header_len", 0)):], c.metadata) for c in chunks]


@needs_ocr
def test_scan_is_read_with_the_page_of_every_passage_and_flagged_as_ocr(scan_index: Settings) -> None:
    chunks = _chunks(scan_index)
    assert chunks and all(meta.get("ocr") is True for _, meta in chunks)
    assert {meta["page"] for _, meta in chunks} == {1, 2}


@needs_ocr
def test_no_figure_read_from_the_scan_is_silently_wrong(scan_index: Settings) -> None:
    """Every figure OCR produced is either in the original text or listed as unverified on its passage."""
    original = " ".join(ORIGINAL.split())
    silent = []
    for body, meta in _chunks(scan_index):
        unverified = set(str(meta.get("unverified") or "").split("; "))
        silent += [f for f in figures(body) if f not in original and f not in unverified]
    assert silent == []


@needs_ocr
def test_questions_on_the_scan_get_the_figures_of_the_text_pdf_cited_as_ocr(
    scan_index: Settings, text_index: Settings
) -> None:
    scan, text = AskService(scan_index), AskService(text_index)
    for question in QUESTIONS:
        from_scan, from_text = scan.ask(question), text.ask(question)
        assert not from_scan["abstained"] and not from_text["abstained"], question
        stated = set(figures(re.sub(r"\[\d+\]", "", from_scan["answer"])))
        assert stated and stated <= set(figures(from_text["answer"])), (from_scan["answer"], from_text["answer"])
        cited = from_scan["citations"][0]
        assert cited["ocr"] is True and cited["ocr_note"] == "(nhận dạng từ ảnh quét)" and cited["page"] in (1, 2)


def _page_text(doc: LoadedDocument, page: int) -> str:
    """Paragraphs then footnotes that start on a page."""
    return " ".join([b.text for b in doc.blocks if b.page == page] +
                    [f.text for f in doc.footnotes.values() if f.page == page])


def mixed_pdf(dest: Path, scanned_page: int = 2) -> Path:
    """Report 000 with one page replaced by a 150 dpi grayscale picture of itself (no text layer)."""
    import pypdfium2

    source = PdfReader(REPORT_000)
    image = pypdfium2.PdfDocument(str(REPORT_000))[scanned_page - 1].render(scale=150 / 72, grayscale=True)
    buffer = io.BytesIO()
    image.to_pil().convert("L").save(buffer, "PDF", resolution=150.0)
    writer = PdfWriter()
    for number, page in enumerate(source.pages, 1):
        writer.add_page(PdfReader(buffer).pages[0] if number == scanned_page else page)
    writer.write(dest)
    return dest


@needs_ocr
def test_mixed_pdf_gets_ocr_on_its_scanned_page_only(tmp_path: Path) -> None:
    path = mixed_pdf(tmp_path / "hon_hop.pdf")
    doc, original = load(path), load(REPORT_000)
    assert doc.ocr_pages == [2] and doc.pages == original.pages
    assert _page_text(doc, 1) == _page_text(original, 1)
    assert _page_text(doc, 4) == _page_text(original, 4)
    assert cer(_page_text(doc, 2), _page_text(original, 2))[0] <= 0.03
    assert any("OCR" in note for note in doc.notes)


@needs_ocr
def test_a_scan_read_again_is_not_ocr_d_again(tmp_path: Path) -> None:
    """The app reads an upload to check for duplicates, then to index it: the pages are read once."""
    path = mixed_pdf(tmp_path / "hai_lan.pdf", scanned_page=3)
    first, second = [], []
    doc = load(path, on_page=lambda done, total: first.append((done, total)))
    again = load(path, on_page=lambda done, total: second.append((done, total)))
    assert first == [(0, 1), (1, 1)] and second == [(1, 1)]
    assert again.ocr_pages == doc.ocr_pages == [3] and _page_text(again, 3) == _page_text(doc, 3)


def test_without_ocr_a_scan_is_refused_with_how_to_turn_ocr_on(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract on this PATH
    with pytest.raises(IngestError) as info:
        load(SCAN)
    assert info.value.code == "no_text_layer"
    assert "OCR" in info.value.message and "tesseract-ocr-vie" in info.value.message


def test_without_ocr_a_mixed_pdf_is_indexed_and_says_which_pages_were_not_read(monkeypatch, tmp_path: Path) -> None:
    path = mixed_pdf(tmp_path / "hon_hop.pdf", scanned_page=3)
    monkeypatch.setenv("PATH", str(tmp_path))
    doc = load(path)
    assert doc.ocr_pages == [] and not any(b.page == 3 for b in doc.blocks)
    assert any("trang 3 " in note.lower() and "tesseract-ocr-vie" in note for note in doc.notes)


@needs_ocr
def test_a_figure_ocr_was_unsure_of_is_stated_as_unverified_in_the_answer(scan_index: Settings) -> None:
    stored = [c for c in open_index(scan_index).store.iter_chunks() if c.metadata.get("unverified")]
    assert stored, "the scan has figures Tesseract read with low confidence"
    hit = Hit(stored[0], 1.0)
    figure = str(stored[0].metadata["unverified"]).split("; ")[0]
    sentence = next(s for s in split_sentences(hit.body) if figure in s)
    lines, citations = number_sentences([(sentence, [0])], [hit])
    assert f"chưa kiểm chứng: {figure}" in lines[0] and lines[0].endswith("[1].")
    assert citations[0].ocr_note == "(nhận dạng từ ảnh quét)" and figure in citations[0].unverified
    trusted = [c for c in open_index(scan_index).store.iter_chunks() if not c.metadata.get("unverified")]
    plain, _ = number_sentences([(split_sentences(Hit(trusted[0], 1.0).body)[0], [0])], [Hit(trusted[0], 1.0)])
    assert "chưa kiểm chứng" not in plain[0]
