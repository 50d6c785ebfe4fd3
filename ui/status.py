"""The status footer: which embeddings and which answer mode are in use, and how big the library is."""

from __future__ import annotations

from vectorstore.settings import Settings

EMBEDDING_NAMES = {"e5": "multilingual-e5-small (chạy cục bộ)"}


def answer_mode(llm: str) -> str:
    if not llm or llm.strip().lower() == "none":
        return "trích xuất (câu trả lời lấy nguyên văn từ báo cáo, không dùng LLM)"
    return f"LLM {llm}"


def embeddings_name(spec: str) -> str:
    if spec.startswith("st:"):
        return f"{spec[3:]} (sentence-transformers)"
    return EMBEDDING_NAMES.get(spec, spec)


def footer_markdown(settings: Settings, n_reports: int, n_chunks: int) -> str:
    store = "Chroma cục bộ"
    if settings.server_mode:
        store = f"máy chủ Chroma {settings.chroma_host}:{settings.chroma_port}"
    return (
        f"**Mô hình nhúng:** {embeddings_name(settings.embeddings)} · "
        f"**Chế độ trả lời:** {answer_mode(settings.llm)} · "
        f"**Thư viện:** {n_reports} báo cáo, {n_chunks} đoạn ({store})"
    )
