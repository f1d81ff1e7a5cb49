"""Two transactions at once on the test PostgreSQL, in a fixed order: one
holds its work uncommitted while the other runs into it, so a race between
them happens every time, not by luck."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, transaction

# The races need two writers at once and PostgreSQL's view of who waits;
# SQLite (the embedded mode's tests) serialises writers, so there is no race.
needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two concurrent writers and pg_stat_activity need PostgreSQL"
)


def someone_waits_on_a_lock() -> bool:
    """Another connection of this database is blocked on a lock (a row, or
    an insert waiting on a unique key another transaction holds)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] > 0


def in_thread(target: Callable[..., object], *args: object) -> threading.Thread:
    """``target`` in a thread with its own connection, closed at the end."""

    def run() -> None:
        try:
            target(*args)
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def holding(work: Callable[[], object], done: threading.Event, commit: threading.Event) -> None:
    """``work`` in a transaction that stays open, after ``done``, until ``commit``."""
    with transaction.atomic():
        work()
        done.set()
        if not commit.wait(20):
            raise TimeoutError("nobody let the held transaction commit")
