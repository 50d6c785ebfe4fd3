"""The upload's progress line: current file, passages and files done, and a time estimate once it means something."""

from __future__ import annotations

from ingest.job import FileResult
from ui.progress import OCR_SHARE, UiProgress, progress_markdown


def test_progress_names_the_file_counts_passages_and_estimates_the_rest() -> None:
    now = [100.0]
    seen: list[tuple[float, str]] = []
    p = UiProgress(lambda f, c: seen.append((f, c)), clock=lambda: now[0])
    p.files(2)
    p.file_started("bao-cao-thang-3.pdf")
    p.chunks(40)
    now[0] += 10
    p.chunks_done(16)
    fraction, caption = seen[-1]
    assert fraction == 0.2
    assert caption.startswith("Tệp 1/2: bao-cao-thang-3.pdf — đoạn 16/40 · đã xong 0/2 tệp")
    assert "còn khoảng 40 giây" in caption  # 10 s for a fifth of the work
    p.chunks_done(24)
    p.file_done(FileResult("bao-cao-thang-3.pdf", "indexed", 40))
    assert "đã xong 1/2 tệp" in seen[-1][1] and seen[-1][0] == 0.5


def test_no_estimate_before_there_is_anything_to_estimate_from() -> None:
    seen: list[tuple[float, str]] = []
    p = UiProgress(lambda f, c: seen.append((f, c)), clock=lambda: 0.0)
    p.files(1)
    p.file_started("a.docx")
    assert seen[-1] == (0.0, "Tệp 1/1: a.docx — đang đọc tệp · đã xong 0/1 tệp")
    assert progress_markdown(0.5, "x").startswith("**Đang nạp** `" + "█" * 10 + "░" * 10 + "` 50%")


def test_a_scan_shows_its_pages_being_read_and_the_bar_moves_with_them() -> None:
    now = [0.0]
    seen: list[tuple[float, str]] = []
    p = UiProgress(lambda f, c: seen.append((f, c)), clock=lambda: now[0])
    p.ocr_pages("quet.pdf", 0, 20)  # read first to check it against the indexed reports
    assert seen[-1] == (0.0, "Đang kiểm tra quet.pdf — nhận dạng ảnh quét: trang 0/20")
    p.files(1)
    p.file_started("quet.pdf")
    now[0] = 30.0
    p.ocr_pages("quet.pdf", 10, 20)
    fraction, caption = seen[-1]
    assert caption.startswith("Tệp 1/1: quet.pdf — nhận dạng ảnh quét: trang 10/20 · đã xong 0/1 tệp")
    assert fraction == OCR_SHARE / 2 and f"còn khoảng {round(30 * (1 - fraction) / fraction)} giây" in caption
    p.ocr_pages("quet.pdf", 20, 20)
    p.chunks(40)
    assert "đoạn 0/40" in seen[-1][1] and seen[-1][0] == OCR_SHARE
    p.chunks_done(40)
    assert seen[-1][0] == 1.0
