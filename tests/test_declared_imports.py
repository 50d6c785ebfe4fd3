"""Every third-party module the code imports is declared, in the extra its code path needs.

A module that only arrives through another package (scipy through sentence-transformers, say) works in
the full test install and breaks a user's plain install; this catches it before a fresh machine does.
"""

from __future__ import annotations

import ast
import importlib.metadata as md
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import SHARED

ROOT = Path(__file__).resolve().parents[1]
FIRST_PARTY = {"assistant", "ingest", "vectorstore", "ui", "tests", "bench", "scripts"}
# Which extras each room's module-level imports may come from; imports inside a function are an optional
# code path and may come from any extra (sentence-transformers behind BAOCAO_EMBEDDINGS, say).
ROOM_EXTRAS = {"vectorstore": {""}, "ingest": {""}, "assistant": {""}, "ui": {"", "ui"}}


def requirements() -> dict[str, set[str]]:
    """Distribution name -> the extras naming it ('' for the core dependencies)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    groups = {"": project["dependencies"], **project["optional-dependencies"]}
    found: dict[str, set[str]] = {}
    for extra, reqs in groups.items():
        for req in reqs:
            name = re.match(r"\s*([A-Za-z0-9_.\-]+)", req).group(1)
            found.setdefault(_norm(name), set()).add(extra)
    return found


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def imports(path: Path) -> list[tuple[str, bool]]:
    """(top-level module, imported at module level) for each absolute import of a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top_level = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name.split(".")[0], id(node) in top_level) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.module.split(".")[0], id(node) in top_level))
    return found


def distributions(module: str) -> list[str]:
    return [_norm(d) for d in md.packages_distributions().get(module, [])]


@pytest.mark.parametrize("room", sorted(ROOM_EXTRAS))
def test_room_imports_are_declared_in_its_extras(room: str) -> None:
    declared = requirements()
    problems = []
    for path in sorted((ROOT / room).rglob("*.py")):
        for module, module_level in imports(path):
            if module in FIRST_PARTY or module in sys.stdlib_module_names:
                continue
            dists = distributions(module)
            allowed = ROOM_EXTRAS[room] if module_level else None
            extras = set().union(*(declared.get(d, set()) for d in dists)) if dists else set()
            if not extras:
                problems.append(f"{path.relative_to(ROOT)}: {module} is not declared in pyproject.toml")
            elif allowed is not None and not extras & allowed:
                problems.append(f"{path.relative_to(ROOT)}: {module} is imported at module level but only in "
                                f"extras {sorted(extras)}; {room}/ needs it in {sorted(allowed)}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("dirs", [["assistant", "ingest", "vectorstore", "ui"], ["tests", "bench", "scripts"]])
def test_shared_checker_finds_nothing_undeclared(dirs: list[str]) -> None:
    tool = SHARED / "tools" / "declared_imports.py"
    out = subprocess.run([sys.executable, str(tool), *dirs], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and not out.stdout.strip(), out.stdout + out.stderr
