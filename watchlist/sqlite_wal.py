"""The embedded mode's SQLite file is switched to WAL once, when migrated.

WAL is a property of the database file, so setting it on every new
connection (Django's init_command) only repeats it; and with the web,
the worker's pool processes and beat all opening connections at start-up,
concurrent `PRAGMA journal_mode=WAL` statements can fail with SQLite's
"locking protocol" error, which once kept beat from starting at all.
"""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.models.signals import post_migrate
from django.dispatch import receiver


@receiver(post_migrate, dispatch_uid="watchlist_sqlite_wal")
def use_wal(sender: Any, using: str = "default", **kwargs: Any) -> None:
    if getattr(sender, "name", "") != "watchlist":
        return  # once per migrate, not once per app
    connection = connections[using]
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=WAL")
