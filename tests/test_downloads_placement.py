"""Nothing in the library is overwritten when a download finishes: a file
that appeared at a job's name after it was queued keeps its bytes and the
job's file takes the next numbered name, recorded on the job; the same
bytes there (our own earlier attempt) are kept as one file. Whole attempts
through the runner against the loopback media server and the test
PostgreSQL (the torrent engine's cases are in test_downloads_torrent.py)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from downloads import manager, runner, sharing
from downloads.files import numbered
from downloads.models import DownloadJob, JobStatus
from tests.support.download_fixtures import MemorySink, destination
from tests.support.media_server import random_bytes, tiny_mp4

pytestmark = pytest.mark.django_db(transaction=True)  # the runner's heartbeat thread needs committed rows

BODY = random_bytes(1024 * 1024 + 11, seed=21)
SHA = hashlib.sha256(BODY).hexdigest()


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_file_that_appeared_at_an_http_jobs_name_is_kept(alice, media, download_dir, sent, caplog):
    job, _ = manager.enqueue(alice, media.add("/e1.mkv", BODY), "http", destination(download_dir, "e1"))
    planned = Path(job.destination)
    planned.parent.mkdir(parents=True, exist_ok=True)
    planned.write_bytes(b"the user's own copy, put there while the job waited")

    assert runner.run_job(job.pk) is None

    job.refresh_from_db()
    assert job.status == JobStatus.COMPLETED, job.error
    ours = numbered(planned, 2)
    assert job.destination == str(ours)  # the API and the episode point at the real file
    assert ours.read_bytes() == BODY and job.checksum_sha256 == SHA
    assert planned.read_bytes() == b"the user's own copy, put there while the job waited"
    assert _files(planned.parent) == ["e1 (2).mkv", "e1.mkv"]
    assert "holds other bytes: the finished file is placed as e1 (2).mkv" in caplog.text


def test_an_http_jobs_own_earlier_file_is_kept_as_the_one_file(alice, media, download_dir, sent):
    job, _ = manager.enqueue(alice, media.add("/e1.mkv", BODY), "http", destination(download_dir, "e1"))
    planned = Path(job.destination)
    planned.parent.mkdir(parents=True, exist_ok=True)
    planned.write_bytes(BODY)  # an attempt placed it, then its worker died before recording it

    runner.run_job(job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.COMPLETED, job.error
    assert job.destination == str(planned) and planned.read_bytes() == BODY
    assert _files(planned.parent) == ["e1.mkv"]


def test_a_variant_another_job_will_write_is_skipped(alice, media, download_dir, sent):
    first, _ = manager.enqueue(alice, media.add("/e1.mkv", BODY), "http", destination(download_dir, "e1"))
    second, _ = manager.enqueue(alice, media.add("/other.mkv", b"other"), "http", destination(download_dir, "e1"))
    assert second.destination == str(numbered(Path(first.destination), 2))  # planned when queued
    Path(first.destination).parent.mkdir(parents=True)
    Path(first.destination).write_bytes(b"a stranger's file")

    runner.run_job(first.pk)

    first.refresh_from_db()
    assert first.status == JobStatus.COMPLETED, first.error
    assert first.destination == str(numbered(destination(download_dir, "e1"), 3))
    assert not Path(second.destination).exists()  # left free for the job that owns the name


def test_a_stray_file_at_the_real_extension_of_a_ytdlp_download_is_kept(alice, media, download_dir, sent):
    video = tiny_mp4(payload_size=300_000)
    planned = download_dir / "alice" / "Show" / "Show - S01E01 [1080p].mkv"
    job, _ = manager.enqueue(alice, media.add("/ep1.mp4", video, content_type="video/mp4"), "ytdlp", planned)
    stray = planned.with_suffix(".mp4")  # the name the real container gives
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"not this download")

    runner.run_job(job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.COMPLETED, job.error
    # Before: yt-dlp called the stray "already downloaded" and the job recorded it.
    assert job.destination == str(numbered(stray, 2))
    assert Path(job.destination).read_bytes() == video
    assert job.checksum_sha256 == hashlib.sha256(video).hexdigest()
    assert stray.read_bytes() == b"not this download"


def test_a_follower_does_not_overwrite_a_file_at_its_name(alice, bob, download_dir, sent):
    url = "http://127.0.0.1:9/shared.mkv"
    leader, _ = manager.enqueue(alice, url, "http", download_dir / "alice" / "ep1.mkv")
    follower, _ = manager.enqueue(bob, url, "http", download_dir / "bob" / "ep1.mkv")
    Path(leader.destination).parent.mkdir(parents=True)
    Path(leader.destination).write_bytes(b"episode bytes")
    digest = hashlib.sha256(b"episode bytes").hexdigest()
    DownloadJob.objects.filter(pk=leader.pk).update(status=JobStatus.COMPLETED, checksum_sha256=digest)
    Path(follower.destination).parent.mkdir(parents=True)
    Path(follower.destination).write_bytes(b"bob's own file")
    request = manager.request_for(DownloadJob.objects.get(pk=follower.pk))

    result = sharing.follow(request, MemorySink(), sharing.Leader(str(leader.pk)), lambda ours, _theirs: ours)

    assert result is not None and result.path == download_dir / "bob" / "ep1 (2).mkv"
    assert result.path.samefile(leader.destination) and result.sha256 == digest
    assert Path(follower.destination).read_bytes() == b"bob's own file"
