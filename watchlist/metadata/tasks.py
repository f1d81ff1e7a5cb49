"""Celery tasks of the metadata part: thin wrappers over refresh.py,
airing.py and posters.py. Beat runs the two dispatchers every minute (rows
seeded by the migration, see watchlist/beat.py)."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task

from downloads.celery_config import CHECK_QUEUE

logger = logging.getLogger(__name__)

QUEUE = CHECK_QUEUE


@shared_task(queue=QUEUE, ignore_result=True, expires=55)
def dispatch_airing_checks_task() -> dict[str, Any]:
    from .airing import dispatch_airing_checks

    report = dispatch_airing_checks()
    return {"airings": report.airings, "checks": report.checks}


@shared_task(queue=QUEUE, ignore_result=True, expires=55)
def dispatch_metadata_refresh_task() -> dict[str, Any]:
    from .refresh import dispatch_due_refreshes, prune

    sent = dispatch_due_refreshes()
    pruned = prune()
    return {"series": sent, "pruned": pruned}


@shared_task(queue=QUEUE, ignore_result=True, soft_time_limit=240, time_limit=300)
def refresh_series_task(series_pks: list[int]) -> dict[str, Any]:
    from .refresh import refresh_series

    report = refresh_series(series_pks)
    return {"refreshed": len(report.refreshed), "unknown": len(report.unknown), "error": report.error}


@shared_task(queue=QUEUE, ignore_result=True, soft_time_limit=60, time_limit=90)
def fetch_poster_task(series_pk: int) -> bool:
    from .models import Series
    from .posters import store_poster

    series = Series.objects.filter(pk=series_pk).first()
    return bool(series and store_poster(series))
