"""Celery tasks: thin wrappers that take ids and call the service.

Retries are not Celery's `autoretry_for`: the attempt count lives in the
job row (so the API and the reaper see it), and the wait honours the
server's Retry-After. A transient failure puts the row back to queued and
sends a fresh message with a countdown; the claim makes duplicates harmless.
"""

from __future__ import annotations

import logging

from celery import shared_task

from . import manager, recovery, runner  # noqa: F401 - recovery connects its worker_ready handler
from .celery_config import CHECK_QUEUE, DOWNLOAD_QUEUE
from .conf import setting
from .torrent import leftovers

log = logging.getLogger(__name__)

DOWNLOAD_MAX_SECONDS = int(setting("DOWNLOAD_MAX_SECONDS"))


@shared_task(
    acks_late=True,  # a worker that dies mid-download does not lose the message...
    reject_on_worker_lost=True,  # ...and the broker hands it to another worker
    queue=DOWNLOAD_QUEUE,
    ignore_result=True,
    # The soft limit is caught and recorded as a failure in plain words; the
    # hard limit is the backstop for a download stuck in C code.
    soft_time_limit=DOWNLOAD_MAX_SECONDS,
    time_limit=DOWNLOAD_MAX_SECONDS + 300,
)
def run_download(job_id: str) -> None:
    delay = runner.run_job(job_id)
    if delay is not None:
        manager.dispatch.send(job_id, countdown=delay)


# On the short-task queue: when every download slot is busy for hours, the
# reaper must still run.
@shared_task(queue=CHECK_QUEUE, ignore_result=True, time_limit=300)
def reap_stale_downloads() -> None:
    report = manager.reap_stale()
    if report.requeued or report.failed or report.resent or report.dispatched:
        log.info("Reaper: %s", report)
    try:
        removed = leftovers.remove_leftover_seeding_folders()
    except Exception:  # tidying must not stop the reaper's real work next minute
        log.exception("Reaper: could not remove leftover seeding folders")
    else:
        if removed:
            log.info("Reaper: removed %s seeding folder(s) no engine holds", removed)
