"""Seeding on the job's row: whether a finished torrent still seeds, what it
has uploaded, and its ratio.

After its job completed, a torrent may stay in its worker's engine to seed
(the policy: engine.seeding_done). The engine's alert thread writes what it
sees to the job about once a second when it changes (`record`), under
`backend_state["seeding"]`: no column of its own, as only completed torrent
jobs have it and nothing filters on it. The API and the downloads page read
it through `seeding_of`.

A worker process can die without a word (SIGKILL, the pool scaled down, the
machine restarted), leaving "seeding" written on the row. So the engine
stamps the state at least every STAMP_EVERY_SECONDS while it seeds, and a
reader believes "seeding" only while the stamp is younger than
STALE_AFTER_SECONDS.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

from django.db import transaction

from downloads.conf import resume_dir
from downloads.models import DownloadJob, JobStatus

KEY = "seeding"
STAMP_EVERY_SECONDS = 30.0
STALE_AFTER_SECONDS = 90.0


@dataclass(frozen=True)
class Seeding:
    active: bool
    uploaded_bytes: int
    ratio: float

    def as_dict(self) -> dict[str, Any]:
        return {"active": self.active, "uploaded_bytes": self.uploaded_bytes, "ratio": self.ratio}


def ratio(uploaded_bytes: int, wanted_bytes: int) -> float:
    """Uploaded over the size of the wanted files, as the seeding policy counts it."""
    return round(uploaded_bytes / wanted_bytes, 2) if wanted_bytes > 0 else 0.0


def record(job_id: UUID | str, seeding: Seeding, *, now: float | None = None) -> bool:
    """Write the state on the job; False when the job is not (or no longer)
    completed, e.g. the runner has not marked it yet, or it was retried."""
    stamped = {**seeding.as_dict(), "at": time.time() if now is None else now}
    completed = DownloadJob.objects.filter(pk=job_id, status=JobStatus.COMPLETED)
    with transaction.atomic():
        # Read and write in one transaction. Nothing else writes the
        # backend_state of a completed job, so the keys kept are current.
        state = completed.values_list("backend_state", flat=True).first()
        if state is None:
            return False
        return completed.update(backend_state={**state, KEY: stamped}) == 1


def seeding_of(job: DownloadJob, *, now: float | None = None) -> Seeding | None:
    """The job's seeding as last recorded; None for a job that never seeded
    (or is not completed). `active` is False once the stamp is stale."""
    data = (job.backend_state or {}).get(KEY)
    if job.status != JobStatus.COMPLETED or not isinstance(data, dict):
        return None
    age = (time.time() if now is None else now) - float(data.get("at") or 0)
    return Seeding(
        active=bool(data.get("active")) and age < STALE_AFTER_SECONDS,
        uploaded_bytes=int(data.get("uploaded_bytes") or 0),
        ratio=float(data.get("ratio") or 0.0),
    )


# --- which worker processes seed ---------------------------------------------
#
# Celery's autoscaler (the embedded worker runs with --autoscale) ends idle
# pool processes, with SIGTERM, a few seconds after the queue empties: it
# cannot tell a process that seeds from one that does nothing, and the
# seeding would end there, long before its ratio or time. Each process
# that seeds says so with a file named after its pid; the autoscaler
# (downloads/torrent/autoscale.py) does not shrink the pool while one exists.


def markers_dir() -> Path:
    return resume_dir().parent / "seeding"


def mark_process(seeds: bool, pid: int | None = None) -> None:
    """Say whether this process (`pid`) has torrents seeding."""
    marker = markers_dir() / str(pid or os.getpid())
    if seeds:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    else:
        marker.unlink(missing_ok=True)


def processes_seeding() -> list[int]:
    """The live processes with torrents seeding (a dead one's file goes)."""
    pids = []
    folder = markers_dir()
    for marker in folder.iterdir() if folder.is_dir() else ():
        if not marker.name.isdigit():
            continue
        try:
            os.kill(int(marker.name), 0)
        except ProcessLookupError:
            marker.unlink(missing_ok=True)  # killed without a word
            continue
        except PermissionError:
            pass  # alive, someone else's
        pids.append(int(marker.name))
    return sorted(pids)
