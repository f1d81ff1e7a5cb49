"""Reading and writing the release rules rows (the API and the dashboard
share these)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from watchlist.models import ReleaseDecision, ReleaseRules, WatchlistItem


def user_rules(user) -> ReleaseRules:
    """The user's own rules, created empty (the defaults) on first use."""
    row = ReleaseRules.objects.filter(owner=user, item__isnull=True).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            return ReleaseRules.objects.create(owner=user)
    except IntegrityError:  # created by a concurrent request
        return ReleaseRules.objects.get(owner=user, item__isnull=True)


def item_rules(item: WatchlistItem) -> ReleaseRules:
    """The item's overrides, created empty (inherit everything) on first use."""
    row, _ = ReleaseRules.objects.get_or_create(item=item, defaults={"owner_id": item.owner_id})
    return row


def save_rules(row: ReleaseRules, changes: dict[str, Any]) -> ReleaseRules:
    for name, value in changes.items():
        setattr(row, name, value)
    row.save()
    return row


def decisions_of(item: WatchlistItem, episode: int | None = None):
    rows = ReleaseDecision.objects.filter(item=item).order_by("episode", "-picked", "pk")
    return rows.filter(episode=episode) if episode is not None else rows
