"""Series records: one per AniList id, shared by every user's items; their
titles for release matching; the first absolute episode from the prequel
chain; refreshing (daily and after airings) and its failures, which never
touch checks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model

from tests.check_helpers import Rel, feed_item, serve_feed
from tests.factories import make_item
from tests.metadata_helpers import T0, epoch, linked_item
from tests.support.broker import drain
from tests.support.fake_anilist import media
from watchlist.checker import check_item
from watchlist.metadata import refresh
from watchlist.metadata.models import Series, SeriesAiring
from watchlist.metadata.series import UnknownSeries, remember, series_for_anilist_id
from watchlist.metadata.titles import series_titles
from watchlist.models import ItemStatus

pytestmark = pytest.mark.django_db


def test_a_series_is_fetched_once_and_stored_with_its_schedule(anilist, time_machine):
    time_machine.move_to(T0, tick=False)
    first, second = T0 + timedelta(hours=10), T0 + timedelta(days=7, hours=10)
    anilist.add(
        media(
            21,
            "One Piece",
            native="ワンピース",
            synonyms=["OP"],
            episodes=None,
            next_airing=(1100, epoch(first)),
            schedule=[(1100, epoch(first)), (1101, epoch(second))],
        )
    )

    series = series_for_anilist_id(21)

    assert (series.title_english, series.title_native, series.synonyms) == ("One Piece", "ワンピース", ["OP"])
    assert (series.next_airing_episode, series.next_airing_at) == (1100, first)
    assert series.fetched_at == T0 and series.detailed_at == T0
    assert list(series.airings.values_list("episode", "airing_at", "next_check_at")) == [
        (1100, first, first + timedelta(minutes=15)),
        (1101, second, second + timedelta(minutes=15)),
    ]
    # Due again 20 minutes after the next episode airs (before the daily refresh).
    assert series.next_refresh_at == first + timedelta(minutes=20)
    assert series_for_anilist_id(21).pk == series.pk
    assert anilist.operations() == ["Series"]


def test_an_id_anilist_does_not_know_is_refused(anilist):
    with pytest.raises(UnknownSeries):
        series_for_anilist_id(999)
    assert not Series.objects.exists()


def test_with_anilist_down_the_id_is_kept_as_a_placeholder_due_for_refresh(anilist, time_machine):
    time_machine.move_to(T0, tick=False)
    anilist.reply_next(500, body=b"oops")
    series = series_for_anilist_id(5)
    assert series.anilist_id == 5 and series.fetched_at is None
    assert series.next_refresh_at == T0
    assert "HTTP 500" in series.last_error


def test_series_titles_give_every_title_and_synonym_once(anilist, alice):
    anilist.add(
        media(
            7,
            "Frieren: Beyond Journey's End",
            romaji="Sousou no Frieren",
            native="葬送のフリーレン",
            synonyms=["Frieren", "sousou no frieren", "", "フリーレン"],
        )
    )
    item = linked_item(alice, anilist, 7)
    assert series_titles(item) == [
        "Frieren: Beyond Journey's End",
        "Sousou no Frieren",
        "葬送のフリーレン",
        "Frieren",
        "フリーレン",
    ]
    assert series_titles(make_item(alice)) == []


def test_first_absolute_episode_follows_the_prequel_chain_through_a_film(anilist):
    anilist.add(
        media(10, "Show", episodes=12),
        media(11, "Show: The Movie", format="MOVIE", episodes=1, relations=[("PREQUEL", 10, "TV", 12)]),
        media(12, "Show 2", episodes=13, relations=[("PREQUEL", 11, "MOVIE", 1), ("SEQUEL", 13, "TV", 12)]),
        media(13, "Show 3", episodes=12, relations=[("PREQUEL", 12, "TV", 13), ("SIDE_STORY", 14, "OVA", 2)]),
    )
    series = series_for_anilist_id(13)
    # 12 (season 1) + 13 (season 2); the film is passed through, not counted.
    assert series.first_absolute_episode == 26
    assert series.prequel_anilist_id == 12
    assert series.prequel_episodes == 13  # where a later cour's numbers start in its season
    # One request per level of the chain: the series, then 12, 11 and 10.
    assert anilist.operations() == ["Series", "Prequels", "Prequels", "Prequels"]
    assert [p.variables["ids"] for p in anilist.posts[1:]] == [[12], [11], [10]]
    assert series_for_anilist_id(10).first_absolute_episode == 1  # no prequel: starts at 1


def test_first_absolute_episode_is_unknown_when_a_season_on_the_chain_has_no_count(anilist):
    anilist.add(
        media(30, "Long Show", episodes=None, status="RELEASING"),
        media(31, "Long Show 2", episodes=12, relations=[("PREQUEL", 30, "TV", None)]),
        media(40, "A Film", format="MOVIE", episodes=1),
    )
    assert series_for_anilist_id(31).first_absolute_episode is None
    assert series_for_anilist_id(40).first_absolute_episode is None  # not a season


def test_search_results_are_remembered_without_a_second_request(anilist):
    anilist.add(media(50, "Mushishi"))
    from watchlist.metadata.anilist import AniListClient

    stored = remember(AniListClient().search("mushi"))
    assert stored[50].title_english == "Mushishi"
    assert stored[50].detailed_at is None  # no schedule from a search
    assert stored[50].next_refresh_at is None  # nobody tracks it: never refreshed


def test_one_request_refreshes_a_series_for_every_user_that_tracks_it(anilist, alice, bob, time_machine):
    time_machine.move_to(T0, tick=False)
    anilist.add(media(60, "Shared", status="RELEASING", episodes=None))
    carol = get_user_model().objects.create_user("carol")
    items = [linked_item(user, anilist, 60) for user in (alice, bob, carol)]
    assert Series.objects.count() == 1
    assert {item.series_id for item in items} == {items[0].series_id}

    later = T0 + timedelta(days=1, minutes=1)
    time_machine.move_to(later, tick=False)
    anilist.catalogue[60] = media(60, "Shared", status="FINISHED", episodes=12)
    anilist.posts.clear()
    report = refresh.refresh_series([items[0].series_id])

    assert report.refreshed == [60]
    assert anilist.operations() == ["Series"]
    series = Series.objects.get(anilist_id=60)
    assert (series.status, series.episodes, series.fetched_at) == ("FINISHED", 12, later)
    assert series.next_refresh_at == later + timedelta(hours=24)


def test_the_dispatcher_sends_tracked_due_series_fifty_per_message(anilist, alice, time_machine):
    time_machine.move_to(T0, tick=False)
    drain("checks")
    for n in range(1, 56):
        Series.objects.create(anilist_id=n, next_refresh_at=T0 - timedelta(minutes=1))
    tracked = list(Series.objects.order_by("anilist_id")[:52])
    for series in tracked:
        make_item(alice, series=series)
    make_item(alice, series=Series.objects.get(anilist_id=53), status=ItemStatus.ARCHIVED)
    Series.objects.filter(anilist_id=52).update(next_refresh_at=T0 + timedelta(hours=1))  # not due

    sent = refresh.dispatch_due_refreshes()

    assert sent == 51
    messages = [args[0] for name, args in drain("checks") if name.endswith("refresh_series_task")]
    assert sorted(len(m) for m in messages) == [1, 50]
    assert sorted(pk for m in messages for pk in m) == sorted(s.pk for s in tracked[:51])
    # Leased: a second tick now sends nothing; after the lease it sends again.
    assert refresh.dispatch_due_refreshes() == 0
    assert refresh.dispatch_due_refreshes(T0 + refresh.LEASE + timedelta(seconds=1)) == 51
    drain("checks")


def test_a_failed_refresh_backs_off_and_checks_go_on(anilist, alice, http_server, settings, time_machine):
    settings.ALLOW_PRIVATE_SOURCES = True
    time_machine.move_to(T0, tick=False)
    anilist.add(media(70, "Airing Now"))
    url = serve_feed(http_server, "/airing.xml", [Rel(1, title="Airing Now"), Rel(2, title="Airing Now")])
    item = feed_item(alice, url, auto_download=False)
    item.series = series_for_anilist_id(70)
    item.save()

    anilist.stop()  # AniList is down from here on
    report = refresh.refresh_series([item.series_id])
    assert report.refreshed == [] and "cannot be reached" in report.error
    series = Series.objects.get(pk=item.series_id)
    assert series.failures == 1
    assert series.next_refresh_at == T0 + timedelta(minutes=15)
    refresh.refresh_series([item.series_id])
    assert Series.objects.get(pk=item.series_id).next_refresh_at == T0 + timedelta(minutes=30)

    result = check_item(item)
    assert result.error is None
    assert [e["episode"] for e in result.new_episodes] == [1, 2]


def test_a_429_during_refresh_waits_at_least_retry_after(anilist, alice, time_machine):
    time_machine.move_to(T0, tick=False)
    anilist.add(media(80))
    item = linked_item(alice, anilist, 80)
    anilist.rate_limited_next(retry_after=3600)
    refresh.refresh_series([item.series_id])
    assert Series.objects.get(pk=item.series_id).next_refresh_at == T0 + timedelta(hours=1)


def test_a_moved_episode_is_rescheduled_and_a_dropped_one_removed(anilist, alice, time_machine):
    time_machine.move_to(T0, tick=False)
    aired, first, second = T0 - timedelta(hours=1), T0 + timedelta(days=1), T0 + timedelta(days=8)
    anilist.add(media(90, schedule=[(3, epoch(first)), (4, epoch(second))], next_airing=(3, epoch(first))))
    item = linked_item(alice, anilist, 90)
    SeriesAiring.objects.create(series=item.series, episode=2, airing_at=aired, checks_done=1)

    moved = first + timedelta(days=7)
    anilist.catalogue[90] = media(90, schedule=[(3, epoch(moved))], next_airing=(3, epoch(moved)))
    refresh.refresh_series([item.series_id])

    rows = list(SeriesAiring.objects.filter(series=item.series).values_list("episode", "airing_at", "checks_done"))
    # Aired rows stay; the moved episode is rescheduled; the dropped one goes.
    assert rows == [(2, aired, 1), (3, moved, 0)]
    assert SeriesAiring.objects.get(series=item.series, episode=3).next_check_at == moved + timedelta(minutes=15)


def test_untracked_search_results_are_forgotten_after_a_month(anilist, alice, time_machine):
    time_machine.move_to(T0, tick=False)
    Series.objects.create(anilist_id=1)
    kept = Series.objects.create(anilist_id=2)
    make_item(alice, series=kept)
    time_machine.move_to(T0 + timedelta(days=31), tick=False)
    Series.objects.create(anilist_id=3)  # recent
    assert refresh.prune() == 1
    assert sorted(Series.objects.values_list("anilist_id", flat=True)) == [2, 3]


def test_a_search_result_someone_adds_is_refreshed_on_the_next_tick(anilist, alice, time_machine):
    time_machine.move_to(T0, tick=False)
    drain("checks")
    anilist.add(media(110, "Found By Search", schedule=[(2, epoch(T0 + timedelta(days=2)))]))
    from watchlist.metadata.anilist import AniListClient

    series = remember(AniListClient().search("found by"))[110]
    assert refresh.dispatch_due_refreshes() == 0  # nobody tracks it
    make_item(alice, series=series)
    assert refresh.dispatch_due_refreshes() == 1
    [(name, args)] = drain("checks")
    assert name.endswith("refresh_series_task") and args == [[series.pk]]
    refresh.refresh_series(*args)
    assert list(SeriesAiring.objects.filter(series=series).values_list("episode", flat=True)) == [2]


def test_a_season_knows_the_count_of_its_next_cour(anilist):
    """The SEQUEL whose title names a later part of the season ("Part 2")
    is the next cour: its count says which of the season's numbers are its."""
    anilist.add(
        media(
            30,
            "Show Season 2",
            episodes=12,
            relations=[("PREQUEL", 29, "TV", 13, "Show"), ("SEQUEL", 31, "TV", 11, "Show Season 2 Part 2")],
        ),
        media(32, "Show Season 3", episodes=12, relations=[("SEQUEL", 33, "TV", 12, "Show Season 4")]),
        media(29, "Show", episodes=13),
    )

    assert series_for_anilist_id(30).next_cour_episodes == 11
    assert series_for_anilist_id(32).next_cour_episodes is None  # a sequel that is a new season


def test_a_series_keeps_its_dates_and_when_the_next_entry_of_its_show_starts(anilist):
    """The main SEQUEL's start date comes with the relations already asked
    for: a release published once it airs may be that entry's."""
    anilist.add(
        media(
            40,
            "Show: First Arc",
            status="FINISHED",
            start="2023-04-09",
            end="2023-06-18",
            relations=[("SEQUEL", 41, "TV", 8, "Show: Second Arc"), ("SIDE_STORY", 42, "MOVIE", 1)],
        ),
        media(41, "Show: Second Arc", start="2023-06-25"),
        media(42, "Show: The Film", format="MOVIE", start="2023-05-01"),
        media(43, "Show: Film Sequel", relations=[("SEQUEL", 42, "MOVIE", 1)]),
    )

    series = series_for_anilist_id(40)

    assert (series.start_date, series.end_date, series.sequel_start_date) == ("2023-04-09", "2023-06-18", "2023-06-25")
    assert series_for_anilist_id(43).sequel_start_date == ""  # a film is not the next entry that airs
