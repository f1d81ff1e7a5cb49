"""One download for many users: a release several users want is fetched once.

When two users' items pick the same release, their jobs carry the same
share key (`share_keys.py`: the torrent's infohash, or a hash of the plain
file's URL). The job that got there first leads: it downloads. The
others follow: they show the leader's progress and, when it completes,
hard-link its file into their own library (a copy across file systems).
Nothing is shared but the bytes: cancelling a follower stops only that
follower; when the leader stops without completing (cancelled, failed, its
worker died and the reaper queued it again), the first follower to notice
becomes the leader and downloads itself.

The election: under a lock per key (a PostgreSQL advisory lock; SQLite runs
its transactions IMMEDIATE, so writers are serialized already), a job looks
for a running job marked as leading for the same key; if there is one it
follows it, else it marks itself. Two jobs starting at the same moment
cannot both find no leader.

The marks live in the job's backend_state (`SHARED`, `LEADS`): no column
and no migration, and a backend's own resume state sits next to them (see
`KeepMarks`).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from downloads import library
from downloads.backends.base import Backend, DownloadRequest, DownloadResult, PlacedFile, ProgressSink
from downloads.models import DownloadJob, JobStatus
from downloads.placing import place_for_job
from downloads.share_keys import names_the_bytes

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0
# How many of a torrent's finished jobs are tried (newest first) for files to reuse.
FINISHED_CANDIDATES = 5

SHARED = "shared_as"  # in backend_state: the share key this job downloads under
LEADS = "leads"  # in backend_state: this job downloads the release for everyone

# Where a follower puts one of the leader's finished files: this job's
# destination for it and the leader's file in, this job's library path out
# (a torrent keeps the file's own extension).
Placement = Callable[[Path, Path], Path]


@dataclass(frozen=True)
class Leader:
    pk: str


def download(backend: Backend, request: DownloadRequest, progress: ProgressSink) -> DownloadResult:
    """Run the backend, or follow the job that already downloads the same
    release. Backends whose key is known before any byte (a URL) say so
    with `share_key`; the torrent backend learns its infohash from the
    .torrent or magnet and calls `share` itself."""
    key_of = getattr(backend, "share_key", None)
    if key_of is None:
        return backend.download(request, progress)
    key = key_of(request)
    shared = share(request, progress, key, lambda destination, _leaders_file: destination)
    if shared is not None:
        backend.discard(request)  # a part left by an earlier attempt of ours is not needed
        return shared
    progress = KeepMarks(progress)
    _take_over_partial(backend, request, progress, key)
    return backend.download(request, progress)


def _take_over_partial(backend: Backend, request: DownloadRequest, progress: ProgressSink, key: str) -> None:
    """This job downloads now. A leader that stopped without being cancelled
    (its attempt failed and waits for a retry, or its worker died and the
    reaper queued it again) left a partial file that nobody writes: the
    backend may resume from it (`adopt`) instead of starting over. A
    cancelled leader's worker removes its file when it notices the cancel,
    at a moment no other job can know: that file is never touched."""
    adopt = getattr(backend, "adopt", None)
    if adopt is None:
        return
    stopped = (
        DownloadJob.objects.filter(
            status__in=(JobStatus.QUEUED, JobStatus.FAILED),
            **{f"backend_state__{SHARED}": key, f"backend_state__{LEADS}": True},
        )
        .exclude(pk=request.job_id)
        .order_by("-updated_at")
        .values("id", "destination", "backend_state")
        .first()
    )
    if stopped is not None and adopt(request, progress, Path(stopped["destination"]), stopped["backend_state"]):
        log.info("Download %s: resuming job %s's partial file (same release)", request.job_id, stopped["id"])


def share(request: DownloadRequest, progress: ProgressSink, key: str, placement: Placement) -> DownloadResult | None:
    """Another user's job downloads this release already: follow it until it
    completes (its file, placed for this job). None when this job is (now)
    the one to download it itself. Cancelled propagates from the sink."""
    if names_the_bytes(key):
        finished = _reuse_finished(request, key, placement)
        if finished is not None:
            return finished
    while (leader := elect(request.job_id, key, progress, request.episodes)) is not None:
        result = follow(request, progress, leader, placement)
        if result is not None:
            log.info("Download %s: placed from job %s (same release)", request.job_id, leader.pk)
            return result
    return None


def _reuse_finished(request: DownloadRequest, key: str, placement: Placement) -> DownloadResult | None:
    """A torrent another job finished earlier and whose files are still in
    its owner's library: placed for this job without a byte fetched.

    Torrents only: an infohash names the bytes (every piece was verified),
    while a URL may serve other bytes today than when it was fetched. The
    file is hashed again before it is trusted: its owner may have changed or
    truncated it since."""
    finished = (
        DownloadJob.objects.filter(status=JobStatus.COMPLETED, **{f"backend_state__{SHARED}": key})
        .exclude(pk=request.job_id)
        .order_by("-finished_at")
        .values("id", "destination", "checksum_sha256", "files", "episodes")[:FINISHED_CANDIDATES]
    )
    for row in finished:
        if not _covers(row["episodes"] or [], request.episodes) or not _unchanged(row):
            continue
        if Path(row["destination"]) == request.destination:
            continue  # this job's own earlier file: nothing to share
        result = _place_leaders_files(request, placement, row)
        if result is not None:
            log.info("Download %s: placed from job %s's finished files (same torrent)", request.job_id, row["id"])
            return result
    return None


def _unchanged(row: dict) -> bool:
    """Every file of a finished job still has the bytes it was completed with."""
    entries = [entry for entry in row["files"] or () if isinstance(entry, dict)]
    pairs = [(entry["destination"], entry.get("sha256", "")) for entry in entries] or [
        (row["destination"], row["checksum_sha256"])
    ]
    for destination, sha256 in pairs:
        path = Path(destination)
        if not sha256 or not path.is_file() or library.file_sha256(path) != sha256.lower():
            return False
    return True


def elect(job_id: str, key: str, progress: ProgressSink, episodes: tuple[int, ...] = ()) -> Leader | None:
    """The running job that downloads this release for everyone, or None
    when this job is (now marked as) that job. A leader fetching other
    episodes of a batch torrent than ours has not the files we want: it is
    not followed."""
    with transaction.atomic():
        _lock(key)
        running = (
            DownloadJob.objects.filter(
                status=JobStatus.RUNNING,
                **{f"backend_state__{SHARED}": key, f"backend_state__{LEADS}": True},
            )
            .exclude(pk=job_id)
            .values_list("id", "episodes")
        )
        leader = next((pk for pk, theirs in running if _covers(theirs or [], episodes)), None)
        progress.save_state({**progress.state, SHARED: key, LEADS: leader is None})
    return Leader(str(leader)) if leader is not None else None


def _covers(theirs: list[int], ours: tuple[int, ...]) -> bool:
    if not ours or not theirs:
        return not ours and not theirs  # both the release's one (or largest) file
    return set(ours) <= set(theirs)


def _lock(key: str) -> None:
    if connection.vendor == "postgresql":
        # Held until the transaction ends; 63 bits of the key's hash, signed
        # as PostgreSQL's bigint wants.
        lock_id = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id])


def follow(
    request: DownloadRequest, progress: ProgressSink, leader: Leader, placement: Placement
) -> DownloadResult | None:
    """Mirror the leader until it completes (its file, placed for us) or
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
            return _place_leaders_files(request, placement, row)
        if row["peers"] is not None:  # a torrent's swarm; plain downloads have none
            progress.swarm(row["peers"], row["seeds"] or 0)
        progress(row["bytes_done"], row["bytes_total"])
        time.sleep(POLL_SECONDS)


def _place_leaders_files(request: DownloadRequest, placement: Placement, row: dict) -> DownloadResult | None:
    """The leader's files placed at ours: its one file, or each episode's
    file of a batch; None when one is gone (fetch our own)."""
    theirs = {entry["episode"]: entry for entry in row["files"] or () if isinstance(entry, dict)}
    if not theirs or not request.episodes:
        source = Path(row["destination"])
        promised, got = request.expected_sha256.lower(), (row["checksum_sha256"] or "").lower()
        if promised and got and promised != got:
            # This job was promised other bytes than the leader got: its own
            # download checks them (and fails in its own words).
            return None
        return _place_one(request, placement(request.destination, source), source, row["checksum_sha256"])
    placed = []
    for n, episode in enumerate(request.episodes):
        entry = theirs.get(episode)
        ours = request.destination_of(episode) or (request.destination if n == 0 else None)
        if entry is None or ours is None:
            return None
        source = Path(entry["destination"])
        result = _place_one(request, placement(ours, source), source, entry.get("sha256", ""))
        if result is None:
            return None
        placed.append(PlacedFile(episode, result.path, result.size, result.sha256))
        if not request.episode_destinations:
            return result  # a job of one episode
    first = placed[0]
    return DownloadResult(path=first.path, size=sum(p.size for p in placed), sha256=first.sha256, files=tuple(placed))


def _place_one(request: DownloadRequest, final: Path, source: Path, sha256: str) -> DownloadResult | None:
    if not source.is_file():
        return None  # the leader's owner removed it already: fetch our own
    # The recorded digest is not passed on: the leader's owner may have
    # changed the file since, and a name in use is compared by real bytes.
    placed = place_for_job(request.job_id, source, final, keep_source=True).path
    digest = sha256 or library.file_sha256(placed)
    return DownloadResult(path=placed, size=placed.stat().st_size, sha256=digest)


class KeepMarks:
    """A progress sink whose state saves keep the sharing marks.

    A backend saves its own resume state wholesale (the HTTP backend's
    validator, or nothing on a restart); without the marks its job would
    stop being found as the leader, and a second job would download too."""

    def __init__(self, sink: ProgressSink) -> None:
        self._sink = sink

    @property
    def state(self) -> dict[str, Any]:
        return self._sink.state

    def __call__(self, done: int, total: int | None) -> None:
        self._sink(done, total)

    def save_state(self, state: dict[str, Any]) -> None:
        marks = {name: self._sink.state[name] for name in (SHARED, LEADS) if name in self._sink.state}
        self._sink.save_state({**state, **marks})

    def flush(self) -> None:
        self._sink.flush()

    def swarm(self, peers: int, seeds: int) -> None:
        self._sink.swarm(peers, seeds)
