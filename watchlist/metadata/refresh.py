"""Keeping series records fresh: daily, and shortly after each airing.

A series is due when at least one item tracks it and its ``next_refresh_at``
has come (or is empty: a search result that someone has just added).
`dispatch_due_refreshes` (beat, every minute) claims due series in
batches with ``SELECT ... FOR UPDATE SKIP LOCKED``, moves their
``next_refresh_at`` a lease ahead (so a lost task is retried after it) and
sends `refresh_series_task` messages of up to 50 series each: one AniList
request refreshes 50 series, whoever tracks them.

After a refresh, the next one is due METADATA_REFRESH_HOURS later, or
METADATA_AFTER_AIRING_MINUTES after the next episode airs when that is
sooner. A failed refresh (AniList down, rate-limited) is retried with a
growing delay (15 min, doubling, at most 6 h) or after AniList's
``Retry-After``; it never touches checks, which read only stored rows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from ..models import ItemStatus, WatchlistItem
from . import defaults
from .airing import sync_schedule
from .anilist import PAGE_SIZE, AniListClient, AniListError, MediaRecord
from .models import Series, SeriesAiring
from .series import apply_record, first_absolute_episodes

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=15)
RETRY_FIRST = timedelta(minutes=15)
RETRY_MAX = timedelta(hours=6)
# At most this many series per dispatcher tick (8 requests of 50): well
# under the rate limit, whatever else asks AniList meanwhile.
MAX_PER_TICK = 400
UNTRACKED_KEPT = timedelta(days=30)
AIRINGS_KEPT = timedelta(days=30)


def next_refresh(series: Series, now: datetime) -> datetime:
    daily = now + timedelta(hours=defaults.refresh_hours())
    if series.next_airing_at and series.next_airing_at > now - timedelta(hours=1):
        after_airing = series.next_airing_at + timedelta(minutes=defaults.after_airing_minutes())
        return max(min(daily, after_airing), now + timedelta(minutes=1))
    return daily


def retry_delay(failures: int, retry_after: float | None) -> timedelta:
    delay = min(RETRY_FIRST * (2 ** max(failures - 1, 0)), RETRY_MAX)
    if retry_after:
        delay = max(delay, timedelta(seconds=retry_after))
    return delay


@dataclass
class RefreshReport:
    refreshed: list[int] = field(default_factory=list)  # anilist ids
    unknown: list[int] = field(default_factory=list)
    error: str = ""


def store_full_records(
    records: dict[int, MediaRecord], *, client: AniListClient, now: datetime | None = None
) -> dict[int, Series]:
    """Write full answers (schedule, relations) onto their rows, creating
    missing rows; compute first absolute episodes. Returns the rows."""
    now = now or timezone.now()
    try:
        firsts = first_absolute_episodes(records, client)
    except AniListError as exc:
        logger.info("prequel chain not resolved now (%s); first absolute episodes unchanged", exc)
        firsts = None
    stored = {}
    for anilist_id, record in records.items():
        with transaction.atomic():
            series, _ = Series.objects.select_for_update().get_or_create(anilist_id=anilist_id)
            old_cover = series.cover_url
            old_status, old_total = series.status, series.episodes
            apply_record(series, record, now)
            if firsts is not None:
                series.first_absolute_episode = firsts.get(anilist_id)
            series.detailed_at = now
            series.failures = 0
            series.last_error = ""
            series.next_refresh_at = next_refresh(series, now)
            series.save()
            schedule = list(record.schedule or [])
            if record.next_airing and all(a.episode != record.next_airing.episode for a in schedule):
                schedule.append(record.next_airing)
            sync_schedule(series, schedule, now)
            _after_commit(series, cover_changed=old_cover != series.cover_url or not series.poster_file)
            if (old_status, old_total) != (series.status, series.episodes) or series.is_finished:
                transaction.on_commit(lambda pk=series.pk: _complete_items(pk))
        stored[anilist_id] = series
    return stored


def _after_commit(series: Series, *, cover_changed: bool) -> None:
    if cover_changed and series.cover_url:
        from .tasks import fetch_poster_task

        fetch_poster_task.delay_on_commit(series.pk)


def _complete_items(series_pk: int) -> None:
    from .completion import complete_finished_items

    complete_finished_items(Series.objects.get(pk=series_pk))


def refresh_series(series_pks: list[int], *, client: AniListClient | None = None) -> RefreshReport:
    """Refresh these series with one AniList request per 50."""
    client = client or AniListClient()
    report = RefreshReport()
    rows = list(Series.objects.filter(pk__in=series_pks))
    for start in range(0, len(rows), PAGE_SIZE):
        chunk = rows[start : start + PAGE_SIZE]
        now = timezone.now()
        try:
            records = client.series([row.anilist_id for row in chunk], use_cache=False)
        except AniListError as exc:
            report.error = exc.message
            _record_failure(chunk, exc, now)
            continue
        store_full_records(records, client=client, now=now)
        report.refreshed += list(records)
        unknown = [row for row in chunk if row.anilist_id not in records]
        for row in unknown:
            Series.objects.filter(pk=row.pk).update(
                last_error="AniList has no anime with this id",
                next_refresh_at=now + timedelta(hours=defaults.refresh_hours()),
            )
            report.unknown.append(row.anilist_id)
    return report


def _record_failure(rows: list[Series], exc: AniListError, now: datetime) -> None:
    logger.warning("refreshing %d series from AniList failed: %s", len(rows), exc)
    for row in rows:
        failures = min(row.failures + 1, 1000)
        Series.objects.filter(pk=row.pk).update(
            failures=failures,
            last_error=exc.message[:300],
            next_refresh_at=now + retry_delay(failures, exc.retry_after),
        )


def tracked() -> Exists:
    return Exists(WatchlistItem.objects.filter(series=OuterRef("pk")).exclude(status=ItemStatus.ARCHIVED))


def dispatch_due_refreshes(now: datetime | None = None, *, limit: int = MAX_PER_TICK) -> int:
    """Send refresh tasks for the tracked series whose time has come; return
    how many series were sent."""
    from .tasks import refresh_series_task

    now = now or timezone.now()
    with transaction.atomic():
        pks = list(
            Series.objects.select_for_update(skip_locked=True)
            # Null: a search result nobody tracked until now, never refreshed.
            .filter(tracked(), Q(next_refresh_at__lte=now) | Q(next_refresh_at__isnull=True))
            .order_by(F("next_refresh_at").asc(nulls_first=True))
            .values_list("pk", flat=True)[:limit]
        )
        if not pks:
            return 0
        with refresh_series_task.app.producer_or_acquire() as producer:
            for start in range(0, len(pks), PAGE_SIZE):
                refresh_series_task.apply_async((pks[start : start + PAGE_SIZE],), producer=producer)
        Series.objects.filter(pk__in=pks).update(next_refresh_at=now + LEASE)
    return len(pks)


def prune(now: datetime | None = None) -> int:
    """Forget search results nobody added and airings long past."""
    from .posters import delete_poster

    now = now or timezone.now()
    SeriesAiring.objects.filter(airing_at__lt=now - AIRINGS_KEPT, next_check_at__isnull=True).delete()
    stale = Series.objects.filter(created_at__lt=now - UNTRACKED_KEPT).exclude(
        Exists(WatchlistItem.objects.filter(series=OuterRef("pk")))
    )
    removed = 0
    for series in stale[:500]:
        delete_poster(series)
        series.delete()
        removed += 1
    return removed
