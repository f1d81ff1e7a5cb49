"""What happens when a series is added (API or dashboard): it is checked
at once, by a worker through the fair checks queue (never in the request:
adding stays instant whatever the source's speed), and the owner's schedule
counts its next run from that check (check_times.py).

A broker that cannot be reached does not refuse the series: the check stays
queued and the dispatcher's sweep sends it once the broker is back."""

from __future__ import annotations

from .check_times import align_schedule
from .checkqueue import request_checks
from .due import checkable_items
from .models import WatchlistItem


def check_new_item(item: WatchlistItem) -> bool:
    """Queue the first check of ``item``; False when it is not checkable
    (added paused or archived)."""
    if not checkable_items(item.owner_id).filter(pk=item.pk).exists():
        return False
    request_checks([item.pk], keep_if_unsent=True)
    align_schedule(item.owner_id, checked_now=item.pk)
    return True
