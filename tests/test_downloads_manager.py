"""The download manager: idempotent queueing, the per-user cap, state moves,
cancel/retry, and the reaper."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from downloads import manager
from downloads.backends import DownloadResult
from downloads.files import part_path
from downloads.models import DownloadJob, JobStatus
from downloads.progress import JobProgress
from downloads.signals import download_cancelled, download_failed, download_finished
from tests.support.download_fixtures import destination

URL = "http://127.0.0.1:1/ep.mkv"

# Races need real concurrent transactions. pytest-django's SQLite test
# database is in memory with a shared cache, where a second writer fails at
# once ("table is locked") instead of waiting on the busy timeout as the
# file database of embedded mode does.
concurrent = pytest.mark.skipif(connection.vendor == "sqlite", reason="needs concurrent writers (PostgreSQL)")


def queue(owner, root, name, *, cap=2, **kwargs):
    job, _ = manager.enqueue(owner, URL, "http", destination(root, name), max_concurrent=cap, **kwargs)
    return job


def statuses(owner):
    rows = DownloadJob.objects.filter(owner=owner).order_by("created_at")
    return [(j.status, j.dispatched_at is not None) for j in rows]


def busy(owner) -> int:
    return DownloadJob.objects.filter(manager._busy(owner.pk)).count()


@pytest.fixture
def signals_seen():
    seen: list[tuple[str, DownloadJob]] = []
    receivers = {
        download_finished: lambda sender, job, **kw: seen.append(("finished", job)),
        download_failed: lambda sender, job, **kw: seen.append(("failed", job)),
        download_cancelled: lambda sender, job, **kw: seen.append(("cancelled", job)),
    }
    for signal, receiver in receivers.items():
        signal.connect(receiver, weak=False)
    yield seen
    for signal, receiver in receivers.items():
        signal.disconnect(receiver)


# --- queueing and dedupe ------------------------------------------------------


def test_enqueue_dispatches_after_commit(alice, download_dir, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job, created = manager.enqueue(alice, URL, "http", destination(download_dir, "e1"), metadata={"episode": 1})
        assert sent == []  # nothing reaches the broker before the row is committed
    assert created
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.dispatched_at is not None
    assert sent.ids() == [str(job.pk)]
    assert job.metadata == {"episode": 1}


def test_same_dedupe_key_returns_the_existing_job(alice, download_dir, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first, created1 = manager.enqueue(alice, URL, "http", destination(download_dir, "e5"), dedupe_key="item:x:ep:5")
    with django_capture_on_commit_callbacks(execute=True):
        second, created2 = manager.enqueue(
            alice, URL + "?other", "http", destination(download_dir, "e5-again"), dedupe_key="item:x:ep:5"
        )
    assert (created1, created2) == (True, False)
    assert second.pk == first.pk
    assert DownloadJob.objects.count() == 1
    assert len(sent) == 1


def test_enqueue_inside_a_failed_outer_transaction_leaves_nothing(alice, download_dir, sent):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        queue(alice, download_dir, "e1")
        raise RuntimeError("the caller's transaction fails")
    assert DownloadJob.objects.count() == 0
    assert sent == []


def test_enqueue_validates_its_arguments(alice, download_dir):
    with pytest.raises(ValueError, match="backend"):
        manager.enqueue(alice, URL, "ftp", destination(download_dir, "x"))
    with pytest.raises(ValueError, match="max_concurrent"):
        manager.enqueue(alice, URL, "http", destination(download_dir, "x"), max_concurrent=0)
    for url in ("file:///etc/passwd", "ftp://example.org/x.mkv", "javascript:alert(1)"):
        with pytest.raises(ValueError, match="http and https"):
            manager.enqueue(alice, url, "http", destination(download_dir, "x"))


def test_a_dedupe_key_never_hands_out_another_owners_job(alice, bob, download_dir, sent):
    manager.enqueue(alice, URL, "http", destination(download_dir, "a"), dedupe_key="item:1:ep:1")
    with pytest.raises(ValueError, match="another owner"):
        manager.enqueue(bob, URL, "http", download_dir / "bob" / "b.mkv", dedupe_key="item:1:ep:1")


@concurrent
@pytest.mark.django_db(transaction=True)
def test_concurrent_enqueues_with_one_key_make_one_job(alice, download_dir, sent):
    barrier = threading.Barrier(6)
    results: list[tuple[str, bool]] = []
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            barrier.wait()
            job, created = manager.enqueue(
                alice, URL, "http", destination(download_dir, f"e{i}"), dedupe_key="item:y:ep:1"
            )
            results.append((str(job.pk), created))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert DownloadJob.objects.count() == 1
    assert len({job_id for job_id, _ in results}) == 1
    assert sum(created for _, created in results) == 1


# --- the per-user cap -----------------------------------------------------------


def claim_and_complete(job):
    claimed = manager.claim(job.pk)
    assert claimed is not None
    return claimed


def test_only_cap_many_jobs_are_dispatched(alice, download_dir, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        jobs = [queue(alice, download_dir, f"e{i}", cap=2) for i in range(5)]
    assert sent.ids() == [str(jobs[0].pk), str(jobs[1].pk)]  # oldest first
    assert statuses(alice) == [("queued", True)] * 2 + [("queued", False)] * 3

    # A slot frees when a job finishes: exactly one more goes out.
    claimed = manager.claim(jobs[0].pk)
    assert busy(alice) == 2
    with django_capture_on_commit_callbacks(execute=True):
        manager.complete(claimed, DownloadResult(path=destination(download_dir, "e0"), size=1, sha256="a" * 64))
    assert sent.ids()[-1] == str(jobs[2].pk) and len(sent) == 3
    assert busy(alice) == 2

    # ...or fails for good.
    claimed = manager.claim(jobs[1].pk)
    with django_capture_on_commit_callbacks(execute=True):
        manager.fail(claimed, "The file was not found on the server (HTTP 404).")
    assert sent.ids()[-1] == str(jobs[3].pk)
    assert busy(alice) == 2


def test_caps_are_per_user(alice, bob, download_dir, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(3):
            queue(alice, download_dir, f"a{i}", cap=1)
        bob_job, _ = manager.enqueue(bob, URL, "http", download_dir / "bob" / "b.mkv", max_concurrent=1)
    assert busy(alice) == 1
    assert str(bob_job.pk) in sent.ids()


def test_a_job_in_backoff_keeps_its_slot(alice, download_dir, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue(alice, download_dir, "e1", cap=1)
        queue(alice, download_dir, "e2", cap=1)
    claimed = manager.claim(first.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert manager.requeue(claimed, "The server had a problem (HTTP 503).", delay=30)
    first.refresh_from_db()
    assert first.status == JobStatus.QUEUED and first.next_attempt_at > timezone.now()
    assert first.error == "The server had a problem (HTTP 503)."
    assert busy(alice) == 1 and len(sent) == 1  # the second job still waits


def test_lowered_cap_drains_before_new_dispatches(alice, download_dir, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        jobs = [queue(alice, download_dir, f"e{i}", cap=3) for i in range(3)]
        later = queue(alice, download_dir, "later", cap=1)  # the user lowered their cap to 1
    for job in jobs:
        manager.claim(job.pk)
    claimed = manager.claim(jobs[0].pk)
    assert claimed is None  # already running
    manager.dispatch_waiting(alice.pk)
    later.refresh_from_db()
    assert later.dispatched_at is None


@concurrent
@pytest.mark.django_db(transaction=True)
def test_two_workers_finishing_at_once_cannot_exceed_the_cap(alice, download_dir, sent):
    for round_ in range(5):
        DownloadJob.objects.all().delete()
        jobs = [queue(alice, download_dir, f"r{round_}-{i}", cap=2) for i in range(8)]
        claims = [manager.claim(job.pk) for job in jobs[:2]]
        assert all(claims)
        barrier = threading.Barrier(2)

        def finish(claimed, barrier=barrier):
            try:
                DownloadJob.objects.exists()  # connect before the barrier
                barrier.wait()
                manager.complete(claimed, DownloadResult(path=download_dir / "x", size=1, sha256="0" * 64))
            finally:
                connection.close()

        threads = [threading.Thread(target=finish, args=(c,)) for c in claims]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert busy(alice) == 2, f"round {round_}: {statuses(alice)}"


@concurrent
@pytest.mark.django_db(transaction=True)
def test_concurrent_dispatchers_respect_the_cap(alice, download_dir, sent):
    for i in range(10):
        # Insert waiting rows directly: no dispatch yet.
        DownloadJob.objects.create(
            owner=alice, url=URL, destination=str(destination(download_dir, f"w{i}")), max_concurrent=3
        )
    for round_ in range(10):
        DownloadJob.objects.filter(owner=alice).update(dispatched_at=None)
        sent.clear()
        barrier = threading.Barrier(8)

        def dispatch(barrier=barrier):
            try:
                DownloadJob.objects.exists()  # connect first, so the threads meet at the barrier ready to race
                barrier.wait()
                manager.dispatch_waiting(alice.pk)
            finally:
                connection.close()

        threads = [threading.Thread(target=dispatch) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert busy(alice) == 3, f"round {round_}"
        assert len(sent) == 3, f"round {round_}"


# --- claims ------------------------------------------------------------------------


def test_claim_is_once_only_and_needs_a_dispatch(alice, download_dir, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue(alice, download_dir, "e1", cap=1)
        waiting = queue(alice, download_dir, "e2", cap=1)
    claimed = manager.claim(first.pk)
    assert claimed is not None and claimed.job.attempts == 1 and claimed.job.status == JobStatus.RUNNING
    assert manager.claim(first.pk) is None  # a duplicate message
    assert manager.claim(waiting.pk) is None  # never dispatched: a stray message cannot bypass the cap
    assert manager.claim("00000000-0000-0000-0000-000000000000") is None  # gone


def test_a_superseded_claim_cannot_finish(alice, download_dir, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = queue(alice, download_dir, "e1")
    old = manager.claim(job.pk)
    # The reaper decided the worker was dead and another worker took over.
    DownloadJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    manager.reap_stale()
    new = manager.claim(job.pk)
    assert new is not None and new.token != old.token
    assert not manager.complete(old, DownloadResult(path=download_dir / "x", size=1, sha256="0" * 64))
    assert manager.complete(new, DownloadResult(path=download_dir / "x", size=1, sha256="0" * 64))


# --- outcomes and signals ---------------------------------------------------------


def test_complete_records_the_result_and_announces_it(
    alice, download_dir, sent, signals_seen, django_capture_on_commit_callbacks
):
    job = queue(alice, download_dir, "e1")
    DownloadJob.objects.filter(pk=job.pk).update(dispatched_at=timezone.now())
    claimed = manager.claim(job.pk)
    final = destination(download_dir, "e1")
    with django_capture_on_commit_callbacks(execute=True):
        assert manager.complete(claimed, DownloadResult(path=final, size=1234, sha256="ab" * 32))
    job.refresh_from_db()
    assert job.status == JobStatus.COMPLETED
    assert job.checksum_sha256 == "ab" * 32 and job.bytes_done == job.bytes_total == 1234
    assert job.finished_at is not None and job.dispatched_at is None
    assert job.progress == 100.0 and job.eta_seconds is None
    [(kind, announced)] = signals_seen
    assert kind == "finished" and announced.pk == job.pk and announced.status == JobStatus.COMPLETED


def test_a_broken_listener_does_not_fail_the_download(alice, download_dir, sent, django_capture_on_commit_callbacks):
    def broken(sender, job, **kwargs):
        raise RuntimeError("listener bug")

    download_finished.connect(broken, weak=False)
    try:
        job = queue(alice, download_dir, "e1")
        DownloadJob.objects.filter(pk=job.pk).update(dispatched_at=timezone.now())
        claimed = manager.claim(job.pk)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            result = DownloadResult(path=destination(download_dir, "e1"), size=1, sha256="0" * 64)
            assert manager.complete(claimed, result)
        assert callbacks  # the signal went out (and its receiver raised)
    finally:
        download_finished.disconnect(broken)
    job.refresh_from_db()
    assert job.status == JobStatus.COMPLETED


def test_fail_announces(alice, download_dir, sent, signals_seen, django_capture_on_commit_callbacks):
    job = queue(alice, download_dir, "e1")
    DownloadJob.objects.filter(pk=job.pk).update(dispatched_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        manager.fail(manager.claim(job.pk), "The file was not found on the server (HTTP 404).")
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "404" in job.error
    assert [kind for kind, _ in signals_seen] == ["failed"]


# --- cancel and retry --------------------------------------------------------------


def test_cancel_a_queued_job_removes_its_part_and_frees_the_slot(
    alice, download_dir, sent, signals_seen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue(alice, download_dir, "e1", cap=1)
        second = queue(alice, download_dir, "e2", cap=1)
    part = part_path(destination(download_dir, "e1"))
    part.parent.mkdir(parents=True, exist_ok=True)
    part.write_bytes(b"partial")  # left by an earlier attempt
    with django_capture_on_commit_callbacks(execute=True):
        assert manager.cancel(first)
    first.refresh_from_db()
    assert first.status == JobStatus.CANCELLED and first.finished_at is not None
    assert not part.exists()
    assert sent.ids()[-1] == str(second.pk)
    assert [kind for kind, _ in signals_seen] == ["cancelled"]
    assert manager.claim(first.pk) is None  # its message, when it arrives, does nothing


def test_cancel_a_running_job_leaves_the_slot_to_the_worker(
    alice, download_dir, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue(alice, download_dir, "e1", cap=1)
        queue(alice, download_dir, "e2", cap=1)
    claimed = manager.claim(first.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert manager.cancel(first)
    assert len(sent) == 1  # the worker dispatches once it has actually stopped
    # The worker's next progress write tells it to stop.
    progress = JobProgress(first.pk, claimed.token)
    from downloads.errors import Cancelled

    with pytest.raises(Cancelled, match="cancelled"):
        progress(10, 100)


def test_cancel_a_finished_job_is_refused(alice, download_dir, sent):
    job = queue(alice, download_dir, "e1")
    DownloadJob.objects.filter(pk=job.pk).update(status=JobStatus.COMPLETED)
    assert not manager.cancel(job)


def test_retry_a_failed_job(alice, download_dir, sent, django_capture_on_commit_callbacks):
    job = queue(alice, download_dir, "e1")
    DownloadJob.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, attempts=5, error="Gave up.", finished_at=timezone.now(), dispatched_at=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert manager.retry(job)
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.attempts == 0 and job.error == "" and job.finished_at is None
    assert job.dispatched_at is not None and sent.ids()[-1] == str(job.pk)


@pytest.mark.parametrize("state", [JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.COMPLETED])
def test_retry_only_failed_or_cancelled(alice, download_dir, sent, state):
    job = queue(alice, download_dir, "e1")
    DownloadJob.objects.filter(pk=job.pk).update(status=state)
    assert not manager.retry(job)


# --- the reaper -----------------------------------------------------------------------


def test_reaper_requeues_a_dead_workers_job(alice, download_dir, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = queue(alice, download_dir, "e1")
    manager.claim(job.pk)
    DownloadJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=30))
    with django_capture_on_commit_callbacks(execute=True):
        report = manager.reap_stale()
    job.refresh_from_db()
    assert report.requeued == 1
    assert job.status == JobStatus.QUEUED and job.dispatched_at is not None and job.claim_token is None
    assert sent.ids().count(str(job.pk)) == 2
    assert manager.claim(job.pk) is not None


def test_reaper_leaves_live_jobs_alone(alice, download_dir, sent):
    job = queue(alice, download_dir, "e1")
    DownloadJob.objects.filter(pk=job.pk).update(dispatched_at=timezone.now())
    manager.claim(job.pk)
    assert manager.reap_stale().requeued == 0
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING


def test_reaper_fails_a_job_that_keeps_killing_workers(
    alice, download_dir, sent, signals_seen, django_capture_on_commit_callbacks
):
    job = queue(alice, download_dir, "e1", max_attempts=2)
    DownloadJob.objects.filter(pk=job.pk).update(dispatched_at=timezone.now())
    manager.claim(job.pk)
    DownloadJob.objects.filter(pk=job.pk).update(attempts=2, heartbeat_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert manager.reap_stale().failed == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "stopped responding" in job.error
    assert [kind for kind, _ in signals_seen] == ["failed"]


def test_reaper_resends_lost_messages_and_dispatches_waiting_jobs(
    alice, download_dir, sent, django_capture_on_commit_callbacks
):
    lost = queue(alice, download_dir, "lost", cap=2)
    DownloadJob.objects.filter(pk=lost.pk).update(dispatched_at=timezone.now() - timedelta(hours=3))
    waiting = queue(alice, download_dir, "waiting", cap=2)  # its dispatch was never run (no commit here)
    with django_capture_on_commit_callbacks(execute=True):
        report = manager.reap_stale()
    assert report.resent == 1 and report.dispatched == 1
    assert set(sent.ids()) == {str(lost.pk), str(waiting.pk)}


# --- progress writes --------------------------------------------------------------


def test_progress_writes_are_throttled_and_track_speed(alice, download_dir, sent):
    job = queue(alice, download_dir, "e1")
    DownloadJob.objects.filter(pk=job.pk).update(dispatched_at=timezone.now())
    claimed = manager.claim(job.pk)
    now = [1000.0]
    progress = JobProgress(job.pk, claimed.token, interval=1.0, clock=lambda: now[0])
    for i in range(1, 3001):  # 3000 chunks of 1 KB over 3 simulated seconds
        now[0] += 0.001
        progress(i * 1000, 10_000_000)
    assert progress.writes <= 4
    job.refresh_from_db()
    assert 900_000 <= job.speed <= 1_100_000  # 1000 bytes per ms
    assert job.bytes_total == 10_000_000 and job.bytes_done >= 2_000_000
    assert job.heartbeat_at is not None
    assert job.eta_seconds is not None and job.eta_seconds > 0 and 0 < job.progress < 100


def test_backoff_grows_caps_and_honours_retry_after(settings):
    settings.DOWNLOAD_RETRY_BASE_SECONDS = 10
    settings.DOWNLOAD_RETRY_MAX_SECONDS = 100
    assert 8 <= manager.backoff_seconds(1) <= 12
    assert 16 <= manager.backoff_seconds(2) <= 24
    assert manager.backoff_seconds(10) <= 120
    assert manager.backoff_seconds(1, retry_after=300) == 300


# --- the global cap ----------------------------------------------------------------


def busy_everywhere() -> int:
    return DownloadJob.objects.filter(manager._busy_everywhere()).count()


def test_the_global_cap_bounds_all_owners_together(
    alice, bob, settings, download_dir, sent, django_capture_on_commit_callbacks
):
    settings.MAX_PARALLEL_DOWNLOADS = 3
    with django_capture_on_commit_callbacks(execute=True):
        alice_jobs = [queue(alice, download_dir, f"a{i}", cap=3) for i in range(3)]
        bob_jobs = [queue(bob, download_dir / "bob", f"b{i}", cap=3) for i in range(2)]
    assert busy_everywhere() == 3 and len(sent) == 3
    assert busy(bob) == 0  # alice came first and took every global slot

    # A slot alice frees goes to bob, who has waited longest, though alice's
    # finish is what freed it.
    claimed = manager.claim(alice_jobs[0].pk)
    with django_capture_on_commit_callbacks(execute=True):
        manager.complete(claimed, DownloadResult(path=destination(download_dir, "a0"), size=1, sha256="a" * 64))
    assert sent.ids()[-1] == str(bob_jobs[0].pk)
    assert busy_everywhere() == 3


@concurrent
@pytest.mark.django_db(transaction=True)
def test_concurrent_dispatchers_of_many_owners_respect_the_global_cap(
    alice, bob, admin_user, settings, download_dir, sent
):
    """What several download workers finishing jobs at once amount to: each
    dispatches for its own owner at the same moment."""
    settings.MAX_PARALLEL_DOWNLOADS = 2
    owners = [alice, bob, admin_user]
    for owner in owners:
        for i in range(3):
            DownloadJob.objects.create(
                owner=owner, url=URL, destination=str(download_dir / owner.username / f"w{i}.mkv"), max_concurrent=3
            )
    for round_ in range(8):
        DownloadJob.objects.update(dispatched_at=None)
        sent.clear()
        barrier = threading.Barrier(6)

        def dispatch(owner, barrier=barrier):
            try:
                DownloadJob.objects.exists()
                barrier.wait()
                manager.dispatch_waiting(owner.pk)
            finally:
                connection.close()

        threads = [threading.Thread(target=dispatch, args=(owner,)) for owner in owners * 2]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert busy_everywhere() == 2, f"round {round_}"
        assert len(sent) == 2, f"round {round_}"
