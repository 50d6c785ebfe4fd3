"""Questions that are not really questions: empty, only symbols/emoji, or pasted whole documents.

Such input gets a plain Vietnamese reply instead of a search: an empty or
symbol-only question cannot be searched, and a 10,000-character paste would
cost seconds of query understanding for nothing (the embedder reads ~512
tokens anyway). Long questions are cut to their first MAX_QUESTION_CHARS
characters and the user is told so.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from assistant.answer_record import AnswerRecord, plain_record

MAX_QUESTION_CHARS = 500
EMPTY_REPLY = ("Chưa có câu hỏi. Hãy nhập câu hỏi về số liệu, chính sách hoặc nhiệm vụ trong các báo cáo, "
               "ví dụ: Tổng mức bán lẻ quý I/2023 là bao nhiêu?")
NO_WORDS_REPLY = ("Câu hỏi không có chữ hay số nào để tìm trong báo cáo. Hãy hỏi bằng lời, ví dụ: "
                  "Giá trị sản xuất công nghiệp tháng 3/2023 là bao nhiêu?")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Checked:
    """The question to search with, or the reply to give instead; `notice` tells the user what changed."""

    text: str
    reply: str | None = None
    notice: str | None = None


def check_question(question: str | None) -> Checked:
    """Clean a question (NFC, no control characters) and decide whether it can be searched."""
    text = _CONTROL.sub(" ", unicodedata.normalize("NFC", question or "")).strip()
    if not text:
        return Checked("", reply=EMPTY_REPLY)
    if not any(ch.isalnum() for ch in text):
        return Checked(text, reply=NO_WORDS_REPLY)
    if len(text) <= MAX_QUESTION_CHARS:
        return Checked(text)
    cut = text[:MAX_QUESTION_CHARS]
    cut = cut[: cut.rfind(" ")] if " " in cut[MAX_QUESTION_CHARS // 2:] else cut
    notice = (f"Câu hỏi dài {len(text):,} ký tự".replace(",", ".")
              + f"; chỉ {MAX_QUESTION_CHARS} ký tự đầu được dùng để tìm kiếm.")
    return Checked(cut.rstrip(), notice=notice)


def reply_record(asked: str, reply: str, qid: Any = None, clarification: bool = False) -> AnswerRecord:
    """An answer record (DESIGN.md shape) for input that was not searched; `clarification` marks a
    question asked back (the UI shows it as a question, not as a refusal)."""
    record = plain_record(asked, reply, qid)
    return record.with_changes(clarification=True) if clarification else record
