"""Re-send download messages that a dead worker took with it.

With `acks_late`, a message a worker has received but not finished stays
unacknowledged in Redis until the visibility timeout, which must outlast
the longest download (hours). A worker killed with SIGKILL (OOM, a crash, a
host lost) takes its *waiting* messages with it too: prefetched ones and the
retries it holds until their countdown. Their jobs are queued and
dispatched but no heartbeat goes stale (they were never running), so only
DOWNLOAD_REDISPATCH_SECONDS (an hour) would bring them back.

A worker starting is exactly the moment after such a crash (runservice,
compose and systemd restart it), so when one is ready every queued,
dispatched job is sent again, with what is left of its retry pause. A job
whose message was not lost gets a duplicate; the claim lets one through.
Found by bench/chaos_bench.py (2 of 40 jobs stuck after 20 kills).
"""

from __future__ import annotations

import logging
from typing import Any

from celery.signals import worker_ready
from django.utils import timezone

log = logging.getLogger(__name__)


@worker_ready.connect(dispatch_uid="downloads_resend_after_worker_start")
def resend_dispatched_jobs(**kwargs: Any) -> int:
    from . import manager
    from .models import DownloadJob, JobStatus

    now = timezone.now()
    jobs = DownloadJob.objects.filter(status=JobStatus.QUEUED, dispatched_at__isnull=False).values_list(
        "pk", "next_attempt_at"
    )
    sent = 0
    try:
        for job_id, next_attempt_at in jobs[:1000]:
            wait = (next_attempt_at - now).total_seconds() if next_attempt_at else 0.0
            manager.send(job_id, countdown=wait if wait > 0 else None)
            sent += 1
    except Exception:
        log.exception("Could not re-send the queued downloads at worker start")
    if sent:
        log.info("Worker start: re-sent %s queued download(s) a dead worker may have held", sent)
    return sent
