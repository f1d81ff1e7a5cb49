"""One download for many users: a torrent several users want is fetched once.

When two users' items pick the same release, their jobs carry the same
infohash. The job that started first (then the smaller id) leads: it
downloads. The others follow: they show the leader's progress and, when it
completes, hard-link its file into their own library (a copy across file
systems). Nothing is shared but the bytes: cancelling a follower stops only
that follower; when the leader stops without completing (cancelled, failed,
its worker died), the first follower becomes the leader and downloads itself.

The election needs no lock: every job records its infohash before looking,
and all of them order the candidates the same way, so at most one of any
two running jobs believes it leads.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from downloads import library
from downloads.backends.base import DownloadRequest, DownloadResult, ProgressSink
from downloads.models import BackendName, DownloadJob, JobStatus

from .selection import library_path

POLL_SECONDS = 1.0


@dataclass(frozen=True)
class Leader:
    pk: str


def leader_for(job_id: str, infohash: str) -> Leader | None:
    """The running job that downloads this torrent for everyone, when it is
    not this one."""
    first = (
        DownloadJob.objects.filter(backend=BackendName.TORRENT, infohash=infohash, status=JobStatus.RUNNING)
        .order_by("started_at", "id")
        .values_list("id", flat=True)
        .first()
    )
    if first is None or str(first) == str(job_id):
        return None
    return Leader(str(first))


def follow(request: DownloadRequest, progress: ProgressSink, leader: Leader) -> DownloadResult | None:
    """Mirror the leader until it completes (its file, placed for us) or
    stops (None: download it ourselves). Cancelled propagates from the sink."""
    while True:
        row = (
            DownloadJob.objects.filter(pk=leader.pk)
            .values("status", "destination", "bytes_done", "bytes_total", "peers", "seeds", "checksum_sha256")
            .first()
        )
        if row is None or row["status"] in (JobStatus.FAILED, JobStatus.CANCELLED, JobStatus.QUEUED):
            return None
        if row["status"] == JobStatus.COMPLETED:
            return _place_leaders_file(request, Path(row["destination"]), row["checksum_sha256"])
        progress.swarm(row["peers"] or 0, row["seeds"] or 0)
        progress(row["bytes_done"], row["bytes_total"])
        time.sleep(POLL_SECONDS)


def _place_leaders_file(request: DownloadRequest, source: Path, sha256: str) -> DownloadResult | None:
    if not source.is_file():
        return None  # the leader's owner removed it already: fetch our own
    final = library_path(request.destination, source.name)
    library.place(source, final, keep_source=True)
    digest = sha256 or library.file_sha256(final)
    return DownloadResult(path=final, size=final.stat().st_size, sha256=digest)
