"""One attempt end to end: claim, the real HTTP backend against the loopback
media server, progress rows, outcome, signals. No Celery here (see
test_downloads_worker.py for the real worker)."""

from __future__ import annotations

import hashlib
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from downloads import manager, runner
from downloads.files import part_path
from downloads.models import DownloadJob, JobStatus
from downloads.signals import download_finished
from tests.support.download_fixtures import destination
from tests.support.media_server import random_bytes

pytestmark = pytest.mark.django_db(transaction=True)  # the heartbeat thread needs committed rows

BODY = random_bytes(2 * 1024 * 1024 + 7, seed=3)
SHA = hashlib.sha256(BODY).hexdigest()


def queued(owner, url, root, name="e1", **kwargs) -> DownloadJob:
    job, _ = manager.enqueue(owner, url, "http", destination(root, name), **kwargs)
    return DownloadJob.objects.get(pk=job.pk)


def pause_over(job: DownloadJob) -> None:
    """The retry pause has passed (its countdown message arrives now)."""
    DownloadJob.objects.filter(pk=job.pk).update(next_attempt_at=timezone.now())


def test_success(alice, media, download_dir, sent):
    finished = []
    download_finished.connect(lambda sender, job, **kw: finished.append(job), weak=False, dispatch_uid="t1")
    try:
        job = queued(alice, media.add("/e1.mkv", BODY), download_dir, dedupe_key="item:1:ep:1")
        assert sent.ids() == [str(job.pk)]
        assert runner.run_job(job.pk) is None
    finally:
        download_finished.disconnect(dispatch_uid="t1")
    job.refresh_from_db()
    assert job.status == JobStatus.COMPLETED, job.error
    assert job.checksum_sha256 == SHA
    assert job.bytes_done == job.bytes_total == len(BODY)
    assert job.attempts == 1 and job.error == ""
    assert job.started_at and job.finished_at and job.heartbeat_at
    final = destination(download_dir, "e1")
    assert final.read_bytes() == BODY and not part_path(final).exists()
    assert [j.pk for j in finished] == [job.pk] and finished[0].dedupe_key == "item:1:ep:1"
    assert job.backend_state["validator"] == media.files["/e1.mkv"].current_etag()


def test_duplicate_message_does_nothing(alice, media, download_dir, sent):
    job = queued(alice, media.add("/e1.mkv", BODY), download_dir)
    runner.run_job(job.pk)
    assert runner.run_job(job.pk) is None  # redelivered message after completion
    assert len(media.requests_for("/e1.mkv")) == 1
    assert DownloadJob.objects.get(pk=job.pk).attempts == 1


def test_transient_error_requeues_with_backoff_then_resumes(alice, media, download_dir, sent):
    url = media.add("/e1.mkv", BODY, truncate_times=1, truncate_after=700_000)
    job = queued(alice, url, download_dir)
    delay = runner.run_job(job.pk)
    job.refresh_from_db()
    assert delay is not None and delay > 0
    assert job.status == JobStatus.QUEUED and job.dispatched_at is not None
    assert job.next_attempt_at > timezone.now()
    assert "will resume" in job.error and job.attempts == 1
    assert job.backend_state["validator"]  # durable before the first byte: a later attempt can resume

    assert runner.run_job(job.pk) is None  # a message before the pause ends: sent again, not run
    assert str(sent[-1][0]) == str(job.pk) and 0 < sent[-1][1] <= delay
    assert DownloadJob.objects.get(pk=job.pk).attempts == 1
    pause_over(job)
    assert runner.run_job(job.pk) is None  # the countdown message
    job.refresh_from_db()
    assert job.status == JobStatus.COMPLETED and job.checksum_sha256 == SHA and job.attempts == 2
    second = media.requests_for("/e1.mkv")[1]
    assert second.status == 206 and second.bytes_sent == len(BODY) - 700_000


def test_retry_after_is_honoured(alice, media, download_dir, sent, settings):
    settings.DOWNLOAD_RETRY_BASE_SECONDS = 1
    job = queued(alice, media.add("/e1.mkv", BODY, fail_times=1, fail_status=429, retry_after="120"), download_dir)
    assert runner.run_job(job.pk) == 120


def test_attempts_are_capped(alice, media, download_dir, sent):
    job = queued(alice, media.add("/e1.mkv", BODY, fail_times=5, fail_status=503), download_dir, max_attempts=2)
    assert runner.run_job(job.pk) is not None
    pause_over(job)
    assert runner.run_job(job.pk) is None
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "The server had a problem (HTTP 503). Gave up after 2 attempts."


def test_permanent_error_fails_at_once_and_frees_the_slot(alice, media, download_dir, sent):
    first = queued(alice, media.url("/missing.mkv"), download_dir, "e1", max_concurrent=1)
    second = queued(alice, media.add("/e2.mkv", BODY), download_dir, "e2", max_concurrent=1)
    assert sent.ids() == [str(first.pk)]
    assert runner.run_job(first.pk) is None
    first.refresh_from_db()
    assert first.status == JobStatus.FAILED and first.attempts == 1
    assert first.error == "The file was not found on the server (HTTP 404)."
    assert sent.ids() == [str(first.pk), str(second.pk)]


def wait_for(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_cancel_while_running(alice, media, download_dir, sent):
    url = media.add("/e1.mkv", BODY, rate=400_000)  # about 5 seconds for the whole file
    job = queued(alice, url, download_dir, "e1", max_concurrent=1)
    waiting = queued(alice, media.add("/e2.mkv", BODY), download_dir, "e2", max_concurrent=1)
    outcome: list[object] = []

    def work():
        try:
            outcome.append(runner.run_job(job.pk))
        finally:
            connection.close()

    worker = threading.Thread(target=work)
    worker.start()
    assert wait_for(lambda: DownloadJob.objects.get(pk=job.pk).bytes_done > 0)
    started = time.monotonic()
    assert manager.cancel(DownloadJob.objects.get(pk=job.pk))
    worker.join(timeout=10)
    assert not worker.is_alive()
    assert time.monotonic() - started < 3  # noticed at the next progress write
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    final = destination(download_dir, "e1")
    assert not final.exists() and not part_path(final).exists()
    # The worker handed its slot on once it had stopped.
    assert sent.ids() == [str(job.pk), str(waiting.pk)]


def test_progress_is_visible_while_running_and_writes_are_throttled(alice, media, download_dir, sent, settings):
    settings.DOWNLOAD_HEARTBEAT_SECONDS = 0.5
    url = media.add("/e1.mkv", BODY, rate=700_000)  # about 3 seconds
    job = queued(alice, url, download_dir)
    seen: list[tuple[int, int | None, int]] = []

    def watch():
        try:
            while not stop.is_set():
                row = DownloadJob.objects.get(pk=job.pk)
                if row.status == JobStatus.RUNNING:
                    seen.append((row.bytes_done, row.bytes_total, row.speed))
                time.sleep(0.2)
        finally:
            connection.close()

    stop = threading.Event()
    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        runner.run_job(job.pk)
    finally:
        stop.set()
        watcher.join()
    job.refresh_from_db()
    assert job.status == JobStatus.COMPLETED
    done = [d for d, _, _ in seen]
    assert done == sorted(done) and 0 < len(set(done)) <= 6  # about one write a second, not one per chunk
    assert all(total == len(BODY) for _, total, _ in seen if total is not None)
    assert any(speed > 100_000 for _, _, speed in seen)


def test_reaped_worker_stops_and_leaves_the_files_to_the_new_owner(alice, media, download_dir, sent, settings):
    settings.DOWNLOAD_STALE_SECONDS = 1
    settings.DOWNLOAD_HEARTBEAT_SECONDS = 60  # a worker whose heartbeat stopped (a long GC pause, say)
    settings.DOWNLOAD_PROGRESS_SECONDS = 2
    url = media.add("/e1.mkv", BODY, rate=300_000)
    job = queued(alice, url, download_dir)
    outcome: list[object] = []

    def work():
        try:
            outcome.append(runner.run_job(job.pk))
        finally:
            connection.close()

    worker = threading.Thread(target=work)
    worker.start()
    assert wait_for(lambda: DownloadJob.objects.get(pk=job.pk).bytes_done > 0)
    DownloadJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=5))
    assert manager.reap_stale().requeued == 1
    new_claim = manager.claim(job.pk)
    assert new_claim is not None
    worker.join(timeout=10)
    assert outcome == [None]
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.claim_token == new_claim.token  # untouched by the old worker
    assert part_path(destination(download_dir, "e1")).exists()  # not deleted under the new owner
