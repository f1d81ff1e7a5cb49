"""The download service: queue jobs, keep each owner under their cap, move
jobs between states, and announce outcomes.

State lives in `DownloadJob`; every transition is a conditional UPDATE that
acts only when the row is in the state it expects, so a duplicate Celery
message, a reaper racing a slow worker, or a cancel racing a finish all
resolve to exactly one winner.

Per-owner cap. A queued job is either *waiting* (no Celery message yet) or
*dispatched* (`dispatched_at` set, a message is in the broker). The owner's
busy slots are their running jobs plus their dispatched ones; waiting jobs
are dispatched oldest first while busy < cap, each time a job is queued or a
slot frees. The count-then-dispatch runs under a lock on the owner's user
row (see `dispatch_waiting`) so two workers finishing at once cannot both
see a free slot and exceed the cap.

Global cap. MAX_PARALLEL_DOWNLOADS bounds the busy jobs of all owners
together, counted the same way under a database-wide lock, so it holds
however many download workers consume the queue.
"""

from __future__ import annotations

import logging
import random
import uuid
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Min, Q
from django.utils import timezone

from . import files
from .backends import DownloadRequest, DownloadResult, get_backend
from .models import MAX_DESTINATION_BYTES, TORRENT_BACKENDS, URL_MAX_LENGTH, BackendName, DownloadJob, JobStatus
from .signals import download_cancelled, download_failed, download_finished

log = logging.getLogger(__name__)

# How many numbered variants (" (2)" ... ) to try before giving up on a name.
MAX_NAME_VARIANTS = 100


def setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


# --- queueing --------------------------------------------------------------


def enqueue(
    owner: Any,
    url: str,
    backend: str,
    destination: Path | str,
    *,
    dedupe_key: str | None = None,
    max_concurrent: int = 2,
    metadata: dict[str, Any] | None = None,
    expected_sha256: str | None = None,
    quality_preference: str = "auto",
    max_attempts: int | None = None,
    episodes: list[int] | None = None,
) -> tuple[DownloadJob, bool]:
    """Queue a download; return (job, created).

    Idempotent on `dedupe_key`: a second call with the same key returns the
    existing job, whatever its state, and queues nothing. When another job
    already owns `destination`, the new job gets a numbered variant
    ("... (2).mkv") so two episodes that sanitize to the same name never
    overwrite each other. Dispatch to Celery happens after commit.
    """
    if backend not in BackendName.values:
        raise ValueError(f"Unknown download backend {backend!r}")
    if max_concurrent < 1:
        raise ValueError("max_concurrent must be at least 1")
    schemes = schemes_of(backend)
    if urlsplit(url).scheme.lower() not in schemes:
        # The address guard refuses the rest at download time anyway; a
        # caller's bug is better caught here than as a failed job.
        named = f"{', '.join(schemes[:-1])} and {schemes[-1]}"
        raise ValueError(f"The {backend} backend downloads {named} URLs only, not {url!r}")
    if len(url) > URL_MAX_LENGTH:
        raise ValueError(f"The link is too long ({len(url)} characters, at most {URL_MAX_LENGTH})")
    final = files.ensure_inside(files.download_root(), Path(destination))
    if len(str(final).encode()) > MAX_DESTINATION_BYTES - 16:  # room for " (nn)"
        raise ValueError(f"Destination path is too long ({len(str(final).encode())} bytes)")
    owner_id = getattr(owner, "pk", owner)

    with transaction.atomic():
        if dedupe_key is not None:
            existing = DownloadJob.objects.filter(dedupe_key=dedupe_key).first()
            if existing is not None:
                return _same_owner(existing, owner_id), False
        for n in range(1, MAX_NAME_VARIANTS + 1):
            candidate = files.numbered(final, n)
            if n < MAX_NAME_VARIANTS and _path_taken(candidate):
                continue
            try:
                # A savepoint per try: a unique violation must not poison the
                # caller's transaction.
                with transaction.atomic():
                    job = DownloadJob.objects.create(
                        owner_id=owner_id,
                        url=url,
                        backend=backend,
                        destination=str(candidate),
                        dedupe_key=dedupe_key,
                        max_concurrent=max_concurrent,
                        metadata=metadata or {},
                        expected_sha256=(expected_sha256 or "").lower(),
                        quality_preference=quality_preference or "auto",
                        max_attempts=max_attempts or int(setting("DOWNLOAD_MAX_ATTEMPTS", 5)),
                        episodes=sorted({int(n) for n in episodes or ()}),
                    )
            except IntegrityError:
                if dedupe_key is not None:
                    # A concurrent enqueue with the same key committed first.
                    existing = DownloadJob.objects.filter(dedupe_key=dedupe_key).first()
                    if existing is not None:
                        return _same_owner(existing, owner_id), False
                if not DownloadJob.objects.filter(destination=str(candidate)).exists():
                    raise
                continue  # someone took this name a moment ago: try the next number
            break
        else:  # pragma: no cover - the last variant is tried without the file check
            raise ValueError(f"No free file name for {final}")
        transaction.on_commit(partial(dispatch_waiting, owner_id))
    return job, True


def schemes_of(backend: str) -> tuple[str, ...]:
    """The link schemes a backend downloads: magnets only go to torrents."""
    return ("http", "https", "magnet") if backend in TORRENT_BACKENDS else ("http", "https")


def _same_owner(job: DownloadJob, owner_id: Any) -> DownloadJob:
    # Keys are unique across the table, so callers put something owner-specific
    # in them (the item's id); handing one owner another owner's job would be a
    # leak, so a clash is the caller's bug, said loudly.
    if job.owner_id != owner_id:
        raise ValueError(f"dedupe_key {job.dedupe_key!r} belongs to another owner's download")
    return job


def _path_taken(path: Path) -> bool:
    """Another job owns the name, or a file (a part) not made by a job is there."""
    if DownloadJob.objects.filter(destination=str(path)).exists():
        return True
    return path.exists() or files.part_path(path).exists()


# --- dispatch --------------------------------------------------------------


def _busy(owner_id: Any) -> Q:
    return Q(owner_id=owner_id) & (
        Q(status=JobStatus.RUNNING) | Q(status=JobStatus.QUEUED, dispatched_at__isnull=False)
    )


# Any constant shared by every process; names the PostgreSQL advisory lock
# that serializes the global count-then-dispatch.
GLOBAL_DISPATCH_LOCK = 0x646C_6361_7073  # "dlcaps"


def _busy_everywhere() -> Q:
    return Q(status=JobStatus.RUNNING) | Q(status=JobStatus.QUEUED, dispatched_at__isnull=False)


def _take_global_dispatch_lock() -> None:
    """Serialize dispatching across owners until the transaction ends.

    The global cap (MAX_PARALLEL_DOWNLOADS) is a count over every owner's
    jobs, so the owner-row lock alone lets two owners' dispatches both see
    the last free slot. Used to be the download queue's worker concurrency,
    which multiplied with every downloads worker added (`--scale`); counted
    here it holds however many workers consume the queue. SQLite needs no
    lock: the project opens it with IMMEDIATE transactions.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [GLOBAL_DISPATCH_LOCK])


def global_cap() -> int:
    return int(setting("MAX_PARALLEL_DOWNLOADS", 3))


def dispatch_waiting(owner_id: Any) -> list[UUID]:
    """Send Celery messages for as many of the owner's waiting jobs as their
    cap and the global cap allow, oldest first. Returns the ids dispatched
    for this owner.

    When a global slot is still free afterwards, other owners' jobs that
    waited only for a global slot get it now instead of at the reaper's
    next pass.
    """
    chosen = _dispatch_owner(owner_id)
    if _global_room() > 0:
        for other in owners_with_waiting_jobs(limit=50):
            if other != owner_id:
                _dispatch_owner(other)
                if _global_room() <= 0:
                    break
    return chosen


def _global_room() -> int:
    return global_cap() - DownloadJob.objects.filter(_busy_everywhere()).count()


def _dispatch_owner(owner_id: Any) -> list[UUID]:
    """One owner's dispatch pass under their cap and the global one.

    Why a lock on the owner's user row: the cap is a count over several job
    rows, and row locks on jobs cannot stop a second transaction from
    counting the same rows before the first one commits. Locking one row
    per owner serializes "count, then dispatch" for that owner; the global
    advisory lock (taken first, always in that order) does the same for the
    global count. FOR NO KEY UPDATE on PostgreSQL, so inserting new jobs
    (whose foreign key takes KEY SHARE on the user row) is not blocked by
    it. SQLite ignores row locks, but the project opens it with
    `transaction_mode=IMMEDIATE`, which takes the database write lock at
    BEGIN and serializes these transactions just the same.
    """
    User = get_user_model()
    now = timezone.now()
    with transaction.atomic():
        _take_global_dispatch_lock()
        lock = User.objects.filter(pk=owner_id)
        if connection.features.has_select_for_update:
            lock = lock.select_for_update(no_key=connection.features.has_select_for_no_key_update)
        if not lock.exists():
            return []
        room = _global_room()
        if room <= 0:
            return []
        busy = DownloadJob.objects.filter(_busy(owner_id)).count()
        waiting = (
            DownloadJob.objects.filter(owner_id=owner_id, status=JobStatus.QUEUED, dispatched_at__isnull=True)
            .order_by("created_at", "id")
            .values_list("id", "max_concurrent")[:50]
        )
        chosen: list[UUID] = []
        for job_id, cap in waiting:
            # Each job carries the cap its caller knew when queueing it; a
            # lowered cap simply lets the busy count drain below it first.
            if busy >= cap or len(chosen) >= room:
                break
            chosen.append(job_id)
            busy += 1
        if chosen:
            DownloadJob.objects.filter(pk__in=chosen, status=JobStatus.QUEUED, dispatched_at__isnull=True).update(
                dispatched_at=now, updated_at=now
            )
            for job_id in chosen:
                transaction.on_commit(partial(send, job_id))
    return chosen


def send(job_id: UUID | str, countdown: float | None = None) -> None:
    """Publish the Celery message for a job. A broker outage is logged, not
    raised: the job goes back to waiting (no message in the broker), and the
    reaper's dispatch pass sends it at its first run once the broker is back
    (beat sends the reaper every minute), instead of after
    DOWNLOAD_REDISPATCH_SECONDS."""
    from .tasks import run_download  # tasks import this module

    try:
        run_download.apply_async(args=[str(job_id)], countdown=countdown)
    except Exception:
        log.exception("Could not send download %s to the broker; it is sent again once the broker is back", job_id)
        DownloadJob.objects.filter(pk=job_id, status=JobStatus.QUEUED, dispatched_at__isnull=False).update(
            dispatched_at=None
        )


def owners_with_waiting_jobs(limit: int = 500) -> list[Any]:
    """Owners with jobs waiting for a slot, the longest-waiting first, so a
    freed global slot goes to whoever has waited longest."""
    return list(
        DownloadJob.objects.filter(status=JobStatus.QUEUED, dispatched_at__isnull=True)
        .values("owner_id")
        .annotate(oldest=Min("created_at"))
        .order_by("oldest", "owner_id")
        .values_list("owner_id", flat=True)[:limit]
    )


# --- the worker's side ------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    job: DownloadJob
    token: UUID


def claim(job_id: UUID | str) -> Claim | None:
    """queued (and dispatched) -> running, for exactly one worker.

    None when the job is gone, not queued (a duplicate message, a cancel),
    or was never dispatched (a stray message must not bypass the cap).
    """
    now = timezone.now()
    token = uuid.uuid4()
    rows = DownloadJob.objects.filter(pk=job_id, status=JobStatus.QUEUED, dispatched_at__isnull=False).update(
        status=JobStatus.RUNNING,
        claim_token=token,
        attempts=F("attempts") + 1,
        started_at=now,
        heartbeat_at=now,
        finished_at=None,
        next_attempt_at=None,
        speed=0,
        updated_at=now,
    )
    if rows != 1:
        return None
    return Claim(DownloadJob.objects.get(pk=job_id), token)


def request_for(job: DownloadJob) -> DownloadRequest:
    return DownloadRequest(
        job_id=str(job.pk),
        url=job.url,
        destination=Path(job.destination),
        temp_dir=files.temp_root() / str(job.pk),
        quality=job.quality_preference,
        expected_sha256=job.expected_sha256,
        episodes=tuple(job.episodes or ()),
    )


def _mine(claimed: Claim):
    return DownloadJob.objects.filter(pk=claimed.job.pk, status=JobStatus.RUNNING, claim_token=claimed.token)


def complete(claimed: Claim, result: DownloadResult) -> bool:
    """running -> completed. False when the job stopped being ours meanwhile."""
    now = timezone.now()
    changes: dict[str, Any] = {
        "status": JobStatus.COMPLETED,
        "checksum_sha256": result.sha256,
        "bytes_done": result.size,
        "bytes_total": result.size,
        "speed": 0,
        "error": "",
        "finished_at": now,
        "heartbeat_at": now,
        "dispatched_at": None,
        "updated_at": now,
    }
    if str(result.path) != claimed.job.destination:
        changes["destination"] = str(result.path)  # yt-dlp picks the real extension
    try:
        with transaction.atomic():
            rows = _mine(claimed).update(**changes)
    except IntegrityError:
        # The real file name is another job's planned name; keep ours.
        log.warning("Download %s finished as %s, a name another job owns", claimed.job.pk, result.path)
        changes.pop("destination", None)
        rows = _mine(claimed).update(**changes)
    if rows != 1:
        return False
    job = DownloadJob.objects.get(pk=claimed.job.pk)
    _announce(download_finished, job)
    dispatch_waiting(job.owner_id)
    return True


def fail(claimed: Claim, message: str) -> bool:
    """running -> failed, for good (until a user retries)."""
    now = timezone.now()
    rows = _mine(claimed).update(
        status=JobStatus.FAILED, error=message, speed=0, finished_at=now, dispatched_at=None, updated_at=now
    )
    if rows != 1:
        return False
    job = DownloadJob.objects.get(pk=claimed.job.pk)
    _announce(download_failed, job)
    dispatch_waiting(job.owner_id)
    return True


def backoff_seconds(attempts: int, retry_after: float | None = None) -> float:
    """Exponential backoff with jitter, at least the server's Retry-After."""
    base = float(setting("DOWNLOAD_RETRY_BASE_SECONDS", 30))
    cap = float(setting("DOWNLOAD_RETRY_MAX_SECONDS", 1800))
    delay = min(cap, base * 2 ** max(0, attempts - 1))
    delay *= random.uniform(0.8, 1.2)  # noqa: S311 - jitter, not security
    if retry_after is not None:
        delay = max(delay, min(retry_after, 6 * 3600))
    return round(delay, 1)


def requeue(claimed: Claim, message: str, delay: float) -> bool:
    """running -> queued after a transient error. The job keeps its slot
    (it stays dispatched) so the cap holds while it waits out the backoff."""
    now = timezone.now()
    rows = _mine(claimed).update(
        status=JobStatus.QUEUED,
        error=message,
        speed=0,
        dispatched_at=now,
        next_attempt_at=now + timedelta(seconds=delay),
        claim_token=None,
        updated_at=now,
    )
    return rows == 1


# --- the user's side -------------------------------------------------------


def cancel(job: DownloadJob) -> bool:
    """queued/running -> cancelled. False if the job had already ended.

    A queued job's partial files are removed here and its slot goes to the
    next waiting job at once. A running job's worker notices at its next
    progress write (within about a second), removes its partial file and
    only then hands the slot on, so the cap holds even for that second.
    """
    now = timezone.now()
    changes = {"status": JobStatus.CANCELLED, "speed": 0, "finished_at": now, "dispatched_at": None, "updated_at": now}
    if DownloadJob.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(**changes) == 1:
        # No worker holds a queued job, so its partial files are ours to remove.
        try:
            get_backend(job.backend).discard(request_for(job))
        except OSError:
            log.warning("Could not remove partial files of cancelled download %s", job.pk, exc_info=True)
        transaction.on_commit(partial(dispatch_waiting, job.owner_id))
    elif DownloadJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(**changes) != 1:
        return False
    job.refresh_from_db()
    _announce(download_cancelled, job)
    return True


def retry(job: DownloadJob) -> bool:
    """failed/cancelled -> queued, with a fresh attempt budget.

    Attempts restart from zero: the user asked, so the job gets the full
    `max_attempts` again. A failed job resumes from its partial file; a
    cancelled one starts over (cancelling removed it).
    """
    now = timezone.now()
    rows = DownloadJob.objects.filter(pk=job.pk, status__in=[JobStatus.FAILED, JobStatus.CANCELLED]).update(
        status=JobStatus.QUEUED,
        attempts=0,
        error="",
        speed=0,
        finished_at=None,
        dispatched_at=None,
        next_attempt_at=None,
        claim_token=None,
        updated_at=now,
    )
    if rows != 1:
        return False
    job.refresh_from_db()
    transaction.on_commit(partial(dispatch_waiting, job.owner_id))
    return True


# --- recovery ---------------------------------------------------------------


@dataclass
class ReapReport:
    requeued: int = 0
    failed: int = 0
    resent: int = 0
    dispatched: int = 0


def reap_stale(now: Any = None) -> ReapReport:
    """Recover from what no task can report itself: dead workers and lost
    messages. Run every minute by beat (`reap_stale_downloads`).

    - running jobs whose heartbeat stopped (their worker died: OOM, SIGKILL,
      host lost) go back to queued and resume from their partial file, or
      fail once their attempts are used up;
    - dispatched jobs whose message seems lost (broker down at send time,
      Redis data loss) are sent again: a duplicate is harmless, the claim
      lets one message through;
    - owners with waiting jobs get a dispatch pass, in case the one after a
      finish was lost with its worker.
    """
    now = now or timezone.now()
    report = ReapReport()
    stale_before = now - timedelta(seconds=float(setting("DOWNLOAD_STALE_SECONDS", 300)))
    stale = DownloadJob.objects.filter(status=JobStatus.RUNNING).filter(
        Q(heartbeat_at__lt=stale_before) | Q(heartbeat_at__isnull=True)
    )
    for job in stale.only("id", "owner_id", "attempts", "max_attempts", "claim_token")[:500]:
        # Conditional on the same token and a still-stale heartbeat: a worker
        # that was only slow and wrote a heartbeat meanwhile keeps its job.
        mine = DownloadJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING, claim_token=job.claim_token).filter(
            Q(heartbeat_at__lt=stale_before) | Q(heartbeat_at__isnull=True)
        )
        if job.attempts >= job.max_attempts:
            rows = mine.update(
                status=JobStatus.FAILED,
                error=f"The worker running this download stopped responding {job.attempts} times; giving up.",
                speed=0,
                finished_at=now,
                dispatched_at=None,
                updated_at=now,
            )
            if rows == 1:
                report.failed += 1
                _announce(download_failed, DownloadJob.objects.get(pk=job.pk))
                dispatch_waiting(job.owner_id)
            continue
        rows = mine.update(
            status=JobStatus.QUEUED,
            error="The worker running this download stopped; resuming.",
            speed=0,
            claim_token=None,
            dispatched_at=now,
            updated_at=now,
        )
        if rows == 1:
            report.requeued += 1
            transaction.on_commit(partial(send, job.pk))

    lost_before = now - timedelta(seconds=float(setting("DOWNLOAD_REDISPATCH_SECONDS", 3600)))
    lost = DownloadJob.objects.filter(status=JobStatus.QUEUED, dispatched_at__lt=lost_before).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    for job_id in list(lost.values_list("id", flat=True)[:500]):
        if DownloadJob.objects.filter(pk=job_id, status=JobStatus.QUEUED, dispatched_at__lt=lost_before).update(
            dispatched_at=now, updated_at=now
        ):
            report.resent += 1
            transaction.on_commit(partial(send, job_id))

    for owner_id in owners_with_waiting_jobs():
        report.dispatched += len(_dispatch_owner(owner_id))
    return report


# --- signals ----------------------------------------------------------------


def _announce(signal: Any, job: DownloadJob) -> None:
    # Listeners hear about committed states only: a caller's transaction
    # that rolls back a cancel must not have told the watchlist about it.
    transaction.on_commit(partial(_send_signal, signal, job))


def _send_signal(signal: Any, job: DownloadJob) -> None:
    # A listener's bug must not turn a finished download into a failed one
    # (or crash the worker); it is logged with its traceback instead.
    for receiver, response in signal.send_robust(sender=DownloadJob, job=job):
        if isinstance(response, Exception):
            log.error("Receiver %r of %s failed for download %s", receiver, signal, job.pk, exc_info=response)
