"""Follow-up questions become standalone: what changed replaces, the rest is carried over."""

from __future__ import annotations

import json

import pytest

from assistant.compose.llm import make_llm
from assistant.history import clarification, parse_rewrite, resolve_followup, rewrite_prompt
from tests.conftest import SHARED
from tests.llm_stub import LLMStub
from vectorstore.settings import Settings

GTSX = "Giá trị sản xuất công nghiệp tháng 3/2023 của Trà Vinh đạt bao nhiêu?"
WEBSITE = "9 tháng đầu năm 2023, Sở Công Thương Thái Bình hỗ trợ bao nhiêu đơn vị xây dựng website?"

FOLLOW_UPS = [
    # previous question, follow-up, standalone question
    (GTSX, "còn tháng 1/2021 thì sao?",
     "Giá trị sản xuất công nghiệp tháng 1/2021 của Trà Vinh đạt bao nhiêu?"),
    (GTSX, "còn tháng 1?", "Giá trị sản xuất công nghiệp tháng 1/2023 của Trà Vinh đạt bao nhiêu?"),
    (GTSX, "quý II thì sao", "Giá trị sản xuất công nghiệp quý II/2023 của Trà Vinh đạt bao nhiêu?"),
    (GTSX, "còn 9 tháng?", "Giá trị sản xuất công nghiệp 9 tháng đầu năm 2023 của Trà Vinh đạt bao nhiêu?"),
    (GTSX, "còn năm 2022?", "Giá trị sản xuất công nghiệp năm 2022 của Trà Vinh đạt bao nhiêu?"),
    (GTSX, "còn Thái Bình?", "Giá trị sản xuất công nghiệp tháng 3/2023 của Thái Bình đạt bao nhiêu?"),
    (GTSX, "con thai binh", "Giá trị sản xuất công nghiệp tháng 3/2023 của Thái Bình đạt bao nhiêu?"),
    (GTSX, "so với cùng kỳ?",
     "Giá trị sản xuất công nghiệp tháng 3/2023 của Trà Vinh đạt bao nhiêu so với cùng kỳ?"),
    (GTSX, "tăng bao nhiêu so với cùng kỳ?",
     "Giá trị sản xuất công nghiệp tháng 3/2023 của Trà Vinh tăng bao nhiêu so với cùng kỳ?"),
    (GTSX, "thế còn xuất khẩu?", "Xuất khẩu tháng 3/2023 của Trà Vinh đạt bao nhiêu?"),
    (GTSX, "Còn tổng mức bán lẻ thì sao?", "Tổng mức bán lẻ tháng 3/2023 của Trà Vinh đạt bao nhiêu?"),
    (GTSX, "Kim ngạch xuất khẩu đạt bao nhiêu?",
     "Kim ngạch xuất khẩu tháng 3/2023 của tỉnh Trà Vinh đạt bao nhiêu?"),
    (GTSX, "còn xuất khẩu tăng bao nhiêu?", "Xuất khẩu tháng 3/2023 của tỉnh Trà Vinh tăng bao nhiêu?"),
    (WEBSITE, "còn Trà Vinh?",
     "9 tháng đầu năm 2023, Sở Công Thương Trà Vinh hỗ trợ bao nhiêu đơn vị xây dựng website?"),
    (WEBSITE, "quý I thì sao?",
     "Quý I/2023, Sở Công Thương Thái Bình hỗ trợ bao nhiêu đơn vị xây dựng website?"),
    (WEBSITE, "thế còn xuất khẩu?", "Xuất khẩu 9 tháng đầu năm 2023 của tỉnh Thái Bình?"),
    ("Giá trị sản xuất công nghiệp tháng 3 và lũy kế quý I/2023 của Trà Vinh?", "còn tháng 1/2021?",
     "Giá trị sản xuất công nghiệp tháng 1/2021 của Trà Vinh?"),
    ("gia tri san xuat cong nghiep thang 3/2023", "con tra vinh",
     "Gia tri san xuat cong nghiep thang 3/2023 của tỉnh Trà Vinh"),
]


@pytest.mark.parametrize(("previous", "question", "expected"), FOLLOW_UPS)
def test_followup_becomes_standalone(previous, question, expected):
    history = [{"question": previous, "answer": "…"}]
    assert resolve_followup(question, history) == expected


def test_followups_chain_over_several_turns():
    history = [{"question": GTSX, "answer": ""}, {"question": "còn quý I thì sao?", "answer": ""},
               {"question": "còn Thái Bình?", "answer": ""}]
    assert resolve_followup("thế còn xuất khẩu?", history) == (
        "Xuất khẩu quý I/2023 của Thái Bình đạt bao nhiêu?")
    assert resolve_followup("so với cùng kỳ?", history) == (
        "Giá trị sản xuất công nghiệp quý I/2023 của Thái Bình đạt bao nhiêu so với cùng kỳ?")


STANDALONE = [
    "Quyết định 2366 là gì?",
    "Còn kim ngạch xuất khẩu 9 tháng 2023 của Thái Bình thì sao?",
    "Kết quả bình chọn sản phẩm công nghiệp nông thôn tiêu biểu tỉnh Trà Vinh lần thứ V năm 2020 thế nào?",
]


@pytest.mark.parametrize("question", STANDALONE)
def test_standalone_question_is_unchanged(question):
    assert resolve_followup(question, [{"question": GTSX, "answer": "…"}]) == question


def test_no_history_means_no_change():
    assert resolve_followup("còn Thái Bình?", []) == "còn Thái Bình?"


def test_every_dev_question_stands_alone_after_another_question():
    """Real questions people ask are complete: a previous turn must not leak into them."""
    lines = (SHARED / "eval" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line)["question"] for line in lines if line.strip()]
    for before, question in zip(questions, questions[1:], strict=False):
        assert resolve_followup(question, [{"question": before, "answer": ""}]) == question


def test_llm_rewrite_prompt_and_reply_over_http():
    answer = "Theo báo cáo tháng 3/2023 – Trà Vinh: ước đạt 2.582,06 tỷ đồng [1]. " * 20
    history = [{"question": GTSX, "answer": answer}]
    messages = rewrite_prompt("còn Thái Bình?", history)
    system, user = messages[0]["content"], messages[1]["content"]
    assert "câu hỏi độc lập" in system.lower() and "tỉnh mới thay tỉnh cũ" in system
    assert GTSX in user and "còn Thái Bình?" in user
    assert "Giá trị sản xuất công nghiệp tháng 3/2023 của Thái Bình đạt bao nhiêu?" in user  # rule-based hint
    assert len(user) < 1200  # long answers are cut
    wanted = "Giá trị sản xuất công nghiệp tháng 3/2023 của tỉnh Thái Bình đạt bao nhiêu?"
    with LLMStub(reply=f"Câu hỏi độc lập: «{wanted}»") as stub:
        reply = make_llm(Settings(llm="openai:m", llm_base_url=stub.base_url, llm_timeout=5)).complete(messages)
    assert parse_rewrite(reply, "fallback") == wanted
    assert stub.last["messages"] == messages


@pytest.mark.parametrize(("reply", "expected"), [
    ("", "fallback"),
    ("<think>...</think>\nGTSX tháng 3/2023 của Thái Bình?", "GTSX tháng 3/2023 của Thái Bình?"),
    ("x" * 2000, "fallback"),
])
def test_parse_rewrite_falls_back_on_useless_replies(reply, expected):
    assert parse_rewrite(reply, "fallback") == expected


def test_a_period_alone_after_a_document_question_is_asked_back() -> None:
    after_doc = [{"question": "Quyết định 1520 năm 2021 giao nhiệm vụ gì?", "answer": "..."}]
    assert "chỉ tiêu nào của tháng 4" in clarification("còn tháng 4 thì sao?", after_doc)
    assert "chỉ tiêu nào của tháng 4" in clarification("thế còn tháng 4?", [])  # nothing to carry over
    assert clarification("thì sao?", []).startswith("Anh/chị muốn hỏi")


def test_a_period_swap_on_an_indicator_question_is_not_asked_back() -> None:
    earlier = [{"question": "Kim ngạch xuất khẩu tháng 2/2022 đạt bao nhiêu?", "answer": "..."}]
    assert clarification("còn tháng 4 thì sao?", earlier) is None
    assert clarification("còn nhập khẩu thì sao?", []) is None
    assert clarification("Ai ký quyết định 1520?", []) is None
