"""Celery tasks of the watchlist app: thin wrappers that take ids, load the
row, leave quietly when it is gone, and call the service in checker.py.

No autoretry: a check records its own failure (CheckRun.error) and the next
scheduled check is the retry.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from celery import shared_task

from downloads.celery_config import CHECK_QUEUE

from . import checkqueue
from .checker import check_item
from .due import due_items
from .models import ItemStatus, WatchlistItem

logger = logging.getLogger(__name__)

# Longer than a source refresh can take (its lease, see sources.py, is 150 s
# at the default 20 s HTTP timeout): the soft limit is caught by the checker
# and recorded as the check's error; the hard one is the backstop.
CHECK_SOFT_TIME_LIMIT = 240
CHECK_TIME_LIMIT = 300
# A scheduled check also covers items checked up to 10% of the interval less
# than an interval ago (see due_items): more than the dispatcher's jitter
# (1%) plus any reasonable queue wait.
SCHEDULED_CHECK_SLACK = 0.1


@shared_task(queue=CHECK_QUEUE, ignore_result=True, soft_time_limit=CHECK_SOFT_TIME_LIMIT, time_limit=CHECK_TIME_LIMIT)
def check_item_task(item_id: str) -> dict[str, Any] | None:
    """Check one named item now. Checks are queued as run_queued_check_task
    tokens (fair per user); this one stays for direct use and for messages
    sent before the queue changed."""
    item = WatchlistItem.objects.select_related("source").filter(pk=item_id).first()
    if item is None:
        return None  # deleted since it was queued
    if item.status in (ItemStatus.PAUSED, ItemStatus.ARCHIVED):
        return None  # paused since it was queued: the user no longer wants it checked
    result = check_item(item)
    return {"item_id": str(result.item_id), "new": len(result.new_episodes), "error": result.error}


@shared_task(queue=CHECK_QUEUE, ignore_result=True)
def check_user_task(user_id: int) -> int:
    """Fan out one check per due item of the user."""
    return len(
        checkqueue.request_checks(due_items(owner=user_id).values_list("pk", flat=True), keep_if_unsent=True).queued
    )


@shared_task(queue=CHECK_QUEUE, ignore_result=True)
def check_users_task(user_ids: list[int]) -> int:
    """The scheduler's message: the due items of several users, one check
    task each (see schedule._publish for why users travel in groups)."""
    due = [
        str(pk)
        for pk in due_items(slack=SCHEDULED_CHECK_SLACK).filter(owner_id__in=user_ids).values_list("pk", flat=True)
    ]
    return len(checkqueue.request_checks(_check_settled_by_source(due), keep_if_unsent=True).queued)


def _check_settled_by_source(item_ids: list[str]) -> list[str]:
    """Check the items whose last check still holds source by source
    (source_checks.py); return the others, for the per-item queue."""
    from .source_checks import check_by_source

    try:
        return check_by_source(item_ids).left
    except Exception:
        # The per-item queue checks them all instead: slower, never skipped.
        logger.exception("checking %d items by source failed; queueing them one by one", len(item_ids))
        return item_ids


def enqueue_checks(item_ids: Iterable[Any]) -> list[str]:
    """Queue a background check of each item, fairly and at most once per
    item (checkqueue.py); return the ids queued by this call. The messages
    go out once the current transaction commits (at once outside one).
    Raises checkqueue.QueueUnavailable when the broker cannot be reached."""
    return checkqueue.request_checks(item_ids).queued


@shared_task(queue=CHECK_QUEUE, ignore_result=True, soft_time_limit=CHECK_SOFT_TIME_LIMIT, time_limit=CHECK_TIME_LIMIT)
def run_queued_check_task() -> dict[str, Any] | None:
    """A token of the checks queue: run the fairest waiting check, if any."""
    return checkqueue.run_next()


@shared_task(queue=CHECK_QUEUE, ignore_result=True, expires=55)
def dispatch_due_users_task() -> dict[str, Any]:
    """Beat sends this every minute (its row is seeded by a migration and
    editable in the admin). `expires` drops a tick that waited in the queue
    past the next one, instead of running a backlog of identical ticks."""
    from .models import Heartbeat
    from .schedule import dispatch_due_users

    Heartbeat.beat(Heartbeat.DISPATCHER)
    checkqueue.sweep()
    report = dispatch_due_users()
    if report.more_due:
        logger.warning("dispatcher stopped at its batch limit with users still due; the next tick continues")
    return {"dispatched": report.dispatched, "batches": report.batches}


# The metadata part's tasks (AniList refresh, airing checks, posters) live in
# watchlist/metadata/tasks.py; autodiscovery only looks at this module.
from .metadata import tasks as _metadata_tasks  # noqa: E402, F401
