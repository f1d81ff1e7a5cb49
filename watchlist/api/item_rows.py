"""The watchlist list's rows as light records, not model instances.

A listed item used to cost three model instances (the item, its series and
its last CheckRun, each built through ``Model.from_db``) and a second query
to find the last checks. Here a page is read with ``values_list`` into
named tuples that carry the models' attribute names, so the same
serializers (their plans, fast_representation.py) and the same helpers
(``episodes_have``, ``item_poster_url``) read them as they read instances;
only the columns the list shows are read. The last checks of a page come in
one more query, whatever the number of items.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.db.models import OuterRef, QuerySet, Subquery

from ..models import CheckRun, WatchlistItem


class ListedRow:
    """Marks a row the serializers' plans may represent like an instance
    of their model (PlannedRepresentationMixin)."""

    __slots__ = ()


# What WatchlistItemSerializer and the helpers it calls read of the item.
ITEM_COLUMNS = (
    "id",
    "anime_title",
    "anime_url",
    "provider_id",
    "lang",
    "auto_download",
    "quality_preference",
    "poster_image",
    "synopsis",
    "genres",
    "status",
    "last_episode_downloaded",
    "title_aliases",
    "season",
    "first_absolute_episode",
    "include_specials",
    "last_checked_at",
    "created_at",
    "updated_at",
)
# What SeriesSerializer, the poster URL and the episode counts read of the series.
SERIES_COLUMNS = (
    "anilist_id",
    "title_english",
    "title_romaji",
    "title_native",
    "synonyms",
    "format",
    "status",
    "episodes",
    "duration_minutes",
    "season",
    "season_year",
    "genres",
    "synopsis",
    "site_url",
    "cover_url",
    "next_airing_episode",
    "next_airing_at",
    "first_absolute_episode",
    "fetched_at",
)
# What CheckRunSerializer reads of an item's last check.
RUN_COLUMNS = (
    "item_id",
    "started_at",
    "duration_ms",
    "new_episode_numbers",
    "queued_episode_numbers",
    "error",
    "source_status",
)


class SeriesRow(namedtuple("SeriesRow", SERIES_COLUMNS), ListedRow):
    __slots__ = ()


class ItemRow(namedtuple("ItemRow", (*ITEM_COLUMNS, "last_run_id", "series")), ListedRow):
    __slots__ = ()

    @property
    def pk(self) -> UUID:
        return self.id


class CheckRunRow(namedtuple("CheckRunRow", RUN_COLUMNS), ListedRow):
    __slots__ = ()


def _latest_run(item: OuterRef) -> Subquery:
    return Subquery(CheckRun.objects.filter(item=item).order_by("-started_at", "-pk").values("pk")[:1])


def listed_values(items: QuerySet[WatchlistItem]) -> QuerySet:
    """The columns of ``items`` the list shows and the id of each one's last
    check, then their series' columns joined in (``series_id`` first: null
    when the item has none)."""
    return items.annotate(last_run_id=_latest_run(OuterRef("pk"))).values_list(
        *ITEM_COLUMNS, "last_run_id", "series_id", *(f"series__{name}" for name in SERIES_COLUMNS)
    )


def item_rows(values: Iterable[tuple[Any, ...]]) -> list[ItemRow]:
    """``listed_values`` tuples as ItemRows, each with its SeriesRow or None."""
    width = len(ITEM_COLUMNS) + 1  # and last_run_id
    make_item, make_series = ItemRow._make, SeriesRow._make
    rows = []
    for value in values:
        series = make_series(value[width + 1 :]) if value[width] is not None else None
        rows.append(make_item((*value[:width], series)))
    return rows


def last_run_ids(item_ids: list[Any]) -> list[int]:
    """The id of each item's latest CheckRun (for items not read as rows)."""
    runs = WatchlistItem.objects.filter(pk__in=item_ids).annotate(run=_latest_run(OuterRef("pk")))
    return [run for run in runs.values_list("run", flat=True) if run is not None]


def check_run_rows(run_ids: Iterable[int | None]) -> dict[UUID, CheckRunRow]:
    """These CheckRuns by their item's id, in one query (by primary key)."""
    wanted = [pk for pk in run_ids if pk is not None]
    if not wanted:
        return {}
    rows = CheckRun.objects.filter(pk__in=wanted).order_by().values_list(*RUN_COLUMNS)
    return {run.item_id: run for run in map(CheckRunRow._make, rows)}
