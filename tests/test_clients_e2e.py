"""A feed episode through each torrent client, end to end: a nyaa-style feed
is checked through the API, its torrent release goes to the enabled client
(not the embedded engine), a real Celery worker follows it in the real
daemon, and the episode lands in the library under its template name with
the payload's checksum."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from downloads.models import DownloadJob, JobStatus
from tests.check_helpers import Rel, feed_item
from tests.clients_helpers import daemon, make_client, proxy, web_seeded
from tests.support import download_fixtures
from tests.support.celery_worker import Worker, worker_env
from tests.support.processes import needs_shared_services, wait_for
from tests.support.recording_proxy import torrent_adds
from tests.torrent_helpers import nyaa_rss
from watchlist.models import Episode, EpisodeState

download_dir = download_fixtures.download_dir
media = download_fixtures.media
__all__ = ["daemon", "proxy"]

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True), needs_shared_services]

TITLE = "Frieren: Beyond Journey's End"
FOLDER = "Frieren - Beyond Journey's End"


def test_a_feed_episode_is_downloaded_through_the_client_and_imported(
    alice, alice_api, http_server, media, daemon, proxy, download_dir, tmp_path
):
    rel = Rel(5)
    made = web_seeded(media, tmp_path, rel.name, 2 * 1024 * 1024 + 5)
    link = http_server.add("/download/5.torrent", made.torrent, content_type="application/x-bittorrent")
    feed = http_server.add(
        "/rss.xml",
        nyaa_rss([{"title": rel.name, "link": link, "infohash": made.infohash, "seeders": 1, "trusted": True}]),
        content_type="application/rss+xml",
    )
    make_client(daemon, proxy)
    item = feed_item(alice, feed, anime_title=TITLE)

    response = alice_api.post(f"/api/watchlist/{item.pk}/check")
    assert response.status_code == 200, response.content
    assert response.json()["queued"] == [5]
    job = DownloadJob.objects.get(owner=alice)
    assert job.backend == daemon.kind  # the staff's client, not the embedded engine

    env = worker_env(download_dir, tmp_path / "var")
    env["TORRENT_CLIENT_POLL_SECONDS"] = "1"
    worker = Worker(env, tmp_path / "worker.log", concurrency=1).start()
    try:
        wait_for(
            lambda: DownloadJob.objects.get(pk=job.pk).status == JobStatus.FAILED
            or Episode.objects.get(item=item, number=5).state == EpisodeState.DOWNLOADED,
            120,
            "the episode downloaded through the client",
            worker.output,
        )
    finally:
        worker.stop()
    job.refresh_from_db()
    assert job.status == JobStatus.COMPLETED, job.error
    path = download_dir / "alice" / FOLDER / f"{FOLDER} - S01E05 [1080p].mkv"
    assert Path(job.destination) == path
    assert hashlib.sha256(path.read_bytes()).hexdigest() == made.files[0].sha256
    assert job.infohash == made.infohash
    assert Episode.objects.get(item=item, number=5).state == EpisodeState.DOWNLOADED
    assert len(torrent_adds(proxy, daemon.kind)) == 1
