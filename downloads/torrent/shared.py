"""One download for many users: a torrent several users want is fetched once.

When two users' items pick the same release, their jobs carry the same
infohash. The job that started first (then the smaller id) leads: it
downloads. The others follow: they show the leader's progress and, when it
completes, hard-link its file into their own library (a copy across file
systems). Nothing is shared but the bytes: cancelling a follower stops only
that follower; when the leader stops without completing (cancelled, failed,
its worker died), the first follower becomes the leader and downloads itself.

The election: under a lock per infohash (a PostgreSQL advisory lock; SQLite
serializes writers by itself), a job looks for a running job of the same
infohash marked as leading; if there is one it follows it, else it marks
itself. Two jobs starting at the same moment cannot both find no leader.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction

from downloads import library
from downloads.backends.base import DownloadRequest, DownloadResult, ProgressSink
from downloads.models import BackendName, DownloadJob, JobStatus

from .selection import library_path

POLL_SECONDS = 1.0


LEADS = "leads"  # in backend_state: this job downloads the torrent for everyone


@dataclass(frozen=True)
class Leader:
    pk: str


def elect(job_id: str, infohash: str, progress: ProgressSink) -> Leader | None:
    """The running job that downloads this torrent for everyone, or None
    when this job is (now marked as) that job."""
    with transaction.atomic():
        _lock(infohash)
        leader = (
            DownloadJob.objects.filter(
                backend=BackendName.TORRENT,
                infohash=infohash,
                status=JobStatus.RUNNING,
                **{f"backend_state__{LEADS}": True},
            )
            .exclude(pk=job_id)
            .values_list("id", flat=True)
            .first()
        )
        progress.save_state({**progress.state, "infohash": infohash, LEADS: leader is None})
    return Leader(str(leader)) if leader is not None else None


def _lock(infohash: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Held until the transaction ends; 60 bits of the hash as the key.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(infohash[:15], 16)])


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
