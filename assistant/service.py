"""The question-side service the CLI and the UI call: one engine per index, answers as records."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from assistant.chain import build_chain
from assistant.retriever import Filters, HybridSearch
from vectorstore.index import open_index
from vectorstore.settings import Settings


class AskService:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.index = open_index(settings)
        self.engine = HybridSearch(self.index)
        self.chain = build_chain(self.engine)

    def ask(self, question: str, filters: Filters | None = None, qid: Any = None) -> dict[str, Any]:
        question = (question or "").strip()
        return self.chain.invoke({"question": question, "filters": filters, "id": qid})

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
