"""The episode checker against real feeds on a loopback HTTP server."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from downloads.models import DownloadJob
from tests.check_helpers import Rel, every_episode, feed_item, release_url, serve_feed
from watchlist.checker import check_item, record_episodes
from watchlist.models import CheckRun, Episode, EpisodeState, Release, SourceStatus, WatchlistSettings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def loopback_allowed(settings):
    settings.ALLOW_PRIVATE_SOURCES = True
    settings.SOURCE_MIN_REFRESH_MINUTES = 10
    settings.HTTP_TIMEOUT_SECONDS = 5


def numbers(result) -> list[int]:
    return [episode["episode"] for episode in result.new_episodes]


def test_new_episodes_are_the_ones_above_last_episode_downloaded(alice, http_server):
    url = serve_feed(http_server, "/frieren.xml", every_episode(1, 2, 3, 4, 5))
    item = feed_item(alice, url, last_episode_downloaded=3, auto_download=False)

    result = check_item(item)

    assert result.error is None
    assert numbers(result) == [4, 5]
    assert sorted(Episode.objects.filter(item=item).values_list("number", flat=True)) == [4, 5]
    assert set(Episode.objects.values_list("state", flat=True)) == {EpisodeState.NEW}
    # The source's releases are all stored; the item only records what it lacks.
    assert Release.objects.filter(source=item.source).count() == 5


def test_the_result_and_the_check_run_describe_the_check(alice, http_server):
    url = serve_feed(http_server, "/frieren.xml", [Rel(7, resolution=720, lang="VOSTFR", version=2)])
    item = feed_item(alice, url, anime_title="Frieren", auto_download=False)

    result = check_item(item)

    assert result.item_id == item.pk
    assert result.anime_title == "Frieren"
    assert result.queued == []
    assert result.source_status == SourceStatus.FETCHED
    assert result.new_episodes == [
        {
            "episode": 7,
            "season": None,
            "title": "[Grp] Frieren - 07v2 [720p] [VOSTFR].mkv",
            "url": release_url(http_server, Rel(7, resolution=720, version=2)),
            "resolution": 720,
            "version": 2,
            "language": "vostfr",
        }
    ]
    run = CheckRun.objects.get(item=item)
    assert (run.new_episodes, run.new_episode_numbers, run.error, run.source_status) == (1, [7], "", "fetched")
    assert run.started_at == result.checked_at
    item.refresh_from_db()
    assert item.last_checked_at == result.checked_at


def test_an_episode_recorded_once_is_never_recorded_again(alice, http_server, settings):
    settings.SOURCE_MIN_REFRESH_MINUTES = 0  # every check asks the server again
    url = serve_feed(http_server, "/frieren.xml", every_episode(1, 2))
    item = feed_item(alice, url)
    assert numbers(check_item(item)) == [1, 2]

    assert numbers(check_item(item)) == []
    serve_feed(http_server, "/frieren.xml", every_episode(1, 2, 3), etag='"v2"')
    assert numbers(check_item(item)) == [3]

    assert sorted(Episode.objects.filter(item=item).values_list("number", flat=True)) == [1, 2, 3]
    assert list(CheckRun.objects.filter(item=item).order_by("started_at").values_list("new_episodes", flat=True)) == [
        2,
        0,
        1,
    ]


def test_several_releases_of_one_episode_make_one_episode(alice, http_server):
    releases = [Rel(1, 480), Rel(1, 720), Rel(1, 1080), Rel(1, 1080, version=2), Rel(1, 1080, lang="MULTI")]
    item = feed_item(alice, serve_feed(http_server, "/frieren.xml", releases))

    assert numbers(check_item(item)) == [1]
    assert Episode.objects.filter(item=item).count() == 1


@pytest.mark.parametrize(
    ("item_lang", "expected"),
    [
        # ep1 VOSTFR, ep2 VF only, ep3 untagged, ep4 MULTI, ep5 English only
        ("vostfr", [1, 3, 4]),
        ("vf", [2, 3, 4]),
        ("en", [3, 4, 5]),
        ("", [1, 2, 3, 4, 5]),  # no preference: every release suits
        ("VOSTFR", [1, 3, 4]),  # written as release names write it
    ],
)
def test_language_filter(alice, http_server, item_lang, expected):
    releases = [Rel(1, lang="VOSTFR"), Rel(2, lang="VF"), Rel(3, lang=""), Rel(4, lang="MULTI"), Rel(5, lang="ENG")]
    item = feed_item(alice, serve_feed(http_server, "/frieren.xml", releases), lang=item_lang)

    assert numbers(check_item(item)) == expected


def test_a_matching_language_is_preferred_only_by_quality_not_over_language(alice, http_server):
    # The best resolution of episode 1 is in a language the item does not want.
    releases = [Rel(1, 1080, lang="VF"), Rel(1, 480, lang="VOSTFR")]
    item = feed_item(alice, serve_feed(http_server, "/frieren.xml", releases), lang="vostfr")

    (episode,) = check_item(item).new_episodes
    assert (episode["resolution"], episode["language"]) == (480, "vostfr")


@pytest.mark.parametrize(
    ("preference", "expected"),
    [
        ("auto", {1: 1080, 2: 1080, 3: 1080}),  # the best there is
        ("720p", {1: 720, 2: 480, 3: 1080}),  # exact; else nearest lower; else nearest higher
        ("1080p", {1: 1080, 2: 1080, 3: 1080}),
        ("480p", {1: 480, 2: 480, 3: 1080}),
    ],
)
def test_quality_preference_with_fallback(alice, http_server, preference, expected):
    releases = [
        Rel(1, 480),
        Rel(1, 720),
        Rel(1, 1080),
        Rel(2, 1080),
        Rel(2, 480),  # no 720p of episode 2
        Rel(3, 1080),  # episode 3 only in 1080p
    ]
    item = feed_item(alice, serve_feed(http_server, "/frieren.xml", releases), quality_preference=preference)

    result = check_item(item)

    assert {e["episode"]: e["resolution"] for e in result.new_episodes} == expected
    stored = dict(Episode.objects.filter(item=item).values_list("number", "resolution"))
    assert stored == expected


def test_v2_beats_v1_of_the_same_quality(alice, http_server):
    releases = [Rel(4, 1080, version=1), Rel(4, 1080, version=2), Rel(4, 720, version=3)]
    item = feed_item(alice, serve_feed(http_server, "/frieren.xml", releases))

    (episode,) = check_item(item).new_episodes

    assert (episode["resolution"], episode["version"]) == (1080, 2)
    assert episode["url"] == release_url(http_server, Rel(4, 1080, version=2))
    assert Episode.objects.get(item=item).release.url == episode["url"]


def test_a_404_source_is_recorded_at_once_and_the_batch_goes_on(alice, bob, http_server):
    broken = feed_item(alice, http_server.url("/gone.xml"))  # no route: 404
    working = feed_item(bob, serve_feed(http_server, "/frieren.xml", every_episode(1, 2)))

    results = [check_item(item) for item in (broken, working)]

    assert "404" in results[0].error
    assert results[0].new_episodes == []
    assert len(http_server.requests_for("/gone.xml")) == 1  # permanent: no retries
    assert numbers(results[1]) == [1, 2]
    run = CheckRun.objects.get(item=broken)
    assert "404" in run.error and run.source_status == SourceStatus.ERROR
    broken.source.refresh_from_db()
    assert "404" in broken.source.last_error
    broken.refresh_from_db()
    assert broken.last_checked_at is not None  # a failed check is still a check: not due again at once


def test_a_503_source_is_retried_then_recorded(alice, http_server):
    url = http_server.add("/busy.xml", "overloaded", status=503)
    item = feed_item(alice, url)

    result = check_item(item)

    assert "503" in result.error
    assert len(http_server.requests_for("/busy.xml")) == 3  # the first try and two retries
    assert CheckRun.objects.get(item=item).error == result.error


def test_a_page_that_is_not_a_feed_is_a_recorded_error(alice, http_server):
    url = http_server.add("/page.xml", "<html><body>Nothing here</body></html>", content_type="text/html")
    item = feed_item(alice, url)

    result = check_item(item)

    assert result.error and "not an RSS or Atom feed" in result.error
    assert CheckRun.objects.get(item=item).error == result.error


def test_a_refused_address_at_check_time_is_a_recorded_error_without_a_request(alice, http_server, settings):
    settings.ALLOW_PRIVATE_SOURCES = False
    settings.PRIVATE_SOURCE_ALLOWLIST = []
    url = serve_feed(http_server, "/frieren.xml", every_episode(1))
    item = feed_item(alice, url)

    result = check_item(item)

    assert "not allowed" in result.error
    assert http_server.requests_for("/frieren.xml") == []
    assert Episode.objects.count() == 0


def test_the_allow_list_entry_for_the_test_server_is_enough(alice, http_server, settings):
    settings.ALLOW_PRIVATE_SOURCES = False
    settings.PRIVATE_SOURCE_ALLOWLIST = [f"127.0.0.1:{http_server.port}"]
    item = feed_item(alice, serve_feed(http_server, "/frieren.xml", every_episode(1)))

    assert numbers(check_item(item)) == [1]


def test_releases_the_source_stops_listing_go_but_recorded_episodes_stay(alice, http_server, settings):
    settings.SOURCE_MIN_REFRESH_MINUTES = 0
    url = serve_feed(http_server, "/frieren.xml", every_episode(1, 2))
    item = feed_item(alice, url)
    check_item(item)

    serve_feed(http_server, "/frieren.xml", every_episode(2, 3), etag='"v2"')
    assert numbers(check_item(item)) == [3]

    assert sorted(Release.objects.values_list("episode", flat=True)) == [2, 3]
    first = Episode.objects.get(item=item, number=1)
    assert first.release is None
    assert first.url == release_url(http_server, Rel(1))


def test_specials_and_batches_are_not_taken_for_episodes(alice, http_server):
    item = feed_item(alice, serve_feed(http_server, "/frieren.xml", every_episode(1)))
    check_item(item)
    source = item.source
    Release.objects.create(source=source, episode=2, url="http://127.0.0.1/special.mkv", is_special=True)
    Release.objects.create(source=source, episode=3, episode_end=6, url="http://127.0.0.1/batch.mkv")
    Episode.objects.all().delete()

    # fresh: no new request, the stored releases are used
    result = check_item(item)

    assert result.source_status == SourceStatus.FRESH
    assert numbers(result) == [1]


def test_auto_download_queues_new_episodes_once(alice, http_server, settings, tmp_path):
    settings.DOWNLOAD_DIR = tmp_path
    item = feed_item(alice, serve_feed(http_server, "/frieren.xml", every_episode(1, 2)), auto_download=True)

    result = check_item(item)

    assert result.queued == [1, 2]
    assert set(Episode.objects.filter(item=item).values_list("state", flat=True)) == {EpisodeState.QUEUED}
    jobs = DownloadJob.objects.filter(owner=alice).order_by("dedupe_key")
    assert [job.dedupe_key for job in jobs] == [f"item:{item.pk}:ep:1", f"item:{item.pk}:ep:2"]
    assert jobs[0].metadata["item_id"] == str(item.pk)
    # Checking again queues nothing twice.
    assert check_item(item).queued == []
    assert DownloadJob.objects.filter(owner=alice).count() == 2


@pytest.mark.parametrize(("item_auto", "user_auto"), [(False, True), (True, False)])
def test_auto_download_needs_the_item_and_the_user_to_allow_it(alice, http_server, item_auto, user_auto):
    WatchlistSettings.objects.filter(user=alice).update(auto_download_enabled=user_auto)
    item = feed_item(alice, serve_feed(http_server, "/frieren.xml", every_episode(1)), auto_download=item_auto)

    result = check_item(item)

    assert result.queued == []
    assert Episode.objects.get(item=item).state == EpisodeState.NEW
    assert not DownloadJob.objects.exists()


def test_a_failure_to_queue_downloads_keeps_the_episodes_found(alice, http_server, monkeypatch):
    def broken_manager(item, episodes):
        raise OSError("No space left on device")

    monkeypatch.setattr("watchlist.downloading.queue_new_episodes", broken_manager)
    item = feed_item(alice, serve_feed(http_server, "/frieren.xml", every_episode(1, 2)), auto_download=True)

    result = check_item(item)

    assert numbers(result) == [1, 2]
    assert result.queued == []
    assert "queueing their downloads failed" in result.error
    assert set(Episode.objects.filter(item=item).values_list("state", flat=True)) == {EpisodeState.NEW}
    assert CheckRun.objects.get(item=item).error == result.error


def test_two_checks_racing_record_each_episode_once(alice, http_server):
    item = feed_item(alice, serve_feed(http_server, "/frieren.xml", every_episode(1, 2)))
    check_item(item)
    releases = list(Release.objects.order_by("episode"))
    Episode.objects.filter(item=item, number=2).delete()

    # The other check recorded episode 1 a moment ago: this one creates 2 only.
    created = record_episodes(item, releases, item.last_checked_at)

    assert [episode.number for episode in created] == [2]
    assert Episode.objects.filter(item=item).count() == 2


def test_an_items_check_is_its_own_even_when_the_source_is_shared(alice, bob, http_server):
    url = serve_feed(http_server, "/frieren.xml", every_episode(1, 2, 3))
    alices = feed_item(alice, url, last_episode_downloaded=2)
    bobs = feed_item(bob, url)

    assert numbers(check_item(alices)) == [3]
    assert numbers(check_item(bobs)) == [1, 2, 3]
    assert len(http_server.requests_for("/frieren.xml")) == 1
    assert get_user_model().objects.count() == 2
