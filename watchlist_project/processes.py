"""Run several long-lived commands as one foreground service.

Used by `manage.py runservice` for the embedded mode: the web server, a
worker and beat start together and run until Ctrl-C (SIGINT) or SIGTERM,
which stop them all, so nothing is left running behind the user's back.

`runservice` works out the parts' command lines with the settings, then
replaces itself with this file run as a plain script (``main`` below): the
process that only watches the parts then holds no Django, Celery or app
modules (about 10 MB instead of 80). Standard library only, and run by path,
not as ``-m watchlist_project.processes``, which would import the package
and, with it, the Celery app.

A child that exits by itself (a crash, an out-of-memory kill, `kill -9`) is
started again, after a pause that doubles with each quick failure (1 s, 2 s,
4 s... at most RESTART_MAX_SECONDS) and starts over once the child has run
for STABLE_SECONDS: one crashed worker does not take the web down with it,
and a child that cannot start does not spin.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

RESTART_BASE_SECONDS = 1.0
RESTART_MAX_SECONDS = 60.0
STABLE_SECONDS = 60.0


@dataclass
class Process:
    name: str
    argv: Sequence[str]
    popen: subprocess.Popen | None = None
    failures: int = 0  # quick exits in a row
    started_at: float = 0.0
    restart_at: float | None = None  # when a crashed child is started again
    restarts: int = 0


def restart_delay(failures: int, *, base: float = RESTART_BASE_SECONDS, cap: float = RESTART_MAX_SECONDS) -> float:
    """The pause before the next start after ``failures`` quick exits in a row."""
    return min(cap, base * 2 ** max(0, failures - 1))


def _log(message: str) -> None:
    print(f"[runservice] {message}", file=sys.stderr, flush=True)


def _start(proc: Process, clock: Callable[[], float]) -> None:
    # Own process group: the terminal's Ctrl-C reaches us, and we decide
    # the order in which children are stopped.
    proc.popen = subprocess.Popen(proc.argv, start_new_session=True)  # noqa: S603 - fixed argv
    proc.started_at = clock()
    proc.restart_at = None
    _log(f"started {proc.name} (pid {proc.popen.pid})")


def _exited(proc: Process, code: int, now: float, *, base: float, cap: float, stable: float) -> None:
    """Schedule the restart of a child that exited by itself."""
    proc.failures = 1 if now - proc.started_at >= stable else proc.failures + 1
    delay = restart_delay(proc.failures, base=base, cap=cap)
    proc.restart_at = now + delay
    proc.restarts += 1
    _log(f"{proc.name} exited with {code}; starting it again in {delay:g} s")


def run_together(
    processes: list[Process],
    *,
    grace_seconds: float = 20.0,
    restart_base: float = RESTART_BASE_SECONDS,
    restart_max: float = RESTART_MAX_SECONDS,
    stable_seconds: float = STABLE_SECONDS,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    stopping = False

    def request_stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    for proc in processes:
        _start(proc, clock)

    while not stopping:
        now = clock()
        for proc in processes:
            if proc.restart_at is not None:
                if now >= proc.restart_at and not stopping:
                    _start(proc, clock)
                continue
            code = proc.popen.poll() if proc.popen else None
            if code is not None:
                _exited(proc, code, now, base=restart_base, cap=restart_max, stable=stable_seconds)
        time.sleep(0.2)

    for proc in processes:
        if proc.popen and proc.popen.poll() is None:
            proc.popen.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + grace_seconds
    for proc in processes:
        if not proc.popen:
            continue
        try:
            proc.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.popen.kill()
            proc.popen.wait()
        _log(f"{proc.name} stopped")
    return 0


def main(argv: Sequence[str]) -> int:
    """``python processes.py '[{"name": ..., "argv": [...]}, ...]'``: run the
    parts together (what `runservice` execs)."""
    parts = json.loads(argv[0])
    return run_together([Process(part["name"], part["argv"]) for part in parts])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
