"""Heartbeats: beat and every worker say, every few seconds, that they run.

Before, beat was judged by django-celery-beat's ``last_run_at`` of the
dispatcher's row. That scheduler saves ``last_run_at`` only every three
minutes, so a three-minute threshold turned "beat seen" false for about
thirty seconds every three minutes although beat ran fine. Now:

- **beat** runs `beat_scheduler.HeartbeatScheduler` (``CELERY_BEAT_SCHEDULER``), which
  stamps the ``beat`` Heartbeat row on every tick (at most every
  ``BEAT_EVERY``; a tick comes at least every 5 s) and touches a file for
  the container health check. Beat counts as alive while the stamp is
  younger than ``BEAT_STALE_AFTER``, six stamps' worth: no flapping.
- **each worker** runs `WorkerHeartbeat` (a Celery bootstep on the worker's
  own timer, so a hung worker stops stamping): a ``worker:<hostname>`` row
  with its queues and concurrency, every ``WORKER_EVERY``, and a file.

The stamps are written in a short-lived thread (a database that hangs must
not stall beat's loop or the worker's event loop) and never raise; never
while the worker's pool forks (watchlist_project/forkguard.py).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from datetime import timedelta
from typing import Any

from celery import bootsteps
from django.db import connections
from django.utils import timezone

from watchlist_project.alive import alive_file
from watchlist_project.forkguard import no_fork

logger = logging.getLogger(__name__)

BEAT = "beat"
WORKER_PREFIX = "worker:"
BEAT_EVERY = 10.0
WORKER_EVERY = 20.0
BEAT_STALE_AFTER = timedelta(seconds=60)
WORKER_STALE_AFTER = timedelta(seconds=90)
# A worker silent this long is listed no more (it was stopped or renamed).
WORKER_FORGOTTEN_AFTER = timedelta(days=1)


def _touch(part: str) -> None:
    try:
        path = alive_file(part)
        path.touch(exist_ok=True)
        os.utime(path)
    except OSError:
        logger.debug("cannot touch the %s alive file", part, exc_info=True)


def stamp(name: str, detail: dict[str, Any] | None = None) -> None:
    """Write one heartbeat row now (in the calling thread)."""
    from .models import Heartbeat

    Heartbeat.objects.update_or_create(name=name, defaults={"seen_at": timezone.now(), "detail": detail or {}})


class _Stamper:
    """Writes a part's heartbeat in a thread of its own, one at a time, at
    most every ``every`` seconds."""

    def __init__(self, part: str, every: float) -> None:
        self.part = part
        self.every = every
        self._last = 0.0
        self._running = threading.Lock()

    def __call__(self, name: str, detail: dict[str, Any]) -> None:
        now = time.monotonic()
        if now - self._last < self.every or not self._running.acquire(blocking=False):
            return
        self._last = now
        _touch(self.part)
        threading.Thread(target=self._write, args=(name, detail), name=f"{self.part}-heartbeat", daemon=True).start()

    def _write(self, name: str, detail: dict[str, Any]) -> None:
        # The worker's pool forks while this thread may write: the fork waits
        # for the write and the closed connection (watchlist_project/forkguard.py).
        try:
            with no_fork():
                try:
                    stamp(name, detail)
                finally:
                    connections.close_all()  # this thread's own connection
        except Exception:
            logger.warning("could not write the %s heartbeat", self.part, exc_info=True)
        finally:
            self._running.release()


_beat_stamper = _Stamper("beat", BEAT_EVERY)


def beat_tick() -> None:
    """Called by beat's scheduler on every tick (watchlist/beat_scheduler.py)."""
    _beat_stamper(BEAT, {"host": socket.gethostname(), "pid": os.getpid()})


class WorkerHeartbeat(bootsteps.StartStopStep):
    """A worker bootstep: stamps ``worker:<hostname>`` from the worker's
    timer (registered in watchlist_project/celery.py)."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker: Any, **kwargs: Any) -> None:
        super().__init__(worker, **kwargs)
        self.tref = None
        self.stamper = _Stamper("worker", WORKER_EVERY)

    def _detail(self, worker: Any) -> dict[str, Any]:
        queues = getattr(getattr(worker, "consumer", None), "task_consumer", None)
        names = sorted(q.name for q in getattr(queues, "queues", []) or [])
        if not names:
            names = sorted(getattr(getattr(worker.app, "amqp", None), "queues", {}) or [])
        return {"queues": names, "concurrency": getattr(worker, "concurrency", None), "pid": os.getpid()}

    def _beat(self, worker: Any) -> None:
        self.stamper(f"{WORKER_PREFIX}{worker.hostname}", self._detail(worker))

    def start(self, worker: Any) -> None:
        self.stamper._last = 0.0
        self._beat(worker)
        self.tref = worker.timer.call_repeatedly(WORKER_EVERY, self._beat, (worker,), priority=10)

    def stop(self, worker: Any) -> None:
        if self.tref is not None:
            self.tref.cancel()
            self.tref = None


def beat_seen_at():
    from .models import Heartbeat

    return Heartbeat.objects.filter(name=BEAT).values_list("seen_at", flat=True).first()


def workers(now=None) -> list[dict[str, Any]]:
    """Every worker seen in the last day: name, last seen, alive, queues."""
    from .models import Heartbeat

    now = now or timezone.now()
    rows = Heartbeat.objects.filter(name__startswith=WORKER_PREFIX, seen_at__gte=now - WORKER_FORGOTTEN_AFTER).order_by(
        "name"
    )
    return [
        {
            "name": row.name[len(WORKER_PREFIX) :],
            "seen_at": row.seen_at,
            "alive": now - row.seen_at <= WORKER_STALE_AFTER,
            "queues": list((row.detail or {}).get("queues") or []),
            "concurrency": (row.detail or {}).get("concurrency"),
        }
        for row in rows
    ]
