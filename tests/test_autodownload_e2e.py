"""From a check to files on disk: a feed item with three new episodes, a
check pressed through the API, and a real Celery worker downloading them
within the user's cap."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from downloads.models import DownloadJob, JobStatus
from tests.check_helpers import every_episode, feed_item, rss
from tests.support.celery_worker import Worker, shared_database_url
from tests.support.media_server import random_bytes
from tests.support.processes import needs_shared_services, wait_for
from watchlist.models import Episode, EpisodeState, WatchlistSettings

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    needs_shared_services,
]


def test_check_queues_three_episodes_and_a_worker_downloads_them_within_the_cap(
    alice, alice_api, media, download_dir: Path, tmp_path: Path
):
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    WatchlistSettings.objects.filter(user=alice).update(max_concurrent_auto_downloads=2)
    releases = every_episode(1, 2, 3, resolution=1080)
    bodies = {rel.episode: random_bytes(600_000, seed=rel.episode) for rel in releases}
    for rel in releases:
        # ~1.5 s per file, so that the three overlap and the cap matters.
        media.add("/files/" + quote(rel.name), bodies[rel.episode], content_type="video/x-matroska", rate=400_000)
    media.add("/feed.xml", rss(media, releases).encode(), content_type="application/rss+xml")
    item = feed_item(alice, media.url("/feed.xml"), anime_title="Frieren: Beyond Journey's End")

    response = alice_api.post(f"/api/watchlist/{item.pk}/check")
    assert response.status_code == 200, response.content
    result = response.json()
    assert [e["episode"] for e in result["new_episodes"]] == [1, 2, 3]
    assert sorted(result["queued"]) == [1, 2, 3]
    assert DownloadJob.objects.filter(owner=alice, status=JobStatus.QUEUED).count() == 3

    worker = Worker(
        {
            "DATABASE_URL": shared_database_url(),
            "REDIS_URL": os.environ["REDIS_URL"],
            "DOWNLOAD_DIR": str(download_dir),
            "ALLOW_PRIVATE_SOURCES": "true",
            "VAR_DIR": str(tmp_path / "var"),
            "SECRET_KEY": "e2e-only",
        },
        tmp_path / "worker.log",
        concurrency=3,
    ).start()
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        try:
            while not stop.is_set():
                peak = max(peak, DownloadJob.objects.filter(owner=alice, status=JobStatus.RUNNING).count())
                time.sleep(0.05)
        finally:
            connection.close()

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        # The episode states follow the jobs' commits (the watchlist hears of
        # a finished job after it is committed), so wait for both.
        wait_for(
            lambda: DownloadJob.objects.filter(owner=alice, status=JobStatus.COMPLETED).count() == 3
            and not Episode.objects.filter(item=item).exclude(state=EpisodeState.DOWNLOADED).exists(),
            120,
            "three completed jobs and their episodes marked downloaded",
            worker.output,
        )
    finally:
        stop.set()
        sampler.join()
        worker.stop()

    assert peak == 2  # the cap, though three worker processes were free
    # ":" is not allowed on SMB shares and Windows; " - " reads the same.
    folder = download_dir / "alice" / "Frieren - Beyond Journey's End"
    names = sorted(p.name for p in folder.iterdir())
    assert names == [f"Frieren - Beyond Journey's End - S01E0{n} [1080p].mkv" for n in (1, 2, 3)], names
    for n in (1, 2, 3):
        data = (folder / f"Frieren - Beyond Journey's End - S01E0{n} [1080p].mkv").read_bytes()
        assert hashlib.sha256(data).digest() == hashlib.sha256(bodies[n]).digest()
    assert not list(download_dir.rglob("*.part"))
    assert set(Episode.objects.filter(item=item).values_list("state", flat=True)) == {EpisodeState.DOWNLOADED}
    item.refresh_from_db()
    assert item.last_episode_downloaded == 3
    assert DownloadJob.objects.filter(owner=alice).count() == 3
