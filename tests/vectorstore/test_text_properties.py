"""Search text is total: any string in, tokens out; NFC and NFD agree; folding is idempotent (Hypothesis)."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from tests.textgen import any_text, numbers, periods, syllables
from vectorstore import vitext
from vectorstore.diacritics import _SYLLABLE, DiacriticRestorer

RESTORER = DiacriticRestorer().fit([
    "Giá trị sản xuất công nghiệp tháng 3 năm 2023 ước đạt 2.582,06 tỷ đồng",
    "Tổng mức bán lẻ hàng hóa và dịch vụ quý I tăng so cùng kỳ; cửa hàng xăng dầu",
])


@given(any_text())
def test_tokens_of_nfc_and_nfd_text_are_the_same(text: str) -> None:
    nfc, nfd = unicodedata.normalize("NFC", text), unicodedata.normalize("NFD", text)
    assert sorted(vitext.tokens(nfd)) == sorted(vitext.tokens(nfc))
    assert all(isinstance(t, str) and t and " " not in t for t in vitext.tokens(text))


@given(any_text())
def test_folding_is_idempotent_and_leaves_no_diacritic(text: str) -> None:
    folded = vitext.fold(text)
    assert vitext.fold(folded) == folded
    assert not vitext.has_diacritics(folded)
    assert vitext.normalise(vitext.normalise(text)) == vitext.normalise(text)


@given(st.lists(syllables(), min_size=1, max_size=12))
def test_a_syllable_typed_without_diacritics_finds_the_same_word_token(words: list[str]) -> None:
    text = " ".join(words)
    accented = {t for t in vitext.tokens(text) if "_" not in t}
    plain = set(vitext.tokens(vitext.fold(text)))
    # stop words differ by design between the two spellings; every other syllable matches
    assert {t for t in accented if t not in vitext.STOP_WORDS_FOLDED} <= plain | {vitext.fold(w) for w in
                                                                                   vitext.STOP_WORDS}


@given(numbers(), periods())
def test_decimal_lengths_of_time_are_tokens_not_crashes(number: str, period: str) -> None:
    for text in (f"kéo dài {number} tháng", f"thời gian {number} quý", f"Trong {period} …", period):
        assert isinstance(vitext.tokens(text), list)


def test_decimal_months_and_quarters_keep_their_number() -> None:
    assert "1,5" in vitext.tokens("thời gian 1,5 tháng") and "1_thang" not in vitext.tokens("thời gian 1,5 tháng")
    assert "5.0" in vitext.tokens("kéo dài 5.0 tháng") and "2,5" in vitext.tokens("2,5 quý")
    assert "3_thang" in vitext.tokens("trong 3 tháng") and "thang_3" in vitext.tokens("tháng 03")


@given(any_text())
def test_restoring_diacritics_changes_only_the_marks(text: str) -> None:
    restored = RESTORER.restore(text)
    assert isinstance(restored, str)
    squeezed = vitext.fold("".join(_SYLLABLE.findall(text))).replace(" ", "")
    assert vitext.fold(restored).replace(" ", "") == squeezed


@given(st.lists(any_text(), max_size=5), any_text())
def test_restorer_fitted_on_any_text_answers_any_question(corpus: list[str], question: str) -> None:
    assert isinstance(DiacriticRestorer().fit(corpus).restore(question), str)
