"""The Celery tasks' declared options, and runs of the other backend and
error paths through the task body (called directly, no broker)."""

from __future__ import annotations

import hashlib

import pytest

from downloads import celery_config, manager
from downloads.models import DownloadJob, JobStatus
from downloads.tasks import reap_stale_downloads, run_download
from tests.support.broker import drain
from tests.support.download_fixtures import destination
from tests.support.media_server import random_bytes, tiny_mp4


def test_each_task_is_published_on_its_queue():
    """Downloads wait on their own queue; the reaper shares the short-task
    queue, so hours of busy download slots never hold it back."""
    drain(celery_config.DOWNLOAD_QUEUE)
    drain(celery_config.CHECK_QUEUE)

    run_download.delay("job-1")
    reap_stale_downloads.delay()

    assert drain(celery_config.DOWNLOAD_QUEUE) == [("downloads.tasks.run_download", ["job-1"])]
    assert drain(celery_config.CHECK_QUEUE) == [(celery_config.REAPER_TASK, [])]


def test_a_download_outlives_neither_its_time_limit_nor_the_broker_redelivery():
    assert run_download.time_limit > run_download.soft_time_limit > 0
    # A message still unacknowledged when the hard limit kills the download
    # must not have been handed to a second worker before.
    assert celery_config.visibility_timeout(run_download.soft_time_limit) > run_download.time_limit


@pytest.mark.django_db
def test_the_reaper_is_seeded_by_the_downloads_migration():
    from django.apps import apps as current_apps
    from django.db.migrations.loader import MigrationLoader
    from django_celery_beat.models import PeriodicTask

    from downloads.beat import REAPER_NAME

    loader = MigrationLoader(None, ignore_no_migrations=True)
    seeding = [key for key in loader.disk_migrations if key[0] == "downloads" and key[1].endswith("_reaper_beat")]
    assert len(seeding) == 1
    migration = loader.disk_migrations[seeding[0]]
    (operation,) = migration.operations

    PeriodicTask.objects.filter(task=celery_config.REAPER_TASK).delete()
    operation.code(current_apps, None)
    operation.code(current_apps, None)  # a second run leaves the one row as it is

    (row,) = PeriodicTask.objects.filter(task=celery_config.REAPER_TASK)
    assert (row.name, row.queue, row.interval.every, row.interval.period) == (
        REAPER_NAME,
        celery_config.CHECK_QUEUE,
        60,
        "seconds",
    )


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
