"""Number safety after OCR: look-alike letters fixed only inside figures, broken notation flagged."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ingest.loaders.ocr_numbers import figures_in, repair_token


def test_figures_in_vietnamese_notation_are_kept_and_trusted() -> None:
    for token in ["2.582,06", "19,01%", "3.133", "(99,2%),", "286.643", "2021.", "17.449kV", "121"]:
        assert repair_token(token) == (token, False), token


def test_letters_read_for_digits_are_fixed_and_flagged() -> None:
    assert repair_token("1O%") == ("10%", True)
    assert repair_token("l2,5") == ("12,5", True)
    assert repair_token("2O.5OO") == ("20.500", True)


def test_swapped_separators_are_not_guessed_but_flagged() -> None:
    assert repair_token("2,582.06") == ("2,582.06", True)
    assert repair_token("3.13") == ("3.13", True)  # a thousands group of two digits


def test_words_codes_and_heading_numbers_are_left_alone() -> None:
    for token in ["Quyết", "lO", "74/QĐ-UBND", "110kV", "V1-7", "01sản"]:
        assert repair_token(token) == (token, False), token
    assert repair_token("3.1.", line_start=True) == ("3.1.", False)


@given(st.text(max_size=40), st.booleans())
def test_repair_is_total_and_only_changes_look_alikes(token: str, line_start: bool) -> None:
    fixed, doubtful = repair_token(token, line_start)
    assert len(fixed) == len(token) and isinstance(doubtful, bool)
    for before, after in zip(token, fixed, strict=True):
        assert before == after or (before in "OolI|" and after in "01")
    if fixed != token:
        assert doubtful


@given(st.text(max_size=200))
def test_figures_in_is_total(text: str) -> None:
    assert all(any(ch.isdigit() for ch in f) for f in figures_in(text))
