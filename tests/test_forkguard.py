"""A process forked while one of its threads writes to SQLite cannot write
afterwards; the fork guard makes the fork wait for the write (what keeps the
embedded worker's pool processes able to write while its main process
stamps its heartbeat from a thread)."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from watchlist_project.forkguard import no_fork


def _database(tmp_path: Path) -> Path:
    path = tmp_path / "shared.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE stamp (n INTEGER)")
    return path


def _child_can_write_after_fork_during_a_write(path: Path, guard: AbstractContextManager) -> bool:
    """A thread writes (inside `guard`) while the main thread forks; the
    child then writes, long after the parent's write committed."""
    writing = threading.Event()

    def write() -> None:
        with guard:
            db = sqlite3.connect(path, isolation_level=None)
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT INTO stamp VALUES (1)")
            writing.set()
            time.sleep(0.5)
            db.execute("COMMIT")
            db.close()

    thread = threading.Thread(target=write)
    thread.start()
    writing.wait(5)
    pid = os.fork()
    if pid == 0:  # the child: exit code 0 when its write went through
        code = 1
        try:
            time.sleep(0.7)
            db = sqlite3.connect(path, timeout=1.5, isolation_level=None)
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT INTO stamp VALUES (2)")
            db.execute("COMMIT")
            code = 0
        finally:
            os._exit(code)
    thread.join()
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def test_without_the_guard_the_child_of_a_fork_during_a_write_cannot_write(tmp_path):
    assert not _child_can_write_after_fork_during_a_write(_database(tmp_path), nullcontext())


def test_the_guard_makes_the_fork_wait_and_the_child_writes(tmp_path):
    assert _child_can_write_after_fork_during_a_write(_database(tmp_path), no_fork())
