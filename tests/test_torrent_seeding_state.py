"""A finished torrent's seeding is on its job: whether it still seeds, the
bytes it uploaded and its ratio, written by the engine, shown by the
downloads API and the downloads page ("Seeding · ratio 0.4")."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid

import pytest

from downloads import manager, runner
from downloads.models import DownloadJob, JobStatus
from downloads.torrent import seeding
from downloads.torrent.engine import engine
from tests.support.processes import wait_for
from tests.support.torrent_files import make_torrent
from tests.support.torrent_seeder import TorrentSeeder


def _seeding(job_pk) -> seeding.Seeding | None:
    return seeding.seeding_of(DownloadJob.objects.get(pk=job_pk))


@pytest.mark.django_db(transaction=True)  # the engine's thread writes with its own connection
def test_the_job_says_seeding_with_its_upload_until_the_ratio_ends_it(
    alice, alice_api, http_server, seeder, tracker, download_dir, torrent_settings, tmp_path
):
    torrent_settings.TORRENT_SEED_RATIO = 1.0
    torrent_settings.TORRENT_SEED_MINUTES = 60
    size = 700_000
    made = make_torrent(tmp_path / "seed", {"[Grp] Show - 04 [1080p].mkv": size}, trackers=[tracker.url], seed=44)
    seeder.seed(made)
    link = http_server.add("/t/4.torrent", made.torrent)
    job, _ = manager.enqueue(alice, link, "torrent", download_dir / "alice" / "Show" / "Show - S01E04.mkv")

    runner.run_job(job.pk)

    assert DownloadJob.objects.get(pk=job.pk).status == JobStatus.COMPLETED
    wait_for(lambda: _seeding(job.pk) is not None, 10, "the engine's first seeding record")
    assert _seeding(job.pk) == seeding.Seeding(active=True, uploaded_bytes=0, ratio=0.0)

    # Only the engine has the torrent now; another user's client fetches it.
    seeder.forget(made)
    tracker.peers = []
    with TorrentSeeder() as other_user:
        port = engine().session.listen_port()
        handle = other_user.leech(made, tmp_path / "leech", f"127.0.0.1:{port}")
        # Slowly (about 5 s for the file): at full speed the whole file can go
        # up between two of the engine's one-second reports and the ratio
        # policy end the seeding first, so the job would go from "seeding,
        # 0 bytes up" straight to "ended" (seen in CI).
        handle.set_download_limit(150_000)
        asked = [time.monotonic()]

        def uploaded() -> bool:
            # A client asks its peers again now and then (as after each
            # announce); one attempt made while the torrent was still being
            # added can go nowhere on a loaded machine (seen once in CI).
            if time.monotonic() - asked[0] > 2:
                handle.connect_peer(("127.0.0.1", port))
                asked[0] = time.monotonic()
            state = _seeding(job.pk)
            return state is not None and state.active and state.uploaded_bytes > 0

        wait_for(uploaded, 60, "upload to the second session recorded while seeding")
        # The policy (ratio 1.0) ends the seeding once the whole file went up:
        # the engine checks it every few seconds.
        wait_for(lambda: not _seeding(job.pk).active, 40, "the seeding to stop at ratio 1.0")

    final = _seeding(job.pk)
    assert final.uploaded_bytes >= size
    assert final.ratio >= 1.0
    assert made.infohash not in [t.infohash for t in engine().seeding()]
    listed = alice_api.get(f"/api/downloads/{job.pk}").json()
    assert listed["seeding"] == {"active": False, "uploaded_bytes": final.uploaded_bytes, "ratio": final.ratio}
    assert listed["status"] == "completed"  # the contract's fields are unchanged


def _completed_torrent_job(owner, download_dir, state: dict | None) -> DownloadJob:
    return DownloadJob.objects.create(
        owner=owner,
        url="magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567",
        backend="torrent",
        destination=str(download_dir / owner.username / "Show" / f"Show - {uuid.uuid4().hex[:6]}.mkv"),
        status=JobStatus.COMPLETED,
        bytes_total=1000,
        bytes_done=1000,
        backend_state={"infohash": "0123456789abcdef0123456789abcdef01234567", **({"seeding": state} if state else {})},
    )


def test_the_api_and_the_page_show_a_seeding_torrent(alice, alice_api, alice_web, download_dir):
    fresh = {"active": True, "uploaded_bytes": 400, "ratio": 0.4, "at": time.time()}
    job = _completed_torrent_job(alice, download_dir, fresh)

    listed = alice_api.get("/api/downloads").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [row["seeding"] for row in rows if row["id"] == str(job.pk)] == [
        {"active": True, "uploaded_bytes": 400, "ratio": 0.4}
    ]
    html = alice_web.get("/downloads/").content.decode()
    assert "Seeding · ratio 0.4" in html


def test_a_stale_seeding_stamp_is_not_believed(alice, alice_api, alice_web, download_dir):
    # The worker that seeded died without a word: its last "seeding" is old.
    old = {"active": True, "uploaded_bytes": 400, "ratio": 0.4, "at": time.time() - seeding.STALE_AFTER_SECONDS - 1}
    job = _completed_torrent_job(alice, download_dir, old)

    assert alice_api.get(f"/api/downloads/{job.pk}").json()["seeding"]["active"] is False
    assert "Seeding" not in alice_web.get("/downloads/").content.decode()


def test_jobs_that_never_seeded_have_no_seeding(alice, alice_api, download_dir):
    job = _completed_torrent_job(alice, download_dir, None)
    assert alice_api.get(f"/api/downloads/{job.pk}").json()["seeding"] is None


@pytest.mark.django_db
def test_seeding_is_recorded_on_completed_jobs_only(alice, download_dir):
    job = _completed_torrent_job(alice, download_dir, None)
    state = seeding.Seeding(active=True, uploaded_bytes=10, ratio=0.01)

    assert seeding.record(job.pk, state, now=1000.0)
    job.refresh_from_db()
    # The other keys of the backend's state are kept.
    assert job.backend_state["infohash"] == "0123456789abcdef0123456789abcdef01234567"
    assert seeding.seeding_of(job, now=1000.0 + seeding.STALE_AFTER_SECONDS - 1) == state

    DownloadJob.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)  # retried since
    assert not seeding.record(job.pk, state)
    job.refresh_from_db()
    assert seeding.seeding_of(job) is None


def test_the_processes_that_seed_are_known_to_the_autoscaler(settings, tmp_path):
    settings.TORRENT_RESUME_DIR = str(tmp_path / "torrents" / "resume")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    seeding.mark_process(True)
    seeding.mark_process(True, pid=dead.pid)  # a pool process killed while it seeded

    assert seeding.processes_seeding() == [os.getpid()]
    assert not (seeding.markers_dir() / str(dead.pid)).exists()  # its marker went
    seeding.mark_process(False)
    assert seeding.processes_seeding() == []


@pytest.mark.django_db
def test_the_reaper_removes_seeding_folders_no_engine_holds(alice, download_dir):
    from datetime import timedelta

    from django.utils import timezone

    from downloads.tasks import reap_stale_downloads
    from downloads.torrent.download import job_folder

    long_ago = timezone.now() - timedelta(seconds=seeding.STALE_AFTER_SECONDS + 60)
    fresh = {"active": True, "uploaded_bytes": 1, "ratio": 0.0, "at": time.time()}
    dead = _completed_torrent_job(alice, download_dir, {**fresh, "at": time.time() - 3600})  # its worker stopped
    seeding_now = _completed_torrent_job(alice, download_dir, fresh)
    just_finished = _completed_torrent_job(alice, download_dir, None)  # its engine writes within a second
    DownloadJob.objects.filter(pk__in=[dead.pk, seeding_now.pk]).update(finished_at=long_ago)
    DownloadJob.objects.filter(pk=just_finished.pk).update(finished_at=timezone.now())
    running = _completed_torrent_job(alice, download_dir, None)
    DownloadJob.objects.filter(pk=running.pk).update(status=JobStatus.RUNNING, finished_at=None)
    for job in (dead, seeding_now, just_finished, running):
        folder = job_folder(str(job.pk))
        folder.mkdir(parents=True)
        (folder / "Show - 01.mkv").write_bytes(b"x")
    library_copy = download_dir / "alice" / "Show" / "Show - 01.mkv"
    library_copy.parent.mkdir(parents=True)
    os.link(job_folder(str(dead.pk)) / "Show - 01.mkv", library_copy)

    reap_stale_downloads()

    assert not job_folder(str(dead.pk)).exists()
    assert library_copy.read_bytes() == b"x"  # the library's link stays
    for kept in (seeding_now, just_finished, running):
        assert (job_folder(str(kept.pk)) / "Show - 01.mkv").exists()
