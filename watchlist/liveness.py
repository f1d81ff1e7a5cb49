"""Is anything running the schedules? Beat and workers leave traces in the
database: beat stamps the dispatcher's PeriodicTask.last_run_at when it sends
it, and the worker that runs the dispatcher stamps a Heartbeat row."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from .beat import DISPATCHER_TASK
from .models import Heartbeat

# The dispatcher runs every minute; three missed ticks mean something is down.
STALE_AFTER = timedelta(minutes=3)


def liveness() -> dict:
    now = timezone.now()
    beat_seen = (
        PeriodicTask.objects.filter(task=DISPATCHER_TASK, enabled=True)
        .exclude(last_run_at=None)
        .order_by("-last_run_at")
        .values_list("last_run_at", flat=True)
        .first()
    )
    worker_seen = Heartbeat.objects.filter(name=Heartbeat.DISPATCHER).values_list("seen_at", flat=True).first()
    return {
        "beat_alive": bool(beat_seen and now - beat_seen <= STALE_AFTER),
        "beat_seen_at": beat_seen,
        "worker_alive": bool(worker_seen and now - worker_seen <= STALE_AFTER),
        "worker_seen_at": worker_seen,
    }
