"""The AniList client against a fake GraphQL server on 127.0.0.1: parsing,
caching, the shared rate limit (nominal, degraded, Retry-After,
X-RateLimit-*), errors in plain words. Time moves with time-machine."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest

from tests.metadata_helpers import T0, epoch
from tests.support.fake_anilist import media
from tests.support.processes import needs_shared_services
from watchlist.metadata.anilist import AniListClient, AniListRejected, AniListUnavailable
from watchlist.metadata.ratelimit import RateLimiter

pytestmark = pytest.mark.django_db


def frieren(**overrides):
    return media(
        154587,
        "Frieren: Beyond Journey's End",
        romaji="Sousou no Frieren",
        native="葬送のフリーレン",
        synonyms=["Frieren at the Funeral", "Frieren"],
        episodes=28,
        status="FINISHED",
        genres=["Adventure", "Drama", "Fantasy"],
        description="The adventure is over.<br><br>But life goes on for an elf &amp; her <i>friends</i>.",
        **overrides,
    )


def test_search_parses_every_field_the_page_and_the_api_show(anilist, settings):
    airing = T0 + timedelta(days=2)
    anilist.add(frieren(next_airing=(5, epoch(airing))), media(1, "Unrelated"))

    [record] = AniListClient().search("frieren")

    assert record.anilist_id == 154587
    assert (record.title_english, record.title_romaji, record.title_native) == (
        "Frieren: Beyond Journey's End",
        "Sousou no Frieren",
        "葬送のフリーレン",
    )
    assert record.synonyms == ["Frieren at the Funeral", "Frieren"]
    assert (record.format, record.status, record.episodes) == ("TV", "FINISHED", 28)
    assert (record.season, record.season_year, record.duration_minutes) == ("FALL", 2023, 24)
    assert record.genres == ["Adventure", "Drama", "Fantasy"]
    # The HTML AniList puts in descriptions is gone; entities are decoded.
    assert record.synopsis == "The adventure is over.\n\nBut life goes on for an elf & her friends."
    assert record.cover_url == anilist.cover_url(154587)
    assert record.next_airing is not None
    assert (record.next_airing.episode, record.next_airing.airing_at) == (5, airing)
    # A search does not ask for the schedule or relations.
    assert record.schedule is None and record.relations is None
    [post] = anilist.posts
    assert post.operation == "Search"
    assert post.variables == {"search": "frieren", "perPage": 10}
    assert post.headers["content-type"] == "application/json"
    assert post.headers["user-agent"] == settings.HTTP_USER_AGENT


def test_a_search_asked_again_is_answered_from_the_cache(anilist):
    anilist.add(frieren())
    client = AniListClient()
    assert [r.anilist_id for r in client.search("Frieren")] == [154587]
    assert [r.anilist_id for r in AniListClient().search("Frieren")] == [154587]
    assert len(anilist.posts) == 1


def test_series_by_id_asks_fifty_per_request_and_leaves_out_unknown_ids(anilist):
    anilist.add(*(media(n) for n in range(1, 61)))
    found = AniListClient().series(range(1, 71))
    assert sorted(found) == list(range(1, 61))
    assert [len(p.variables["ids"]) for p in anilist.posts] == [50, 20]
    assert found[3].schedule == [] and found[3].relations == []


def test_a_429_pauses_every_client_until_retry_after_has_passed(anilist, time_machine):
    time_machine.move_to(T0, tick=False)
    anilist.add(frieren())
    anilist.rate_limited_next(retry_after=30)

    with pytest.raises(AniListUnavailable) as raised:
        AniListClient().search("frieren")
    assert raised.value.retry_after == 30
    # Another client (another process, through the shared cache) does not
    # even ask while the pause lasts.
    with pytest.raises(AniListUnavailable, match="rate limit"):
        AniListClient().search("frieren", max_wait=0)
    assert len(anilist.posts) == 1

    time_machine.shift(31)
    assert [r.anilist_id for r in AniListClient().search("frieren")] == [154587]
    assert len(anilist.posts) == 2


def test_remaining_zero_pauses_until_the_reset_time(anilist, time_machine):
    time_machine.move_to(T0, tick=False)
    anilist.add(media(1), media(2))
    anilist.remaining = 0
    anilist.reset_at = epoch(T0) + 45

    AniListClient().series([1])  # answered, but it was the last request of the minute
    with pytest.raises(AniListUnavailable):
        AniListClient().series([2], max_wait=10)
    assert len(anilist.posts) == 1

    anilist.remaining = None
    time_machine.shift(46)
    assert list(AniListClient().series([2])) == [2]


def test_nominal_limit_spreads_ninety_a_minute_as_fifteen_per_ten_seconds(anilist, time_machine):
    time_machine.move_to(T0, tick=False)
    anilist.add(media(1))
    client = AniListClient()
    for _ in range(15):
        client.series([1], use_cache=False, max_wait=0)
    with pytest.raises(AniListUnavailable) as raised:
        client.series([1], use_cache=False, max_wait=0)
    assert 0 < raised.value.retry_after <= 10
    assert len(anilist.posts) == 15
    time_machine.shift(10)
    client.series([1], use_cache=False, max_wait=0)
    assert len(anilist.posts) == 16


def test_a_degraded_api_says_30_a_minute_and_everyone_slows_down(anilist, time_machine):
    time_machine.move_to(T0, tick=False)
    anilist.add(media(1))
    anilist.limit = 30
    client = AniListClient()
    client.series([1], use_cache=False, max_wait=0)
    assert client.limiter.per_minute() == 30
    for _ in range(4):
        client.series([1], use_cache=False, max_wait=0)
    with pytest.raises(AniListUnavailable):
        client.series([1], use_cache=False, max_wait=0)
    assert len(anilist.posts) == 5  # 30/min = 5 per 10 s window


def test_a_caller_that_may_wait_waits_for_the_next_window(anilist, time_machine):
    time_machine.move_to(T0, tick=False)
    anilist.add(media(1))
    waited: list[float] = []

    def sleep(seconds: float) -> None:
        # The controlled clock moves instead of the test sleeping.
        waited.append(seconds)
        time_machine.shift(seconds)

    client = AniListClient(limiter=RateLimiter(sleep=sleep))
    for _ in range(16):
        client.series([1], use_cache=False, max_wait=20)
    assert len(anilist.posts) == 16
    assert len(waited) == 1 and 0 < waited[0] <= 10


@pytest.mark.parametrize(
    ("status", "body", "error", "words"),
    [
        (500, {"errors": [{"message": "Internal Server Error"}]}, AniListUnavailable, "HTTP 500"),
        (503, b"<html>maintenance</html>", AniListUnavailable, "HTTP 503"),
        # Worth asking again, as for every other outgoing request (downloads.net.errors).
        (408, b"", AniListUnavailable, "HTTP 408"),
        (425, b"", AniListUnavailable, "HTTP 425"),
        (400, {"data": None, "errors": [{"message": "Validation error", "status": 400}]}, AniListRejected, "refused"),
        (200, b"not json at all", AniListUnavailable, "not JSON"),
        (200, {"data": None, "errors": [{"message": "Unknown argument"}]}, AniListRejected, "Unknown argument"),
    ],
)
def test_errors_are_told_apart_and_said_in_plain_words(anilist, status, body, error, words):
    anilist.reply_next(status, body=body)
    with pytest.raises(error, match=words):
        AniListClient().series([1])


def test_an_answer_without_a_page_is_an_error_not_an_empty_result(anilist):
    anilist.reply_next(200, body={"data": {"Media": None}})
    with pytest.raises(AniListUnavailable, match="expected data"):
        AniListClient().series([1])


def test_anilist_down_is_unavailable(anilist):
    anilist.stop()
    with pytest.raises(AniListUnavailable, match="cannot be reached"):
        AniListClient().series([1])


def test_a_search_uses_a_week_old_answer_while_anilist_is_down(anilist, time_machine):
    time_machine.move_to(T0, tick=False)
    anilist.add(frieren())
    AniListClient().search("frieren")
    time_machine.shift(timedelta(hours=7))  # past the 6 h freshness
    anilist.reply_next(502, body=b"bad gateway")
    assert [r.anilist_id for r in AniListClient().search("frieren")] == [154587]
    assert len(anilist.posts) == 2  # it did ask first


def test_the_address_guard_applies_to_the_anilist_url(anilist, settings):
    settings.PRIVATE_SOURCE_ALLOWLIST = []
    settings.ALLOW_PRIVATE_SOURCES = False
    with pytest.raises(AniListUnavailable, match="cannot be reached"):
        AniListClient().search("frieren")
    assert anilist.posts == []


def test_malformed_media_are_skipped_not_fatal(anilist):
    anilist.reply_next(
        200,
        body={
            "data": {"Page": {"media": [{"id": "x"}, None, {"id": 7, "title": None, "episodes": -3, "genres": [1]}]}}
        },
    )
    found = AniListClient().series([7])
    assert list(found) == [7]
    assert found[7].episodes is None and found[7].genres == [] and found[7].display_title == ""


# --- shared across processes --------------------------------------------------

PROBE = """
import json, os, sys
import django
from django.conf import settings
django.setup()
settings.CACHES = {**settings.CACHES, "shared": json.loads(os.environ["PROBE_CACHE"])}
settings.ANILIST_CACHE_ALIAS = "shared"
settings.ANILIST_API_URL = os.environ["PROBE_URL"]
settings.PRIVATE_SOURCE_ALLOWLIST = [os.environ["PROBE_ALLOW"]]
from watchlist.metadata.anilist import AniListClient, AniListUnavailable
try:
    AniListClient().series([1], max_wait=0, use_cache=False)
except AniListUnavailable as exc:
    print("refused:", exc.message)
else:
    print("asked")
"""


@pytest.mark.slow
@needs_shared_services
def test_a_pause_learned_in_one_process_holds_in_another(anilist, settings, redis_url):
    """Two real processes share the limit through a Redis cache: after this
    process meets a 429, another process does not ask AniList either."""
    import json
    import subprocess
    import sys
    import uuid

    shared = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": redis_url,
        "KEY_PREFIX": f"test-anilist-{uuid.uuid4().hex}",
    }
    settings.CACHES = {**settings.CACHES, "shared": shared}
    settings.ANILIST_CACHE_ALIAS = "shared"
    anilist.add(media(1))

    def probe() -> str:
        env = {
            **os.environ,
            "PROBE_CACHE": json.dumps(shared),
            "PROBE_URL": anilist.url,
            "PROBE_ALLOW": f"127.0.0.1:{anilist.port}",
        }
        done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout.strip()

    assert probe() == "asked"  # the other process may ask while nothing is known
    anilist.rate_limited_next(retry_after=120)
    with pytest.raises(AniListUnavailable):
        AniListClient().series([1], use_cache=False)
    posts = len(anilist.posts)
    assert probe().startswith("refused: AniList is busy")
    assert len(anilist.posts) == posts


@pytest.mark.parametrize(
    ("start", "end", "stored"),
    [
        ("2023-10-07", "2023-12-22", ("2023-10-07", "2023-12-22")),
        ("2024-04", "2024", ("2024-04", "2024")),  # announced: a month, a year
        (None, None, ("", "")),
    ],
)
def test_an_entrys_start_and_end_dates_are_kept_as_far_as_anilist_knows_them(anilist, start, end, stored):
    anilist.add(media(7, "Show", start=start, end=end))

    [record] = AniListClient().search("show")

    assert (record.start_date, record.end_date) == stored


def test_a_date_that_is_not_one_keeps_what_is_sure_of_it(anilist):
    """A 30 February is the month's; a month with no year, nothing."""
    entry = media(7, "Show")
    entry["startDate"] = {"year": 2023, "month": 2, "day": 30}
    entry["endDate"] = {"year": None, "month": 3, "day": 1}
    anilist.add(entry)

    [record] = AniListClient().series([7]).values()

    assert (record.start_date, record.end_date) == ("2023-02", "")
