#!/usr/bin/env bash
# The test command of the README: creates .venv, installs the project with its test extras, runs pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 ANONYMIZED_TELEMETRY=False GRADIO_ANALYTICS_ENABLED=False
python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip >/dev/null
.venv/bin/pip install -q -e ".[test,ui,st,ocr]"
.venv/bin/ruff check .
.venv/bin/python -m pytest -q --durations=10 "$@"
