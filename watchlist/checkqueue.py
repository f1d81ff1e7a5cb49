"""The queue of background checks: de-duplicated per item, fair per user.

Before, every requested check was one Celery message naming its item, in
one FIFO queue: a user's `check-all?force=true` over many slow sources put
hundreds of messages in front of everyone else's checks, and twenty clicks
queued the same items twenty times. Now:

- **What to check lives in the database**: one `PendingCheck` row per item
  (the item is the primary key). Asking for a check of an item that already
  waits adds nothing; an item whose check is running is marked `again` and
  waits once more when that run ends. Twenty check-alls are one check each.
- **Celery messages are tokens, not orders**: `run_queued_check_task` takes
  no item. Each one lets a worker claim the next check *fairly*, so a
  message sent for user A's burst may run user B's single check.
- **Fair claiming**: a worker takes the oldest waiting check of a user with
  nothing running, else of a user running fewer than
  CHECK_MAX_RUNNING_PER_USER checks. One user never holds more than that
  many check workers, and a user who asks for one check is served by the
  next free worker instead of queueing behind another user's hundreds.
  Claims take a transaction-level advisory lock on PostgreSQL, one at a
  time (a few milliseconds each), so the limit holds under concurrency and
  two workers never run one check.
- **Tokens are conserved**: one is sent per check queued; a token that finds
  nothing it may claim (every waiting check belongs to users at their limit)
  ends, and each finished check sends one on while checks wait. The
  dispatcher's tick (every minute) releases leases of workers that died and
  sends a few tokens if checks have waited over a minute (a lost message).

A broker that cannot be reached when checks are queued raises
`QueueUnavailable` after removing the rows it just added, so callers can say
so (HTTP 503) instead of leaving checks that nothing will run.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_noop

from . import limits
from .models import ItemStatus, PendingCheck, WatchlistItem

logger = logging.getLogger(__name__)

# Longer than a check may run (the task's hard time limit, 300 s).
LEASE = timedelta(seconds=360)
# A waiting check older than this with no worker on it may have lost its token.
SWEEP_AFTER = timedelta(seconds=60)
SWEEP_MAX_TOKENS = 10


# English for the API; the dashboard passes it through gettext().
UNAVAILABLE_MESSAGE = gettext_noop(
    "The task queue (broker) cannot be reached, so nothing was queued. Try again in a minute."
)


class QueueUnavailable(Exception):
    """The broker cannot be reached: nothing was queued."""


@dataclass
class Queued:
    queued: list[str]  # item ids queued by this call
    already: list[str]  # item ids that were waiting or running already


def max_running_per_user() -> int:
    return int(getattr(settings, "CHECK_MAX_RUNNING_PER_USER", limits.CHECK_MAX_RUNNING_PER_USER))


def request_checks(item_ids: Iterable[Any], *, keep_if_unsent: bool = False) -> Queued:
    """Queue a background check of each item (see the module docstring).

    When the broker cannot be reached, the checks just added are removed and
    QueueUnavailable raised, or, with ``keep_if_unsent`` (the scheduler's
    checks, which nobody is waiting to hear about), kept for the sweep to
    send once the broker is back."""
    ids = list(dict.fromkeys(str(i) for i in item_ids))
    if not ids:
        return Queued([], [])
    stamp = timezone.now()
    with transaction.atomic():
        existing = {str(pk) for pk in PendingCheck.objects.filter(item_id__in=ids).values_list("item_id", flat=True)}
        # A running check asked for again runs once more when it ends.
        PendingCheck.objects.filter(item_id__in=existing, claimed_until__isnull=False).update(again=True)
        owners = dict(
            WatchlistItem.objects.filter(pk__in=[i for i in ids if i not in existing]).values_list("pk", "owner_id")
        )
        PendingCheck.objects.bulk_create(
            [PendingCheck(item_id=pk, owner_id=owner, requested_at=stamp) for pk, owner in owners.items()],
            ignore_conflicts=True,  # a concurrent request queued it first: fine
        )
        mine = [
            str(pk)
            for pk in PendingCheck.objects.filter(item_id__in=list(owners), requested_at=stamp).values_list(
                "item_id", flat=True
            )
        ]
        transaction.on_commit(lambda: _publish(mine, stamp, keep_if_unsent=keep_if_unsent))
    created = set(mine)
    known = existing | {str(pk) for pk in owners}
    return Queued(
        queued=[i for i in ids if i in created],
        already=[i for i in ids if i in known and i not in created],
    )


def _publish(item_ids: list[str], stamp: Any, *, keep_if_unsent: bool) -> None:
    try:
        send_tokens(len(item_ids))
    except Exception as exc:
        if keep_if_unsent:
            logger.warning("checks queued but not announced: the broker cannot be reached (%s)", exc)
            return
        PendingCheck.objects.filter(item_id__in=item_ids, requested_at=stamp, claimed_until__isnull=True).delete()
        logger.warning("checks not queued: the broker cannot be reached (%s)", exc)
        raise QueueUnavailable(str(exc)) from exc


def send_tokens(count: int) -> None:
    """Publish ``count`` tokens over one broker connection."""
    if count <= 0:
        return
    from .tasks import run_queued_check_task  # tasks import this module

    with run_queued_check_task.app.producer_or_acquire() as producer:
        for _ in range(count):
            run_queued_check_task.apply_async(producer=producer)


# Any number, the same in every process: the claims' advisory lock.
_CLAIM_LOCK = 0x57A7C4EC


def _claim(now: Any) -> PendingCheck | None:
    if connection.vendor == "postgresql":
        # Claims one at a time (a few milliseconds each): the per-user limit
        # is a count over rows, and two workers counting at once would both
        # see room for one more. SQLite serialises writers already.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CLAIM_LOCK])
    cap = max_running_per_user()
    running = dict(
        PendingCheck.objects.filter(claimed_until__isnull=False)
        .values("owner_id")
        .annotate(n=Count("pk"))
        .values_list("owner_id", "n")
    )
    at_cap = [owner for owner, n in running.items() if n >= cap]
    waiting = PendingCheck.objects.filter(claimed_until__isnull=True).order_by("requested_at", "item_id")
    if connection.features.has_select_for_update_skip_locked:
        waiting = waiting.select_for_update(skip_locked=True)
    # Users with nothing running first (that is what makes a burst wait
    # behind a single check), then users below their limit.
    for exclude in (list(running), at_cap):
        row = waiting.exclude(owner_id__in=exclude).first()
        if row is not None:
            row.claimed_until = now + LEASE
            row.again = False
            row.save(update_fields=["claimed_until", "again"])
            return row
    return None


def claim_next() -> PendingCheck | None:
    with transaction.atomic():
        return _claim(timezone.now())


def finish(row: PendingCheck) -> None:
    """The run of ``row`` ended: forget it, or let it wait again if it was
    asked for meanwhile; then pass a token on while checks wait."""
    with transaction.atomic():
        again = PendingCheck.objects.filter(item_id=row.item_id, claimed_until=row.claimed_until, again=True).update(
            claimed_until=None, again=False, requested_at=timezone.now()
        )
        if not again:
            PendingCheck.objects.filter(item_id=row.item_id, claimed_until=row.claimed_until).delete()
        waiting = PendingCheck.objects.filter(claimed_until__isnull=True).exists()
    if waiting:
        try:
            send_tokens(1)
        except Exception:
            logger.warning("could not pass a check token on; the dispatcher's sweep will", exc_info=True)


def run_next() -> dict[str, Any] | None:
    """The token's work: claim the fairest waiting check and run it."""
    from .checker import check_item  # the checker imports a lot; keep this module light

    row = claim_next()
    if row is None:
        return None
    try:
        item = WatchlistItem.objects.select_related("source").filter(pk=row.item_id).first()
        if item is None or item.status in (ItemStatus.PAUSED, ItemStatus.ARCHIVED):
            return None  # gone or paused since it was queued
        result = check_item(item)
        return {"item_id": str(result.item_id), "new": len(result.new_episodes), "error": result.error}
    finally:
        finish(row)


def sweep(now: Any = None) -> int:
    """Release the leases of checks whose worker died, and send tokens for
    checks that have waited too long (lost messages). Returns tokens sent."""
    now = now or timezone.now()
    PendingCheck.objects.filter(claimed_until__lt=now).update(claimed_until=None)
    stale = PendingCheck.objects.filter(claimed_until__isnull=True, requested_at__lt=now - SWEEP_AFTER).count()
    tokens = min(stale, SWEEP_MAX_TOKENS)
    if tokens:
        send_tokens(tokens)
    return tokens
