"""Fixtures for the downloads tests, imported by the test modules that use them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from downloads.errors import Cancelled
from tests.support.media_server import MediaServer


@pytest.fixture
def media() -> Iterator[MediaServer]:
    server = MediaServer().start()
    yield server
    server.stop()


@pytest.fixture
def download_dir(settings, tmp_path: Path) -> Path:
    """DOWNLOAD_DIR in a temp folder, loopback sources allowed, short timeouts."""
    root = tmp_path / "library"
    root.mkdir()
    settings.DOWNLOAD_DIR = root
    settings.ALLOW_PRIVATE_SOURCES = True
    settings.DOWNLOAD_STALL_SECONDS = 2
    settings.HTTP_TIMEOUT_SECONDS = 5
    settings.DOWNLOAD_MIN_FREE_BYTES = 0
    settings.DOWNLOAD_RETRY_BASE_SECONDS = 1
    return root


class MemorySink:
    """A ProgressSink without a database: records what a backend reports and
    can be told to cancel after some bytes."""

    def __init__(self, state: dict[str, Any] | None = None, cancel_after: int | None = None) -> None:
        self.state: dict[str, Any] = dict(state or {})
        self.calls: list[tuple[int, int | None]] = []
        self.saved: list[dict[str, Any]] = []
        self.cancel_after = cancel_after
        self.flushes = 0
        self.swarms: list[tuple[int, int]] = []

    def __call__(self, done: int, total: int | None) -> None:
        self.calls.append((done, total))
        if self.cancel_after is not None and done >= self.cancel_after:
            raise Cancelled("cancelled")

    def save_state(self, state: dict[str, Any]) -> None:
        self.state = dict(state)
        self.saved.append(dict(state))

    def flush(self) -> None:
        self.flushes += 1

    def swarm(self, peers: int, seeds: int) -> None:
        self.swarms.append((peers, seeds))


class SentMessages(list):
    """Job ids the manager handed to the broker, in order (the Celery boundary)."""

    def ids(self) -> list[str]:
        return [str(job_id) for job_id, _ in self]


@pytest.fixture
def sent(monkeypatch) -> SentMessages:
    """Record Celery sends instead of publishing: these tests are about which
    jobs the manager dispatches, not about the broker."""
    from downloads import manager

    messages = SentMessages()
    monkeypatch.setattr(manager, "send", lambda job_id, countdown=None: messages.append((job_id, countdown)))
    return messages


def destination(root: Path, name: str) -> Path:
    return root / "alice" / "Show" / f"{name}.mkv"
