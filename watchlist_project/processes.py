"""Run several long-lived commands as one foreground service.

Used by `manage.py runservice` for the embedded mode: the web server, a
worker and beat start together and run until Ctrl-C (SIGINT) or SIGTERM,
which stop them all, so nothing is left running behind the user's back.

`runservice` works out the parts' command lines with the settings, then
replaces itself with this file run as a plain script (``main`` below).
Standard library only, and run by path, not as ``-m
watchlist_project.processes``: what it loads is what the plan names.

Parts marked ``fork`` (``python -m <module> ...`` command lines) are not
started as new interpreters: this process first runs the plan's
``preload`` function (Django, Celery, the web and worker modules, imported
once and frozen, see preload.py), then forks each such part and runs its
module in the child as ``python -m`` would. The parts then share one copy
of what they all load instead of each importing its own (the embedded
stack's memory, bench/README.md), and this process does real work: it is
the template the parts are copied from. It forks only while it has a
single thread (checked), so no child inherits a lock some other thread
held at the fork: a part forked from a threaded process (beat from the
worker's) was seen hanging for good.

A child that exits by itself (a crash, an out-of-memory kill, `kill -9`) is
started again, after a pause that doubles with each quick failure (1 s, 2 s,
4 s... at most RESTART_MAX_SECONDS) and starts over once the child has run
for STABLE_SECONDS: one crashed worker does not take the web down with it,
and a child that cannot start does not spin.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import json
import os
import runpy
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

RESTART_BASE_SECONDS = 1.0
RESTART_MAX_SECONDS = 60.0
STABLE_SECONDS = 60.0


@dataclass
class Process:
    name: str
    argv: Sequence[str]
    fork: bool = False  # run ``argv`` (``python -m module ...``) in a forked child
    popen: subprocess.Popen | ForkedChild | None = None
    failures: int = 0  # quick exits in a row
    started_at: float = 0.0
    restart_at: float | None = None  # when a crashed child is started again
    restarts: int = 0


def restart_delay(failures: int, *, base: float = RESTART_BASE_SECONDS, cap: float = RESTART_MAX_SECONDS) -> float:
    """The pause before the next start after ``failures`` quick exits in a row."""
    return min(cap, base * 2 ** max(0, failures - 1))


def _log(message: str) -> None:
    print(f"[runservice] {message}", file=sys.stderr, flush=True)


class ForkedChild:
    """A part forked from this process, driven like a ``subprocess.Popen``."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() >= deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.05)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.returncode is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def single_threaded() -> bool:
    """No other thread, Python's or a library's, could hold a lock at a fork."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:  # no /proc: Python's own view
        return threading.active_count() == 1


def _run_module(name: str, argv: Sequence[str]) -> None:
    """In the forked child: become ``python -m <module> <args>`` and never return."""
    code = 1
    try:
        os.setsid()  # as start_new_session: our own group, stopped by the supervisor
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_DFL)
        # The part's name in ps/top, as its command line is the supervisor's.
        with contextlib.suppress(OSError):
            Path("/proc/self/comm").write_text(f"wl:{name}"[:15])
        module = argv[2]
        sys.argv = [module, *argv[3:]]
        runpy.run_module(module, run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except BaseException:
        traceback.print_exc()
    finally:
        # The supervisor's stack below us must not run on in this process.
        try:
            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _fork(proc: Process) -> ForkedChild:
    if not (len(proc.argv) >= 3 and proc.argv[1] == "-m"):
        raise ValueError(f"{proc.name}: only 'python -m module ...' parts can be forked")
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        _run_module(proc.name, proc.argv)
    return ForkedChild(pid)


def _start(proc: Process, clock: Callable[[], float]) -> None:
    # Own process group: the terminal's Ctrl-C reaches us, and we decide
    # the order in which children are stopped.
    if proc.fork and single_threaded():
        proc.popen = _fork(proc)
    else:
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


def preload(root: str, target: str) -> None:
    """Import and run ``module:function`` from ``root``, the forked parts' base."""
    # Run by path, this file's folder is first on sys.path, where a module
    # could shadow a package (its celery.py, Celery's): replaced by the root,
    # as `python -m` from it would have it.
    sys.path[0] = root
    module, _, function = target.partition(":")
    getattr(importlib.import_module(module), function)()


def main(argv: Sequence[str]) -> int:
    """``python processes.py '{"root": ..., "preload": "module:function",
    "parts": [{"name": ..., "argv": [...], "fork": true}, ...]}'``: run the
    parts together (what `runservice` execs)."""
    plan = json.loads(argv[0])
    if plan.get("preload"):
        preload(plan["root"], plan["preload"])
    if not single_threaded():
        _log("the preloaded modules started a thread: parts start as new processes, not forked")
    parts = [Process(part["name"], part["argv"], fork=part.get("fork", False)) for part in plan["parts"]]
    return run_together(parts)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
