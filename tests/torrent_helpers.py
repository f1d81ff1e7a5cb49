"""Fixtures for the torrent tests: a seeder, a loopback tracker, torrents."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.httpserver import LoopbackServer
from tests.support.torrent_seeder import LoopbackTracker, TorrentSeeder


@pytest.fixture
def seeder() -> Iterator[TorrentSeeder]:
    with TorrentSeeder() as running:
        yield running


@pytest.fixture
def tracker(http_server: LoopbackServer, seeder: TorrentSeeder) -> LoopbackTracker:
    """A tracker whose only peer is the seeder."""
    return LoopbackTracker(http_server, [seeder.endpoint])


@pytest.fixture
def torrent_settings(settings, download_dir, tmp_path):
    """Fast failure paths and no seeding after a download (tests end with it)."""
    settings.TORRENT_SEED_RATIO = 0
    settings.TORRENT_STALL_MINUTES = 0.1
    settings.TORRENT_METADATA_TIMEOUT_SECONDS = 5
    settings.TORRENT_RESUME_SAVE_SECONDS = 1
    settings.TORRENT_RESUME_DIR = str(tmp_path / "resume")
    return settings
