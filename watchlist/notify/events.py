"""emit(): the one door every event goes through.

An event (new episodes found, a download completed or failed, a source
failing check after check, a series complete) becomes:

1. an in-app notification, merged into the user's unread row of the same
   kind and series when the previous event came less than
   NOTIFY_GROUP_SECONDS ago ("Frieren: episodes 5-8 downloaded");
2. one pending OutboxEvent per enabled target of the user that wants this
   kind; delivery.py groups them into messages on the user's digest rhythm.

Telling the user must never break what happened: a failure here is logged
and swallowed (inside a savepoint, so the caller's transaction goes on).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import (
    CheckRun,
    Notification,
    NotificationTarget,
    OutboxEvent,
    WatchlistItem,
    WatchlistSettings,
)
from .grouping import line
from .kinds import NOTIFICATION_KIND, EventKind

logger = logging.getLogger(__name__)

MESSAGE_LIMIT = 500  # Notification.message


def emit(
    kind: EventKind | str,
    item: WatchlistItem | None = None,
    *,
    user_id: int | None = None,
    episodes: Iterable[int] = (),
    detail: str = "",
    in_app: bool = True,
    when: datetime | None = None,
) -> None:
    """Record an event for the item's owner (or ``user_id``): in the
    dashboard (unless ``in_app`` is false) and for the targets that want it."""
    kind = EventKind(kind)
    owner_id = user_id if user_id is not None else (item.owner_id if item is not None else None)
    if owner_id is None:
        raise ValueError("an event needs an item or a user")
    numbers = sorted({int(n) for n in episodes})
    now = when or timezone.now()
    try:
        with transaction.atomic():
            # One emit at a time per user: two downloads finishing together
            # join one group instead of starting two.
            WatchlistSettings.objects.select_for_update().filter(user_id=owner_id).first()
            if in_app:
                _record_in_app(owner_id, kind, item, numbers, detail, now)
            _queue_for_targets(owner_id, kind, item, numbers, detail, now)
    except Exception:
        logger.exception("could not record a %s event for user %s", kind, owner_id)


def _record_in_app(
    owner_id: int, kind: EventKind, item: WatchlistItem | None, numbers: list[int], detail: str, now: datetime
) -> Notification:
    notification_kind = NOTIFICATION_KIND[kind]
    series = item.anime_title if item is not None else ""
    window = timedelta(seconds=settings.NOTIFY_GROUP_SECONDS)
    group = (
        Notification.objects.filter(
            user_id=owner_id,
            kind=notification_kind,
            item=item,
            read_at__isnull=True,
            created_at__gte=now - window,
        )
        .order_by("-created_at")
        .first()
        if window
        else None
    )
    if group is None:
        return Notification.objects.create(
            user_id=owner_id,
            kind=notification_kind,
            item=item,
            episodes=numbers,
            event_count=1,
            created_at=now,
            message=_message(kind, series, numbers, detail),
        )
    merged = sorted(set(group.episodes or []) | set(numbers))
    group.episodes = merged
    group.event_count += 1
    group.created_at = now
    group.message = _message(kind, series, merged, detail)
    group.save(update_fields=["episodes", "event_count", "created_at", "message"])
    return group


def _message(kind: EventKind, series: str, numbers: list[int], detail: str) -> str:
    text = line(kind, series, numbers, detail) + "."
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 1] + "…"


def _queue_for_targets(
    owner_id: int, kind: EventKind, item: WatchlistItem | None, numbers: list[int], detail: str, now: datetime
) -> int:
    # A user has a handful of targets: filtering their event lists here works
    # on every database (JSON "contains" does not on SQLite).
    targets = [t for t in NotificationTarget.objects.filter(owner_id=owner_id, enabled=True) if kind in t.events]
    OutboxEvent.objects.bulk_create(
        [
            OutboxEvent(
                target=target,
                kind=kind,
                item=item,
                series=item.anime_title if item is not None else "",
                episodes=numbers,
                detail=detail[:2000],
                occurred_at=now,
            )
            for target in targets
        ]
    )
    return len(targets)


# --- what the checker and the download receivers call -----------------------


def consecutive_failures(item: WatchlistItem, limit: int) -> int:
    """How many of the item's latest checks failed in a row, counting at most
    ``limit`` (the CheckRun history is the count: nothing to keep in step)."""
    errors = CheckRun.objects.filter(item=item).order_by("-started_at", "-id").values_list("error", flat=True)[:limit]
    count = 0
    for error in errors:
        if not error:
            break
        count += 1
    return count


def check_finished(item: WatchlistItem, new_numbers: list[int], error: str | None, *, in_app_new: bool) -> None:
    """After a check (its CheckRun is recorded): new episodes, or the source
    failing NOTIFY_SOURCE_FAILING_AFTER checks in a row (said once per
    streak: exactly when the streak reaches that length)."""
    if error:
        threshold = settings.NOTIFY_SOURCE_FAILING_AFTER
        streak = consecutive_failures(item, threshold + 1)
        if streak == threshold:
            noun = "check" if threshold == 1 else f"{threshold} checks in a row"
            emit(EventKind.SOURCE_FAILING, item, detail=f"{noun} failed; last error: {error}")
        return
    if new_numbers:
        emit(EventKind.NEW_EPISODES, item, episodes=new_numbers, in_app=in_app_new)
