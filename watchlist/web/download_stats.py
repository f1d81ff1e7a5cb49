"""Completed downloads counted for the stats page: per day and per provider.

Jobs do not reference items (the downloads app knows nothing about them), so
the provider is reached through the item id the watchlist side stored in
``job.metadata``: the database groups by that id, and the few items it names
are looked up in one query. A job whose item was deleted since counts as
"Deleted series" rather than disappearing from the total.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from downloads.models import DownloadJob, JobStatus

from ..models import WatchlistItem
from .labels import provider_names

DAYS = 30
GONE = "__gone__"


def _completed(user: Any):
    return DownloadJob.objects.filter(owner=user, status=JobStatus.COMPLETED, finished_at__isnull=False)


def per_day(user: Any, days: int = DAYS, today: date | None = None) -> list[tuple[date, int]]:
    """(day, count) for the last `days` days, oldest first, empty days as 0.
    Days are the site's time zone's days, like every date on the pages."""
    today = today or timezone.localdate()
    first = today - timedelta(days=days - 1)
    rows = (
        _completed(user)
        .annotate(day=TruncDate("finished_at", tzinfo=timezone.get_current_timezone()))
        .filter(day__gte=first, day__lte=today)
        .values_list("day")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = dict(rows)
    return [(first + timedelta(days=i), counts.get(first + timedelta(days=i), 0)) for i in range(days)]


def per_provider(user: Any) -> tuple[dict[str, int], dict[str, str]]:
    """(counts by provider id, display names) of all completed downloads."""
    by_item = dict(_completed(user).values_list("metadata__item_id").annotate(n=Count("id")).order_by())
    ids = [item_id for item_id in by_item if item_id]
    providers = dict(WatchlistItem.objects.filter(owner=user, pk__in=ids).values_list("pk", "provider_id"))
    providers = {str(pk): provider for pk, provider in providers.items()}
    counts: Counter[str] = Counter()
    for item_id, n in by_item.items():
        counts[providers.get(str(item_id), GONE) if item_id else GONE] += n
    names = {**provider_names(), GONE: _("Deleted or unknown series")}
    return dict(counts), names
