"""Failures as one plain Vietnamese sentence for API clients and toasts (the trace goes to the log)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

import gradio as gr

from assistant.errors import user_message

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])


def plain_errors(fn: F) -> F:
    """Raise gr.Error(sentence) instead of a bare exception, which Gradio would report as "Error"."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except gr.Error:
            raise
        except Exception as exc:  # noqa: BLE001 - e.g. the Chroma server went away
            log.exception("%s failed", fn.__name__)
            raise gr.Error(user_message(exc), print_exception=False) from exc

    return wrapper  # type: ignore[return-value]
