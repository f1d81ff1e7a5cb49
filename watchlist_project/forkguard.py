"""No fork() while a thread of this process is inside a database write.

SQLite keeps its locks' bookkeeping in process memory. A process forked
while one of its threads holds a write transaction inherits that
bookkeeping with the lock marked as held by "another connection of this
process", a connection that never commits in the child: every write the
child tries then waits out the busy timeout and fails with "database is
locked", for as long as the child lives (tests/test_forkguard.py shows it).

The embedded worker (`manage.py runservice`) is such a process: its main
process stamps its heartbeat from a thread (watchlist/heartbeats.py) while
the pool forks children at start and whenever the autoscaler grows it. A
child forked during a stamp could never write a job again (seen: a
dispatcher task failing with "database is locked" after 20 s, in the first
pool process, while the other process wrote fine).

So a thread that writes in a process that forks does it inside
`no_fork()`, and `os.fork()` (billiard's pool uses it) waits for the write
to end. With PostgreSQL it costs an uncontended lock.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_writing = threading.Lock()


@contextmanager
def no_fork() -> Iterator[None]:
    """Hold off os.fork() in this process until the block is done."""
    with _writing:
        yield


def _before_fork() -> None:
    _writing.acquire()


def _after_fork() -> None:
    # In the parent and in the child alike: the forking thread holds it.
    _writing.release()


os.register_at_fork(before=_before_fork, after_in_parent=_after_fork, after_in_child=_after_fork)
