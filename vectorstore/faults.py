"""Named crash points for the crash-safety tests: a real SIGKILL at a chosen step of a write.

`BAOCAO_CRASH_AT=name[:n]` kills this process (SIGKILL: no cleanup, no flush, like a power cut or
the OOM killer) the n-th time (default 1) the step `name` is passed. Without the variable a crash
point costs one dictionary lookup. Timed kills from outside reach the steps in between; these make
the steps where ordering matters reachable every time.
"""

from __future__ import annotations

import os
import signal
from functools import lru_cache

from vectorstore.settings import Settings


@lru_cache(maxsize=1)
def _left() -> dict[str, int]:
    """Passes left before the kill, per step name (read once per process from the settings)."""
    name, _, nth = Settings().crash_at.partition(":")
    return {name: int(nth or 1)} if name else {}


def crash_point(name: str) -> None:
    """Die here if the environment asked for it (tests only)."""
    left = _left()
    if name not in left:
        return
    left[name] -= 1
    if left[name] <= 0:
        os.kill(os.getpid(), signal.SIGKILL)
