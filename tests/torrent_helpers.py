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


def nyaa_rss(entries: list[dict]) -> str:
    """A nyaa-style RSS feed: each entry's link is a .torrent (or a magnet),
    with the tracker's fields in the nyaa namespace.

    entry keys: title, link, and optionally infohash, seeders, leechers,
    size ("1.2 GiB"), trusted, remake (bools).
    """
    from email.utils import formatdate
    from xml.sax.saxutils import escape

    items = []
    for n, entry in enumerate(entries):
        fields = [
            f"<title>{escape(entry['title'])}</title>",
            f"<link>{escape(entry['link'])}</link>",
            f'<guid isPermaLink="false">{n}</guid>',
            f"<pubDate>{formatdate(1_700_000_000 + n * 60, usegmt=True)}</pubDate>",
        ]
        for tag, key in (("infoHash", "infohash"), ("seeders", "seeders"), ("leechers", "leechers"), ("size", "size")):
            if key in entry:
                fields.append(f"<nyaa:{tag}>{escape(str(entry[key]))}</nyaa:{tag}>")
        for tag in ("trusted", "remake"):
            if tag in entry:
                fields.append(f"<nyaa:{tag}>{'Yes' if entry[tag] else 'No'}</nyaa:{tag}>")
        items.append("<item>" + "".join(fields) + "</item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:nyaa="https://nyaa.si/xmlns/nyaa"><channel><title>Tracker</title>'
        "<link>http://127.0.0.1/</link><description>torrents</description>" + "".join(items) + "</channel></rss>"
    )
