"""The watchlist list's rows as light records, not model instances.

A listed item used to cost three model instances (the item, its series and
its last CheckRun, each built through ``Model.from_db``) and a second query
to find the last checks. Here a page is read with ``values_list`` into
named tuples that carry the models' attribute names, so the same
serializers (their plans, fast_representation.py) and the same helpers
(``episodes_have``, ``item_poster_url``) read them as they read instances.
The columns read are the ones the serializers show, taken from their
fields, and those their method fields read; the last checks of a page come
in one more query, whatever the number of items.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterable
from functools import cache
from typing import Any, NamedTuple
from uuid import UUID

from django.db.models import OuterRef, QuerySet, Subquery
from rest_framework import serializers

from ..models import CheckRun, WatchlistItem

# What the serializers' method fields read besides the fields they show
# (metadata_serializers: the poster URL and the next airing; the episode
# counts read the item's shown fields and its series').
SERIES_READ_BY_METHODS = ("cover_url", "next_airing_episode", "next_airing_at")
RUN_READ_BY_METHODS = ("error",)


class ListedRow:
    """Marks a row the serializers' plans may represent like an instance
    of their model (PlannedRepresentationMixin)."""

    __slots__ = ()


class ListedItem(ListedRow):
    """An item row: its ``last_run_id`` was read with it."""

    __slots__ = ()

    @property
    def pk(self) -> UUID:
        return self.id  # type: ignore[attr-defined] - the named tuple's field


class RowTypes(NamedTuple):
    item: type
    series: type
    run: type


def shown_columns(serializer: serializers.ModelSerializer, *read_by_methods: str) -> tuple[str, ...]:
    """The model's own columns (no relation) that ``serializer``'s fields
    show, in their order, then ``read_by_methods``."""
    plain = {f.name for f in serializer.Meta.model._meta.concrete_fields if not f.is_relation}
    shown = [
        field.source_attrs[0]
        for field in serializer._readable_fields
        if len(field.source_attrs) == 1 and field.source_attrs[0] in plain
    ]
    return tuple(dict.fromkeys([*shown, *read_by_methods]))


@cache
def row_types() -> RowTypes:
    """The named tuples, made once (the serializers import this module)."""
    from .check_serializers import CheckRunSerializer
    from .metadata_serializers import SeriesSerializer
    from .serializers import WatchlistItemSerializer

    item = shown_columns(WatchlistItemSerializer())
    series = shown_columns(SeriesSerializer(), *SERIES_READ_BY_METHODS)
    run = shown_columns(CheckRunSerializer(), *RUN_READ_BY_METHODS)
    return RowTypes(
        item=type("ItemRow", (namedtuple("ItemRow", (*item, "last_run_id", "series")), ListedItem), {"__slots__": ()}),
        series=type("SeriesRow", (namedtuple("SeriesRow", series), ListedRow), {"__slots__": ()}),
        run=type("CheckRunRow", (namedtuple("CheckRunRow", ("item_id", *run)), ListedRow), {"__slots__": ()}),
    )


def _latest_run(item: OuterRef) -> Subquery:
    return Subquery(CheckRun.objects.filter(item=item).order_by("-started_at", "-pk").values("pk")[:1])


def listed_values(items: QuerySet[WatchlistItem]) -> QuerySet:
    """The columns of ``items`` the list shows and the id of each one's last
    check, then their series' columns joined in (``series_id`` first: null
    when the item has none)."""
    types = row_types()
    item_columns = types.item._fields[:-2]
    return items.annotate(last_run_id=_latest_run(OuterRef("pk"))).values_list(
        *item_columns, "last_run_id", "series_id", *(f"series__{name}" for name in types.series._fields)
    )


def item_rows(values: Iterable[tuple[Any, ...]]) -> list[Any]:
    """``listed_values`` tuples as item rows, each with its series row or None."""
    types = row_types()
    width = len(types.item._fields) - 1  # the item's columns and last_run_id
    make_item, make_series = types.item._make, types.series._make
    rows = []
    for value in values:
        series = make_series(value[width + 1 :]) if value[width] is not None else None
        rows.append(make_item((*value[:width], series)))
    return rows


def last_run_ids(item_ids: list[Any]) -> list[int]:
    """The id of each item's latest CheckRun (for items not read as rows)."""
    runs = WatchlistItem.objects.filter(pk__in=item_ids).annotate(run=_latest_run(OuterRef("pk")))
    return [run for run in runs.values_list("run", flat=True) if run is not None]


def check_run_rows(run_ids: Iterable[int | None]) -> dict[UUID, Any]:
    """These CheckRuns as rows, by their item's id, in one query (by primary key)."""
    wanted = [pk for pk in run_ids if pk is not None]
    if not wanted:
        return {}
    run = row_types().run
    rows = CheckRun.objects.filter(pk__in=wanted).order_by().values_list(*run._fields)
    return {row.item_id: row for row in map(run._make, rows)}
