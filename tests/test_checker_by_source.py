"""Scheduled checks source by source (watchlist/source_checks.py): a due
source is asked once, an unchanged one costs its items a bulk record, a
changed one gets its items matched, and anything else goes to the per-item
queue as before. Real feeds on a loopback HTTP server."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.check_helpers import every_episode, feed_item, loopback_sources, serve_feed  # noqa: F401 - a fixture
from watchlist.checker import check_item
from watchlist.models import (
    CheckRun,
    Episode,
    EpisodeState,
    PendingCheck,
    Source,
    SourceStatus,
    WatchlistItem,
    WatchlistSettings,
)
from watchlist.source_checks import check_by_source

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loopback_sources")]


def users(n: int) -> list:
    User = get_user_model()
    return [User.objects.create_user(username=f"user{k}", password="x-pass-123") for k in range(n)]


def settled_items(owners, url: str) -> list[WatchlistItem]:
    """Items of one source, each checked once after the source's fetch (the
    state a scheduled run finds them in)."""
    items = [feed_item(owner, url, auto_download=False) for owner in owners]
    for item in items:
        check_item(item)
    check_item(items[0])  # its first check made the fetch: now it has seen it too
    return [WatchlistItem.objects.select_related("source").get(pk=item.pk) for item in items]


def window_passes() -> None:
    moved = timedelta(minutes=11)
    Source.objects.update(last_attempt_at=F("last_attempt_at") - moved, fetched_at=F("fetched_at") - moved)


def runs(item) -> list[CheckRun]:
    return list(CheckRun.objects.filter(item=item).order_by("-started_at", "-pk"))


def test_an_unchanged_source_is_asked_once_and_its_items_recorded_in_bulk(http_server):
    url = serve_feed(http_server, "/feed.xml", every_episode(1, 2))
    items = settled_items(users(3), url)
    before = len(http_server.requests_for("/feed.xml"))
    window_passes()

    report = check_by_source([item.pk for item in items])

    assert report.recorded_unchanged == 3 and report.left == [] and report.checked_changed == 0
    asked = http_server.requests_for("/feed.xml")[before:]
    assert len(asked) == 1 and asked[0].status == 304
    for item in items:
        latest = runs(item)[0]
        assert latest.source_status == SourceStatus.NOT_MODIFIED and latest.error == ""
        assert WatchlistItem.objects.get(pk=item.pk).last_checked_at == latest.started_at
    assert Episode.objects.count() == 3 * 2  # nothing recorded twice


def _statements_for(owners, path: str, http_server) -> int:
    url = serve_feed(http_server, path, every_episode(1, 2))
    items = settled_items(owners, url)
    with CaptureQueriesContext(connection) as queries:
        report = check_by_source([item.pk for item in items])  # fresh: no request
    assert report.recorded_unchanged == len(items)
    return len(queries)


def test_the_bulk_record_costs_the_same_statements_for_2_and_8_items(http_server):
    owners = users(8)
    few = _statements_for(owners[:2], "/a.xml", http_server)
    many = _statements_for(owners, "/b.xml", http_server)
    assert many == few


def test_a_changed_source_gets_its_items_matched_with_one_request(http_server):
    url = serve_feed(http_server, "/feed.xml", every_episode(1, 2))
    items = settled_items(users(2), url)
    serve_feed(http_server, "/feed.xml", every_episode(1, 2, 3), etag='"v2"')
    before = len(http_server.requests_for("/feed.xml"))
    window_passes()

    report = check_by_source([item.pk for item in items])

    assert report.checked_changed == 2 and report.recorded_unchanged == 0
    assert len(http_server.requests_for("/feed.xml")) == before + 1
    for item in items:
        assert runs(item)[0].new_episode_numbers == [3]
        assert runs(item)[0].source_status == SourceStatus.FETCHED
        assert sorted(Episode.objects.filter(item=item).values_list("number", flat=True)) == [1, 2, 3]


def test_items_whose_last_check_does_not_hold_are_left_for_the_queue(http_server, settings):
    url = serve_feed(http_server, "/feed.xml", every_episode(1, 2))
    owners = users(5)
    settled, edited, failed = settled_items(owners[:3], url)
    (stale_releases,) = settled_items([owners[3]], serve_feed(http_server, "/stale.xml", every_episode(1)))
    WatchlistItem.objects.filter(pk=edited.pk).update(updated_at=timezone.now())  # edited since its check
    CheckRun.objects.filter(pk=runs(failed)[0].pk).update(error="the source answered 503")
    # The source was rewritten after this item's last check: it has not seen it.
    stale_releases.source.releases.update(last_seen_at=timezone.now() + timedelta(seconds=1))
    never = feed_item(owners[4], serve_feed(http_server, "/other.xml", every_episode(1)))

    report = check_by_source([i.pk for i in (settled, edited, failed, never)])
    assert sorted(report.left) == sorted(str(i.pk) for i in (edited, failed, never))
    assert report.recorded_unchanged == 1
    assert not http_server.requests_for("/other.xml")  # left items are not fetched here

    report = check_by_source([stale_releases.pk])
    assert report.left == [str(stale_releases.pk)]


def test_items_whose_episodes_moved_since_their_check_are_left_for_the_queue(http_server):
    """The episode probes of the settled test, one per way an episode can
    call for a new match: changed since the check by something else than
    that check, or still queued. Episodes the last check itself wrote (found
    and updated after it started) leave the item settled."""
    url = serve_feed(http_server, "/feed.xml", every_episode(1, 2))
    changed, kept, queued = settled_items(users(3), url)  # kept: checked once, after the fetch
    assert Episode.objects.filter(item=kept, found_at__gte=kept.last_checked_at).exists()
    before, after = changed.last_checked_at - timedelta(hours=1), changed.last_checked_at + timedelta(seconds=1)
    # Found by an earlier check, downloaded (or pinned...) since this one.
    Episode.objects.filter(pk=Episode.objects.filter(item=changed).first().pk).update(found_at=before, updated_at=after)
    # update() leaves updated_at alone: only the state tells.
    Episode.objects.filter(pk=Episode.objects.filter(item=queued).first().pk).update(state=EpisodeState.QUEUED)
    window_passes()

    report = check_by_source([kept.pk, changed.pk, queued.pk])
    assert sorted(report.left) == sorted([str(changed.pk), str(queued.pk)])
    assert report.recorded_unchanged == 1
    assert runs(kept)[0].source_status == SourceStatus.NOT_MODIFIED


def test_a_scheduled_run_queues_only_what_the_source_pass_left(http_server, django_capture_on_commit_callbacks):
    from watchlist.tasks import check_users_task

    url = serve_feed(http_server, "/feed.xml", every_episode(1))
    owner = users(1)[0]
    (settled,) = settled_items([owner], url)
    fresh = feed_item(owner, serve_feed(http_server, "/new.xml", every_episode(1)))
    # Both due: an interval has passed since the settled item's check.
    past = timezone.now() - timedelta(hours=7)
    WatchlistItem.objects.filter(pk=settled.pk).update(last_checked_at=past)
    WatchlistItem.objects.filter(pk=settled.pk).update(updated_at=past - timedelta(seconds=1))
    CheckRun.objects.filter(pk=runs(settled)[0].pk).update(started_at=past)
    settled.source.releases.update(last_seen_at=past - timedelta(seconds=1))
    WatchlistSettings.objects.filter(user=owner).update(updated_at=past - timedelta(seconds=1))
    window_passes()

    with django_capture_on_commit_callbacks():
        assert check_users_task([owner.pk]) == 1

    assert list(PendingCheck.objects.values_list("item_id", flat=True)) == [fresh.pk]
    assert runs(settled)[0].started_at > past  # checked by the source pass, not queued


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    # The test database is SQLite in memory with a shared cache, where a
    # second thread's write fails at once ("table is locked") instead of
    # waiting on the busy timeout as the embedded mode's file does.
    reason="needs concurrent writers from threads (PostgreSQL)",
)
@pytest.mark.django_db(transaction=True)  # threads need committed rows: as in a worker
def test_sources_are_refreshed_on_threads_outside_a_transaction(http_server):
    owners = users(2)
    items = [
        *settled_items(owners, serve_feed(http_server, "/one.xml", every_episode(1))),
        *settled_items(owners, serve_feed(http_server, "/two.xml", every_episode(1))),
    ]
    window_passes()

    report = check_by_source([item.pk for item in items])

    assert report.sources_refreshed == 2 and report.recorded_unchanged == 4
    assert [r.status for r in http_server.requests_for("/one.xml")][-1] == 304
    assert [r.status for r in http_server.requests_for("/two.xml")][-1] == 304
    assert {runs(item)[0].source_status for item in items} == {SourceStatus.NOT_MODIFIED}


def test_a_batch_of_fresh_sources_reads_them_once(http_server):
    owners = users(2)
    items = [
        *settled_items(owners, serve_feed(http_server, "/fresh-a.xml", every_episode(1))),
        *settled_items(owners, serve_feed(http_server, "/fresh-b.xml", every_episode(1))),
    ]
    with CaptureQueriesContext(connection) as queries:
        report = check_by_source([item.pk for item in items])  # fresh: no request
    assert report.recorded_unchanged == 4
    source_table = Source._meta.db_table
    reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT") and f'FROM "{source_table}"' in q["sql"]]
    assert len(reads) == 1, reads


@pytest.mark.django_db(transaction=True)  # the other worker's thread must see the rows
def test_a_source_another_worker_is_refreshing_is_waited_for_not_asked_again(http_server):
    import threading

    url = serve_feed(http_server, "/held.xml", every_episode(1, 2))
    items = settled_items(users(2), url)
    window_passes()
    before = len(http_server.requests_for("/held.xml"))
    source = Source.objects.get(url=url)
    # Another worker holds the refresh lease; it finishes a moment later,
    # leaving the source fresh and unchanged.
    Source.objects.filter(pk=source.pk).update(refreshing_until=timezone.now() + timedelta(minutes=1))

    def the_other_worker_finishes():
        Source.objects.filter(pk=source.pk).update(
            refreshing_until=None,
            fetched_at=timezone.now(),
            last_attempt_at=timezone.now(),
            last_status=SourceStatus.NOT_MODIFIED,
        )
        connection.close()

    finisher = threading.Timer(0.3, the_other_worker_finishes)
    finisher.start()
    try:
        report = check_by_source([item.pk for item in items])
    finally:
        finisher.join()

    assert report.recorded_unchanged == 2 and report.left == []
    assert len(http_server.requests_for("/held.xml")) == before  # the other worker's refresh served us
    assert {runs(item)[0].source_status for item in items} <= {SourceStatus.NOT_MODIFIED, SourceStatus.FRESH}
