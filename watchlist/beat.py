"""The periodic tasks beat runs. Rows in django-celery-beat's tables (not
CELERY_BEAT_SCHEDULE), so that an administrator's change in the admin lasts:
beat re-applies a settings schedule on every start.

The downloads app seeds its own (the reaper, downloads/beat.py)."""

from __future__ import annotations

from downloads.celery_config import CHECK_QUEUE

DISPATCHER_TASK = "watchlist.tasks.dispatch_due_users_task"
NOTIFY_FLUSH_TASK = "watchlist.notify.tasks.flush_notifications_task"
AIRING_TASK = "watchlist.metadata.tasks.dispatch_airing_checks_task"
METADATA_TASK = "watchlist.metadata.tasks.dispatch_metadata_refresh_task"

# (name, task, every N seconds)
ENTRIES = [
    ("watchlist: dispatch due users", DISPATCHER_TASK, 60),
    ("notifications: send grouped messages and digests", NOTIFY_FLUSH_TASK, 60),
    ("watchlist: checks after episodes air", AIRING_TASK, 60),
    ("watchlist: refresh series metadata", METADATA_TASK, 60),
]


def seed_beat_entries(interval_model, periodic_task_model) -> None:
    """Create the entries that are missing; leave existing ones as edited.
    Takes the model classes so that the data migration can pass its
    historical models."""
    for name, task, seconds in ENTRIES:
        every, _ = interval_model.objects.get_or_create(every=seconds, period="seconds")
        periodic_task_model.objects.get_or_create(
            name=name, defaults={"task": task, "interval": every, "queue": CHECK_QUEUE, "expire_seconds": seconds}
        )
