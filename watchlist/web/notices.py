"""Reading and marking the user's notifications (the rows are created by
watchlist/notifications.py and watchlist/downloading.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from ..models import Notification


def of_user(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related("item").order_by("-created_at", "-id")


def unread_count(user: Any) -> int:
    # Served by the (user, read_at, -created_at) index.
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(notification: Notification) -> Notification:
    # Conditional: a second click keeps the first read time.
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def mark_all_read(user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
