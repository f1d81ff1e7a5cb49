"""PostgreSQL date-times are read by psycopg's compiled loader
(watchlist/pg_datetimes.py) and come out exactly as Django's own loader
gives them."""

from __future__ import annotations

from datetime import UTC

import pytest
from django.db import connection

from watchlist.pg_datetimes import uses_compiled_loader

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL loader"),
]

VALUES = [
    "2026-03-01 12:30:15.123456+00",
    "2026-03-01 12:30:15.12+00",  # the server trims trailing zeros
    "2026-03-29 01:30:00+02",  # another offset: the instant, in UTC
    "2026-07-01 00:00:00-09:30",
    "0001-01-01 00:00:00+00",
    "9999-12-31 23:59:59.999999+00",
]
SELECT = "SELECT " + ", ".join(f"'{value}'::timestamptz" for value in VALUES)


def _djangos_own(cursor) -> None:
    """Django's Python loader on this cursor, as it registers it."""
    from django.db.backends.postgresql.psycopg_any import register_tzloader

    register_tzloader(connection.timezone, cursor.cursor)


def test_a_new_connection_reads_date_times_with_the_compiled_loader():
    connection.ensure_connection()
    assert uses_compiled_loader(connection)


def test_the_values_are_djangos_to_the_tzinfo():
    with connection.cursor() as cursor:
        cursor.execute(SELECT)
        ours = cursor.fetchone()
    with connection.cursor() as cursor:
        _djangos_own(cursor)
        cursor.execute(SELECT)
        djangos = cursor.fetchone()
    assert ours == djangos
    assert [value.tzinfo for value in ours] == [UTC] * len(VALUES)
    assert [value.isoformat() for value in ours] == [value.isoformat() for value in djangos]


def test_a_date_time_python_cannot_hold_fails_as_with_djangos_loader():
    from django.db import DataError

    for register in (lambda cursor: None, _djangos_own):
        with pytest.raises(DataError), connection.cursor() as cursor:
            register(cursor)
            cursor.execute("SELECT 'infinity'::timestamptz")
            cursor.fetchone()


def test_a_session_in_another_zone_keeps_djangos_loader():
    from django.db.backends.postgresql.psycopg_any import register_tzloader

    from watchlist.pg_datetimes import use_compiled_datetime_loader

    connection.ensure_connection()
    raw = connection.connection
    register_tzloader(connection.timezone, raw)  # as a connection starts
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'Europe/Paris'")
        use_compiled_datetime_loader(sender=None, connection=connection)
        assert not uses_compiled_loader(connection)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'UTC'")
        use_compiled_datetime_loader(sender=None, connection=connection)
    assert uses_compiled_loader(connection)
