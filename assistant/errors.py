"""Turn errors into one plain Vietnamese sentence for people; the traceback goes to the error log."""

from __future__ import annotations

from pathlib import Path

from vectorstore.chroma_store import StoreUnavailable
from vectorstore.embeddings import EmbeddingsError
from vectorstore.errorlog import record_internal_error

# Errors that already carry a sentence for people (and are not bugs): shown as they are.
EXPLAINED = (StoreUnavailable, EmbeddingsError)


def apology(log_path: Path) -> str:
    """What a person reads when a question hit a bug: no Python message, where the details are."""
    return ("Xin lỗi, đã xảy ra lỗi nội bộ của chương trình nên chưa trả lời được câu hỏi này. "
            f"Chi tiết lỗi đã được ghi vào {log_path}.")


def user_message(exc: BaseException, index_dir: Path | None = None) -> str:
    """Call inside the `except` that caught `exc` (an internal error's traceback is logged from there)."""
    if isinstance(exc, EXPLAINED):
        return str(exc)
    if isinstance(exc, PermissionError):
        return f"Không có quyền ghi/đọc: {exc.filename}"
    if isinstance(exc, OSError) and exc.errno == 28:
        return "Hết dung lượng đĩa."
    logged = record_internal_error(type(exc).__name__, index_dir)
    return f"Xin lỗi, đã xảy ra lỗi nội bộ của chương trình. Chi tiết lỗi đã được ghi vào {logged}."
