"""The question-side service the CLI and the UI call: one engine per index, answers as records."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from assistant.chain import build_chain, build_prepare, stream_answer
from assistant.compose.llm import LLMUnavailable, make_llm
from assistant.errors import EXPLAINED, apology
from assistant.guard import Checked, check_question, reply_record
from assistant.history import parse_rewrite, resolve_followup, rewrite_prompt
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
        self.llm = make_llm(settings.llm, settings.llm_base_url, settings.llm_timeout)
        self.prepare = build_prepare(self.engine)
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

    def _input(self, checked: Checked, asked: str, filters: Filters | None, qid: Any,
               history: Turns | None) -> dict:
        resolved = self.standalone(checked.text, history)
        return {"question": resolved, "asked": asked, "filters": filters, "id": qid,
                "standalone_question": resolved if resolved != checked.text else None}

    def ask(self, question: str, filters: Filters | None = None, qid: Any = None,
            history: Turns | None = None) -> dict[str, Any]:
        """The answer record of DESIGN.md; `history` is the earlier turns [{"question", "answer"}].

        A bug met while answering is an apology naming the error log, never the Python message."""
        asked = str(question or "").strip()
        try:
            checked = check_question(question)
            if checked.reply:
                return reply_record(asked, checked.reply, qid)
            inp = self._input(checked, asked, filters, qid, history)
            return _with_notice(self._routed(inp) or self.chain.invoke(inp), checked)
        except EXPLAINED:
            raise
        except Exception:  # noqa: BLE001 - one question's bug must not stop a batch or show a traceback
            return self._apology(asked, qid)

    def _apology(self, asked: str, qid: Any = None) -> dict[str, Any]:
        logged = record_internal_error(f"ask {asked[:300]!r}", self.settings.index_dir)
        return {**reply_record(asked, apology(logged), qid), "refusal_reason": "internal_error"}

    def _routed(self, inp: dict) -> dict[str, Any] | None:
        """Document and series questions answered from the facts store (None: retrieval answers)."""
        rec = self.facts.answer(inp["question"], inp["filters"], inp["id"])
        if rec is not None:
            rec["question"] = inp["asked"] or inp["question"]
            if inp["standalone_question"]:
                rec["standalone_question"] = inp["standalone_question"]
        return rec

    def stream(self, question: str, filters: Filters | None = None,
               history: Turns | None = None) -> Iterator[str | dict[str, Any]]:
        """LLM text pieces as they come (none for extractive answers), then the checked record."""
        asked = str(question or "").strip()
        try:
            checked = check_question(question)
            if checked.reply:
                yield reply_record(asked, checked.reply)
                return
            inp = self._input(checked, asked, filters, None, history)
            routed = self._routed(inp)
            if routed is not None:
                yield _with_notice(routed, checked)
                return
            for piece in stream_answer(self.prepare, self.llm, inp):
                yield _with_notice(piece, checked) if isinstance(piece, dict) else piece
        except EXPLAINED:
            raise
        except Exception:  # noqa: BLE001 - as in `ask`
            yield self._apology(asked)

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


def _with_notice(record: dict[str, Any], checked: Checked) -> dict[str, Any]:
    """Put the guard's notice (question shortened) before any notice the chain gave."""
    if checked.notice:
        record["notice"] = " ".join(n for n in (checked.notice, record.get("notice")) if n)
    return record
