"""Is anything running the schedules? Beat and workers leave traces in the
database: beat stamps the ``beat`` Heartbeat on every tick (heartbeats.py),
and the worker that runs the dispatcher stamps the ``dispatcher`` one."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from .beat import DISPATCHER_TASK
from .heartbeats import BEAT_STALE_AFTER, beat_seen_at
from .models import Heartbeat

# The dispatcher runs every minute; three missed ticks mean something is down.
STALE_AFTER = timedelta(minutes=3)
# A beat that stamps no heartbeat (started with another --scheduler) is
# judged by the dispatcher row's last_run_at, which django-celery-beat saves
# only every 3 minutes: the threshold must be well above that, or the answer
# flaps between saves.
LAST_RUN_STALE_AFTER = timedelta(minutes=5)


def liveness() -> dict:
    now = timezone.now()
    beat_seen = beat_seen_at()
    if beat_seen is not None:
        beat_alive = now - beat_seen <= BEAT_STALE_AFTER
    else:
        beat_seen = (
            PeriodicTask.objects.filter(task=DISPATCHER_TASK, enabled=True)
            .exclude(last_run_at=None)
            .order_by("-last_run_at")
            .values_list("last_run_at", flat=True)
            .first()
        )
        beat_alive = bool(beat_seen and now - beat_seen <= LAST_RUN_STALE_AFTER)
    worker_seen = Heartbeat.objects.filter(name=Heartbeat.DISPATCHER).values_list("seen_at", flat=True).first()
    return {
        "beat_alive": beat_alive,
        "beat_seen_at": beat_seen,
        "worker_alive": bool(worker_seen and now - worker_seen <= STALE_AFTER),
        "worker_seen_at": worker_seen,
    }
