"""PostgreSQL date-times read by psycopg's compiled loader, not Django's.

Django (psycopg 3) loads every ``timestamptz`` through a Python subclass of
psycopg's loader that parses the text in Python and then replaces the
tzinfo with the connection's zone: about 4-7 microseconds per value on this
project's machine, against 0.3 for psycopg's compiled loader. A list of 200
items reads six date-times per item (the item's, its series', its last
check's), so that parsing was a fifth of the list's time.

The compiled loader gives the same value whenever the session's TimeZone is
UTC: it attaches the session's zone, ``datetime.timezone.utc``, which is
the zone Django's loader would have put there. So it is registered on a new
connection only when Django uses UTC (USE_TZ, no per-database TIME_ZONE)
and the session's TimeZone says UTC. The subclass keeps the ``timezone``
attribute Django's cursor factory compares with its own zone.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from django.db.backends.signals import connection_created
from django.dispatch import receiver

try:
    from psycopg.adapt import Loader
    from psycopg.pq import Format
    from psycopg.types.datetime import TimestamptzLoader
except ImportError:  # SQLite-only installs (the embedded mode) need no psycopg
    TimestamptzLoader = None

TIMESTAMPTZ = "timestamptz"


def _compiled_loader() -> type | None:
    """A loader that hands each value to psycopg's compiled timestamptz
    loader and carries Django's ``timezone`` attribute (the compiled class
    cannot be subclassed); None when only the Python loader is installed."""
    if TimestamptzLoader is None:
        return None
    import psycopg

    # psycopg's global adapters map holds the compiled loader when the C
    # implementation (psycopg-binary or psycopg-c) is installed: the public
    # way to reach it, without importing the implementation's module.
    oid = psycopg.postgres.types[TIMESTAMPTZ].oid
    Compiled = psycopg.adapters.get_loader(oid, Format.TEXT)
    if Compiled is None or issubclass(Compiled, TimestamptzLoader):
        return None  # only the Python loader: nothing to gain

    class UtcTimestamptzLoader(Loader):
        timezone = UTC

        def __init__(self, oid: int, context: Any = None) -> None:
            super().__init__(oid, context)
            # psycopg calls the loader's ``load`` per value: the compiled
            # loader's own bound method, without a Python frame in between.
            self.load = Compiled(oid, context).load  # type: ignore[method-assign]

        def load(self, data: Any) -> Any:  # the abstract method; replaced per instance
            raise NotImplementedError

    return UtcTimestamptzLoader


_LOADER = _compiled_loader()


@receiver(connection_created, dispatch_uid="watchlist_pg_datetimes")
def use_compiled_datetime_loader(sender: Any, connection: Any, **kwargs: Any) -> None:
    if _LOADER is None or connection.vendor != "postgresql" or connection.timezone is not UTC:
        return
    raw = connection.connection
    if not hasattr(raw, "adapters") or raw.info.parameter_status("TimeZone") not in ("UTC", "Etc/UTC"):
        return  # psycopg 2, or a session zone the compiled loader would convert into
    raw.adapters.register_loader(TIMESTAMPTZ, _LOADER)


def uses_compiled_loader(connection: Any) -> bool:
    """Whether ``connection`` (a Django connection, open) reads date-times
    with the compiled loader (for tests and benchmarks)."""
    if _LOADER is None or connection.vendor != "postgresql":
        return False
    loader = connection.connection.adapters.get_loader(
        connection.connection.adapters.types[TIMESTAMPTZ].oid, Format.TEXT
    )
    return loader is _LOADER
