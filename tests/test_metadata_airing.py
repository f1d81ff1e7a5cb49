"""Air-time-aware checks: items are checked at +15, +30, +60 and +120 minutes
after an episode airs, with a controlled clock, through the real broker and
the real check code (a "worker" here runs the published check tasks)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from kombu.exceptions import OperationalError

from tests.check_helpers import Rel, feed_item, serve_feed
from tests.metadata_helpers import T0, epoch, linked_item
from tests.support.broker import drain, unreachable_broker
from tests.support.fake_anilist import media
from watchlist import schedule
from watchlist.metadata.airing import dispatch_airing_checks
from watchlist.metadata.models import SeriesAiring
from watchlist.metadata.series import series_for_anilist_id
from watchlist.models import Episode, EpisodeState, ItemStatus, WatchlistSettings
from watchlist.tasks import check_item_task

pytestmark = pytest.mark.django_db

AIR = T0 + timedelta(hours=2)


@pytest.fixture
def checks():
    drain("checks")
    yield lambda: [args[0] for name, args in drain("checks") if name == "watchlist.tasks.check_item_task"]
    drain("checks")


@pytest.fixture
def weekly(anilist, time_machine):
    """A series whose episode 5 airs at AIR (and 6 a week later)."""
    time_machine.move_to(T0, tick=False)
    anilist.add(
        media(
            100,
            "Weekly Show",
            next_airing=(5, epoch(AIR)),
            schedule=[(5, epoch(AIR)), (6, epoch(AIR + timedelta(days=7)))],
        )
    )
    return series_for_anilist_id(100)


def test_an_episode_is_checked_at_each_offset_then_left_to_the_interval(weekly, alice, checks, time_machine):
    item = linked_item(alice, None, 100)
    row = SeriesAiring.objects.get(series=weekly, episode=5)
    assert row.next_check_at == AIR + timedelta(minutes=15)

    sent_at = []
    for minute in range(0, 180):
        now = AIR + timedelta(minutes=minute)
        time_machine.move_to(now, tick=False)
        if dispatch_airing_checks(now).checks:
            sent_at.append(minute)
            assert checks() == [str(item.pk)]
    assert sent_at == [15, 30, 60, 120]
    row.refresh_from_db()
    assert (row.checks_done, row.next_check_at) == (4, None)


def test_only_items_that_still_wait_for_the_episode_are_checked(weekly, alice, bob, checks, time_machine):
    waiting = linked_item(alice, None, 100)
    has_it = linked_item(alice, None, 100, anime_title="Weekly Show (EN)", lang="en", last_episode_downloaded=5)
    recorded = linked_item(alice, None, 100, anime_title="Weekly Show (DE)", lang="de")
    Episode.objects.create(item=recorded, number=5, url="https://x.example/5.mkv", state=EpisodeState.QUEUED)
    linked_item(alice, None, 100, anime_title="Paused", lang="it", status=ItemStatus.PAUSED)
    stopped = linked_item(bob, None, 100)
    schedule.stop(WatchlistSettings.for_user(stopped.owner))
    other_series = linked_item(alice, None, 100, anime_title="Other", lang="es")
    other_series.series = None
    other_series.save()

    now = AIR + timedelta(minutes=15)
    time_machine.move_to(now, tick=False)
    report = dispatch_airing_checks(now)

    assert report.checks == 1
    assert checks() == [str(waiting.pk)]
    assert has_it.pk and recorded.pk  # checked neither


def test_absolute_numbering_counts_as_having_the_episode(anilist, alice, checks, time_machine):
    time_machine.move_to(T0, tick=False)
    anilist.add(
        media(1, "S1", episodes=12),
        media(2, "S2", episodes=12, relations=[("PREQUEL", 1, "TV", 12)], schedule=[(3, epoch(AIR))]),
    )
    item = linked_item(alice, anilist, 2)
    assert item.series.first_absolute_episode == 13
    Episode.objects.create(item=item, number=15, url="https://x.example/15.mkv")  # = season 2 episode 3
    now = AIR + timedelta(minutes=15)
    time_machine.move_to(now, tick=False)
    assert dispatch_airing_checks(now).checks == 0
    assert checks() == []


def test_offsets_missed_while_down_become_one_check(weekly, alice, checks, time_machine):
    item = linked_item(alice, None, 100)
    now = AIR + timedelta(minutes=70)
    time_machine.move_to(now, tick=False)
    assert dispatch_airing_checks(now).checks == 1
    assert checks() == [str(item.pk)]
    row = SeriesAiring.objects.get(series=weekly, episode=5)
    assert (row.checks_done, row.next_check_at) == (3, AIR + timedelta(minutes=120))


def test_a_broker_outage_leaves_the_checks_due(weekly, alice, checks, time_machine):
    linked_item(alice, None, 100)
    now = AIR + timedelta(minutes=15)
    time_machine.move_to(now, tick=False)
    with unreachable_broker(), pytest.raises(OperationalError):
        dispatch_airing_checks(now)
    row = SeriesAiring.objects.get(series=weekly, episode=5)
    assert (row.checks_done, row.next_check_at) == (0, AIR + timedelta(minutes=15))
    assert dispatch_airing_checks(now).checks == 1


def test_offsets_come_from_the_setting(weekly, alice, settings, checks, time_machine):
    settings.AIRING_CHECK_OFFSETS_MINUTES = [5, 10]
    linked_item(alice, None, 100)
    SeriesAiring.objects.filter(series=weekly).delete()
    from watchlist.metadata.refresh import refresh_series

    refresh_series([weekly.pk])
    assert SeriesAiring.objects.get(series=weekly, episode=5).next_check_at == AIR + timedelta(minutes=5)


def test_a_new_episode_is_found_minutes_after_it_is_published(
    weekly, alice, bob, http_server, settings, checks, time_machine
):
    """The real path: AniList's air time -> airing dispatch -> check tasks
    (run here as a worker would) -> the shared source fetched once per
    window -> the episode recorded. Published 10 minutes after airing, found
    at the +15 check; alice and bob share the source."""
    settings.ALLOW_PRIVATE_SOURCES = True
    url = serve_feed(http_server, "/weekly.xml", [Rel(4, title="Weekly Show")])
    items = []
    for user in (alice, bob):
        item = feed_item(user, url, auto_download=False)
        item.series = weekly
        item.save()
        items.append(item)

    def run_checks() -> None:
        for item_id in checks():
            check_item_task(item_id)

    time_machine.move_to(AIR - timedelta(minutes=1), tick=False)
    for item in items:
        check_item_task(str(item.pk))  # a regular check just before airing
    assert len(http_server.requests_for("/weekly.xml")) == 1

    found_at = None
    for minute in range(0, 130):
        now = AIR + timedelta(minutes=minute)
        time_machine.move_to(now, tick=False)
        if minute == 10:
            serve_feed(
                http_server, "/weekly.xml", [Rel(4, title="Weekly Show"), Rel(5, title="Weekly Show")], etag='"v2"'
            )
        dispatch_airing_checks(now)
        run_checks()
        if found_at is None and Episode.objects.filter(number=5).count() == 2:
            found_at = minute
    assert found_at == 15
    # One fetch before airing, one at +15 for both users (shared source);
    # nothing after: both items have episode 5, so +30..+120 check nothing.
    assert len(http_server.requests_for("/weekly.xml")) == 2
