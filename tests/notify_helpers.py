"""Shared pieces of the notification tests: a target row for a URL, and
the ``receiver`` fixture (registered in conftest's pytest_plugins)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.receivers import WebhookReceiver
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


@pytest.fixture
def receiver(settings) -> Iterator[WebhookReceiver]:
    """A webhook receiver on 127.0.0.1, allow-listed (by its address only)
    and answered within the test's patience."""
    server = WebhookReceiver().start()
    settings.PRIVATE_SOURCE_ALLOWLIST = [server.netloc]
    settings.NOTIFY_SEND_TIMEOUT_SECONDS = 5
    yield server
    server.stop()
