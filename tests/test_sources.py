"""Refreshing a shared source: conditional requests, the refresh window, and
one upstream request for concurrent checks."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from tests.check_helpers import every_episode, feed_item, rss, serve_feed
from watchlist.checker import check_item
from watchlist.models import CheckRun, Release, Source, SourceStatus
from watchlist.sources import refresh_source


@pytest.fixture(autouse=True)
def loopback_allowed(settings):
    settings.ALLOW_PRIVATE_SOURCES = True
    settings.SOURCE_MIN_REFRESH_MINUTES = 10
    settings.HTTP_TIMEOUT_SECONDS = 5


def release_snapshot(source: Source) -> list[tuple]:
    return list(
        Release.objects.filter(source=source).order_by("pk").values_list("pk", "url", "first_seen_at", "last_seen_at")
    )


@pytest.mark.django_db
def test_a_304_changes_no_release(alice, http_server, settings):
    settings.SOURCE_MIN_REFRESH_MINUTES = 0
    url = serve_feed(http_server, "/frieren.xml", every_episode(1, 2, 3), etag='"abc"')
    item = feed_item(alice, url)
    first = refresh_source(item.source)
    assert (first.status, first.releases) == (SourceStatus.FETCHED, 3)
    item.source.refresh_from_db()
    assert item.source.etag == '"abc"'
    before = release_snapshot(item.source)
    fetched_before = item.source.fetched_at

    again = refresh_source(item.source)

    assert again.status == SourceStatus.NOT_MODIFIED
    second_request = http_server.requests_for("/frieren.xml")[1]
    assert second_request.headers["if-none-match"] == '"abc"'
    assert second_request.status == 304
    # Nothing re-parsed: the very same rows, untouched (a 200 moves last_seen_at).
    assert release_snapshot(item.source) == before
    item.source.refresh_from_db()
    assert item.source.fetched_at > fetched_before
    assert item.source.last_status == SourceStatus.NOT_MODIFIED


@pytest.mark.django_db
def test_a_check_after_a_304_records_nothing_new(alice, http_server, settings):
    settings.SOURCE_MIN_REFRESH_MINUTES = 0
    item = feed_item(alice, serve_feed(http_server, "/frieren.xml", every_episode(1, 2)))
    check_item(item)

    result = check_item(item)

    assert (result.source_status, result.new_episodes, result.error) == (SourceStatus.NOT_MODIFIED, [], None)


@pytest.mark.django_db
def test_last_modified_is_sent_back_too(alice, http_server, settings):
    settings.SOURCE_MIN_REFRESH_MINUTES = 0
    feed = rss(http_server, every_episode(1))
    url = http_server.add("/dated.xml", feed, content_type="application/rss+xml", last_modified=1_700_000_000)
    item = feed_item(alice, url)
    refresh_source(item.source)

    assert refresh_source(item.source).status == SourceStatus.NOT_MODIFIED
    assert http_server.requests_for("/dated.xml")[1].headers["if-modified-since"] == "Tue, 14 Nov 2023 22:13:20 GMT"


@pytest.mark.django_db
def test_a_source_fetched_within_the_window_is_not_asked_again(alice, bob, http_server):
    url = serve_feed(http_server, "/frieren.xml", every_episode(1, 2))
    alices, bobs = feed_item(alice, url), feed_item(bob, url)

    assert check_item(alices).source_status == SourceStatus.FETCHED
    result = check_item(bobs)

    assert result.source_status == SourceStatus.FRESH
    assert [e["episode"] for e in result.new_episodes] == [1, 2]  # from the stored releases
    assert len(http_server.requests_for("/frieren.xml")) == 1


@pytest.mark.django_db
def test_force_ignores_the_window(alice, http_server):
    item = feed_item(alice, serve_feed(http_server, "/frieren.xml", every_episode(1)))
    refresh_source(item.source)

    assert refresh_source(item.source, force=True).status == SourceStatus.NOT_MODIFIED
    assert len(http_server.requests_for("/frieren.xml")) == 2


@pytest.mark.django_db
def test_a_failing_source_is_tried_once_per_window_for_all_its_items(alice, bob, http_server):
    url = http_server.url("/gone.xml")
    alices, bobs = feed_item(alice, url), feed_item(bob, url)

    first, second = check_item(alices), check_item(bobs)

    assert "404" in first.error and second.error == first.error
    assert len(http_server.requests_for("/gone.xml")) == 1
    assert CheckRun.objects.filter(error__contains="404").count() == 2


@pytest.mark.django_db
def test_a_good_answer_after_an_error_clears_the_error(alice, http_server, settings):
    settings.SOURCE_MIN_REFRESH_MINUTES = 0
    url = http_server.add("/flaky.xml", "no", status=404)
    item = feed_item(alice, url)
    assert check_item(item).error

    serve_feed(http_server, "/flaky.xml", every_episode(1))
    result = check_item(item)

    assert result.error is None and [e["episode"] for e in result.new_episodes] == [1]
    item.source.refresh_from_db()
    assert item.source.last_error == ""


@pytest.mark.django_db
def test_an_expired_lease_of_a_dead_refresher_is_taken_over(alice, http_server):
    item = feed_item(alice, serve_feed(http_server, "/frieren.xml", every_episode(1)))
    Source.objects.filter(pk=item.source_id).update(refreshing_until=timezone.now() - timedelta(seconds=1))

    assert refresh_source(item.source).status == SourceStatus.FETCHED
    item.source.refresh_from_db()
    assert item.source.refreshing_until is None


@pytest.mark.django_db
def test_a_waiter_gives_up_on_a_refresher_that_never_finishes(alice, http_server, settings):
    settings.HTTP_TIMEOUT_SECONDS = 1  # waits at most 3 s
    item = feed_item(alice, serve_feed(http_server, "/frieren.xml", every_episode(1)))
    Source.objects.filter(pk=item.source_id).update(refreshing_until=timezone.now() + timedelta(minutes=5))

    result = check_item(item)

    assert result.source_status == SourceStatus.STALE
    assert result.error is None
    assert http_server.requests_for("/frieren.xml") == []


# Django tests SQLite in a shared-cache in-memory database, whose table locks
# ignore the busy timeout; the embedded mode's WAL file does not have them
# (bench/check_bench.py runs this path on a SQLite file). CI runs PostgreSQL.
@pytest.fixture
def real_concurrency() -> None:
    # Asked at run time: the test database replaces the configured one then.
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("shared-cache in-memory SQLite raises 'table is locked' for concurrent writers")


def _in_thread(target, *args) -> threading.Thread:
    def run() -> None:
        try:
            target(*args)
        finally:
            connection.close()  # each thread has its own connection

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True)
def test_concurrent_checks_of_items_sharing_a_source_make_one_request(http_server, real_concurrency):
    User = get_user_model()
    url = serve_feed(http_server, "/frieren.xml", every_episode(1, 2, 3), delay=0.5)
    # auto_download off: this test commits for real, and queued downloads
    # would leave messages in the broker.
    items = [feed_item(User.objects.create(username=f"user{n}"), url, auto_download=False) for n in range(4)]
    start = threading.Barrier(len(items))
    results = {}

    def check(item) -> None:
        start.wait()
        results[item.pk] = check_item(item)

    for thread in [_in_thread(check, item) for item in items]:
        thread.join(timeout=30)

    assert len(http_server.requests_for("/frieren.xml")) == 1
    assert len(results) == 4
    for result in results.values():
        assert result.error is None
        assert [e["episode"] for e in result.new_episodes] == [1, 2, 3]
    statuses = sorted(result.source_status for result in results.values())
    assert statuses == ["fetched", "fresh", "fresh", "fresh"]
    source = Source.objects.get()
    assert source.refreshing_until is None
    assert Release.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_forced_refreshes_also_make_one_request(alice, http_server, real_concurrency):
    item = feed_item(alice, serve_feed(http_server, "/frieren.xml", every_episode(1), delay=0.5), auto_download=False)
    start = threading.Barrier(3)
    outcomes = []

    def refresh() -> None:
        start.wait()
        outcomes.append(refresh_source(Source.objects.get(pk=item.source_id), force=True))

    for thread in [_in_thread(refresh) for _ in range(3)]:
        thread.join(timeout=30)

    assert len(http_server.requests_for("/frieren.xml")) == 1
    assert sorted((o.requested, o.waited) for o in outcomes) == [(False, True), (False, True), (True, False)]


@pytest.mark.django_db
def test_torrent_fields_of_a_listing_are_stored_and_junk_counts_dropped(alice):
    from watchlist.providers.base import EpisodeInfo
    from watchlist.sources import _replace_releases

    source = feed_item(alice, "http://feeds.test/group.xml").source
    infohash = "AB" * 20
    listed = [
        EpisodeInfo(episode=5, url="magnet:?xt=urn:btih:" + infohash, group="SubsPlease", infohash=infohash,
                    seeders=120, leechers=7, trusted=True, remake=False),
        EpisodeInfo(episode=6, url="http://feeds.test/6.torrent", infohash="not-a-hash", seeders=-1,
                    leechers=2**40, remake=True),
    ]  # fmt: skip

    _replace_releases(source, listed, timezone.now())

    five, six = Release.objects.filter(source=source).order_by("episode")
    assert (five.group, five.infohash, five.seeders, five.leechers, five.trusted, five.remake) == (
        "SubsPlease",
        infohash.lower(),
        120,
        7,
        True,
        False,
    )
    assert (six.infohash, six.seeders, six.leechers, six.remake) == ("", None, None, True)
