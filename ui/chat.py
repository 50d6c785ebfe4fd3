"""The chat tab's handlers: question in, streamed answer and its sources out.

No retrieval logic lives here: the answer comes from `AskService.stream`
(LLM text pieces as they come, then the checked record, which replaces them).
An extractive answer arrives whole and is shown at once (the browser animates
its arrival; no worker sleeps to pace it). A refusal and a question asked back
are framed differently from an answer, so a nearest passage is never read as one.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

from assistant.errors import user_message
from assistant.retriever import Filters
from assistant.service import AskService
from ui.catalog import list_reports
from ui.errors import plain_errors
from ui.sources import EMPTY_HTML, render_sources

log = logging.getLogger(__name__)

REFUSAL_HEAD = "Không tìm thấy câu trả lời trong các báo cáo"
_WRAPPER = re.compile(r"</?div[^>]*>")
Messages = list[dict[str, Any]]


def to_filters(provinces: list[str] | None, years: list[str] | None,
               files: list[str] | None) -> Filters | None:
    """The UI filter values as service Filters; None when nothing is narrowed."""
    yrs = [int(y) for y in years or [] if str(y).isdigit()]
    if not (provinces or yrs or files):
        return None
    return Filters(provinces=list(provinces or []), files=list(files or []), years=yrs)


def message_text(message: dict[str, Any]) -> str:
    """Plain text of a chat message, whatever shape Gradio gives its content."""
    content = message.get("content")
    if isinstance(content, list):
        content = " ".join(c.get("text", "") for c in content if isinstance(c, dict))
    if not isinstance(content, str):
        return ""
    return _WRAPPER.sub("", content).replace(REFUSAL_HEAD, "").replace("&lt;", "<").strip()


def shown(text: str) -> str:
    """Chat text with "<" escaped: a question or a quoted passage is shown as typed, never run as HTML."""
    return text.replace("<", "&lt;")


def history_turns(messages: Messages) -> list[dict[str, str]]:
    """Earlier turns as [{"question", "answer"}], the shape assistant.history reads."""
    turns: list[dict[str, str]] = []
    for m in messages:
        if m.get("role") == "user":
            turns.append({"question": message_text(m), "answer": ""})
        elif m.get("role") == "assistant" and turns:
            turns[-1]["answer"] = (turns[-1]["answer"] + " " + message_text(m)).strip()
    return turns


def display_text(record: dict[str, Any]) -> str:
    """The answer as plain text: a fallback notice (LLM unreachable...) goes first, in italics."""
    notice = record.get("notice")
    answer = record.get("answer", "")
    return f"*{notice}*\n\n{answer}" if notice else answer


def is_refusal(record: dict[str, Any]) -> bool:
    """An answer that found nothing (not a hint about the input, not a question asked back)."""
    if not record.get("abstained") or record.get("clarification"):
        return False
    return bool(record.get("citations") or record.get("retrieved")) or record.get("answer", "").startswith(
        "Không tìm thấy")


def framed(record: dict[str, Any]) -> str:
    """Chat markup of a finished answer (text escaped): a refusal and a question asked back in frames
    of their own, so a busy reader never takes a nearest passage's figure for the answer."""
    text = shown(display_text(record))
    if record.get("clarification"):
        return f'<div class="bc-ask">{text}</div>'
    if is_refusal(record):
        return f'<div class="bc-refusal"><div class="bc-refusal-head">{REFUSAL_HEAD}</div>\n\n{text}\n\n</div>'
    return text


class ChatHandlers:
    """Event handlers bound to one service; outputs are (textbox, chatbot, sources, records)."""

    def __init__(self, service: AskService) -> None:
        self.service = service

    def sources_html(self, record: dict[str, Any] | None) -> str:
        reports = {r.file: r for r in list_reports(self.service.index)}
        return render_sources(record, reports, self.service.index.files_dir)

    def respond(self, question: str, messages: Messages | None, records: list | None,
                provinces: list[str], years: list[str], files: list[str]) -> Iterator[tuple]:
        question = (question or "").strip()
        messages, records = list(messages or []), list(records or [])
        if not question:
            yield "", messages, self.sources_html(records[-1] if records else None), records
            return
        history = history_turns(messages)
        messages += [{"role": "user", "content": shown(question)}, {"role": "assistant", "content": ""}]
        records += [None, None]
        yield "", messages, EMPTY_HTML, records
        text, record = "", None
        try:
            filters = to_filters(provinces, years, files)
            for piece in self.service.stream(question, filters, history=history or None):
                if isinstance(piece, dict):
                    record = piece
                    continue
                text += piece
                messages[-1] = {"role": "assistant", "content": shown(text)}
                yield "", messages, EMPTY_HTML, records
        except Exception as exc:  # noqa: BLE001 - the user sees one plain sentence, the log has the trace
            log.exception("answer failed")
            messages[-1] = {"role": "assistant", "content": shown(f"⚠️ {user_message(exc)}")}
            yield "", messages, EMPTY_HTML, records
            return
        if record is not None:
            messages[-1] = {"role": "assistant", "content": framed(record) if display_text(record) else shown(text)}
            records[-1] = record
        yield "", messages, self.sources_html(record), records

    def show_turn(self, records: list | None, index: int | list | tuple) -> str:
        """Sources of the answer the user clicked on (or of the answer after a clicked question)."""
        records = records or []
        i = index[0] if isinstance(index, list | tuple) else index
        for j in (i, i + 1):
            if isinstance(j, int) and 0 <= j < len(records) and records[j]:
                return self.sources_html(records[j])
        return self.sources_html(None)

    @plain_errors
    def ask_record(self, question: str, provinces: list[str], years: list[str], files: list[str]) -> dict:
        """The full answer record (DESIGN.md contract), for API clients."""
        return self.service.ask((question or "").strip(), filters=to_filters(provinces, years, files))

    @staticmethod
    def new_chat() -> tuple:
        return "", [], EMPTY_HTML, []
