#!/usr/bin/env bash
# The first README command: install, index the bundled sample reports, answer an example question.
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 ANONYMIZED_TELEMETRY=False GRADIO_ANALYTICS_ENABLED=False
python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip >/dev/null
.venv/bin/pip install -q -e ".[ui]"
export BAOCAO_INDEX="${BAOCAO_INDEX:-data/sample-index}"
.venv/bin/baocao ingest samples
.venv/bin/baocao ask "Tổng mức bán lẻ hàng hóa và dịch vụ tháng 6/2024 đạt bao nhiêu?"
if [ "${1:-}" != "--no-serve" ]; then
  .venv/bin/baocao serve
fi
