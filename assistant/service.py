"""The question-side service the CLI and the UI call: one engine per index, answers as records."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from assistant.answer_record import AnswerRecord
from assistant.chain import build_chain
from assistant.compose.llm import LLMUnavailable, make_llm
from assistant.errors import EXPLAINED, apology
from assistant.guard import Checked, check_question, reply_record
from assistant.history import clarification, parse_rewrite, resolve_followup, rewrite_prompt
from assistant.retriever import Filters, HybridSearch
from assistant.router import FactRouter
from vectorstore.errorlog import record_internal_error
from vectorstore.index import open_index
from vectorstore.settings import Settings

Turns = Sequence[dict[str, str]]


class AskService:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.index = open_index(settings)
        self.engine = HybridSearch(self.index)
        self.llm = make_llm(settings)
        self.chain = build_chain(self.engine, self.llm)
        self.facts = FactRouter(self.index, self.engine)

    @property
    def mode(self) -> str:
        """How answers are written, for status lines: "trích xuất" or the configured model."""
        return f"mô hình {self.llm.name}" if self.llm else "trích xuất (không dùng mô hình ngôn ngữ)"

    def standalone(self, question: str, history: Turns | None) -> str:
        """The question with what a follow-up leaves out carried over from earlier turns."""
        if not history:
            return question
        rule_based = resolve_followup(question, history)
        if self.llm is None:
            return rule_based
        try:
            return parse_rewrite(self.llm.complete(rewrite_prompt(question, history)), rule_based)
        except LLMUnavailable:
            return rule_based

    def _prepared(self, question: str, filters: Filters | None, qid: Any, history: Turns | None
                  ) -> tuple[AnswerRecord | None, dict, Checked]:
        """(a record already decided — a reply to odd input or a facts-store answer — or None, the
        chain input, the guard's verdict)."""
        asked, checked = (question or "").strip(), check_question(question)
        if checked.reply:
            return reply_record(asked, checked.reply, qid), {}, checked
        ask_back = clarification(checked.text, history or [])
        if ask_back:  # a follow-up naming no indicator: ask which one rather than guess
            return reply_record(asked, ask_back, qid, clarification=True), {}, checked
        resolved = self.standalone(checked.text, history)
        inp = {"question": resolved, "asked": asked, "filters": filters, "id": qid,
               "standalone_question": resolved if resolved != checked.text else None}
        return self._routed(inp), inp, checked

    def ask(self, question: str, filters: Filters | None = None, qid: Any = None,
            history: Turns | None = None) -> dict[str, Any]:
        """The answer record of DESIGN.md; `history` is the earlier turns [{"question", "answer"}].

        A bug met while answering is an apology naming the error log, never the Python message."""
        try:
            ready, inp, checked = self._prepared(question, filters, qid, history)
            return _with_notice(ready if ready is not None else self.chain.invoke(inp)["record"], checked)
        except EXPLAINED:
            raise
        except Exception:  # noqa: BLE001 - one question's bug must not stop a batch or show a traceback
            return self._apology(str(question or "").strip(), qid)

    def _apology(self, asked: str, qid: Any = None) -> dict[str, Any]:
        logged = record_internal_error(f"ask {asked[:300]!r}", self.settings.index_dir)
        return reply_record(asked, apology(logged), qid).with_changes(refusal_reason="internal_error").to_dict()

    def stream(self, question: str, filters: Filters | None = None, history: Turns | None = None,
               qid: Any = None) -> Iterator[str | dict[str, Any]]:
        """LLM text pieces as they come (none for extractive answers), then the checked record."""
        try:
            ready, inp, checked = self._prepared(question, filters, qid, history)
            if ready is not None:
                yield _with_notice(ready, checked)
                return
            for chunk in self.chain.stream(inp):
                if chunk.get("text"):
                    yield chunk["text"]
                if "record" in chunk:
                    yield _with_notice(chunk["record"], checked)
        except EXPLAINED:
            raise
        except Exception:  # noqa: BLE001 - as in `ask`
            yield self._apology(str(question or "").strip(), qid)

    def _routed(self, inp: dict) -> AnswerRecord | None:
        """Document and series questions answered from the facts store (None: retrieval answers)."""
        rec = self.facts.answer(inp["question"], inp["filters"], inp["id"])
        if rec is None:
            return None
        return rec.with_changes(question=inp["asked"] or inp["question"],
                                standalone_question=inp["standalone_question"])

    def ask_batch(self, src: Path, dst: Path) -> int:
        """Answer every {"id", "question"} line of `src` into `dst`, one record per line."""
        n = 0
        with src.open(encoding="utf-8") as fin, dst.open("w", encoding="utf-8") as fout:
            for line in fin:
                if not line.strip():
                    continue
                item = json.loads(line)
                rec = self.ask(item.get("question", ""), qid=item.get("id"))
                fout.write(json.dumps(rec, ensure_ascii=False) + "\n")
                n += 1
        return n


def _with_notice(record: AnswerRecord, checked: Checked) -> dict[str, Any]:
    """The record as JSON, the guard's notice (question shortened) before any notice the chain gave."""
    if checked.notice:
        record = record.with_changes(notice=" ".join(n for n in (checked.notice, record.notice) if n))
    return record.to_dict()
