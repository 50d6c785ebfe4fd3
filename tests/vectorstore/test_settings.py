"""Settings: every variable the README lists is read in vectorstore/settings.py, and nowhere else."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from vectorstore.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("vectorstore", "ingest", "assistant", "ui")
ALLOWED = {"vectorstore/settings.py", "vectorstore/__init__.py"}  # the reader; the process defaults


def test_every_variable_of_the_readme_is_a_setting(monkeypatch):
    table = ROOT.joinpath("README.md").read_text(encoding="utf-8").split("## Configuration", 1)[1]
    names = set(re.findall(r"`([A-Z][A-Z0-9_]{3,})`", table.split("\n## ", 1)[0]))
    defaults = {"HF_HUB_OFFLINE", "ANONYMIZED_TELEMETRY", "GRADIO_ANALYTICS_ENABLED"}  # set by the package
    names -= defaults
    assert {"BAOCAO_INDEX", "BAOCAO_LLM", "OPENAI_BASE_URL", "CHROMA_PORT", "BAOCAO_AUTH"} <= names
    values = {"CHROMA_PORT": "8123", "BAOCAO_LLM_TIMEOUT": "12.5"}
    for name in names:
        monkeypatch.setenv(name, values.get(name, f"/x/{name.lower()}"))
    read = Settings().model_dump()
    for name in names:
        shown = {k for k, v in read.items() if str(getattr(v, "get_secret_value", lambda v=v: v)()).endswith(
            values.get(name, f"/x/{name.lower()}"))}
        assert shown, f"{name} is listed in the README but no setting reads it"


def test_environment_values_are_typed_and_explicit_arguments_win(monkeypatch):
    monkeypatch.setenv("BAOCAO_INDEX", "/srv/chi-muc")
    monkeypatch.setenv("CHROMA_HOST", "10.1.2.3")
    monkeypatch.setenv("CHROMA_PORT", "9000")
    monkeypatch.setenv("BAOCAO_LLM_TIMEOUT", "7")
    monkeypatch.setenv("BAOCAO_EMBEDDINGS", "")  # empty counts as unset
    s = Settings.from_env()
    assert (s.index_dir, s.chroma_port, s.llm_timeout, s.embeddings) == (Path("/srv/chi-muc"), 9000, 7.0, "e5")
    assert s.server_mode
    assert Settings.from_env("/tmp/khac").index_dir == Path("/tmp/khac")
    assert s.replace(llm="openai:m").llm == "openai:m" and s.with_index("/a").index_dir == Path("/a")


@pytest.mark.parametrize(("name", "value", "message"), [
    ("CHROMA_PORT", "tám nghìn", "CHROMA_PORT phải là số cổng"),
    ("BAOCAO_LLM_TIMEOUT", "một phút", "BAOCAO_LLM_TIMEOUT phải là số giây"),
])
def test_bad_values_are_refused_in_plain_vietnamese(monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=message) as err:
        Settings.from_env()
    assert "pydantic" not in str(err.value) and "Value error" not in str(err.value)


def test_api_keys_never_show_in_the_settings_repr(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-bi-mat")
    monkeypatch.setenv("BAOCAO_AUTH", "an:mat-khau")
    assert "sk-bi-mat" not in repr(Settings()) and "mat-khau" not in repr(Settings())


def _reads_environment(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb"):
            if isinstance(node.value, ast.Name) and node.value.id == "os":
                lines.append(node.lineno)
        if isinstance(node, ast.ImportFrom) and node.module == "os" and any(
                a.name in ("environ", "getenv") for a in node.names):
            lines.append(node.lineno)
    return lines


def test_no_other_module_reads_the_environment():
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel not in ALLOWED and (lines := _reads_environment(ast.parse(path.read_text(encoding="utf-8")))):
                found[rel] = lines
    assert not found, f"read os.environ outside vectorstore/settings.py: {found}"
