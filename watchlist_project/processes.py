"""Run several long-lived commands as one foreground service.

Used by `manage.py runservice` for the embedded mode: the web server, a
worker and beat start together, and Ctrl-C (or the end of any one of them)
stops them all, so nothing is left running behind the user's back.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass
class Process:
    name: str
    argv: Sequence[str]
    popen: subprocess.Popen | None = None


def run_together(processes: list[Process], *, grace_seconds: float = 20.0) -> int:
    stopping = False

    def request_stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    for proc in processes:
        # Own process group: the terminal's Ctrl-C reaches us, and we decide
        # the order in which children are stopped.
        proc.popen = subprocess.Popen(proc.argv, start_new_session=True)  # noqa: S603 - fixed argv
        print(f"[runservice] started {proc.name} (pid {proc.popen.pid})", file=sys.stderr, flush=True)

    exit_code = 0
    while not stopping:
        for proc in processes:
            code = proc.popen.poll() if proc.popen else None
            if code is not None:
                print(f"[runservice] {proc.name} exited with {code}; stopping the rest", file=sys.stderr, flush=True)
                exit_code = code or 1
                stopping = True
                break
        time.sleep(0.5)

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
        print(f"[runservice] {proc.name} stopped", file=sys.stderr, flush=True)
    return exit_code
