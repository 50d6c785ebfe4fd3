"""Chunk budgets are counted with the embedder's own tokenizer: sizes agree with the model's count
and no chunk is longer than the window the model reads."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.chunker import Budget, budget_for, chunk_document
from ingest.loaders import load
from ingest.metadata import extract_metadata
from tests.conftest import SHARED
from vectorstore.embeddings import make_embeddings

LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
PLAIN = LETTERS + LETTERS.upper() + "0123456789.,;:!?%/-()[]“”\"' \n\t"
ODD = "\xa0\u2003\u200b\x1c\x1f\x0b\x85\x00\x7f\ufeff😀⁽²⁾…–"


@pytest.fixture(scope="module")
def e5():
    return make_embeddings("e5")


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=PLAIN, max_size=160))
def test_size_is_the_models_count_for_ordinary_text(text):
    model = make_embeddings("e5")
    budget = budget_for(model)
    if text.strip():
        assert budget.size(text) + budget.overhead == model.count_tokens(text)


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=PLAIN + ODD, max_size=160))
def test_size_never_undercounts_odd_text(text):
    model = make_embeddings("e5")
    budget = budget_for(model)
    if text.strip():
        assert budget.size(text) + budget.overhead >= model.count_tokens(text)


def test_fit_cuts_between_words_to_the_window(e5):
    budget = Budget(e5.count_tokens, window=40)
    text = "Giá trị sản xuất công nghiệp tháng 3/2023 ước đạt 2.582,06 tỷ đồng, tăng 14% so tháng trước. " * 4
    cut = budget.fit(text)
    next_word = text[len(cut):].split()[0]
    assert e5.count_tokens(cut) <= 40 < e5.count_tokens(f"{cut} {next_word}")
    assert text.startswith(cut) and cut == cut.rstrip()
    assert budget.fit("Tổng mức bán lẻ.") == "Tổng mức bán lẻ."


def test_every_chunk_of_the_real_reports_fits_e5(e5):
    report = SHARED / "corpus" / "txt" / "001_739995c49d508915.txt"
    doc = load(report)
    chunks = chunk_document(doc, report.name, extract_metadata(doc).to_dict(), budget_for(e5))
    sizes = [e5.count_tokens(c.text) for c in chunks]
    assert chunks and max(sizes) <= e5.max_tokens == 512
    assert sum(sizes) / len(sizes) > 120, "chunks are filled to the body budget, not cut into scraps"
