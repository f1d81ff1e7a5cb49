"""Doing one thing to many series at once: pause, resume, delete, set the
quality, turn automatic download on or off.

`POST /api/watchlist/bulk` and the watchlist page's selection bar both call
`apply`. It is all or nothing: every id is checked first (each bad entry is
named with its error), and only when all are fine is anything changed, in
one transaction with the rows locked, so a concurrent edit cannot slip in
between the check and the change.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from downloads.bulk import BulkDone, BulkRefused, parse_ids

from .models import ItemStatus, Quality, WatchlistItem

ACTIONS = ("pause", "resume", "delete", "set_quality", "set_auto_download")
MAX_IDS = 500


def _parse_ids(raw: Any) -> list[uuid.UUID | None]:
    return parse_ids(
        raw, limit=MAX_IDS, empty="Give a list of one or more item ids.", too_many=f"At most {MAX_IDS} ids at once."
    )


def validate(owner: Any, action: Any, raw_ids: Any, options: dict[str, Any]) -> list[uuid.UUID]:
    """The ids to act on, or BulkRefused naming every problem."""
    errors: dict[str, Any] = {}
    if action not in ACTIONS:
        errors["action"] = [f"Unknown action {action!r}; one of: {', '.join(ACTIONS)}."]
    if action == "set_quality" and options.get("quality_preference") not in Quality.values:
        errors["quality_preference"] = [f"Required for set_quality: one of {', '.join(Quality.values)}."]
    if action == "set_auto_download" and not isinstance(options.get("auto_download"), bool):
        errors["auto_download"] = ["Required for set_auto_download: true or false."]
    try:
        parsed = _parse_ids(raw_ids)
    except BulkRefused as refused:
        raise BulkRefused({**errors, **refused.errors}) from None
    owned = set(WatchlistItem.objects.filter(owner=owner, pk__in=[p for p in parsed if p]).values_list("pk", flat=True))
    id_errors: dict[str, list[str]] = {}
    for index, (value, pk) in enumerate(zip(raw_ids, parsed, strict=True)):
        if pk is None:
            id_errors[str(index)] = [f"{str(value)[:60]!r} is not an item id."]
        elif pk not in owned:
            id_errors[str(index)] = [f"No item {pk} on your watchlist."]
    if id_errors:
        errors["ids"] = id_errors
    if errors:
        raise BulkRefused(errors)
    return list(dict.fromkeys(pk for pk in parsed if pk is not None))


def apply(owner: Any, action: Any, raw_ids: Any, **options: Any) -> BulkDone:
    ids = validate(owner, action, raw_ids, options)
    now = timezone.now()
    with transaction.atomic():
        locked = set(
            WatchlistItem.objects.select_for_update().filter(owner=owner, pk__in=ids).values_list("pk", flat=True)
        )
        if len(locked) != len(ids):
            # Deleted between the check and the lock: still all or nothing.
            raise BulkRefused(
                {"ids": {str(i): [f"No item {pk} on your watchlist."] for i, pk in enumerate(ids) if pk not in locked}}
            )
        rows = WatchlistItem.objects.filter(pk__in=locked)
        if action == "pause":
            rows.update(status=ItemStatus.PAUSED, paused_reason="", updated_at=now)
        elif action == "resume":
            rows.update(status=ItemStatus.ACTIVE, paused_reason="", updated_at=now)
        elif action == "set_quality":
            rows.update(quality_preference=options["quality_preference"], updated_at=now)
        elif action == "set_auto_download":
            rows.update(auto_download=options["auto_download"], updated_at=now)
        elif action == "delete":
            rows.delete()
    return BulkDone(action=action, ids=[str(pk) for pk in ids])
