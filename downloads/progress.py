"""Progress writes and liveness for a running job.

Backends call the sink once per chunk (hundreds of times a second on a fast
link); the database sees at most one write per `interval`. Each write is
conditional on the job still being ours (status running, our claim token),
so the same write doubles as the cancel check: zero rows changed means the
user cancelled, the row is gone, or the reaper handed the job to another
worker, and the download stops.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.db import connection
from django.utils import timezone

from .errors import Cancelled
from .models import DownloadJob, JobStatus

log = logging.getLogger(__name__)

SPEED_WINDOW_SECONDS = 5.0


def _mine(job_id: UUID | str, token: UUID):
    return DownloadJob.objects.filter(pk=job_id, status=JobStatus.RUNNING, claim_token=token)


def _why_not_mine(job_id: UUID | str) -> str:
    status = DownloadJob.objects.filter(pk=job_id).values_list("status", flat=True).first()
    if status is None:
        return "deleted"
    if status == JobStatus.CANCELLED:
        return "cancelled"
    return "taken over by another worker"


class JobProgress:
    """The `ProgressSink` the runner hands to backends."""

    def __init__(
        self,
        job_id: UUID | str,
        token: UUID,
        state: dict[str, Any] | None = None,
        *,
        interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.job_id = job_id
        self.token = token
        self.state: dict[str, Any] = dict(state or {})
        self.interval = interval
        self._clock = clock
        self._last_write = float("-inf")
        self._samples: deque[tuple[float, int]] = deque()
        self.done = 0
        self.total: int | None = None
        self.writes = 0
        self.lost_reason: str | None = None  # set by the heartbeat thread
        self._swarm: dict[str, int] = {}  # torrents' peers and seeds, written with the progress

    def __call__(self, done: int, total: int | None) -> None:
        if self.lost_reason:
            raise Cancelled(self.lost_reason)
        now = self._clock()
        self.done, self.total = done, total
        self._samples.append((now, done))
        while len(self._samples) > 2 and now - self._samples[0][0] > SPEED_WINDOW_SECONDS:
            self._samples.popleft()
        if now - self._last_write >= self.interval:
            self._write(now)

    @property
    def speed(self) -> int:
        if len(self._samples) < 2:
            return 0
        (t0, d0), (t1, d1) = self._samples[0], self._samples[-1]
        if t1 <= t0 or d1 < d0:  # a restart from zero resets the window
            return 0
        return int((d1 - d0) / (t1 - t0))

    def flush(self) -> None:
        self._write(self._clock())

    def swarm(self, peers: int, seeds: int) -> None:
        self._swarm = {"peers": max(0, int(peers)), "seeds": max(0, int(seeds))}

    def _write(self, now: float) -> None:
        self._last_write = now
        self.writes += 1
        rows = _mine(self.job_id, self.token).update(
            bytes_done=self.done,
            bytes_total=self.total,
            speed=self.speed,
            heartbeat_at=timezone.now(),
            updated_at=timezone.now(),
            **self._swarm,
        )
        if rows != 1:
            raise Cancelled(_why_not_mine(self.job_id))

    def save_state(self, state: dict[str, Any]) -> None:
        self.state = dict(state)
        # A torrent's infohash is shown and searched by; it gets its column.
        columns = {"infohash": str(self.state["infohash"])[:64]} if self.state.get("infohash") else {}
        rows = _mine(self.job_id, self.token).update(backend_state=self.state, updated_at=timezone.now(), **columns)
        if rows != 1:
            raise Cancelled(_why_not_mine(self.job_id))


class Heartbeat:
    """Keeps `heartbeat_at` fresh while the job runs, whatever the bytes do.

    Progress writes only happen while data flows; hashing a resumed file,
    fsync, yt-dlp's page extraction or merge can take longer than the reaper's
    patience. The thread proves the worker process is alive; stalls are the
    backends' business (read timeouts).
    """

    def __init__(self, progress: JobProgress, interval: float) -> None:
        self.progress = progress
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{progress.job_id}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    rows = _mine(self.progress.job_id, self.progress.token).update(heartbeat_at=timezone.now())
                except Exception:  # a database blip must not kill the download; the next beat retries
                    log.warning("Heartbeat for download %s failed", self.progress.job_id, exc_info=True)
                    continue
                if rows != 1:
                    self.progress.lost_reason = _why_not_mine(self.progress.job_id)
                    return
        finally:
            # Threads get their own connection; do not leak it.
            connection.close()
