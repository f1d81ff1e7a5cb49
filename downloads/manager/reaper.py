"""Recovery from what no task can report itself: dead workers, lost messages."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import DownloadJob, JobStatus
from ..signals import download_failed
from . import announce, dispatch
from .options import setting

log = logging.getLogger(__name__)


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
    stale_before = now - timedelta(seconds=float(setting("DOWNLOAD_STALE_SECONDS")))
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
                announce.announce(download_failed, DownloadJob.objects.get(pk=job.pk))
                dispatch.dispatch_waiting(job.owner_id)
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
            transaction.on_commit(partial(dispatch.send, job.pk))

    lost_before = now - timedelta(seconds=float(setting("DOWNLOAD_REDISPATCH_SECONDS")))
    lost = DownloadJob.objects.filter(status=JobStatus.QUEUED, dispatched_at__lt=lost_before).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    for job_id in list(lost.values_list("id", flat=True)[:500]):
        if DownloadJob.objects.filter(pk=job_id, status=JobStatus.QUEUED, dispatched_at__lt=lost_before).update(
            dispatched_at=now, updated_at=now
        ):
            report.resent += 1
            transaction.on_commit(partial(dispatch.send, job_id))

    for owner_id in dispatch.owners_with_waiting_jobs():
        report.dispatched += len(dispatch._dispatch_owner(owner_id))
    return report
