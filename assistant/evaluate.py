"""`baocao eval`: retrieval hit@k / MRR and the answer metrics of shared/eval/score.py, per question type.

The matching rules are those of the project's scorer (NFC, footnote
superscripts removed, whitespace collapsed, lower case; a passage holds the
evidence when it contains it or shares a run of 60% of its characters).
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from collections import defaultdict
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from assistant.service import AskService
from vectorstore.settings import Settings

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾"


def norm(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "")
    text = text.translate({ord(c): " " for c in SUPERSCRIPTS}).replace("**", " ")
    return re.sub(r"\s+", " ", text).strip().lower()


def contains(passage: str, evidence: str) -> bool:
    p, e = norm(passage), norm(evidence)
    if not e:
        return False
    if e in p:
        return True
    m = SequenceMatcher(None, p, e, autojunk=False).find_longest_match(0, len(p), 0, len(e))
    return m.size >= 0.6 * len(e)


def first_hit(passages: list[str], evidence: list[str]) -> int | None:
    for rank, p in enumerate(passages, 1):
        if any(contains(p, e) for e in evidence):
            return rank
    return None


def score_item(item: dict[str, Any], rec: dict[str, Any]) -> dict[str, Any]:
    answerable = bool(item.get("evidence"))
    row: dict[str, Any] = {"id": item["id"], "type": item.get("type", ""), "answerable": answerable,
                           "abstained": bool(rec.get("abstained"))}
    if answerable:
        answer = norm(rec.get("answer", ""))
        cited = [c.get("text", "") for c in rec.get("citations") or []]
        row["answer_ok"] = not row["abstained"] and all(norm(s) in answer for s in item["must_contain"])
        row["cited_ok"] = not row["abstained"] and any(contains(c, e) for c in cited for e in item["evidence"])
        row["rank"] = first_hit([r.get("text", "") for r in rec.get("retrieved") or []][:10], item["evidence"])
    else:
        row["answer_ok"] = row["abstained"]
    return row


def summarise(rows: list[dict[str, Any]], latencies: list[float]) -> dict[str, Any]:
    ans = [r for r in rows if r["answerable"]]
    una = [r for r in rows if not r["answerable"]]

    def rate(xs: list[dict], key: str) -> float | None:
        return round(sum(1 for x in xs if x[key]) / len(xs), 3) if xs else None

    def hit(k: int) -> float | None:
        return round(sum(1 for r in ans if r["rank"] and r["rank"] <= k) / len(ans), 3) if ans else None

    by_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        by_type[r["type"]][0] += int(r["answer_ok"])
        by_type[r["type"]][1] += 1
    lat = sorted(latencies)
    return {
        "items": len(rows),
        "accuracy": rate(rows, "answer_ok"),
        "answer_accuracy": rate(ans, "answer_ok"),
        "abstain_recall": rate(una, "answer_ok"),
        "false_abstain": rate(ans, "abstained"),
        "citation_support": rate(ans, "cited_ok"),
        "hit@1": hit(1), "hit@3": hit(3), "hit@5": hit(5), "hit@10": hit(10),
        "mrr@10": round(sum(1 / r["rank"] for r in ans if r["rank"]) / len(ans), 3) if ans else None,
        "latency_p50_ms": round(lat[len(lat) // 2], 1) if lat else None,
        "latency_p95_ms": round(lat[min(len(lat) - 1, int(len(lat) * 0.95))], 1) if lat else None,
        "by_type": {t: f"{ok}/{n}" for t, (ok, n) in sorted(by_type.items())},
        "misses": [r["id"] for r in rows if not r["answer_ok"]],
    }


def run_eval(settings: Settings, qa_path: Path) -> dict[str, Any]:
    service = AskService(settings)
    items = [json.loads(line) for line in qa_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    service.ask("khởi động")  # warm-up: load the model and the lexical cache before timing
    rows, latencies = [], []
    for item in items:
        t = time.perf_counter()
        rec = service.ask(item["question"], qid=item["id"])
        latencies.append((time.perf_counter() - t) * 1000)
        rows.append(score_item(item, rec))
    return summarise(rows, latencies)
