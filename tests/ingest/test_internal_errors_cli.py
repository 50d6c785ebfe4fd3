"""Internal errors through the real `baocao` command: plain Vietnamese, a log file with the traceback,
no traceback on the console unless -v."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import CORPUS
from tests.ingest.cli_run import baocao

SHORT = "\n".join((CORPUS / "txt" / "001_739995c49d508915.txt").read_text("utf-8").splitlines()[:24])


def _logged(text: str) -> Path:
    return Path(text.rsplit("ghi vào ", 1)[1].split()[0].rstrip("."))


def test_a_file_that_hits_a_bug_is_refused_as_an_internal_error_naming_the_log(tmp_path, vector_cache) -> None:
    report = tmp_path / "bao_cao_ngan.txt"
    report.write_text(SHORT + "\nThời gian thực hiện 1,5 tháng.\n", "utf-8")
    index = tmp_path / "index"
    args = ["ingest", str(report), "--index", str(index), "-q"]
    done = baocao([*args, "--json"], vector_cache, timeout=300, BAOCAO_FAULT_AT="upserted")
    assert "Traceback" not in done.stderr + done.stdout
    result = json.loads(done.stdout)["files"][0]
    assert result["status"] == "refused" and result["code"] == "internal_error"
    assert result["reason"].startswith("Lỗi nội bộ của chương trình") and "InjectedFault" not in result["reason"]
    assert "Traceback" in _logged(result["reason"]).read_text("utf-8")
    verbose = baocao(["-v", *args], vector_cache, timeout=300, BAOCAO_FAULT_AT="upserted")
    assert "Traceback" in verbose.stderr and "InjectedFault" in verbose.stderr

    assert json.loads(baocao([*args, "--json"], vector_cache, timeout=300).stdout)["files"][0]["status"] == "indexed"
    asked = baocao(["ask", "Thời gian thực hiện 1,5 tháng là gì?", "--index", str(index)], vector_cache,
                   timeout=300, BAOCAO_FAULT_AT="lexical_search")
    assert asked.returncode == 0 and "Traceback" not in asked.stderr + asked.stdout
    assert "Xin lỗi, đã xảy ra lỗi nội bộ" in asked.stdout and "injected" not in asked.stdout
    record = json.loads(baocao(["ask", "Thời gian thực hiện 1,5 tháng là gì?", "--index", str(index), "--json"],
                               vector_cache, timeout=300, BAOCAO_FAULT_AT="lexical_search").stdout)
    assert record["refusal_reason"] == "internal_error" and record["abstained"]
    assert "lexical_search" in _logged(record["answer"]).read_text("utf-8")
    normal = baocao(["ask", "Thời gian thực hiện 1,5 tháng là gì?", "--index", str(index), "--json"], vector_cache,
                    timeout=300)
    assert json.loads(normal.stdout).get("refusal_reason") != "internal_error"
