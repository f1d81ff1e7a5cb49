"""Times that agree: when the user's next scheduled run comes, after a check
made by hand or a series added.

The schedule is per user (schedule.py): at ``next_check_at`` the dispatcher
checks the user's items that are due then (due.py, with the scheduler's
slack). An item checked by hand a moment ago is not due at a run that comes
soon after, so that run would check nothing, and the item would wait for the
one after it: "Check now" on a 6-hour interval showed the next check in 12
hours.

`align_schedule` fixes the common case: when the user's next run would find
none of their series due, the run moves to when the first of them comes due,
one full interval after its last check. A user with one series (every new
user), or whose series were all checked together, then sees exactly
"now + interval" after "Check now". The run only ever moves later, and only
when it would have checked nothing, so no check is skipped or delayed by it.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db import transaction
from django.db.models import Count, Min, Q
from django.utils import timezone

from .due import checkable_items
from .models import WatchlistSettings
from .schedule import interval_of
from .tasks import SCHEDULED_CHECK_SLACK


def earliest_due(owner, interval, now: datetime, checked_now: uuid.UUID | str | None = None) -> datetime | None:
    """When the first of the owner's checkable items comes due by its full
    interval (``now`` for one never checked); None without any. The item
    ``checked_now`` counts as checked at ``now`` (its check is queued)."""
    items = checkable_items(owner)
    if checked_now is not None:
        items = items.exclude(pk=checked_now)
    counts = items.order_by().aggregate(
        total=Count("pk"), never=Count("pk", filter=Q(last_checked_at__isnull=True)), oldest=Min("last_checked_at")
    )
    candidates = []
    if counts["never"]:
        candidates.append(now)
    if counts["oldest"] is not None:
        candidates.append(counts["oldest"] + interval)
    if checked_now is not None:
        candidates.append(now + interval)
    return min(candidates) if candidates else None


def align_schedule(owner, *, now: datetime | None = None, checked_now: uuid.UUID | str | None = None) -> None:
    """Move the owner's next run to when a series first comes due, if the
    run now planned would find none due (see the module docstring)."""
    now = now or timezone.now()
    with transaction.atomic():
        row = WatchlistSettings.objects.select_for_update().filter(user=owner).first()
        if row is None or not row.scheduler_enabled or row.next_check_at is None:
            return
        interval = interval_of(row.check_interval_hours)
        due = earliest_due(owner, interval, now, checked_now)
        if due is None:
            return
        # What a run at next_check_at takes: items checked up to one interval
        # less the scheduler's slack before it.
        first_taken = due - interval * SCHEDULED_CHECK_SLACK
        if row.next_check_at < first_taken:
            row.next_check_at = due
            row.save(update_fields=["next_check_at", "updated_at"])
