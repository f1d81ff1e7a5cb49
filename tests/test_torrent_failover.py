"""A torrent that stalls fails its attempt clearly, and the episode's
next-best release is downloaded instead of the episode being marked failed."""

from __future__ import annotations

from pathlib import Path

import pytest

from downloads import library, runner
from downloads.models import DownloadJob, JobStatus
from tests.check_helpers import Rel, feed_item
from tests.support.torrent_files import make_torrent
from tests.torrent_helpers import nyaa_rss
from watchlist.models import Episode, EpisodeState

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_stalled_torrent_fails_over_to_the_next_release(
    alice, alice_api, http_server, seeder, tracker, download_dir, torrent_settings, sent, tmp_path
):
    nobody_seeds = Rel(5, group="Gone")
    seeded = Rel(5, group="Alive", resolution=720)
    dead = make_torrent(tmp_path / "dead", {nobody_seeds.name: 300_000}, trackers=[tracker.url], seed=1)
    alive = make_torrent(tmp_path / "alive", {seeded.name: 300_000}, trackers=[tracker.url], seed=2)
    seeder.seed(alive)  # the tracker names the seeder for both; it has only one of them
    entries = [
        # 1080p, trusted, more seeders announced: the rules prefer it.
        {
            "title": nobody_seeds.name,
            "link": http_server.add("/d/1.torrent", dead.torrent),
            "seeders": 50,
            "trusted": True,
        },
        {"title": seeded.name, "link": http_server.add("/d/2.torrent", alive.torrent), "seeders": 2},
    ]
    feed = http_server.add("/rss.xml", nyaa_rss(entries), content_type="application/rss+xml")
    item = feed_item(alice, feed, anime_title="Show")

    assert alice_api.post(f"/api/watchlist/{item.pk}/check").json()["queued"] == [5]
    first = DownloadJob.objects.get(owner=alice)
    assert first.url.endswith("/d/1.torrent")

    runner.run_job(first.pk)

    first.refresh_from_db()
    assert first.status == JobStatus.FAILED
    assert first.error.startswith("Stalled")
    second = DownloadJob.objects.exclude(pk=first.pk).get(owner=alice)
    assert second.url.endswith("/d/2.torrent")
    assert Episode.objects.get(item=item, number=5).state == EpisodeState.QUEUED  # not failed: another try is on

    runner.run_job(second.pk)

    second.refresh_from_db()
    assert second.status == JobStatus.COMPLETED
    assert library.file_sha256(Path(second.destination)) == alive.files[0].sha256
    assert second.destination.endswith("Show - S01E05 [720p].mkv")
    assert Episode.objects.get(item=item, number=5).state == EpisodeState.DOWNLOADED


def test_when_every_release_stalled_the_episode_fails(
    alice, alice_api, http_server, seeder, tracker, download_dir, torrent_settings, sent, tmp_path
):
    rel = Rel(6)
    dead = make_torrent(tmp_path / "dead", {rel.name: 100_000}, trackers=[tracker.url], seed=3)
    feed = http_server.add(
        "/rss.xml", nyaa_rss([{"title": rel.name, "link": http_server.add("/d/6.torrent", dead.torrent)}])
    )
    item = feed_item(alice, feed, anime_title="Show")
    alice_api.post(f"/api/watchlist/{item.pk}/check")

    runner.run_job(DownloadJob.objects.get(owner=alice).pk)

    assert DownloadJob.objects.get(owner=alice).status == JobStatus.FAILED
    assert Episode.objects.get(item=item, number=6).state == EpisodeState.FAILED
