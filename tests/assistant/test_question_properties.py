"""Understanding a question is total (Hypothesis): whatever is typed, it is understood or ignored, never a crash.

Questions with decimal months ("Trong 1,5 tháng …"), impossible dates, any tone mark in NFC or NFD,
no diacritics, control characters, other scripts; the periods understood never end before they start,
and NFC and NFD spellings of one question are understood alike.
"""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from assistant.periodmatch import match_periods, mentioned_periods, report_periods, report_year
from assistant.query import correct_terms, question_kind, understand
from ingest.periods import parse_periods
from tests.textgen import any_text, periods, vietnamese_text
from vectorstore import vitext

VOCABULARY = {w: 5 for w in vitext.tokens("giá trị sản xuất công nghiệp tháng quý năm tổng mức bán lẻ Trà Vinh")}


@given(any_text())
def test_any_question_is_understood_and_its_periods_are_in_order(question: str) -> None:
    q = understand(question, VOCABULARY)
    assert all(p.start <= p.end for p in q.periods)
    assert isinstance(q.search_text, str) and isinstance(q.content_tokens, set)
    question_kind(question)


@given(vietnamese_text())
def test_nfc_and_nfd_questions_are_understood_alike(question: str) -> None:
    nfc, nfd = (understand(unicodedata.normalize(f, question)) for f in ("NFC", "NFD"))
    assert nfc.periods == nfd.periods and nfc.provinces == nfd.provinces
    assert nfc.folded == nfd.folded


@given(periods(), st.sampled_from(["Trong {} giá trị sản xuất là bao nhiêu?", "{}", "tong muc ban le {} tra vinh"]))
def test_period_phrases_in_questions(phrase: str, template: str) -> None:
    q = understand(template.format(phrase))
    assert all(p.start <= p.end for p in q.periods)


@given(any_text(), st.one_of(st.none(), st.integers(1, 9999)), any_text())
def test_period_matching_of_any_passage(question: str, year: int | None, passage: str) -> None:
    asked = parse_periods(question, year)
    meta = {"periods": ",".join(p.key for p in asked), "issue_date": passage[:10]}
    match_periods(asked, passage, meta)
    assert all(p.start <= p.end for p in mentioned_periods(passage, year))
    report_periods(meta["periods"] + ",not-a-key")
    report_year(meta)


@given(st.lists(any_text().map(vitext.fold), max_size=6))
def test_typo_correction_of_any_words(words: list[str]) -> None:
    assert len(correct_terms(words, VOCABULARY)) == len(words)


def test_decimal_months_in_a_question() -> None:
    q = understand("Trong 1,5 tháng giá trị sản xuất công nghiệp tăng bao nhiêu?")
    assert "1,5" in q.content_terms and q.periods == []
