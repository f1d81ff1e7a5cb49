"""A Torznab server on 127.0.0.1, in the shapes Prowlarr and Jackett answer:
``t=caps`` documents, RSS results with ``torznab:attr`` elements (seeders,
peers, infohash, magneturl, category...), and the errors they really send
(401 with ``<error code="100">``, 429 with Retry-After, an ``<error>``
answered with 200, a 5xx, a slow answer).

Each fake indexer lives at ``/<slug>/api`` of one loopback server and
keeps the requests it saw (their query parameters), so tests assert on
real HTTP traffic.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from urllib.parse import parse_qsl, quote, urlencode, urlsplit
from xml.sax.saxutils import escape, quoteattr

from tests.support.httpserver import LoopbackServer, Route, SeenRequest

TORZNAB_NS = "http://torznab.com/schemas/2015/feed"
T0 = 1_795_000_000  # 2026-11-18, the fake's "now" for publish dates


@dataclass(frozen=True)
class FakeRelease:
    title: str
    size: int = 1_400_000_000
    seeders: int | None = 50
    leechers: int | None = 5
    magnet: bool = True  # a magneturl attr (Prowlarr's nyaa gives one)
    torrent_link: bool = True  # a .torrent download link (with the key in it, as Jackett's)
    published: int = T0
    category: int = 5070
    season: int | None = None  # what a season= filter keeps (None: every season)
    infohash_attr: bool = True

    @property
    def infohash(self) -> str:
        return hashlib.sha1(self.title.encode()).hexdigest()  # noqa: S324 (an identifier, not a secret)

    def magnet_uri(self) -> str:
        trackers = "".join(f"&tr={quote(f'http://tracker{n}.example.org:7777/announce', safe='')}" for n in range(3))
        return f"magnet:?xt=urn:btih:{self.infohash}&dn={quote(self.title)}{trackers}"


@dataclass
class Failure:
    """What the indexer answers instead of results."""

    status: int = 200
    code: str = ""
    description: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None  # raw body instead of an <error> document


@dataclass
class FakeIndexer:
    server: FakeTorznab
    slug: str
    api_key: str
    releases: list[FakeRelease] = field(default_factory=list)
    tv_search: bool = True
    tv_params: str = "q,season,ep"
    failure: Failure | None = None
    caps_failure: Failure | None = None
    delay: float = 0.0  # seconds before answering a search
    seen: list[dict[str, str]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.server.http.url(f"/{self.slug}/api")

    def searches(self) -> list[dict[str, str]]:
        return [params for params in self.seen if params.get("t") != "caps"]

    def caps_requests(self) -> list[dict[str, str]]:
        return [params for params in self.seen if params.get("t") == "caps"]

    # --- answering ---

    def answer(self, seen: SeenRequest) -> tuple[int, dict[str, str], bytes]:
        params = dict(parse_qsl(urlsplit(seen.path).query, keep_blank_values=True))
        with self.server.lock:
            self.seen.append(params)
        if params.get("apikey") != self.api_key:
            return _error(Failure(401, "100", "Invalid API Key"))
        kind = params.get("t", "")
        if kind == "caps":
            if self.caps_failure is not None:
                return _error(self.caps_failure)
            return 200, {"Content-Type": "application/xml; charset=utf-8"}, self.caps().encode()
        if self.delay:
            time.sleep(self.delay)
        if self.failure is not None:
            return _error(self.failure)
        if kind not in ("search", "tvsearch"):
            return _error(Failure(200, "202", f"No such function ({kind})"))
        if kind == "tvsearch" and not self.tv_search:
            return _error(Failure(200, "203", "Function not available"))
        return 200, {"Content-Type": "application/rss+xml; charset=utf-8"}, self.results(params).encode()

    def caps(self) -> str:
        tv = f'<tv-search available="{"yes" if self.tv_search else "no"}" supportedParams="{self.tv_params}"/>'
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<caps><server title="{escape(self.slug)}"/><limits default="100" max="100"/>'
            '<searching><search available="yes" supportedParams="q"/>'
            f'{tv}<movie-search available="no" supportedParams="q"/></searching>'
            '<categories><category id="5000" name="TV"><subcat id="5070" name="TV/Anime"/></category>'
            '<category id="2000" name="Movies"/></categories></caps>'
        )

    def matching(self, params: dict[str, str]) -> list[FakeRelease]:
        words = params.get("q", "").casefold().split()
        cats = {int(c) for c in params.get("cat", "").split(",") if c.isdigit()}
        season = params.get("season")
        found = []
        for release in self.releases:
            if not all(word in release.title.casefold() for word in words):
                continue
            if cats and release.category not in cats and (release.category // 1000) * 1000 not in cats:
                continue
            if season and release.season is not None and release.season != int(season):
                continue
            found.append(release)
        return found

    def results(self, params: dict[str, str]) -> str:
        items = [self.item(release, n) for n, release in enumerate(self.matching(params))]
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:torznab="{TORZNAB_NS}">'
            f"<channel><title>{escape(self.slug)}</title><description>fake</description>"
            + "".join(items)
            + "</channel></rss>"
        )

    def download_link(self, release: FakeRelease) -> str:
        # Jackett's own download links carry its key, as the real ones do.
        query = urlencode({"jackett_apikey": self.api_key, "path": release.infohash, "file": release.title})
        return self.server.http.url(f"/{self.slug}/dl/?{query}")

    def item(self, release: FakeRelease, n: int) -> str:
        attrs = {"category": str(release.category)}
        if release.seeders is not None:
            attrs["seeders"] = str(release.seeders)
            attrs["peers"] = str(release.seeders + (release.leechers or 0))
        if release.infohash_attr:
            attrs["infohash"] = release.infohash
        if release.magnet:
            attrs["magneturl"] = release.magnet_uri()
        attrs["downloadvolumefactor"] = "0"
        attrs["uploadvolumefactor"] = "1"
        link = self.download_link(release) if release.torrent_link else release.magnet_uri()
        parts = [
            f"<title>{escape(release.title)}</title>",
            f"<guid>https://tracker.example.org/view/{n}-{release.infohash[:8]}</guid>",
            f"<comments>https://tracker.example.org/view/{n}</comments>",
            f"<pubDate>{formatdate(release.published, usegmt=True)}</pubDate>",
            f"<size>{release.size}</size>",
            f"<link>{escape(link)}</link>",
            f"<category>{release.category}</category>",
            f'<enclosure url={quoteattr(link)} length="{release.size}" type="application/x-bittorrent"/>',
        ]
        parts += [f"<torznab:attr name={quoteattr(k)} value={quoteattr(v)}/>" for k, v in attrs.items()]
        return "<item>" + "".join(parts) + "</item>"


def _error(failure: Failure) -> tuple[int, dict[str, str], bytes]:
    if failure.body is not None:
        return failure.status, {"Content-Type": "text/html", **failure.headers}, failure.body
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<error code={quoteattr(failure.code)} description={quoteattr(failure.description)} />"
    )
    return failure.status, {"Content-Type": "application/xml; charset=utf-8", **failure.headers}, body.encode()


class FakeTorznab:
    def __init__(self) -> None:
        self.http = LoopbackServer().start()
        self.lock = threading.Lock()
        self.indexers: dict[str, FakeIndexer] = {}

    @property
    def port(self) -> int:
        return self.http.port

    def add_indexer(self, slug: str, releases: list[FakeRelease] | None = None, **options: object) -> FakeIndexer:
        indexer = FakeIndexer(self, slug, api_key=f"key-{slug}-0123456789abcdef", releases=list(releases or []))
        for name, value in options.items():
            setattr(indexer, name, value)
        self.indexers[slug] = indexer
        self.http.routes[f"/{slug}/api"] = Route(handler=indexer.answer)
        return indexer

    def total_requests(self) -> int:
        return sum(len(indexer.seen) for indexer in self.indexers.values())

    def stop(self) -> None:
        self.http.stop()
