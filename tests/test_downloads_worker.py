"""Real Celery workers (prefork, Redis broker, the test PostgreSQL database):
the per-user cap across processes, and a worker SIGKILLed mid-download whose
job is resumed by another worker."""

from __future__ import annotations

import hashlib
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from downloads import manager
from downloads.files import part_path
from downloads.models import DownloadJob, JobStatus
from tests.support.celery_worker import Worker, worker_env
from tests.support.download_fixtures import destination
from tests.support.media_server import random_bytes
from tests.support.processes import needs_shared_services, wait_for

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    needs_shared_services,
]


@pytest.fixture
def workers(download_dir: Path, tmp_path: Path) -> Iterator[Callable[[], Worker]]:
    env = worker_env(download_dir, tmp_path / "var")
    started: list[Worker] = []

    def start() -> Worker:
        worker = Worker(env, tmp_path / f"worker{len(started)}.log").start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


# Celery's lines when a worker takes a task and when the run ends, at log level INFO.
RECEIVED = re.compile(r"downloads\.tasks\.run_download\[[0-9a-f-]+\] received")
HANDLED = re.compile(r"downloads\.tasks\.run_download\[[0-9a-f-]+\] succeeded")


def all_messages_handled(logs: str) -> bool:
    broker = redis.Redis.from_url(os.environ["REDIS_URL"])
    idle = broker.llen("downloads") == 0 and broker.hlen("unacked") == 0
    return idle and len(RECEIVED.findall(logs)) == len(HANDLED.findall(logs)) >= 2


def job(pk) -> DownloadJob:
    return DownloadJob.objects.get(pk=pk)


def test_worker_killed_mid_download_is_resumed_by_another(alice, media, download_dir, workers, settings):
    body = random_bytes(6 * 1024 * 1024, seed=9)
    url = media.add("/ep5.mkv", body, rate=1_000_000)  # about 6 seconds
    queued, _ = manager.enqueue(alice, url, "http", destination(download_dir, "ep5"), dedupe_key="item:w:ep:5")

    first = workers()
    wait_for(lambda: job(queued.pk).bytes_done >= 1_500_000, 60, "the first worker to make progress", first.output)
    first.kill()
    killed_at = job(queued.pk)
    assert killed_at.status == JobStatus.RUNNING  # nobody told the database: the worker just vanished
    part = part_path(destination(download_dir, "ep5"))
    assert part.exists() and part.stat().st_size >= 1_000_000

    second = workers()
    # What beat's reaper does every minute, with a short threshold for the
    # test, once the dead worker's last heartbeat is older than that (often
    # already so: the second worker took longer to start).
    settings.DOWNLOAD_STALE_SECONDS = 2
    last_beat = killed_at.heartbeat_at
    wait_for(
        lambda: last_beat is None or timezone.now() - last_beat > timedelta(seconds=2.1),
        10,
        "the dead worker's heartbeat to go stale",
    )
    report = manager.reap_stale()
    assert report.requeued == 1

    wait_for(lambda: job(queued.pk).status == JobStatus.COMPLETED, 90, "the resumed download", second.output)
    done = job(queued.pk)
    assert done.checksum_sha256 == hashlib.sha256(body).hexdigest()
    assert done.attempts == 2
    final = Path(done.destination)
    assert final.read_bytes() == body
    assert sorted(p.name for p in final.parent.iterdir()) == [final.name]  # no .part, no second file
    assert DownloadJob.objects.count() == 1
    resumed = [r for r in media.requests_for("/ep5.mkv") if r.range_start]
    assert resumed and resumed[-1].status == 206
    sent_total = sum(r.bytes_sent for r in media.requests_for("/ep5.mkv"))
    assert sent_total < len(body) + 1_000_000  # resumed, not downloaded twice


def test_per_user_cap_holds_across_worker_processes(alice, bob, media, download_dir, workers):
    body = random_bytes(1_500_000, seed=4)
    for i in range(4):
        url = media.add(f"/a{i}.mkv", body, rate=1_500_000)
        manager.enqueue(alice, url, "http", destination(download_dir, f"a{i}"), max_concurrent=1)
    bob_job, _ = manager.enqueue(
        bob, media.add("/b.mkv", body, rate=1_500_000), "http", download_dir / "bob" / "b.mkv", max_concurrent=1
    )
    workers()
    peak = {"alice": 0, "both": 0}
    stop = threading.Event()

    def sample() -> None:
        try:
            while not stop.is_set():
                running = list(DownloadJob.objects.filter(status=JobStatus.RUNNING).values_list("owner_id", flat=True))
                peak["alice"] = max(peak["alice"], running.count(alice.pk))
                peak["both"] = max(peak["both"], len(running))
                time.sleep(0.05)
        finally:
            connection.close()

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        wait_for(lambda: DownloadJob.objects.filter(status=JobStatus.COMPLETED).count() == 5, 120, "all five downloads")
    finally:
        stop.set()
        sampler.join()
    assert peak["alice"] == 1  # alice's cap, although two worker processes were free
    assert peak["both"] == 2  # bob's job ran alongside: caps are per user
    assert job(bob_job.pk).status == JobStatus.COMPLETED
    assert download_dir == django_settings.DOWNLOAD_DIR


def test_a_message_delivered_twice_downloads_once(alice, media, download_dir, workers):
    body = random_bytes(3 * 1024 * 1024, seed=11)
    url = media.add("/ep6.mkv", body, rate=1_500_000)  # about 2 seconds
    queued, _ = manager.enqueue(alice, url, "http", destination(download_dir, "ep6"), dedupe_key="item:w:ep:6")
    # enqueue sent one message on commit; a redelivery (or a second send by
    # the reaper) puts the same job in the queue again.
    manager.send(queued.pk)
    both = [workers(), workers()]  # two processes in each of two workers: both messages are taken at once

    def logs() -> str:
        return "".join(worker.output() for worker in both)

    wait_for(lambda: job(queued.pk).status == JobStatus.COMPLETED, 90, "the download", logs)
    # Every message is handled too before the checks that the extra ones did
    # nothing: none waits in the broker or runs unacknowledged (acks_late),
    # and the workers logged the end of each one they received.
    wait_for(lambda: all_messages_handled(logs()), 30, "every message to be handled", logs)
    done = job(queued.pk)
    assert done.attempts == 1  # the second claim found the job taken and left
    assert done.checksum_sha256 == hashlib.sha256(body).hexdigest()
    final = Path(done.destination)
    assert sorted(p.name for p in final.parent.iterdir()) == [final.name]
    assert DownloadJob.objects.count() == 1
    full_downloads = [r for r in media.requests_for("/ep6.mkv") if not r.range_start]
    assert len(full_downloads) == 1
