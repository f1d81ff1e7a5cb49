"""A user's episode calendar: when the next episodes of their series air,
in their own time zone (WatchlistSettings.time_zone, else TIME_ZONE).

One entry per series and episode, even when the user tracks the series
twice (two languages): the calendar is about air times, not sources.
Archived items are left out; paused ones stay (the episode still airs).
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from django.conf import settings
from django.utils import timezone

from ..models import ItemStatus, WatchlistItem, WatchlistSettings
from .models import Series, SeriesAiring

DEFAULT_DURATION_MINUTES = 24


@lru_cache(maxsize=1)
def zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_zone_name(name: str) -> bool:
    return name in zone_names()


def zone_of(name: str) -> zoneinfo.ZoneInfo:
    """The zone called ``name``; the server's TIME_ZONE for "" or a name
    this system does not know (a zone database older than the setting)."""
    try:
        return zoneinfo.ZoneInfo(name) if name and is_zone_name(name) else zoneinfo.ZoneInfo(settings.TIME_ZONE)
    except zoneinfo.ZoneInfoNotFoundError:  # pragma: no cover - TIME_ZONE is checked by Django
        return zoneinfo.ZoneInfo("UTC")


def user_zone(user) -> zoneinfo.ZoneInfo:
    name = WatchlistSettings.objects.filter(user=user).values_list("time_zone", flat=True).first() or ""
    return zone_of(name)


@dataclass(frozen=True)
class CalendarEntry:
    item: WatchlistItem
    series: Series
    episode: int
    airing_at: datetime  # in the user's zone
    duration_minutes: int

    @property
    def ends_at(self) -> datetime:
        return self.airing_at + timedelta(minutes=self.duration_minutes)

    @property
    def title(self) -> str:
        return self.item.anime_title

    @property
    def of_total(self) -> str:
        return f"{self.episode}/{self.series.episodes}" if self.series.episodes else str(self.episode)


def entries_between(user, start: datetime, end: datetime, zone: zoneinfo.ZoneInfo | None = None) -> list[CalendarEntry]:
    """The user's episodes airing in [start, end), in air-time order."""
    zone = zone or user_zone(user)
    items: dict[int, WatchlistItem] = {}
    tracked = (
        WatchlistItem.objects.filter(owner=user, series__isnull=False)
        .exclude(status=ItemStatus.ARCHIVED)
        .select_related("series")
        .order_by("anime_title", "created_at")
    )
    for item in tracked:
        items.setdefault(item.series_id, item)  # type: ignore[arg-type]
    if not items:
        return []
    airings = SeriesAiring.objects.filter(series_id__in=items, airing_at__gte=start, airing_at__lt=end).order_by(
        "airing_at", "series_id", "episode"
    )
    entries = []
    for airing in airings:
        item = items[airing.series_id]
        series = item.series
        assert series is not None
        entries.append(
            CalendarEntry(
                item=item,
                series=series,
                episode=airing.episode,
                airing_at=timezone.localtime(airing.airing_at, zone),
                duration_minutes=series.duration_minutes or DEFAULT_DURATION_MINUTES,
            )
        )
    return entries


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())  # Monday


def local_midnight(day: date, zone: zoneinfo.ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


@dataclass(frozen=True)
class Day:
    day: date
    entries: list[CalendarEntry]
    is_today: bool


def days(user, first: date, count: int, zone: zoneinfo.ZoneInfo, today: date) -> list[Day]:
    """``count`` local days from ``first``, each with its entries. Day
    bounds are local midnights, so a day that gains or loses an hour with
    daylight saving time still holds exactly its own episodes."""
    start, end = local_midnight(first, zone), local_midnight(first + timedelta(days=count), zone)
    by_day: dict[date, list[CalendarEntry]] = {}
    for entry in entries_between(user, start, end, zone):
        by_day.setdefault(entry.airing_at.date(), []).append(entry)
    return [
        Day(first + timedelta(days=n), by_day.get(first + timedelta(days=n), []), first + timedelta(days=n) == today)
        for n in range(count)
    ]
