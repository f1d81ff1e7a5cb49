"""The Celery tasks' declared options, and runs of the other backend and
error paths through the task body (called directly, no broker)."""

from __future__ import annotations

import hashlib

import pytest

from downloads import celery_config, manager
from downloads.models import DownloadJob, JobStatus
from downloads.tasks import reap_stale_downloads, run_download
from tests.support import download_fixtures
from tests.support.download_fixtures import destination
from tests.support.media_server import random_bytes, tiny_mp4

# Shared fixtures, found by pytest under these names.
download_dir = download_fixtures.download_dir
media = download_fixtures.media
sent = download_fixtures.sent


def test_download_task_options(settings):
    assert run_download.acks_late is True
    assert run_download.reject_on_worker_lost is True
    assert run_download.queue == "downloads"
    assert run_download.ignore_result is True
    assert run_download.soft_time_limit > 0
    assert run_download.time_limit > run_download.soft_time_limit
    assert reap_stale_downloads.queue == "checks"


def test_celery_config_constants():
    conf = celery_config.celery_settings(3600)
    assert conf["CELERY_WORKER_PREFETCH_MULTIPLIER"] == 1
    assert conf["CELERY_TASK_ACKS_LATE"] is True
    assert conf["CELERY_TASK_ROUTES"]["downloads.tasks.run_download"] == {"queue": "downloads"}
    assert celery_config.visibility_timeout(3600) > 3600 + 300  # outlasts the hard limit
    assert reap_stale_downloads.name == celery_config.REAPER_TASK


@pytest.mark.django_db(transaction=True)
def test_ytdlp_job_records_the_real_file_name(alice, media, download_dir, sent):
    video = tiny_mp4(256 * 1024)
    url = media.add("/ep3.mp4", video, content_type="video/mp4")
    job, _ = manager.enqueue(alice, url, "ytdlp", destination(download_dir, "Show - S01E03"), quality_preference="720p")
    run_download(str(job.pk))  # the task body, as a worker would run it
    job.refresh_from_db()
    assert job.status == JobStatus.COMPLETED, job.error
    assert job.destination.endswith("Show - S01E03.mp4")
    assert job.checksum_sha256 == hashlib.sha256(video).hexdigest()
    assert not (download_dir / ".tmp" / str(job.pk)).exists()


@pytest.mark.django_db(transaction=True)
def test_transient_failure_sends_a_countdown_message(alice, media, download_dir, sent):
    url = media.add("/e1.mkv", random_bytes(1000), fail_times=1, fail_status=503, retry_after="42")
    job, _ = manager.enqueue(alice, url, "http", destination(download_dir, "e1"))
    run_download(str(job.pk))
    assert sent[-1] == (str(job.pk), 42)


@pytest.mark.django_db(transaction=True)
def test_unwritable_destination_fails_in_plain_words(alice, media, download_dir, sent):
    url = media.add("/e1.mkv", random_bytes(1000))
    target = destination(download_dir, "e1")
    target.parent.parent.mkdir(parents=True)
    target.parent.write_bytes(b"a file where the series folder should be")
    job, _ = manager.enqueue(alice, url, "http", target)
    run_download(str(job.pk))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("The file could not be written")


@pytest.mark.django_db(transaction=True)
def test_reaper_task_runs(alice, download_dir, sent):
    reap_stale_downloads()
    assert DownloadJob.objects.count() == 0
