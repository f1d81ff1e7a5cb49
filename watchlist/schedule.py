"""Per-user schedules, dispatched by one periodic task.

Beat runs `dispatch_due_users` every minute (one django-celery-beat row,
seeded by a migration). Each run takes the users whose `next_check_at` has
come, in bounded batches, enqueues `check_users_task` messages for them
(each fans out one check per due item of each user) and only then moves
their `next_check_at` forward. So:

- a run that cannot reach the broker changes nothing, and the next run
  dispatches the same users (no lost checks while Redis is down);
- two dispatchers at once (two beats by mistake) never dispatch one user
  twice for one due time: each batch is claimed with
  `SELECT ... FOR UPDATE SKIP LOCKED` and the second dispatcher skips rows the
  first holds, then finds them no longer due once it commits. (SQLite ignores
  row locks but serialises writers, and the embedded mode runs one beat.)

Why not one PeriodicTask per user: django-celery-beat's scheduler reloads
every row whenever one changes, which stalls beat at tens of thousands of
rows; bench/scheduler_bench.py measures both designs.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import DateTimeField, Exists, ExpressionWrapper, F, OuterRef, Value
from django.db.models.functions import Least, Random
from django.utils import timezone

from .dbfunctions import Seconds
from .due import checkable_items
from .models import WatchlistSettings

logger = logging.getLogger(__name__)

JITTER_FRACTION = 0.01
JITTER_MAX_SECONDS = 300.0


def interval_of(hours: int) -> timedelta:
    # CHECK_INTERVAL_UNIT_SECONDS is 3600 outside tests; the end-to-end tests
    # shrink it so that "every hour" happens every few seconds.
    return timedelta(seconds=hours * settings.CHECK_INTERVAL_UNIT_SECONDS)


def jitter(interval: timedelta) -> timedelta:
    """Up to 1% of the interval (at most 5 minutes), so that thousands of
    users on the same interval spread over the following minutes instead of
    all coming due in one second."""
    spread = min(interval.total_seconds() * JITTER_FRACTION, JITTER_MAX_SECONDS)
    return timedelta(seconds=random.uniform(0, spread))  # noqa: S311 - not security-relevant


def next_check_after(now: datetime, hours: int) -> datetime:
    interval = interval_of(hours)
    return now + interval + jitter(interval)


def next_check_expression(now: datetime):
    """`next_check_after` as a database expression over each row's interval:
    now + interval + up to 1% of it (at most 5 minutes) of random jitter."""
    interval_seconds = F("check_interval_hours") * Value(float(settings.CHECK_INTERVAL_UNIT_SECONDS))
    spread = Least(interval_seconds * Value(JITTER_FRACTION), Value(JITTER_MAX_SECONDS))
    return ExpressionWrapper(
        Value(now, output_field=DateTimeField()) + Seconds(interval_seconds + spread * Random()),
        output_field=DateTimeField(),
    )


def on_interval_changed(row: WatchlistSettings, now: datetime | None = None) -> None:
    """A new interval applies at once: the next check is never later than
    now + the new interval (a shorter interval pulls it in)."""
    now = now or timezone.now()
    latest = now + interval_of(row.check_interval_hours)
    if row.next_check_at is None or row.next_check_at > latest:
        row.next_check_at = latest


def start(row: WatchlistSettings, now: datetime | None = None) -> WatchlistSettings:
    now = now or timezone.now()
    row.scheduler_enabled = True
    if row.next_check_at is None:
        row.next_check_at = now
    row.save(update_fields=["scheduler_enabled", "next_check_at", "updated_at"])
    return row


def stop(row: WatchlistSettings) -> WatchlistSettings:
    row.scheduler_enabled = False
    row.save(update_fields=["scheduler_enabled", "updated_at"])
    return row


def _publish(task, user_ids: list[int]) -> None:
    """Send the batch as messages of USERS_PER_MESSAGE users each, over one
    broker connection. Each message costs a broker round trip (about 3 ms on
    a busy 2-core machine), so one message per user would take minutes at
    100k users; workers fan each message out per user and per item."""
    per_message = settings.SCHEDULER_USERS_PER_MESSAGE
    with task.app.producer_or_acquire() as producer:
        for start in range(0, len(user_ids), per_message):
            task.apply_async((user_ids[start : start + per_message],), producer=producer)


@dataclass
class DispatchReport:
    dispatched: int = 0
    batches: int = 0
    more_due: bool = False


def dispatch_due_users(
    now: datetime | None = None, *, batch_size: int | None = None, max_batches: int | None = None
) -> DispatchReport:
    """Enqueue a check for every user whose schedule is due; see the module
    docstring for why it is safe to run twice or while the broker is down."""
    from .tasks import check_users_task  # tasks import the checker; keep this module light

    now = now or timezone.now()
    batch_size = batch_size or settings.SCHEDULER_BATCH_SIZE
    max_batches = max_batches or settings.SCHEDULER_MAX_BATCHES
    report = DispatchReport()
    while report.batches < max_batches:
        with transaction.atomic():
            rows = list(
                WatchlistSettings.objects.select_for_update(skip_locked=True)
                .filter(scheduler_enabled=True, next_check_at__lte=now)
                .order_by("next_check_at")
                .values_list("pk", "user_id")[:batch_size]
            )
            if not rows:
                return report
            # Publish first: if the broker is unreachable this raises, the
            # transaction rolls back and next_check_at stays due.
            _publish(check_users_task, [user_id for _, user_id in rows])
            # One UPDATE for the batch, each row's next time computed by the
            # database (bulk_update of 1000 rows costs seconds of Python).
            batch = WatchlistSettings.objects.filter(pk__in=[pk for pk, _ in rows])
            batch.update(next_check_at=next_check_expression(now))
            # "Last run" is when the schedule last had series to look at: a
            # new user with none yet reads "never", not "a minute ago".
            batch.filter(Exists(checkable_items(OuterRef("user_id")))).update(last_run_at=now)
        report.dispatched += len(rows)
        report.batches += 1
    report.more_due = WatchlistSettings.objects.filter(scheduler_enabled=True, next_check_at__lte=now).exists()
    return report
