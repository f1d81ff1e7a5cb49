"""Template helpers of the watchlist page's live parts: which series a
check is running for (one query per page), and the last check's verdict."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest

from ..check_words import Verdict, verdict_of_run
from ..models import PendingCheck, WatchlistItem

register = template.Library()


def pending_among(item_ids: list[Any]) -> set[str]:
    return {str(pk) for pk in PendingCheck.objects.filter(item_id__in=item_ids).values_list("item_id", flat=True)}


@register.simple_tag(takes_context=True)
def is_checking(context: dict[str, Any], item: WatchlistItem) -> bool:
    """True while a background check of ``item`` waits or runs. The list
    view puts the page's pending ids in the context; a card rendered alone
    asks for itself."""
    pending = context.get("checking_ids")
    if pending is None:
        request: HttpRequest | None = context.get("request")
        cache = request.__dict__.setdefault("_everyday_ui", {}) if request is not None else {}
        key = f"checking:{item.pk}"
        if key not in cache:
            cache[key] = bool(pending_among([item.pk]))
        return cache[key]
    return str(item.pk) in pending


@register.simple_tag
def last_check_verdict(item: WatchlistItem) -> Verdict | None:
    run = item.check_runs.order_by("-started_at").first()
    return verdict_of_run(run, item) if run is not None else None
