"""The downloads app's periodic task: the reaper, every minute.

A django-celery-beat row, not CELERY_BEAT_SCHEDULE, so an administrator's
change in the admin lasts (beat re-applies a settings schedule on every
start). Seeded by downloads/migrations/0003_reaper_beat.py.
"""

from __future__ import annotations

from typing import Any

from .celery_config import CHECK_QUEUE, REAPER_TASK

REAPER_NAME = "downloads: requeue stale downloads"
REAPER_EVERY_SECONDS = 60


def seed_reaper(interval_model: Any, periodic_task_model: Any) -> None:
    """Create the reaper's row when it is missing; leave an edited one as it is.
    Takes the model classes so that the migration can pass its historical ones."""
    every, _ = interval_model.objects.get_or_create(every=REAPER_EVERY_SECONDS, period="seconds")
    periodic_task_model.objects.get_or_create(
        name=REAPER_NAME,
        defaults={
            "task": REAPER_TASK,
            "interval": every,
            # The short-task queue: with every download slot busy for hours
            # the reaper must still run.
            "queue": CHECK_QUEUE,
            "expire_seconds": REAPER_EVERY_SECONDS,
        },
    )


def unseed_reaper(periodic_task_model: Any) -> None:
    periodic_task_model.objects.filter(name=REAPER_NAME).delete()
