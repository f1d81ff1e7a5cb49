"""One download for many users, plain HTTP: jobs of several users for the
same URL fetch it once from the loopback media server, in real Celery worker
processes against the test PostgreSQL; the election itself under real
concurrent transactions; and the keys jobs are matched by."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection

from downloads import manager, sharing
from downloads.errors import Cancelled
from downloads.files import part_path
from downloads.models import DownloadJob, JobStatus
from downloads.progress import JobProgress
from downloads.share_keys import normalise_url, torrent_key, url_key
from tests.support.celery_worker import Worker, worker_env
from tests.support.download_fixtures import MemorySink
from tests.support.media_server import random_bytes
from tests.support.processes import needs_shared_services, wait_for

ROUTE = "/shared/ep7.mkv"
ROOT = Path(__file__).resolve().parent.parent


def in_place(destination, _leaders_file):
    """A plain download's placement: its own destination."""
    return destination


# --- keys ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    [
        "http://media.example/shared/ep7.mkv?apikey=s3cret",
        "HTTP://Media.Example/shared/ep7.mkv?apikey=s3cret",
        "http://media.example:80/shared/ep7.mkv?apikey=s3cret",
        "http://media.example/shared/ep7.mkv?apikey=s3cret#t=10",
    ],
)
def test_spellings_of_one_address_share_one_key(spelling):
    assert url_key(spelling) == url_key("http://media.example/shared/ep7.mkv?apikey=s3cret")


@pytest.mark.parametrize(
    "other",
    [
        "http://media.example/shared/ep7.mkv?apikey=other",  # another user's key: another download
        "http://media.example/shared/EP7.mkv?apikey=s3cret",  # paths are case-sensitive
        "https://media.example/shared/ep7.mkv?apikey=s3cret",
        "http://media.example:8080/shared/ep7.mkv?apikey=s3cret",
    ],
)
def test_different_addresses_get_different_keys(other):
    assert url_key(other) != url_key("http://media.example/shared/ep7.mkv?apikey=s3cret")


def test_a_url_key_holds_no_part_of_the_url():
    key = url_key("https://tracker.example/dl/42?passkey=abcdef123456")
    assert key.startswith("url:") and len(key) == len("url:") + 64
    assert "abcdef123456" not in key and "tracker" not in key


def test_normalising_keeps_what_servers_may_tell_apart():
    assert normalise_url("https://[::1]:8443/a?b=2&a=1") == "https://[::1]:8443/a?b=2&a=1"
    assert normalise_url("https://Host.Example") == "https://host.example/"
    assert torrent_key("ABCDEF") == "btih:abcdef"


# --- the election under concurrent transactions ----------------------------------


def _running_job(owner, url: str, root: Path, name: str) -> JobProgress:
    job, _ = manager.enqueue(owner, url, "http", root / owner.username / f"{name}.mkv")
    token = uuid.uuid4()
    DownloadJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, claim_token=token)
    return JobProgress(job.pk, token, {})


# Six writers at one moment: PostgreSQL queues them on the advisory lock, and
# the product's SQLite file (IMMEDIATE transactions, a busy timeout) queues
# them too; the tests' in-memory SQLite, whose connections share one cache,
# fails them at once with "database table is locked" instead (seen on a
# loaded machine), which says nothing of the election.
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="six writers at once wait on PostgreSQL; the in-memory test SQLite fails them",
)
@pytest.mark.django_db(transaction=True)
def test_jobs_electing_at_the_same_moment_get_exactly_one_leader(alice, bob, sent, download_dir):
    key = url_key("http://127.0.0.1:9/same.mkv")
    sinks = [
        _running_job(user, "http://127.0.0.1:9/same.mkv", download_dir, f"ep{n}")
        for n in range(3)
        for user in (alice, bob)
    ]
    start = threading.Barrier(len(sinks))
    outcomes: dict[str, sharing.Leader | None] = {}

    def elect(sink: JobProgress) -> None:
        try:
            start.wait()
            outcomes[str(sink.job_id)] = sharing.elect(str(sink.job_id), key, sink)
        finally:
            connection.close()

    threads = [threading.Thread(target=elect, args=(sink,)) for sink in sinks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    leaders = [job_id for job_id, leader in outcomes.items() if leader is None]
    assert len(leaders) == 1, outcomes
    assert {leader.pk for leader in outcomes.values() if leader is not None} == set(leaders)
    marked = DownloadJob.objects.filter(backend_state__leads=True, backend_state__shared_as=key)
    assert [str(pk) for pk in marked.values_list("pk", flat=True)] == leaders


@pytest.mark.django_db(transaction=True)
def test_a_leaders_own_state_saves_keep_it_the_leader(alice, bob, sent, download_dir):
    key = url_key("http://127.0.0.1:9/kept.mkv")
    first, second = (_running_job(user, "http://127.0.0.1:9/kept.mkv", download_dir, "ep1") for user in (alice, bob))
    assert sharing.elect(str(first.job_id), key, first) is None
    # What the HTTP backend does on a first response, and on a restart.
    sharing.KeepMarks(first).save_state({"validator": '"v1"', "total": 10})
    sharing.KeepMarks(first).save_state({})
    assert sharing.elect(str(second.job_id), key, second) == sharing.Leader(str(first.job_id))


# --- following, in process ---------------------------------------------------------


def _finished(job_id, body: bytes) -> Path:
    job = DownloadJob.objects.get(pk=job_id)
    path = Path(job.destination)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    digest = hashlib.sha256(body).hexdigest()
    DownloadJob.objects.filter(pk=job_id).update(status=JobStatus.COMPLETED, checksum_sha256=digest)
    return path


@pytest.mark.django_db
def test_a_follower_shows_the_leaders_bytes_and_no_swarm(alice, bob, sent, download_dir):
    leader, follower = (_running_job(user, "http://127.0.0.1:9/p.mkv", download_dir, "ep1") for user in (alice, bob))
    DownloadJob.objects.filter(pk=leader.job_id).update(bytes_done=123_000, bytes_total=456_000)
    sink = MemorySink(cancel_after=0)  # the user cancels at the first progress report
    request = manager.request_for(DownloadJob.objects.get(pk=follower.job_id))

    with pytest.raises(Cancelled):
        sharing.follow(request, sink, sharing.Leader(str(leader.job_id)), in_place)

    assert sink.calls == [(123_000, 456_000)]
    assert sink.swarms == []  # a plain download has no peers to show


@pytest.mark.django_db
def test_a_follower_links_the_leaders_finished_file_into_its_library(alice, bob, sent, download_dir):
    leader, follower = (_running_job(user, "http://127.0.0.1:9/l.mkv", download_dir, "ep1") for user in (alice, bob))
    source = _finished(leader.job_id, b"episode bytes")
    request = manager.request_for(DownloadJob.objects.get(pk=follower.job_id))

    result = sharing.follow(request, MemorySink(), sharing.Leader(str(leader.job_id)), in_place)

    assert result is not None and result.path == request.destination
    assert result.sha256 == hashlib.sha256(b"episode bytes").hexdigest()
    assert request.destination.samefile(source)
    assert request.destination.parent.name == "bob"


@pytest.mark.django_db
def test_a_follower_promised_other_bytes_does_not_take_the_leaders_file(alice, bob, sent, download_dir):
    leader = _running_job(alice, "http://127.0.0.1:9/x.mkv", download_dir, "ep1")
    job, _ = manager.enqueue(
        bob, "http://127.0.0.1:9/x.mkv", "http", download_dir / "bob" / "ep1.mkv", expected_sha256="0" * 64
    )
    _finished(leader.job_id, b"not what bob expects")
    request = manager.request_for(job)

    result = sharing.follow(request, MemorySink(), sharing.Leader(str(leader.job_id)), in_place)

    assert result is None  # it downloads (and checks) on its own
    assert not request.destination.exists()


# --- real workers -----------------------------------------------------------------


@pytest.fixture
def worker(download_dir: Path, tmp_path: Path) -> Iterator[Worker]:
    # Two processes: both users' jobs run at once.
    started = Worker(worker_env(download_dir, tmp_path / "var"), tmp_path / "worker.log", concurrency=2).start()
    yield started
    started.stop()


def _two_users_want(media, alice, bob, download_dir: Path, body: bytes, rate: int) -> list[DownloadJob]:
    url = media.add(ROUTE, body, rate=rate)
    return [
        manager.enqueue(user, url, "http", download_dir / user.username / "Show" / "Show - S01E07.mkv")[0]
        for user in (alice, bob)
    ]


def _status(pk) -> str:
    return DownloadJob.objects.get(pk=pk).status


def _leader_and_follower(jobs: list[DownloadJob], logs: Callable[[], str]) -> tuple[DownloadJob, DownloadJob]:
    """Once both run and bytes flow: the job marked as leading, and the other."""
    pks = [job.pk for job in jobs]
    wait_for(
        lambda: DownloadJob.objects.filter(pk__in=pks, status=JobStatus.RUNNING, bytes_done__gt=300_000).count() == 2,
        60,
        "both jobs running, bytes flowing",
        logs,
    )
    leader = DownloadJob.objects.get(pk__in=pks, backend_state__leads=True)
    follower = DownloadJob.objects.get(pk__in=pks, backend_state__leads=False)
    return leader, follower


def _body_gets(media) -> list:
    return [r for r in media.requests_for(ROUTE) if r.method == "GET"]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@needs_shared_services
def test_two_users_wanting_one_url_download_it_once(alice, bob, media, download_dir, worker):
    body = random_bytes(5_000_000, seed=71)
    jobs = _two_users_want(media, alice, bob, download_dir, body, rate=1_000_000)  # about 5 seconds
    pks = [job.pk for job in jobs]
    # The follower's progress, sampled with the leader's in one query, while both run.
    samples: list[dict[str, int]] = []
    deadline = time.monotonic() + 90
    while not all(_status(pk) == JobStatus.COMPLETED for pk in pks):
        rows = list(
            DownloadJob.objects.filter(pk__in=pks).values("status", "bytes_done", "bytes_total", "backend_state")
        )
        if all(row["status"] == JobStatus.RUNNING for row in rows) and len(rows) == 2:
            by_role = {row["backend_state"].get("leads"): row for row in rows}
            if set(by_role) == {True, False}:
                samples.append({"leader": by_role[True]["bytes_done"], "follower": by_role[False]["bytes_done"]})
                assert by_role[False]["bytes_total"] in (None, len(body))
        assert time.monotonic() < deadline, worker.output()
        time.sleep(0.1)

    gets = _body_gets(media)
    assert len(gets) == 1 and gets[0].bytes_sent == len(body)  # one GET of the body, for both users
    files = [Path(DownloadJob.objects.get(pk=pk).destination) for pk in pks]
    assert [f.parent.parent.name for f in files] == ["alice", "bob"]
    for pk, path in zip(pks, files, strict=True):
        assert hashlib.sha256(path.read_bytes()).hexdigest() == hashlib.sha256(body).hexdigest()
        assert DownloadJob.objects.get(pk=pk).checksum_sha256 == hashlib.sha256(body).hexdigest()
    assert files[0].samefile(files[1])  # one file on disk, in both libraries
    # The follower showed the leader's progress: bytes in the middle of the
    # file, never ahead of the leader, growing.
    moving = [s["follower"] for s in samples if 0 < s["follower"] < len(body)]
    assert len(set(moving)) >= 2, sorted({(s["leader"], s["follower"]) for s in samples})
    assert all(s["follower"] <= s["leader"] for s in samples), samples


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@needs_shared_services
def test_cancelling_the_following_users_job_leaves_the_download_running(alice, bob, media, download_dir, worker):
    body = random_bytes(4_000_000, seed=72)
    jobs = _two_users_want(media, alice, bob, download_dir, body, rate=800_000)  # about 5 seconds
    leader, follower = _leader_and_follower(jobs, worker.output)

    assert manager.cancel(follower)

    wait_for(lambda: _status(leader.pk) == JobStatus.COMPLETED, 60, "the leader's download", worker.output)
    assert _status(follower.pk) == JobStatus.CANCELLED
    assert hashlib.sha256(Path(leader.destination).read_bytes()).hexdigest() == hashlib.sha256(body).hexdigest()
    assert not Path(follower.destination).exists()
    gets = _body_gets(media)
    assert len(gets) == 1 and gets[0].bytes_sent == len(body)  # not interrupted, not fetched again


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@needs_shared_services
def test_cancelling_the_downloading_users_job_hands_the_download_to_the_other(alice, bob, media, download_dir, worker):
    body = random_bytes(4_000_000, seed=73)
    jobs = _two_users_want(media, alice, bob, download_dir, body, rate=800_000)
    leader, follower = _leader_and_follower(jobs, worker.output)

    assert manager.cancel(leader)

    wait_for(lambda: _status(follower.pk) == JobStatus.COMPLETED, 90, "the other user's job", worker.output)
    assert _status(leader.pk) == JobStatus.CANCELLED
    done = DownloadJob.objects.get(pk=follower.pk)
    assert hashlib.sha256(Path(done.destination).read_bytes()).hexdigest() == hashlib.sha256(body).hexdigest()
    assert done.backend_state["leads"] is True  # it took over
    assert not Path(leader.destination).exists()
    assert not part_path(Path(leader.destination)).exists()  # the cancelled job's partial file went
    gets = _body_gets(media)
    assert len(gets) == 2  # the leader's, cut by the cancel, and the new leader's
    # From byte 0: the cancelled job's worker removes its partial file when it
    # notices the cancel, so that file is never taken over.
    assert (gets[-1].range_start, gets[-1].bytes_sent) == (None, len(body))


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@needs_shared_services
def test_a_leader_whose_attempt_failed_hands_its_partial_file_to_the_other(alice, bob, media, download_dir, worker):
    body = random_bytes(4_000_000, seed=75)
    # Queued once the worker is up: its start re-sends every queued job, and
    # such a duplicate message would run the failed leader again at once
    # instead of after its retry pause.
    wait_for(lambda: " ready." in worker.output(), 60, "the worker to start", worker.output)
    jobs = _two_users_want(media, alice, bob, download_dir, body, rate=800_000)
    # The first answer is cut after 1.5 MB: the leader's attempt fails and
    # waits for its retry (30 seconds at the first attempt).
    media.configure(ROUTE, truncate_times=1, truncate_after=1_500_000)
    pks = [job.pk for job in jobs]

    wait_for(lambda: any(_status(pk) == JobStatus.COMPLETED for pk in pks), 60, "the other user's job", worker.output)
    done = DownloadJob.objects.get(pk__in=pks, status=JobStatus.COMPLETED)
    first = DownloadJob.objects.get(pk__in=pks, status=JobStatus.QUEUED)  # its retry is still ahead
    assert hashlib.sha256(Path(done.destination).read_bytes()).hexdigest() == hashlib.sha256(body).hexdigest()
    assert not part_path(Path(first.destination)).exists()  # taken over, not copied
    gets = _body_gets(media)
    assert len(gets) == 2
    assert gets[0].bytes_sent <= 1_500_000
    # Resumed where the failed leader stopped: every byte crossed the wire once.
    assert (gets[1].status, gets[1].range_start) == (206, gets[0].bytes_sent)
    assert gets[0].bytes_sent + gets[1].bytes_sent == len(body)


# --- SQLite (embedded mode) ----------------------------------------------------------

# Two users' jobs for one URL, run at once by two threads of one process on
# the embedded mode's SQLite file: the election relies on SQLite's
# IMMEDIATE transactions instead of an advisory lock.
SQLITE_RUN = """
import sys, threading
from pathlib import Path

import django

django.setup()
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from downloads import manager, runner
from downloads.models import DownloadJob

call_command("migrate", "--noinput", verbosity=0)
url, root = sys.argv[1], Path(sys.argv[2])
jobs = [
    manager.enqueue(get_user_model().objects.create_user(name, password="sqlite-pass-123"), url, "http",
                    root / name / "Show" / "Show - S01E07.mkv")[0]
    for name in ("alice", "bob")
]

def run(pk):
    try:
        runner.run_job(pk)
    finally:
        connection.close()

threads = [threading.Thread(target=run, args=(job.pk,)) for job in jobs]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
for job in DownloadJob.objects.order_by("owner__username"):
    print(job.status, job.checksum_sha256, job.backend_state.get("leads"), job.destination)
"""


@pytest.mark.slow
def test_two_users_wanting_one_url_download_it_once_on_sqlite(media, tmp_path):
    body = random_bytes(2_000_000, seed=74)
    url = media.add(ROUTE, body, rate=1_000_000)
    library = tmp_path / "library"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "CI")} | {
        "VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "watchlist_project.settings",
        "DEBUG": "true",
        "DOWNLOAD_DIR": str(library),
        "ALLOW_PRIVATE_SOURCES": "true",
    }
    done = subprocess.run(
        [sys.executable, "-c", SQLITE_RUN, url, str(library)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    rows = [line.split(" ", 3) for line in done.stdout.strip().splitlines()]
    digest = hashlib.sha256(body).hexdigest()
    assert [(status, checksum) for status, checksum, _, _ in rows] == [("completed", digest)] * 2, done.stderr[-4000:]
    assert sorted(leads for _, _, leads, _ in rows) == ["False", "True"]
    files = [Path(destination) for _, _, _, destination in rows]
    assert all(hashlib.sha256(f.read_bytes()).hexdigest() == digest for f in files)
    assert files[0].samefile(files[1])
    gets = _body_gets(media)
    assert len(gets) == 1 and gets[0].bytes_sent == len(body)


# --- a torrent finished earlier -----------------------------------------------


def _finished_torrent_job(owner, root: Path, infohash: str, body: bytes) -> DownloadJob:
    wanted = root / owner.username / "Show" / "Show - S01E05.mkv"
    job, _ = manager.enqueue(owner, f"magnet:?xt=urn:btih:{infohash}", "torrent", wanted, episodes=[5])
    path = Path(job.destination)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    DownloadJob.objects.filter(pk=job.pk).update(
        status=JobStatus.COMPLETED,
        checksum_sha256=hashlib.sha256(body).hexdigest(),
        backend_state={sharing.SHARED: torrent_key(infohash), sharing.LEADS: True},
    )
    return job


def _torrent_request(owner, root: Path, infohash: str):
    job, _ = manager.enqueue(
        owner, f"magnet:?xt=urn:btih:{infohash}", "torrent", root / owner.username / "Show" / "Show - S01E05.mkv",
        episodes=[5],
    )  # fmt: skip
    return manager.request_for(DownloadJob.objects.get(pk=job.pk))


@pytest.mark.django_db
def test_a_torrent_another_user_finished_earlier_is_placed_without_a_download(alice, bob, sent, download_dir):
    infohash = "d" * 40
    theirs = _finished_torrent_job(alice, download_dir, infohash, b"episode five")
    request = _torrent_request(bob, download_dir, infohash)
    sink = MemorySink()

    result = sharing.share(request, sink, torrent_key(infohash), in_place)

    assert result is not None and result.path == request.destination
    assert result.path.samefile(theirs.destination)  # hard-linked: no byte fetched
    assert result.sha256 == hashlib.sha256(b"episode five").hexdigest()
    assert sharing.LEADS not in sink.state  # no election was needed


@pytest.mark.django_db
def test_a_finished_file_changed_since_or_gone_is_not_reused(alice, bob, sent, download_dir):
    infohash = "e" * 40
    theirs = _finished_torrent_job(alice, download_dir, infohash, b"episode five")
    Path(theirs.destination).write_bytes(b"re-encoded by its owner")
    request = _torrent_request(bob, download_dir, infohash)

    assert sharing.share(request, MemorySink(), torrent_key(infohash), in_place) is None  # downloads itself
    assert not request.destination.exists()
    Path(theirs.destination).unlink()
    assert sharing._reuse_finished(request, torrent_key(infohash), in_place) is None


@pytest.mark.django_db
def test_a_plain_url_fetched_earlier_is_fetched_again(alice, bob, sent, download_dir):
    url = "http://127.0.0.1:9/latest.mkv"  # the same address may serve other bytes today
    leader = _running_job(alice, url, download_dir, "ep1")
    _finished(leader.job_id, b"yesterday's bytes")
    DownloadJob.objects.filter(pk=leader.job_id).update(
        backend_state={sharing.SHARED: url_key(url), sharing.LEADS: True}
    )
    follower = _running_job(bob, url, download_dir, "ep1")
    request = manager.request_for(DownloadJob.objects.get(pk=follower.job_id))

    assert sharing.share(request, follower, url_key(url), in_place) is None  # this job downloads it
    assert follower.state[sharing.LEADS] is True
