"""Searches are shared like sources: items of different users that ask an
indexer the same thing cost one request per refresh window, counted at the
fake Torznab server."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from tests.indexer_helpers import make_indexer, torznab_item
from tests.support.fake_torznab import FakeRelease
from watchlist.checker import check_item
from watchlist.indexers.models import IndexerQuery
from watchlist.indexers.search import search_indexers
from watchlist.models import Episode

RELEASES = [
    FakeRelease("[SubsPlease] Sousou no Frieren - 05 (1080p).mkv"),
    FakeRelease("[SubsPlease] Sousou no Frieren - 06 (1080p).mkv"),
]


def _item(owner, **fields):
    fields.setdefault("auto_download", False)
    return torznab_item(owner, "Sousou no Frieren", **fields)


@pytest.mark.django_db
def test_two_users_one_request_per_indexer(torznab, alice, bob):
    nyaa = torznab.add_indexer("nyaa", RELEASES)
    other = torznab.add_indexer("other", RELEASES)
    make_indexer(nyaa)
    make_indexer(other)
    mine, theirs = _item(alice), _item(bob)
    assert mine.source_id == theirs.source_id

    check_item(mine)
    check_item(theirs)

    assert [len(nyaa.searches()), len(other.searches())] == [1, 1]
    assert [len(nyaa.caps_requests()), len(other.caps_requests())] == [1, 1]
    for item in (mine, theirs):
        assert sorted(Episode.objects.filter(item=item).values_list("number", flat=True)) == [5, 6]


@pytest.mark.django_db
def test_two_sources_asking_the_same_search_share_it(torznab, alice, bob, settings):
    nyaa = torznab.add_indexer("nyaa", RELEASES)
    make_indexer(nyaa)
    mine = _item(alice)
    theirs = _item(bob, lang="vostfr")  # another source (its language differs), the same search
    assert mine.source_id != theirs.source_id

    check_item(mine)
    check_item(theirs)

    assert len(nyaa.searches()) == 1
    query = IndexerQuery.objects.get()
    assert set(query.sources.values_list("pk", flat=True)) == {mine.source_id, theirs.source_id}


@pytest.mark.django_db
def test_asked_again_only_after_the_refresh_window(torznab, alice, settings):
    settings.SOURCE_MIN_REFRESH_MINUTES = 0
    settings.INDEXER_QUERY_REFRESH_MINUTES = 10
    nyaa = torznab.add_indexer("nyaa", RELEASES)
    make_indexer(nyaa)
    item = _item(alice)
    with time_machine.travel(timezone.now(), tick=True) as clock:
        check_item(item)
        clock.shift(timedelta(minutes=9))
        check_item(item)
        assert len(nyaa.searches()) == 1
        clock.shift(timedelta(minutes=2))
        nyaa.releases.append(FakeRelease("[SubsPlease] Sousou no Frieren - 07 (1080p).mkv"))
        result = check_item(item)
    assert len(nyaa.searches()) == 2
    assert [e["episode"] for e in result.new_episodes] == [7]


@pytest.mark.django_db
def test_the_add_page_search_is_shared_too(torznab, alice):
    nyaa = torznab.add_indexer("nyaa", RELEASES)
    make_indexer(nyaa)
    first = search_indexers("frieren")
    again = search_indexers("Frieren")  # same search whatever the case
    assert len(nyaa.searches()) == 1
    assert (first.requested, again.requested) == (2, 0)  # caps and the search, then nothing
    assert [g.title for g in again.results] == ["Sousou no Frieren"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_checks_of_two_sources_make_one_request(torznab, alice, bob):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("shared-cache in-memory SQLite raises 'table is locked' for concurrent writers; CI runs PostgreSQL")
    nyaa = torznab.add_indexer("nyaa", RELEASES, delay=0.5)
    make_indexer(nyaa)
    items = [_item(alice), _item(bob, lang="vostfr")]
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def check(item) -> None:
        try:
            barrier.wait()
            result = check_item(item)
            assert result.error is None, result.error
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=check, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert len(nyaa.searches()) == 1
