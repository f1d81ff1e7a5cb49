"""One attempt at one job: claim it, run its backend, record the outcome.

This is the logic behind the `run_download` task, kept out of the task so
it can be tested (and read) without Celery.
"""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID

from celery.exceptions import SoftTimeLimitExceeded

from . import manager, sharing
from .backends import get_backend
from .errors import Cancelled, DownloadError, TransientError
from .progress import Heartbeat, JobProgress

log = logging.getLogger(__name__)


def run_job(job_id: UUID | str) -> float | None:
    """Run one attempt. Returns the delay in seconds after which the job
    should be tried again (a transient error), or None when there is
    nothing more to do (finished, failed, cancelled, or not ours to run)."""
    claimed = manager.claim(job_id)
    if claimed is None and (pause := manager.retry_pause_left(job_id)) is not None:
        manager.dispatch.send(job_id, countdown=pause)
        log.info("Download %s: message before the end of its retry pause; sent again for %.0f s", job_id, pause)
        return None
    if claimed is None:
        log.info("Download %s is not queued (gone, duplicate message or cancelled); nothing to do", job_id)
        return None
    job = claimed.job
    request = manager.request_for(job)
    progress = JobProgress(
        job.pk, claimed.token, job.backend_state, interval=float(manager.setting("DOWNLOAD_PROGRESS_SECONDS"))
    )
    heartbeat_every = float(manager.setting("DOWNLOAD_HEARTBEAT_SECONDS"))
    backend: Any = None
    try:
        backend = get_backend(job.backend)
        with Heartbeat(progress, heartbeat_every):
            # Or another user's job downloads the same release: follow it.
            result = sharing.download(backend, request, progress)
    except Cancelled as stop:
        _stopped(claimed, backend, request, stop)
        return None
    except SoftTimeLimitExceeded:
        limit = int(manager.setting("DOWNLOAD_MAX_SECONDS"))
        manager.fail(claimed, f"The download took longer than the {limit // 60} minutes allowed; retry to resume it.")
        return None
    except DownloadError as exc:
        return _attempt_failed(claimed, exc)
    except Exception as exc:
        # A bug or an unexpected library error: keep the traceback for the
        # administrator, show the user something plain, and try again (the
        # attempt budget bounds it).
        log.exception("Download %s: unexpected error", job.pk)
        return _attempt_failed(claimed, TransientError(f"Unexpected error ({exc.__class__.__name__}); will try again."))

    if not manager.complete(claimed, result):
        # Cancelled (or reaped) in the instant between the last progress
        # check and the rename: honour the cancel, do not leave the file.
        _stopped(claimed, backend, request, Cancelled("cancelled while finishing"), finished_paths=_paths_of(result))
    return None


def _paths_of(result: Any) -> list[Any]:
    # A batch placed a file per episode; the others, one file.
    return [placed.path for placed in result.files] or [result.path]


def _attempt_failed(claimed: manager.Claim, exc: DownloadError) -> float | None:
    job = claimed.job
    if exc.permanent:
        manager.fail(claimed, exc.message)
        return None
    if job.attempts >= job.max_attempts:
        manager.fail(claimed, f"{exc.message} Gave up after {job.attempts} attempts.")
        return None
    delay = manager.backoff_seconds(job.attempts, exc.retry_after)
    log.info("Download %s: attempt %s failed (%s); again in %ss", job.pk, job.attempts, exc.message, delay)
    return delay if manager.requeue(claimed, exc.message, delay) else None


def _stopped(
    claimed: manager.Claim, backend: Any, request: Any, stop: Cancelled, finished_paths: list[Any] | None = None
) -> None:
    from .models import DownloadJob, JobStatus

    status = DownloadJob.objects.filter(pk=claimed.job.pk).values_list("status", flat=True).first()
    if status in (None, JobStatus.CANCELLED):
        log.info("Download %s stopped: %s", claimed.job.pk, stop.reason)
        if backend is not None:
            backend.discard(request)
        if status == JobStatus.CANCELLED:
            for path in finished_paths or ():
                path.unlink(missing_ok=True)
        if status is not None:
            manager.dispatch_waiting(claimed.job.owner_id)
    else:
        # Another worker owns the job now (the reaper thought we were dead);
        # its files are its business.
        log.warning("Download %s was taken over by another worker; stopping this copy", claimed.job.pk)
