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
from django.db.models import DateTimeField, DurationField, ExpressionWrapper, F, Func, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import ItemStatus, WatchlistItem, WatchlistSettings

_DEFAULT_INTERVAL = WatchlistSettings._meta.get_field("check_interval_hours").default
_DEFAULT_INCLUDE_COMPLETED = WatchlistSettings._meta.get_field("include_completed_anime").default


class Hours(Func):
    """An integer count of hours as a duration, computed by the database.

    Django has no portable "integer times interval": PostgreSQL multiplies
    by an interval literal, while SQLite holds durations as microseconds.
    An "hour" is CHECK_INTERVAL_UNIT_SECONDS long (3600 but in tests that
    need schedules to come round in seconds); it is an int from settings,
    so formatting it into the SQL is safe.
    """

    output_field = DurationField()

    def as_sql(self, compiler, connection, **extra_context):
        unit = int(settings.CHECK_INTERVAL_UNIT_SECONDS)
        extra_context.setdefault("template", f"(%(expressions)s * INTERVAL '{unit} seconds')")
        return super().as_sql(compiler, connection, **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        unit = int(settings.CHECK_INTERVAL_UNIT_SECONDS)
        return super().as_sql(compiler, connection, template=f"(%(expressions)s * {unit * 1_000_000})", **extra_context)


def _checkable() -> Q:
    include_completed = Q(owner__watchlist_settings__include_completed_anime=True)
    if _DEFAULT_INCLUDE_COMPLETED:  # pragma: no cover - the default is False today
        include_completed |= Q(owner__watchlist_settings__isnull=True)
    return Q(status=ItemStatus.ACTIVE) | (Q(status=ItemStatus.COMPLETED) & include_completed)


def due_items(now: datetime | None = None, *, owner=None) -> QuerySet[WatchlistItem]:
    """Items whose check is due at ``now``, oldest check first (never-checked
    items lead: NULLs sort first)."""
    now = now or timezone.now()
    interval_hours = Coalesce(F("owner__watchlist_settings__check_interval_hours"), Value(_DEFAULT_INTERVAL))
    # Each row's own "now - interval" is computed by the database, so every
    # user's interval is applied in the same single query.
    due_before = ExpressionWrapper(
        Value(now, output_field=DateTimeField()) - Hours(interval_hours), output_field=DateTimeField()
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
