"""Which items are due for a check: one query, whatever the number of users.

An item is due when its owner tracks it (active, or completed when the owner
includes completed series) and it was never checked or its last check is
older than the owner's ``check_interval_hours``. Paused and archived items
are never due. Users without a settings row get the model defaults, so the
query does not depend on the row having been created.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db.models import DateTimeField, ExpressionWrapper, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .dbfunctions import Seconds
from .models import ItemStatus, WatchlistItem, WatchlistSettings

_DEFAULT_INTERVAL = WatchlistSettings._meta.get_field("check_interval_hours").default
_DEFAULT_INCLUDE_COMPLETED = WatchlistSettings._meta.get_field("include_completed_anime").default


def hours(expression) -> Seconds:
    """A count of check-interval hours as a duration. An "hour" lasts
    CHECK_INTERVAL_UNIT_SECONDS (3600, but in tests that need schedules to
    come round in seconds)."""
    return Seconds(expression * Value(settings.CHECK_INTERVAL_UNIT_SECONDS))


def _checkable() -> Q:
    include_completed = Q(owner__watchlist_settings__include_completed_anime=True)
    if _DEFAULT_INCLUDE_COMPLETED:  # pragma: no cover - the default is False today
        include_completed |= Q(owner__watchlist_settings__isnull=True)
    return Q(status=ItemStatus.ACTIVE) | (Q(status=ItemStatus.COMPLETED) & include_completed)


def due_items(now: datetime | None = None, *, owner=None, slack: float = 0.0) -> QuerySet[WatchlistItem]:
    """Items whose check is due at ``now``, oldest check first (never-checked
    items lead: NULLs sort first).

    ``slack`` (a fraction of each owner's interval) also counts items checked
    a little less than an interval ago as due. The scheduler needs it: a
    user comes due again one interval (plus jitter) after the *dispatch*,
    while the items' ``last_checked_at`` is when each check *started*, a
    queue wait later; without slack those items would wait a whole extra
    interval whenever the wait exceeds the jitter.
    """
    now = now or timezone.now()
    interval_hours = Coalesce(F("owner__watchlist_settings__check_interval_hours"), Value(_DEFAULT_INTERVAL))
    if slack:
        interval_hours = interval_hours * Value(1.0 - slack)
    # Each row's own "now - interval" is computed by the database, so every
    # user's interval is applied in the same single query.
    due_before = ExpressionWrapper(
        Value(now, output_field=DateTimeField()) - hours(interval_hours), output_field=DateTimeField()
    )
    items = (
        WatchlistItem.objects.filter(_checkable())
        .alias(due_before=due_before)
        .filter(Q(last_checked_at__isnull=True) | Q(last_checked_at__lte=F("due_before")))
    )
    if owner is not None:
        items = items.filter(owner=owner)
    return items.order_by(F("last_checked_at").asc(nulls_first=True), "created_at")


def checkable_items(owner) -> QuerySet[WatchlistItem]:
    """Every item of ``owner`` a forced check-all covers, due or not: the
    same status rules as `due_items`, without the interval."""
    return WatchlistItem.objects.filter(_checkable(), owner=owner).order_by("created_at")
