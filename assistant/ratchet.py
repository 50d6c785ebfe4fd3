"""The quality ratchet: per question set, the best figures reached so far; they only move up.

CI scores the question sets and fails when a set falls below its floor (or its false-refusal rate
rises above its ceiling), so progress lands step by step and is never quietly given back.
`baocao eval --qa ... --ratchet FILE --update-ratchet` raises the floors to what a run reached.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HIGHER_IS_BETTER = ("answer_accuracy", "abstain_recall", "citation_support", "hit@1", "hit@5")
LOWER_IS_BETTER = ("false_abstain",)


def load(path: Path) -> dict[str, dict[str, float]]:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def shortfalls(floors: dict[str, dict[str, float]], reached: dict[str, dict[str, Any]]) -> list[str]:
    """Every figure of every set that is worse than its ratchet."""
    out = []
    for name, summary in reached.items():
        for key, floor in floors.get(name, {}).items():
            value = summary.get(key)
            if value is None:
                continue
            worse = value > floor if key in LOWER_IS_BETTER else value < floor
            if worse:
                out.append(f"{name}: {key} = {value} (ratchet {floor})")
    return out


def raised(floors: dict[str, dict[str, float]], reached: dict[str, dict[str, Any]]) -> dict[str, dict[str, float]]:
    """The ratchet moved to what was reached, where that is better; never back."""
    out = {name: dict(values) for name, values in floors.items()}
    for name, summary in reached.items():
        current = out.setdefault(name, {})
        for key in (*HIGHER_IS_BETTER, *LOWER_IS_BETTER):
            value = summary.get(key)
            if value is None:
                continue
            old = current.get(key)
            better = old is None or (value < old if key in LOWER_IS_BETTER else value > old)
            current[key] = value if better else old
    return out


def save(path: Path, floors: dict[str, dict[str, float]]) -> None:
    path.write_text(json.dumps(floors, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
