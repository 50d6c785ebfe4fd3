"""Who signed a report: answered from the report's metadata, cited to the closing block that names the signer."""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.compose.extractive import Composition
from assistant.periodmatch import PeriodMatch
from assistant.query import QueryUnderstanding
from assistant.retriever import Hit

_ASKS_SIGNER = re.compile(r"\b(ai|nguoi nao|lanh dao nao)\b.*\bky\b|\bnguoi ky\b|\bky boi\b")


def asks_signer(q: QueryUnderstanding) -> bool:
    return bool(_ASKS_SIGNER.search(q.folded))


def compose_signer(
    q: QueryUnderstanding, hits: list[Hit], find_passage: Callable[[str, str], Hit | None]
) -> Composition | None:
    """`find_passage(doc_id, text)` returns a passage of that report holding `text`; hits may grow by it."""
    for hit in hits:
        meta = hit.chunk.metadata
        if not hit.province_ok or hit.period == PeriodMatch.CONFLICT or not meta.get("signer"):
            continue
        name = str(meta["signer"]).split()[-3:]
        closing = find_passage(str(meta.get("doc_id")), " ".join(name)) or hit
        if closing not in hits:
            hits.insert(0, closing)  # the passage the answer rests on leads the retrieved list
        subject = meta.get("title") or "báo cáo"
        text = f"Báo cáo «{subject}» ({meta.get('province', '')}) do {meta['signer']} ký"
        return Composition([(text, [hits.index(closing)])])
    return None
