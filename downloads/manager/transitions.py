"""The worker's side: claiming a job and moving it to its outcome."""

from __future__ import annotations

import logging
import random
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from .. import files
from ..backends import DownloadRequest, DownloadResult
from ..models import DownloadJob, JobStatus
from ..signals import download_failed, download_finished
from . import announce, dispatch
from .options import setting

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Claim:
    job: DownloadJob
    token: UUID


def claim(job_id: UUID | str) -> Claim | None:
    """queued (and dispatched) -> running, for exactly one worker.

    None when the job is gone, not queued (a duplicate message, a cancel),
    was never dispatched (a stray message must not bypass the cap), or
    still waits out its retry pause (see `retry_pause_left`).
    """
    now = timezone.now()
    token = uuid.uuid4()
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    rows = DownloadJob.objects.filter(due, pk=job_id, status=JobStatus.QUEUED, dispatched_at__isnull=False).update(
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


def retry_pause_left(job_id: UUID | str) -> float | None:
    """Seconds a queued job still waits before its next attempt, or None.

    A message can arrive before the pause ends: the copy a starting worker
    re-sends (downloads/recovery.py) while the job is being put back for a
    retry, or a worker whose clock runs behind the one that set the pause.
    Such a message is sent again for what is left of the pause instead of
    being dropped, so the attempt is neither early nor lost."""
    next_attempt_at = (
        DownloadJob.objects.filter(pk=job_id, status=JobStatus.QUEUED, dispatched_at__isnull=False)
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    if next_attempt_at is None:
        return None
    left = (next_attempt_at - timezone.now()).total_seconds()
    return left if left > 0 else None


def request_for(job: DownloadJob) -> DownloadRequest:
    return DownloadRequest(
        job_id=str(job.pk),
        url=job.url,
        destination=Path(job.destination),
        temp_dir=files.temp_root() / str(job.pk),
        quality=job.quality_preference,
        expected_sha256=job.expected_sha256,
        episodes=tuple(job.episodes or ()),
        episode_destinations=tuple(
            (int(entry["episode"]), Path(entry["destination"])) for entry in job.files or () if isinstance(entry, dict)
        ),
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
    if result.files:
        changes["files"] = [
            {"episode": placed.episode, "destination": str(placed.path), "size": placed.size, "sha256": placed.sha256}
            for placed in result.files
        ]
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
    announce.announce(download_finished, job)
    dispatch.dispatch_waiting(job.owner_id)
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
    announce.announce(download_failed, job)
    dispatch.dispatch_waiting(job.owner_id)
    return True


def backoff_seconds(attempts: int, retry_after: float | None = None) -> float:
    """Exponential backoff with jitter, at least the server's Retry-After."""
    base = float(setting("DOWNLOAD_RETRY_BASE_SECONDS"))
    cap = float(setting("DOWNLOAD_RETRY_MAX_SECONDS"))
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
