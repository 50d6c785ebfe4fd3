"""The figure check every answer passes: a figure must be one the cited passage wrote."""

from __future__ import annotations

from assistant.checks import check_sentences, supported
from assistant.retriever import Hit
from vectorstore.chroma_store import StoredChunk

PASSAGE = ("Hỗ trợ 02 doanh nghiệp⁽¹²⁾ quảng bá trên sàn giao dịch nước ngoài.\n"
           "Chú thích ⁽¹²⁾: Công ty TNHH Lam Sơn và Công ty TNHH Giang Nam, doanh thu 35 tỷ đồng")


def test_a_footnotes_label_is_not_a_figure_to_check() -> None:
    """The composer writes "Chú thích (12):" for the mark ⁽¹²⁾: the footnote must survive the check."""
    assert supported("Chú thích (12): Công ty TNHH Lam Sơn và Công ty TNHH Giang Nam", [PASSAGE])
    hits = [Hit(StoredChunk("c1", PASSAGE, {}), 1.0)]
    kept = check_sentences([("Chú thích (12): Công ty TNHH Lam Sơn và Công ty TNHH Giang Nam", [0])], hits)
    assert len(kept) == 1


def test_a_figure_in_a_footnote_is_still_checked() -> None:
    assert supported("Chú thích (12): doanh thu 35 tỷ đồng", [PASSAGE])
    assert not supported("Chú thích (12): doanh thu 53 tỷ đồng", [PASSAGE])
    assert not supported("Doanh nghiệp (12) đạt 12 tỷ", ["Doanh nghiệp đạt 1 tỷ"])  # only the label is exempt
