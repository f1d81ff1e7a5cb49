"""A feed's enclosure typed application/x-bittorrent whose URL says nothing
("/download?id=7", as many trackers' download scripts are): the release is
a torrent, queued for the torrent engine and downloaded from a libtorrent
seeder on 127.0.0.1. Before, such a link went to the HTTP backend, which
saved the .torrent file itself as the episode's video."""

from __future__ import annotations

import hashlib
from email.utils import formatdate
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest

from downloads import runner
from downloads.models import BackendName, DownloadJob, JobStatus
from tests.release_feeds import feed_item
from tests.support import download_fixtures
from tests.support.torrent_files import make_torrent
from watchlist.checker import check_item
from watchlist.downloading import queue_episode_download
from watchlist.models import Episode, Release

pytestmark = pytest.mark.django_db
sent = download_fixtures.sent  # the test runs the job itself: no broker message

NAME = "[Group] Show - 05 (1080p).mkv"


def enclosure_feed(link: str, media_type: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>tracker</title>'
        f"<item><title>{NAME}</title><link>{link}</link>"
        f"<pubDate>{formatdate(1_700_000_000, usegmt=True)}</pubDate>"
        f"<enclosure url={quoteattr(link)} length='1000' type={quoteattr(media_type)}/></item>"
        "</channel></rss>"
    )


def test_a_typed_torrent_enclosure_is_fetched_by_the_engine(
    alice,
    http_server,
    seeder,
    tracker,
    download_dir,
    torrent_settings,
    tmp_path,
    sent,
    django_capture_on_commit_callbacks,
):
    made = make_torrent(tmp_path / "seed", {NAME: 300_000}, trackers=[tracker.url])
    seeder.seed(made)
    link = http_server.add("/download", made.torrent, content_type="application/x-bittorrent") + "?id=7"
    feed = http_server.add("/rss", enclosure_feed(link, "application/x-bittorrent"), content_type="application/rss+xml")
    item = feed_item(alice, feed, anime_title="Show")

    check_item(item)

    episode = Episode.objects.get(item=item, number=5)
    assert episode.url == link and episode.release.typed_torrent is True
    with django_capture_on_commit_callbacks(execute=True):
        job = queue_episode_download(episode)
    assert [job_id for job_id, _ in sent] == [job.pk]
    assert job.backend == BackendName.TORRENT
    assert runner.run_job(job.pk) is None
    job.refresh_from_db()
    assert job.status == JobStatus.COMPLETED, job.error
    final = Path(job.destination)
    assert final.suffix == ".mkv"
    assert hashlib.sha256(final.read_bytes()).hexdigest() == made.files[0].sha256


def test_the_same_link_untyped_stays_an_http_download(alice, http_server, download_dir):
    link = http_server.url("/download") + "?id=7"
    feed = http_server.add("/rss", enclosure_feed(link, "video/x-matroska"), content_type="application/rss+xml")
    item = feed_item(alice, feed, anime_title="Show")

    check_item(item)

    release = Release.objects.get(url=link)
    assert release.typed_torrent is False
    assert queue_episode_download(Episode.objects.get(item=item, number=5)).backend == BackendName.HTTP
    assert DownloadJob.objects.count() == 1
