"""Shared pieces of the notification tests: a target row for a URL, and
running Celery tasks in-process (eager) with on_commit callbacks."""

from __future__ import annotations

from watchlist.models import NotificationTarget
from watchlist.notify import cipher, targets
from watchlist.notify.kinds import DEFAULT_EVENTS


def make_target(owner, url: str, *, name: str = "Hooks", events=None, enabled: bool = True) -> NotificationTarget:
    return NotificationTarget.objects.create(
        owner=owner,
        name=name,
        url_encrypted=cipher.encrypt(url),
        url_masked=targets.validate(url),
        events=list(events if events is not None else DEFAULT_EVENTS),
        enabled=enabled,
    )
