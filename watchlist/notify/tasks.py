"""Celery tasks of notifications: thin wrappers around delivery.py.

They run on the "checks" queue (the default): short network calls, never
behind a two-hour download.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from . import delivery

FLUSH_TASK = "watchlist.notify.tasks.flush_notifications_task"


@shared_task(
    ignore_result=True,
    autoretry_for=(delivery.TransientSendError,),
    retry_backoff=settings.NOTIFY_SEND_RETRY_BASE_SECONDS,
    retry_backoff_max=settings.NOTIFY_SEND_RETRY_MAX_SECONDS,
    retry_jitter=True,
    # The database counts attempts (NOTIFY_SEND_MAX_ATTEMPTS) and marks the
    # message failed at the last one; this only bounds Celery's side.
    max_retries=settings.NOTIFY_SEND_MAX_ATTEMPTS,
    soft_time_limit=settings.NOTIFY_SEND_TIMEOUT_SECONDS * 4,
    time_limit=settings.NOTIFY_SEND_TIMEOUT_SECONDS * 5,
)
def send_message_task(message_id: int) -> bool | None:
    delivered = delivery.send_message(message_id)
    return None if delivered is None else delivered.sent


@shared_task(ignore_result=True, expires=55)
def flush_notifications_task() -> dict[str, int]:
    """Beat sends this every minute: make the messages that are due, and
    queue again any whose sending was lost."""
    made = delivery.flush_due()
    return {"messages": len(made), "requeued": delivery.redispatch_stuck()}
