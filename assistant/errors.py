"""Turn infrastructure errors into one plain Vietnamese sentence for people."""

from __future__ import annotations

from vectorstore.chroma_store import StoreUnavailable
from vectorstore.embeddings import EmbeddingsError


def user_message(exc: BaseException) -> str:
    if isinstance(exc, StoreUnavailable | EmbeddingsError):
        return str(exc)
    if isinstance(exc, PermissionError):
        return f"Không có quyền ghi/đọc: {exc.filename}"
    if isinstance(exc, OSError) and exc.errno == 28:
        return "Hết dung lượng đĩa."
    return f"Đã xảy ra lỗi: {exc} (chạy lại với -v để xem chi tiết)"
