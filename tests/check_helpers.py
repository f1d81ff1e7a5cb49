"""Feeds for the checking tests: RSS documents of generated releases, served
by the loopback server, in the shapes fansub trackers publish (several
releases per episode, in different resolutions, versions and languages)."""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import formatdate
from urllib.parse import quote
from xml.sax.saxutils import escape

import pytest

from tests.factories import make_item
from tests.support.httpserver import LoopbackServer
from watchlist.models import WatchlistItem


@dataclass(frozen=True)
class Rel:
    episode: int
    resolution: int | None = 1080
    lang: str = "VOSTFR"  # as written in the name; "" for an untagged release
    version: int = 1
    title: str = "Frieren"
    group: str = "Grp"

    @property
    def name(self) -> str:
        version = f"v{self.version}" if self.version > 1 else ""
        tags = "".join(f" [{tag}]" for tag in (f"{self.resolution}p" if self.resolution else "", self.lang) if tag)
        return f"[{self.group}] {self.title} - {self.episode:02d}{version}{tags}.mkv"


def rss(server: LoopbackServer, releases: list[Rel]) -> str:
    items = []
    for n, rel in enumerate(releases):
        link = server.url("/files/" + quote(rel.name))
        items.append(
            "<item>"
            f"<title>{escape(rel.name)}</title>"
            f"<link>{escape(link)}</link>"
            f"<guid>{escape(link)}</guid>"
            f"<pubDate>{formatdate(1_700_000_000 + n * 60, usegmt=True)}</pubDate>"
            "</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0"><channel><title>Generated</title><link>http://127.0.0.1/</link>'
        "<description>test feed</description>" + "".join(items) + "</channel></rss>"
    )


def serve_feed(server: LoopbackServer, path: str, releases: list[Rel], *, etag: str = '"v1"', **route) -> str:
    """Serve ``releases`` as an RSS feed at ``path`` (with an ETag, so the
    server answers a matching If-None-Match with 304); return its URL."""
    return server.add(path, rss(server, releases), content_type="application/rss+xml", etag=etag, **route)


def release_url(server: LoopbackServer, rel: Rel) -> str:
    return server.url("/files/" + quote(rel.name))


def feed_item(owner, url: str, **fields) -> WatchlistItem:
    fields.setdefault("lang", "vostfr")
    item = make_item(owner, anime_url=url, provider_id="feed", **fields)
    return WatchlistItem.objects.select_related("source").get(pk=item.pk)


def every_episode(*episodes: int, **kwargs) -> list[Rel]:
    return [Rel(episode, **kwargs) for episode in episodes]


@pytest.fixture
def loopback_sources(settings):
    """Sources on the loopback server are allowed; a 10-minute refresh
    window; short HTTP timeouts."""
    settings.ALLOW_PRIVATE_SOURCES = True
    settings.SOURCE_MIN_REFRESH_MINUTES = 10
    settings.HTTP_TIMEOUT_SECONDS = 5
