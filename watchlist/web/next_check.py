"""When will an item be checked next? What the "Next check" line says.

The schedule is per user (schedule.py): at the user's ``next_check_at`` the
dispatcher checks the items that are due then (due.py: not checked within
the interval). An item checked a moment ago by "Check now" is therefore
skipped by the next dispatch and taken by a later one; this module works
out which, so the line does not promise a check that will not happen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from django.utils.translation import gettext as _

from ..models import ItemStatus, WatchlistItem, WatchlistSettings
from ..schedule import interval_of
from ..tasks import SCHEDULED_CHECK_SLACK

Kind = Literal["at", "off", "paused", "not_checked"]


@dataclass(frozen=True)
class NextCheck:
    kind: Kind
    at: datetime | None = None

    @property
    def label(self) -> str:
        return {
            "off": _("Schedule off"),
            "paused": _("Paused"),
            "not_checked": _("Not checked"),
        }.get(self.kind, "")


def next_check(item: WatchlistItem, row: WatchlistSettings) -> NextCheck:
    checkable = item.status == ItemStatus.ACTIVE or (
        item.status == ItemStatus.COMPLETED and row.include_completed_anime
    )
    if item.status == ItemStatus.PAUSED:
        return NextCheck("paused")
    if not checkable:
        return NextCheck("not_checked")
    if not row.scheduler_enabled or row.next_check_at is None:
        return NextCheck("off")
    at = row.next_check_at
    interval = interval_of(row.check_interval_hours)
    if item.last_checked_at is not None and interval.total_seconds() > 0:
        # A scheduled run also takes items checked a little less than an
        # interval before it (the scheduler's slack, see due.due_items).
        due_from = item.last_checked_at + interval * (1 - SCHEDULED_CHECK_SLACK)
        if due_from > at:
            # Later dispatches come one interval apart (jitter aside).
            steps = math.ceil((due_from - at) / interval)
            at = at + steps * interval
    # A time already past stays as it is: the page says "due now" (the
    # dispatcher takes it within a minute, or the warning says why not).
    return NextCheck("at", at)
