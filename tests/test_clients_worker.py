"""Torrent-client downloads in real Celery workers: a worker SIGKILLed
mid-download is replaced, the job resumes by finding the torrent in the
client (never adding it again) and imports the file."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from downloads import library, manager
from downloads.models import DownloadJob, JobStatus
from tests.clients_helpers import daemon, make_client, proxy, torrent_url, web_seeded
from tests.support import download_fixtures
from tests.support.celery_worker import Worker, worker_env
from tests.support.download_fixtures import destination
from tests.support.processes import needs_shared_services, wait_for
from tests.support.recording_proxy import torrent_adds

download_dir = download_fixtures.download_dir
media = download_fixtures.media
__all__ = ["daemon", "proxy"]

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True), needs_shared_services]


@pytest.fixture
def workers(download_dir: Path, tmp_path: Path) -> Iterator[Callable[[], Worker]]:
    env = worker_env(download_dir, tmp_path / "var")
    env.update({"TORRENT_CLIENT_POLL_SECONDS": "1", "DOWNLOAD_HEARTBEAT_SECONDS": "1"})
    started: list[Worker] = []

    def start() -> Worker:
        worker = Worker(env, tmp_path / f"worker{len(started)}.log", concurrency=1).start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def job(pk) -> DownloadJob:
    return DownloadJob.objects.get(pk=pk)


def test_a_worker_killed_mid_download_does_not_add_the_torrent_twice(
    alice, daemon, proxy, media, download_dir, workers, settings, tmp_path
):
    made = web_seeded(media, tmp_path, "[Group] Show - 12 [720p].mkv", 6 * 1024 * 1024, rate=1_000_000)
    make_client(daemon, proxy)
    planned = destination(download_dir, "Show - S01E12 [720p]").with_suffix(".bin")
    queued, _ = manager.enqueue(alice, torrent_url(media, made), daemon.kind, planned, dedupe_key="item:c:ep:12")

    first = workers()
    wait_for(lambda: job(queued.pk).bytes_done >= 1_000_000, 60, "the client to make progress", first.output)
    first.kill()
    assert job(queued.pk).status == JobStatus.RUNNING  # the worker vanished without a word
    assert len(torrent_adds(proxy, daemon.kind)) == 1

    second = workers()
    settings.DOWNLOAD_STALE_SECONDS = 2  # what beat's reaper does every minute, sooner
    time.sleep(2.5)
    assert manager.reap_stale().requeued == 1

    wait_for(lambda: job(queued.pk).status == JobStatus.COMPLETED, 90, "the resumed job", second.output)
    done = job(queued.pk)
    assert done.attempts == 2
    assert done.checksum_sha256 == made.files[0].sha256
    assert Path(done.destination) == planned.with_suffix(".mkv")
    assert library.file_sha256(Path(done.destination)) == made.files[0].sha256
    assert done.peers is not None and done.seeds is not None  # the swarm as the client saw it
    # The second attempt asked the client for the infohash and found it.
    assert len(torrent_adds(proxy, daemon.kind)) == 1
