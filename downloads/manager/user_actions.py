"""The user's side: cancel and retry."""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction
from django.utils import timezone

from ..backends import get_backend
from ..models import DownloadJob, JobStatus
from ..signals import download_cancelled
from . import announce, dispatch
from .transitions import request_for

log = logging.getLogger(__name__)


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
        transaction.on_commit(partial(dispatch.dispatch_waiting, job.owner_id))
    elif DownloadJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(**changes) != 1:
        return False
    job.refresh_from_db()
    announce.announce(download_cancelled, job)
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
    transaction.on_commit(partial(dispatch.dispatch_waiting, job.owner_id))
    return True
