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
from downloads.backends.base import DownloadRequest, DownloadResult, PlacedFile, ProgressSink
from downloads.models import BackendName, DownloadJob, JobStatus

from .selection import library_path

POLL_SECONDS = 1.0


LEADS = "leads"  # in backend_state: this job downloads the torrent for everyone


@dataclass(frozen=True)
class Leader:
    pk: str


def elect(job_id: str, infohash: str, progress: ProgressSink, episodes: tuple[int, ...] = ()) -> Leader | None:
    """The running job that downloads this torrent for everyone, or None
    when this job is (now marked as) that job. A leader fetching other
    episodes of a batch than ours has not the files we want: not followed."""
    with transaction.atomic():
        _lock(infohash)
        running = (
            DownloadJob.objects.filter(
                backend=BackendName.TORRENT,
                infohash=infohash,
                status=JobStatus.RUNNING,
                **{f"backend_state__{LEADS}": True},
            )
            .exclude(pk=job_id)
            .values_list("id", "episodes")
        )
        leader = next((pk for pk, theirs in running if _covers(theirs or [], episodes)), None)
        progress.save_state({**progress.state, "infohash": infohash, LEADS: leader is None})
    return Leader(str(leader)) if leader is not None else None


def _covers(theirs: list[int], ours: tuple[int, ...]) -> bool:
    if not ours or not theirs:
        return not ours and not theirs  # both the torrent's largest file
    return set(ours) <= set(theirs)


def _lock(infohash: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Held until the transaction ends; 60 bits of the hash as the key.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(infohash[:15], 16)])


def follow(request: DownloadRequest, progress: ProgressSink, leader: Leader) -> DownloadResult | None:
    """Mirror the leader until it completes (its files, placed for us) or
    stops (None: download it ourselves). Cancelled propagates from the sink."""
    while True:
        row = (
            DownloadJob.objects.filter(pk=leader.pk)
            .values("status", "destination", "bytes_done", "bytes_total", "peers", "seeds", "checksum_sha256", "files")
            .first()
        )
        if row is None or row["status"] in (JobStatus.FAILED, JobStatus.CANCELLED, JobStatus.QUEUED):
            return None
        if row["status"] == JobStatus.COMPLETED:
            return _place_leaders_files(request, row)
        progress.swarm(row["peers"] or 0, row["seeds"] or 0)
        progress(row["bytes_done"], row["bytes_total"])
        time.sleep(POLL_SECONDS)


def _place_leaders_files(request: DownloadRequest, row: dict) -> DownloadResult | None:
    """The leader's files placed at ours: its one file, or each episode's
    file of a batch; None when one is gone (fetch our own)."""
    theirs = {entry["episode"]: entry for entry in row["files"] or () if isinstance(entry, dict)}
    if not theirs or not request.episodes:
        return _place_one(request.destination, Path(row["destination"]), row["checksum_sha256"])
    placed = []
    for n, episode in enumerate(request.episodes):
        entry = theirs.get(episode)
        ours = request.destination_of(episode) or (request.destination if n == 0 else None)
        if entry is None or ours is None:
            return None
        result = _place_one(ours, Path(entry["destination"]), entry.get("sha256", ""))
        if result is None:
            return None
        placed.append(PlacedFile(episode, result.path, result.size, result.sha256))
        if not request.episode_destinations:
            return result  # a job of one episode
    first = placed[0]
    return DownloadResult(path=first.path, size=sum(p.size for p in placed), sha256=first.sha256, files=tuple(placed))


def _place_one(destination: Path, source: Path, sha256: str) -> DownloadResult | None:
    if not source.is_file():
        return None  # the leader's owner removed it already: fetch our own
    final = library_path(destination, source.name)
    library.place(source, final, keep_source=True)
    digest = sha256 or library.file_sha256(final)
    return DownloadResult(path=final, size=final.stat().st_size, sha256=digest)
