"""Named fault points for the crash and isolation tests: a kill or an exception at a chosen step.

`BAOCAO_CRASH_AT=name[:n]` kills this process (SIGKILL: no cleanup, no flush, like a power cut or
the OOM killer) the n-th time (default 1) the step `name` is passed. `BAOCAO_FAULT_AT=name[:n]`
raises `InjectedFault` there instead: an unexpected exception inside a step (a parser bug, a full
disk), which must roll the file back, not leave half of it in the index. Without the variables a
fault point costs one dictionary lookup. Timed kills from outside reach the steps in between; these
make the steps where ordering matters reachable every time.
"""

from __future__ import annotations

import os
import signal

from vectorstore.settings import Settings


class InjectedFault(RuntimeError):
    """The exception BAOCAO_FAULT_AT raises (tests only)."""


def _parse(spec: str) -> dict[str, int]:
    name, _, nth = spec.partition(":")
    return {name: int(nth or 1)} if name else {}


_KILL: dict[str, int] = {}
_RAISE: dict[str, int] = {}
_READ = False


def _armed() -> None:
    """Read the settings once, on the first fault point passed (not at import: a bad setting elsewhere
    must be reported by the command, not by importing this module)."""
    global _READ
    if not _READ:
        _READ = True
        settings = Settings()
        _KILL.update(_parse(settings.crash_at))
        _RAISE.update(_parse(settings.fault_at))


def arm(spec: str, kill: bool = False) -> None:
    """Set a fault point from inside a test process ("name[:n]"; "" disarms)."""
    _armed()
    (_KILL if kill else _RAISE).clear()
    (_KILL if kill else _RAISE).update(_parse(spec))


def _due(pending: dict[str, int], name: str) -> bool:
    if name not in pending:
        return False
    pending[name] -= 1
    if pending[name] > 0:
        return False
    del pending[name]
    return True


def crash_point(name: str) -> None:
    """Die or raise here if the environment (or `arm`) asked for it (tests only)."""
    _armed()
    if _due(_KILL, name):
        os.kill(os.getpid(), signal.SIGKILL)
    if _due(_RAISE, name):
        raise InjectedFault(f"injected fault at {name}")
