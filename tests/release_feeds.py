"""Feeds of release names for the matching tests: a release group's feed of
everything it publishes, served as RSS by the loopback server, and
indexer-like result sets stored as a source's releases."""

from __future__ import annotations

from email.utils import formatdate
from urllib.parse import quote
from xml.sax.saxutils import escape

from django.utils import timezone

from tests.factories import make_item
from tests.support.httpserver import LoopbackServer
from watchlist.models import Release, Source, WatchlistItem
from watchlist.providers.episodes import episode_info


def file_url(server: LoopbackServer, name: str) -> str:
    return server.url("/files/" + quote(name) + ".mkv")


def serve_names(server: LoopbackServer, path: str, names: list[str], *, etag: str = '"v1"') -> str:
    """An RSS feed listing ``names`` (newest last), each entry linking to a
    file of that name."""
    entries = "".join(
        "<item>"
        f"<title>{escape(name)}</title>"
        f"<link>{escape(file_url(server, name))}</link>"
        f"<guid>{escape(file_url(server, name))}</guid>"
        f"<pubDate>{formatdate(1_700_000_000 + n * 600, usegmt=True)}</pubDate>"
        "</item>"
        for n, name in enumerate(names)
    )
    body = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Group feed</title>'
        "<link>http://127.0.0.1/</link><description>every release of a group</description>"
        f"{entries}</channel></rss>"
    )
    return server.add(path, body, content_type="application/rss+xml", etag=etag)


def feed_item(owner, url: str, **fields) -> WatchlistItem:
    fields.setdefault("lang", "")
    fields.setdefault("auto_download", False)
    item = make_item(owner, anime_url=url, provider_id="feed", **fields)
    return WatchlistItem.objects.select_related("source").get(pk=item.pk)


def store_results(source: Source, results: list[dict]) -> list[Release]:
    """Store an indexer-like result set as the source's releases (fetched
    just now, so a check uses them without a request). Each result is a
    name plus the torrent figures an indexer gives."""
    now = timezone.now()
    rows = []
    for n, result in enumerate(results):
        info = episode_info(result["name"], f"https://tracker.example.org/{n}.torrent", include_extras=True)
        assert info is not None, result["name"]
        rows.append(
            Release.objects.create(
                source=source,
                episode=info.episode,
                episode_end=info.episode_end,
                season=info.season,
                title=info.title,
                url=info.url,
                resolution=info.resolution,
                version=info.version,
                language=info.language,
                release_name=result["name"],
                is_special=info.is_special,
                group=info.group,
                seeders=result.get("seeders"),
                leechers=result.get("leechers"),
                size=result.get("size"),
                trusted=result.get("trusted", False),
                remake=result.get("remake", False),
            )
        )
    Source.objects.filter(pk=source.pk).update(fetched_at=now, last_attempt_at=now, last_status="fetched")
    return rows
