"""Air-time-aware checks: an item is also checked shortly after each of its
episodes airs, then goes back to its owner's interval.

How it fits the per-user schedule (watchlist/schedule.py): that dispatcher
runs every minute and takes the *users* whose ``next_check_at`` has come. The
airing checks are the same pattern keyed on *episodes* instead: every
`SeriesAiring` row (one per announced episode of a series, from AniList's
airing schedule) carries ``next_check_at`` = air time + the next offset of
AIRING_CHECK_OFFSETS_MINUTES (default 15, 30, 60, 120). A sibling beat task
(`dispatch_airing_checks_task`, every minute, seeded next to the user
dispatcher) takes the rows whose time has come, in batches claimed with
``SELECT ... FOR UPDATE SKIP LOCKED``, publishes one ``check_item_task`` per
item of that series still waiting for the episode, and only then moves the
row to its next offset (or clears it after the last). So, as for users: a
tick that cannot reach the broker changes nothing and the next tick makes
up for it; two dispatchers never send one offset twice; offsets missed
while everything was down are merged into one check, not replayed.

Bounded cost: at most len(offsets) extra checks per item per episode, none
for items that already have the episode, none for paused/archived items or
users whose schedule is off. Checks of items that share a source share its
fetch (watchlist/sources.py: one request per refresh window), so N users
of one feed still cost one fetch per offset. A check at an offset counts as
the item's check (``last_checked_at``), so the user's next regular dispatch
skips the item when it was checked less than an interval ago: airing checks
partly replace interval checks rather than only adding to them.

The same offsets apply when an episode's air time moves (AniList postpones
it): its row is rescheduled from the new time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..due import _checkable
from ..models import Episode, WatchlistItem
from . import defaults
from .anilist import Airing
from .episodes import aired_episode_numbers
from .models import Series, SeriesAiring

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
MAX_BATCHES = 20


def check_time(airing_at: datetime, done: int, offsets: tuple[int, ...]) -> datetime | None:
    """When the check number ``done`` (0-based) of an episode is due."""
    return airing_at + timedelta(minutes=offsets[done]) if done < len(offsets) else None


def sync_schedule(series: Series, schedule: list[Airing], now: datetime) -> None:
    """Make the series' upcoming airings what AniList lists now.

    Aired rows stay (their checks may still be running, and the calendar
    shows the past week). An upcoming row AniList no longer lists was moved
    or dropped, and goes.
    """
    offsets = defaults.airing_check_offsets()
    listed = {airing.episode: airing.airing_at for airing in schedule}
    existing = {row.episode: row for row in SeriesAiring.objects.filter(series=series)}
    create, update = [], []
    for episode, airing_at in listed.items():
        row = existing.get(episode)
        if row is None:
            create.append(
                SeriesAiring(
                    series=series, episode=episode, airing_at=airing_at, next_check_at=check_time(airing_at, 0, offsets)
                )
            )
        elif row.airing_at != airing_at:
            # Moved: its checks start again from the new time.
            row.airing_at, row.checks_done, row.next_check_at = airing_at, 0, check_time(airing_at, 0, offsets)
            update.append(row)
    SeriesAiring.objects.bulk_create(create, ignore_conflicts=True)
    if update:
        SeriesAiring.objects.bulk_update(update, ["airing_at", "checks_done", "next_check_at"])
    gone = [row.pk for episode, row in existing.items() if episode not in listed and row.airing_at > now]
    if gone:
        SeriesAiring.objects.filter(pk__in=gone).delete()


def items_awaiting(airing: SeriesAiring) -> list[WatchlistItem]:
    """The items of the series that an airing check should check: tracked
    (as a scheduled check would), their owner's schedule on, and without the
    episode yet."""
    schedule_on = Q(owner__watchlist_settings__scheduler_enabled=True) | Q(owner__watchlist_settings__isnull=True)
    items = list(
        WatchlistItem.objects.filter(_checkable(), schedule_on, series_id=airing.series_id).only(
            "pk", "last_episode_downloaded", "series_id"
        )
    )
    if not items:
        return []
    numbers = aired_episode_numbers(airing.series, airing.episode)
    recorded = set(
        Episode.objects.filter(item__in=items, number__in=numbers).values_list("item_id", flat=True).distinct()
    )
    series = airing.series
    return [
        item for item in items if item.pk not in recorded and not _has_by_last_episode(item, series, airing.episode)
    ]


def _has_by_last_episode(item: WatchlistItem, series: Series, episode: int) -> bool:
    from .episodes import episodes_have

    item.series = series
    return episodes_have(item) >= episode


@dataclass
class AiringDispatchReport:
    airings: int = 0
    checks: int = 0
    batches: int = 0


def dispatch_airing_checks(now: datetime | None = None, *, batch_size: int = BATCH_SIZE) -> AiringDispatchReport:
    """Publish the airing checks whose time has come (module docstring)."""
    from ..tasks import check_item_task  # tasks import the checker; keep this module light

    now = now or timezone.now()
    offsets = defaults.airing_check_offsets()
    report = AiringDispatchReport()
    while report.batches < MAX_BATCHES:
        with transaction.atomic():
            rows = list(
                SeriesAiring.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("series")
                .filter(next_check_at__lte=now)
                .order_by("next_check_at")[:batch_size]
            )
            if not rows:
                return report
            item_ids: list[str] = []
            for row in rows:
                item_ids += [str(item.pk) for item in items_awaiting(row)]
            item_ids = list(dict.fromkeys(item_ids))  # one check per item even if two episodes are due
            # Publish first: if the broker is unreachable this raises, the
            # transaction rolls back and the rows stay due.
            if item_ids:
                with check_item_task.app.producer_or_acquire() as producer:
                    for item_id in item_ids:
                        check_item_task.apply_async((item_id,), producer=producer)
            for row in rows:
                done = row.checks_done + 1
                # Offsets whose time has passed as well (a dispatcher that was
                # down) are covered by this one check.
                while done < len(offsets) and row.airing_at + timedelta(minutes=offsets[done]) <= now:
                    done += 1
                row.checks_done, row.next_check_at = done, check_time(row.airing_at, done, offsets)
            SeriesAiring.objects.bulk_update(rows, ["checks_done", "next_check_at"])
        report.airings += len(rows)
        report.checks += len(item_ids)
        report.batches += 1
    return report
