"""Minute-one check of the README's first command: the served app answers /healthz and the example question.

Run by .ci/run right after `bash scripts/demo.sh --no-serve`, with the interpreter that command installed
(gradio_client arrives with gradio there). Starts `baocao serve` on the sample index, waits for /healthz,
asks the example question through the app's `/ask` API and checks that the answer is cited, then stops.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from gradio_client import Client

QUESTION = "Tổng mức bán lẻ hàng hóa và dịch vụ tháng 6/2024 đạt bao nhiêu?"
PORT = int(os.environ.get("SMOKE_PORT", "7871"))
URL = f"http://127.0.0.1:{PORT}"


def wait_healthy(proc: subprocess.Popen, timeout: float = 180.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"baocao serve exited with code {proc.returncode} before it was healthy")
        try:
            with urllib.request.urlopen(f"{URL}/healthz", timeout=5) as resp:
                return json.loads(resp.read())
        except OSError:
            time.sleep(1)
    sys.exit(f"/healthz did not answer within {timeout:.0f} s")


def main() -> None:
    baocao = Path(sys.executable).with_name("baocao")
    proc = subprocess.Popen([str(baocao), "serve", "--port", str(PORT)])
    try:
        health = wait_healthy(proc)
        print("healthz:", health)
        assert health["status"] == "ok" and health["reports"] >= 1, health
        record = Client(URL, verbose=False).predict(QUESTION, [], [], [], api_name="/ask")
        record = json.loads(record) if isinstance(record, str) else record
        print("answer:", record["answer"][:200])
        assert not record["abstained"] and record["citations"], record
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print("serve smoke check: ok")


if __name__ == "__main__":
    main()
