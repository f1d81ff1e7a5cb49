"""Seeding folders that no engine holds any more.

A finished torrent seeds from its folder in the incomplete folder
(`<incomplete>/<job id>/`, the library has a hard link to its file) and the
engine removes the folder when the seeding policy ends it. A worker that
stops first (a restart, Ctrl-C on runservice, a crash) never does, and the
folder stays: no extra space while the library's link exists, all of it
once the user deletes the episode.

The reaper removes them: folders of completed jobs that finished a while
ago and that no engine says it seeds (seeding.py: a live engine rewrites
its "seeding" at least every STAMP_EVERY_SECONDS). Folders of queued,
running and failed jobs hold what a next attempt resumes from: kept.
"""

from __future__ import annotations

import shutil
import uuid
from datetime import timedelta

from django.utils import timezone

from downloads.conf import incomplete_dir
from downloads.models import BackendName, DownloadJob, JobStatus

from .seeding import STALE_AFTER_SECONDS, seeding_of


def remove_leftover_seeding_folders() -> int:
    """Remove the folders of finished torrents nothing seeds; how many."""
    root = incomplete_dir()
    if not root.is_dir():
        return 0
    ids = []
    for folder in root.iterdir():
        try:
            ids.append(uuid.UUID(folder.name))
        except ValueError:
            continue  # not a job's folder
    # Finished long enough ago that a live engine has stamped its seeding.
    settled = timezone.now() - timedelta(seconds=STALE_AFTER_SECONDS)
    jobs = DownloadJob.objects.filter(
        pk__in=ids, backend=BackendName.TORRENT, status=JobStatus.COMPLETED, finished_at__lt=settled
    ).only("id", "status", "backend_state")
    removed = 0
    for job in jobs:
        state = seeding_of(job)
        if state is not None and state.active:
            continue
        shutil.rmtree(root / str(job.pk), ignore_errors=True)
        removed += 1
    return removed
