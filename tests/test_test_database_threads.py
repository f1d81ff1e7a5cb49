"""A test reading a row while a thread of the code writes it must not fail
the write (tests/conftest.py: the in-memory SQLite test database's readers
take no table locks; PostgreSQL never had the problem). Seen as a flaky
failure of a torrent-client test polling its job on a loaded machine."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from watchlist.models import Source


@pytest.mark.django_db(transaction=True)  # the thread needs the committed row
def test_a_polling_reader_does_not_fail_a_writer_on_another_thread():
    source = Source.objects.create(url="http://127.0.0.1:1/feed.xml", provider_id="feed")
    errors: list[str] = []
    done = threading.Event()

    def write() -> None:
        try:
            for n in range(200):
                Source.objects.filter(pk=source.pk).update(etag=str(n))
        except Exception as exc:  # the failure under test, reported below
            errors.append(repr(exc))
        finally:
            done.set()
            connection.close()

    writer = threading.Thread(target=write)
    writer.start()
    reads = 0
    while not done.is_set():
        list(Source.objects.filter(pk=source.pk).values_list("etag", flat=True))
        reads += 1
    writer.join()

    assert errors == []
    assert reads > 0
    assert Source.objects.get(pk=source.pk).etag == "199"
