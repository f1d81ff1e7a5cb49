"""GET /api/watchlist: the body of a fixture list is byte for byte the one
recorded before the list was made fast, and the number of SQL statements
does not grow with the number of items."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers

from watchlist.metadata.models import Series
from watchlist.models import CheckRun, ItemStatus, Source, WatchlistItem

pytestmark = pytest.mark.django_db

# Recorded from the per-item serializers the list used before; any field
# that changes name, order, format or value makes the comparison fail.
EXPECTED_BODY = Path(__file__).parent / "data" / "watchlist_list_body.json"
T0 = datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=UTC)
UUID_VALUE = uuid.UUID(int=7)


def _series(anilist_id: int, **fields) -> Series:
    defaults = {
        "title_romaji": f"Romaji {anilist_id}",
        "title_english": f"English {anilist_id}",
        "title_native": "ネイティブ",
        "synonyms": ["Syn A", "Syn B"],
        "format": "TV",
        "status": "RELEASING",
        "episodes": 12,
        "duration_minutes": 24,
        "season": "SPRING",
        "season_year": 2026,
        "genres": ["Action", "Drama"],
        "synopsis": "A series.",
        "site_url": f"https://anilist.co/anime/{anilist_id}",
        "cover_url": f"https://img.example/{anilist_id}.jpg",
        "next_airing_episode": 5,
        "next_airing_at": T0 + timedelta(days=2),
        "first_absolute_episode": None,
        "fetched_at": T0,
    }
    defaults.update(fields)
    return Series.objects.create(anilist_id=anilist_id, **defaults)


def _item(owner, n: int, **fields) -> WatchlistItem:
    url = f"https://feeds.example/{n}.xml"
    source, _ = Source.objects.get_or_create(provider_id="feed", url=url, lang="vostfr")
    values = {
        "anime_title": f"Title {n:02d}",
        "anime_url": url,
        "provider_id": "feed",
        "lang": "vostfr",
        "source": source,
    }
    values.update(fields)
    item = WatchlistItem.objects.create(id=uuid.UUID(int=n + 1), owner=owner, **values)
    # auto_now fields are set on save; fixed values keep the body stable.
    WatchlistItem.objects.filter(pk=item.pk).update(created_at=T0 + timedelta(minutes=n), updated_at=T0)
    return item


def _run(item, hours_ago: int, **fields) -> CheckRun:
    values = {"duration_ms": 150, "new_episodes": 0, "source_status": "not_modified"}
    values.update(fields)
    return CheckRun.objects.create(item=item, started_at=T0 - timedelta(hours=hours_ago), **values)


def _fixture_list(owner) -> None:
    airing = _series(101)
    plain = _series(102, next_airing_episode=None, next_airing_at=None, cover_url="", status="FINISHED")
    absolute = _series(103, episodes=None, first_absolute_episode=13, synonyms=[], genres=[])
    # An item with a series, its cover as poster, checked twice (the later run wins).
    first = _item(owner, 1, series=airing, poster_image=airing.cover_url, genres=["Action"], last_checked_at=T0)
    _run(first, 5, new_episodes=2, new_episode_numbers=[3, 4], queued_episode_numbers=[3], source_status="fetched")
    _run(first, 1, new_episodes=1, new_episode_numbers=[5], queued_episode_numbers=[5], source_status="fetched")
    # Its own poster, a failed last check, paused, user aliases and a season.
    second = _item(
        owner,
        2,
        series=plain,
        poster_image="https://posters.example/own.png",
        status=ItemStatus.PAUSED,
        title_aliases=["Alias"],
        season=2,
        first_absolute_episode=25,
        include_specials=True,
        last_episode_downloaded=7,
        quality_preference="1080p",
        synopsis="Mine.",
        auto_download=False,
    )
    _run(second, 2, error="The source answered 503.", source_status="error")
    # Absolute numbering, never checked.
    _item(owner, 3, series=absolute, last_episode_downloaded=15)
    # No series at all, checked with a 304.
    fourth = _item(owner, 4, last_checked_at=T0 - timedelta(hours=3))
    _run(fourth, 3)


def test_the_list_body_is_the_recorded_one(alice_api, alice, settings):
    settings.TIME_ZONE = "UTC"
    _fixture_list(alice)
    response = alice_api.get("/api/watchlist?page_size=200")
    assert response.status_code == 200
    assert response.content == EXPECTED_BODY.read_bytes()


def _add_items(owner, start: int, count: int) -> None:
    for n in range(start, start + count):
        series = _series(1000 + n)
        item = _item(owner, n, series=series, last_checked_at=T0)
        _run(item, 1, new_episode_numbers=[1], queued_episode_numbers=[1])


def _statements(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/watchlist?page_size=200")
    assert response.status_code == 200
    return len(queries)


def test_the_list_costs_the_same_statements_for_3_and_30_items(alice_api, alice):
    _add_items(alice, 10, 3)
    few = _statements(alice_api)
    _add_items(alice, 20, 27)
    many = _statements(alice_api)
    assert alice_api.get("/api/watchlist?page_size=200").json()["count"] == 30
    assert many == few


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "America/St_Johns"])
def test_planned_date_times_are_drf_s_in_the_active_time_zone(zone, settings):
    from zoneinfo import ZoneInfo

    from django.utils import timezone as django_timezone
    from rest_framework import serializers

    from watchlist.api.fast_representation import representation_of

    settings.USE_TZ = True
    values = [
        datetime(2026, 3, 29, 0, 30, tzinfo=UTC),  # the night Paris moves to summer time
        datetime(2026, 7, 1, 12, 0, 0, 123456, tzinfo=ZoneInfo("Asia/Tokyo")),
        datetime(2026, 1, 1, 12, 0),  # naive: the field's own way (made aware in the zone)
        "2026-01-01T00:00:00Z",  # a string is passed through, as DRF does
    ]
    with django_timezone.override(zone):
        planned = representation_of(serializers.DateTimeField())
        expected = [serializers.DateTimeField().to_representation(value) for value in values]
        assert [planned(value) for value in values] == expected
    assert expected[0].endswith("Z") == (zone == "UTC")


class _Upper(serializers.CharField):
    """A field of the project's own that changes its values: never skipped."""

    def to_representation(self, value):
        return str(value).upper()


@pytest.mark.parametrize(
    ("field", "values"),
    [
        (serializers.CharField(), ["a", "", 5, ItemStatus.PAUSED, UUID_VALUE]),
        (serializers.IntegerField(), [3, 0, True, "7"]),
        (serializers.BooleanField(), [True, False, 1, "true", "no"]),
        (serializers.ListField(child=serializers.CharField()), [["a", "b"], [], ["a", 1], ("a",), ["a", None]]),
        (serializers.ListField(child=serializers.IntegerField()), [[1, 2], [True], ["3"], [1, None]]),
        (_Upper(), ["a"]),
    ],
)
def test_values_a_field_leaves_unchanged_skip_it_with_drf_s_output(field, values):
    """The plan hands a field's value on without calling the field when it
    is of the exact type the field returns unchanged; any other value goes
    through the field, so the output is DRF's for every value."""
    from watchlist.api.fast_representation import representation_of, unchanged_type

    kind, represent = unchanged_type(field), representation_of(field)
    for value in values:
        planned = value if type(value) is kind else represent(value)
        expected = field.to_representation(value)
        assert (planned, type(planned)) == (expected, type(expected)), value
    assert unchanged_type(_Upper()) not in (str, int, bool)
