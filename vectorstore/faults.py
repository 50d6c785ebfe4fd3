"""Named crash points for the crash-safety tests: a real SIGKILL at a chosen step of a write.

`BAOCAO_CRASH_AT=name[:n]` kills this process (SIGKILL: no cleanup, no flush, like a power cut or
the OOM killer) the n-th time (default 1) the step `name` is passed. Without the variable a crash
point costs one dictionary lookup. Timed kills from outside reach the steps in between; these make
the steps where ordering matters reachable every time.
"""

from __future__ import annotations

import os
import signal

_SPEC = os.environ.get("BAOCAO_CRASH_AT", "")
_NAME, _, _NTH = _SPEC.partition(":")
_LEFT = {_NAME: int(_NTH or 1)} if _NAME else {}


def crash_point(name: str) -> None:
    """Die here if the environment asked for it (tests only)."""
    if name not in _LEFT:
        return
    _LEFT[name] -= 1
    if _LEFT[name] <= 0:
        os.kill(os.getpid(), signal.SIGKILL)
