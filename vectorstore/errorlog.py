"""Internal errors: the traceback goes to a log file beside the index, people get one sentence naming it.

A bug must never show a Python message or a traceback to the person using the app (unless they ask
with `-v`), and must never be lost either: `record_internal_error` appends the traceback of the
exception being handled to `<index>/logs/errors.log` (or the temp folder when the index folder cannot
be written) and returns that path for the Vietnamese message.
"""

from __future__ import annotations

import logging
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path

from vectorstore.settings import DEFAULT_INDEX, Settings

log = logging.getLogger(__name__)

LOG_NAME = "errors.log"


def error_log_path(index_dir: Path | None = None) -> Path:
    """Where internal errors of this index are written."""
    if index_dir is None:
        try:
            index_dir = Settings().index_dir
        except ValueError:  # a bad setting elsewhere must not stop the error from being written
            index_dir = DEFAULT_INDEX
    base = Path(index_dir)
    return base / "logs" / LOG_NAME


def record_internal_error(what: str, index_dir: Path | None = None) -> Path:
    """Append the traceback of the exception being handled, headed by `what`; return the log path."""
    entry = f"=== {datetime.now(UTC).isoformat(timespec='seconds')} {what}\n{traceback.format_exc()}\n"
    for path in (error_log_path(index_dir), Path(tempfile.gettempdir()) / f"baocao-{LOG_NAME}"):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as f:
                f.write(entry)
        except OSError:
            continue
        log.info("internal error (%s), logged to %s", what, path, exc_info=True)  # the trace on the console with -v
        return path.resolve()
    log.info("internal error (%s), no writable log", what, exc_info=True)
    return error_log_path(index_dir)


class SkippedChunks:
    """`on_error` for syncing a derived index: log each chunk that could not be processed, keep going."""

    def __init__(self, what: str, index_dir: Path | None = None) -> None:
        self.what, self.index_dir = what, index_dir
        self.ids: list[str] = []
        self.log: Path | None = None

    def __call__(self, chunk_id: str, err: Exception) -> None:  # called inside the `except` that caught err
        self.ids.append(chunk_id)
        self.log = record_internal_error(f"{self.what}: chunk {chunk_id} skipped", self.index_dir)
        log.warning("%s: bỏ qua đoạn %s không xử lý được (lỗi nội bộ, chi tiết trong %s); chạy `baocao doctor`.",
                    self.what, chunk_id, self.log)
