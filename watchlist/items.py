"""Service functions for watchlist items: the rules the API, the dashboard,
the admin and the import command all share."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q

from .models import ItemStatus, Source, WatchlistItem


class DuplicateItem(Exception):
    """The user already tracks this (anime_url, lang)."""

    def __init__(self, existing: WatchlistItem) -> None:
        super().__init__(f"already tracked as {existing.pk}")
        self.existing = existing


def _source_for(provider_id: str, url: str, lang: str) -> Source:
    source, _ = Source.objects.get_or_create(provider_id=provider_id, url=url, lang=lang)
    return source


def _find_duplicate(owner, anime_url: str, lang: str, exclude_pk=None) -> WatchlistItem | None:
    qs = WatchlistItem.objects.filter(owner=owner, anime_url=anime_url, lang=lang)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


def add_item(owner, data: dict[str, Any]) -> WatchlistItem:
    existing = _find_duplicate(owner, data["anime_url"], data.get("lang", ""))
    if existing:
        raise DuplicateItem(existing)
    try:
        with transaction.atomic():
            source = _source_for(data["provider_id"], data["anime_url"], data.get("lang", ""))
            return WatchlistItem.objects.create(owner=owner, source=source, **data)
    except IntegrityError:
        # Lost a race with a concurrent identical request: report its item.
        existing = _find_duplicate(owner, data["anime_url"], data.get("lang", ""))
        if existing:
            raise DuplicateItem(existing) from None
        raise


def update_item(item: WatchlistItem, changes: dict[str, Any]) -> WatchlistItem:
    for name, value in changes.items():
        setattr(item, name, value)
    identity = (item.provider_id, item.anime_url, item.lang)
    if identity != (item.source.provider_id, item.source.url, item.source.lang):
        existing = _find_duplicate(item.owner, item.anime_url, item.lang, exclude_pk=item.pk)
        if existing:
            raise DuplicateItem(existing)
        item.source = _source_for(*identity)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        existing = _find_duplicate(item.owner, item.anime_url, item.lang, exclude_pk=item.pk)
        if existing:
            raise DuplicateItem(existing) from None
        raise
    return item


def set_status(item: WatchlistItem, status: ItemStatus) -> WatchlistItem:
    item.status = status
    # A reason the service gave for pausing it no longer holds once changed.
    item.paused_reason = ""
    item.save(update_fields=["status", "paused_reason", "updated_at"])
    return item


def stats_for(owner) -> dict[str, Any]:
    items = WatchlistItem.objects.filter(owner=owner)
    counts = items.aggregate(
        total=Count("pk"),
        **{status.value: Count("pk", filter=Q(status=status)) for status in ItemStatus},
        auto_download_enabled=Count("pk", filter=Q(auto_download=True)),
    )
    # order_by() drops the model's default ordering, which would otherwise
    # join the GROUP BY and split the counts.
    per_provider = items.order_by("provider_id").values("provider_id").annotate(n=Count("pk"))
    return {**counts, "providers": {row["provider_id"]: row["n"] for row in per_provider}}
