"""Dispatching waiting jobs under the per-owner and the global caps."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any
from uuid import UUID

from celery import current_app
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Min, Q
from django.utils import timezone

from ..celery_config import RUN_DOWNLOAD_TASK
from ..models import DownloadJob, JobStatus
from .options import setting

log = logging.getLogger(__name__)


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
    return int(setting("MAX_PARALLEL_DOWNLOADS"))


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
    try:
        # By name, not by importing the task: downloads.tasks imports this
        # package. The signature finds the registered task, so routing and
        # eager mode apply as they would to run_download.apply_async().
        current_app.signature(RUN_DOWNLOAD_TASK, args=[str(job_id)]).apply_async(countdown=countdown)
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
