"""Beat's scheduler: django-celery-beat's, plus a heartbeat on every tick
(watchlist/heartbeats.py). In a module of its own because
django-celery-beat's scheduler module needs Django set up, which is the case
by the time beat loads the scheduler named in CELERY_BEAT_SCHEDULER."""

from __future__ import annotations

from typing import Any

from django_celery_beat.schedulers import DatabaseScheduler

from .heartbeats import beat_tick


class HeartbeatScheduler(DatabaseScheduler):
    def tick(self, *args: Any, **kwargs: Any) -> float:
        beat_tick()
        return super().tick(*args, **kwargs)
