"""RSS 2.0 / Atom feeds: torrent trackers' feeds (nyaa-style: the entry
link is the .torrent) and podcast-style feeds of video files (enclosures)."""

from __future__ import annotations

import base64
import calendar
import html
import logging
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import parse_qs, quote, urljoin, urlsplit
from xml.parsers import expat
from xml.sax import SAXParseException

import feedparser

from .base import EpisodeInfo, ProviderError
from .document import DocumentProvider
from .episodes import episode_info, file_name, is_http_url, is_media_url, parse_size, rfc822_date
from .xmlbytes import as_utf8

logger = logging.getLogger(__name__)

_FEED_SUFFIXES = (".rss", ".xml", ".atom", ".rdf")
_FEED_SEGMENTS = {"rss", "feed", "feeds", "atom", "rss.php", "feed.php", "rss2"}
_FEED_QUERY_VALUES = {"rss", "atom", "feed"}


class FeedProvider(DocumentProvider):
    id = "feed"
    name = "RSS/Atom feed"
    accept = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"

    def can_handle(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return False
        path = parts.path.lower()
        if path.endswith(_FEED_SUFFIXES):
            return True
        if _FEED_SEGMENTS & set(path.split("/")):
            return True
        # nyaa: ?page=rss; others: ?format=rss, ?feed=atom, ?type=rss ...
        values = {v.lower() for vs in parse_qs(parts.query).values() for v in vs}
        return bool(values & _FEED_QUERY_VALUES)

    def parse(self, body: bytes, url: str, content_type: str) -> list[EpisodeInfo]:
        # Given bytes, feedparser never fetches anything itself; the
        # response headers only help it pick the encoding and base URL.
        _refuse_deep_nesting(body, url)
        parsed = feedparser.parse(
            body, response_headers={"content-location": url, "content-type": content_type or "application/xml"}
        )
        if not parsed.get("version") and not parsed.entries:
            reason = parsed.get("bozo_exception") or "no RSS/Atom root element"
            raise ProviderError(f"{url} is not an RSS or Atom feed ({reason})", permanent=True)
        episodes = []
        for entry in parsed.entries:
            info = self._episode(entry, url)
            if info is not None:
                episodes.append(info)
        broken = parsed.get("bozo_exception")
        if isinstance(broken, SAXParseException):
            if not episodes:
                # feedparser's lenient parse of a broken document found
                # nothing usable: an error to report, not an empty feed.
                # (When it did recover episodes, they are used: small slips
                # in real feeds are common.)
                raise ProviderError(
                    f"{url} is not well-formed XML (line {broken.getLineNumber()}, column "
                    f"{broken.getColumnNumber()}: {broken.getMessage()})"
                )
            logger.info("feed %s is not well-formed (%s); using the %d episodes read", url, broken, len(episodes))
        return episodes

    def _episode(self, entry: Any, feed_url: str) -> EpisodeInfo | None:
        link, size = _media_link(entry, feed_url)
        if link is None:
            return None
        title = " ".join(str(entry.get("title") or "").split())
        # A media file's name often says what a podcast-style title does not
        # (resolution, language); a tracker's "12345.torrent" says nothing.
        media_name = file_name(link) if is_media_url(link) else ""
        if is_magnet(link) and not title:
            title = _magnet_name(link)
        info = episode_info(
            title or media_name,
            link,
            fallback_names=(media_name,),
            default_episode=_int(entry.get("itunes_episode")),
            title=title,
            published_at=_published(entry),
            size=size if size is not None else _stated_size(entry),
            include_extras=getattr(self, "include_extras", False),
        )
        if info is None:
            return None
        if _typed_torrent(entry, link, feed_url):
            info = replace(info, typed_torrent=True)
        return _with_swarm(info, entry, link)


TORRENT_MEDIA_TYPE = "application/x-bittorrent"

# Feeds are a handful of levels deep (rss > channel > item > field); a
# document nested far deeper is hostile and costs seconds of parsing.
MAX_XML_DEPTH = 64


class _TooDeep(Exception):
    pass


def _refuse_deep_nesting(body: bytes, url: str) -> None:
    """Measure the element nesting with expat (C, iterative, a fraction of a
    second for the largest document a provider reads) before feedparser
    spends its time on it. Errors in the document are feedparser's to
    judge: expat stops there and the depth seen so far counts."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    depth = 0

    def start(_name: str, _attrs: Any) -> None:
        nonlocal depth
        depth += 1
        if depth > MAX_XML_DEPTH:
            raise _TooDeep()

    def end(_name: str) -> None:
        nonlocal depth
        depth -= 1

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(body, True)
    except _TooDeep:
        raise ProviderError(f"{url} nests elements more than {MAX_XML_DEPTH} levels deep; not a feed") from None
    except expat.ExpatError:
        pass
    except ValueError:
        # expat reads no multi-byte legacy encoding (Shift_JIS, GBK, Big5):
        # measure the same document re-encoded as UTF-8.
        utf8 = as_utf8(body)
        if utf8 != body:
            _refuse_deep_nesting(utf8, url)


def _media_link(entry: Any, feed_url: str) -> tuple[str | None, int | None]:
    """The URL to download for an entry, and the size the feed states.

    Enclosures first (that is what they are for), a video or torrent one
    before others; then the entry's links. An http(s) link to a file (a
    .torrent, a video) wins over a magnet, since a .torrent brings its
    metadata with it; a magnet wins over a link to a web page (trackers
    such as dmhy link the release's page and enclose its magnet), and a page
    link is taken only when nothing else is offered.
    """
    enclosures = [link for link in entry.get("links", []) if link.get("rel") == "enclosure" and link.get("href")]
    if enclosures and all(_is_nzb(link) for link in enclosures):
        return None, None  # a Usenet release: nothing a torrent client or HTTP fetch can play
    enclosures = [link for link in enclosures if not _is_nzb(link)]
    enclosures.sort(key=lambda link: not _looks_downloadable(link))
    magnet: tuple[str | None, int | None] = (None, None)
    for link in enclosures:
        href = _absolute(feed_url, link["href"])
        if is_http_url(href):
            return href, _enclosure_size(link)
        if _usable_magnet(href) and magnet[0] is None:
            magnet = (href, _enclosure_size(link))
    pages = []
    for raw in [entry.get("link"), *(link.get("href") for link in entry.get("links", []))]:
        href = _absolute(feed_url, raw) if raw else ""
        if href and is_http_url(href):
            if _is_file_url(href):
                return href, None
            pages.append(href)
        elif href and _usable_magnet(href) and magnet[0] is None:
            magnet = (href, None)
    if magnet[0] is None:
        stated = _stated_magnet(entry)
        if stated:
            return stated, None
        if pages:
            return pages[0], None
    return magnet


def _stated_magnet(entry: Any) -> str:
    """The magnet an entry states outside its links: a namespaced magnet
    URI (ezRSS's torrent:magnetURI), else one made from a namespaced
    infohash (token feeds that carry no link at all)."""
    stated = str(_tracker_field(entry, "magneturi") or "").strip()
    if _usable_magnet(stated):
        return stated
    infohash = str(_tracker_field(entry, "infohash") or "").strip().lower()
    if not _INFOHASH.match(infohash):
        return ""
    name = " ".join(str(entry.get("title") or "").split())
    return f"magnet:?xt=urn:btih:{infohash}" + (f"&dn={quote(name)}" if name else "")


# A .torrent under this many bytes is the metadata file's own size (what an
# RSS enclosure's length means), or a placeholder (dmhy writes "1"), never
# an episode's: the release's size is then read elsewhere or left unknown.
_SMALLEST_RELEASE = 1024 * 1024


def _enclosure_size(link: dict[str, Any]) -> int | None:
    size = _positive(link.get("length"))
    if size is not None and size < _SMALLEST_RELEASE and not str(link.get("type") or "").startswith("video/"):
        return None
    return size


def _is_file_url(href: str) -> bool:
    return is_media_url(href) or PurePosixPath(file_name(href)).suffix.lower() == ".torrent"


def _absolute(feed_url: str, href: str) -> str:
    # urljoin would treat "magnet:?xt=..." as relative to nothing and keep it,
    # but say so: a magnet is never resolved against the feed's URL.
    return href.strip() if is_magnet(href) else urljoin(feed_url, href)


def is_magnet(url: str) -> bool:
    return urlsplit(url.strip()).scheme.lower() == "magnet"


def _usable_magnet(url: str) -> bool:
    # A magnet without a well-formed infohash names no torrent: not a release.
    return is_magnet(url) and bool(_magnet_infohash(url))


def _magnet_name(uri: str) -> str:
    names = parse_qs(urlsplit(uri).query).get("dn") or [""]
    return " ".join(names[0].split())


_INFOHASH = re.compile(r"^[0-9a-f]{40}$")
_BTIH = re.compile(r"urn:btih:([0-9a-z]{32,40})", re.IGNORECASE)


def _with_swarm(info: EpisodeInfo, entry: Any, link: str) -> EpisodeInfo:
    """The tracker's fields of an entry (nyaa:infoHash, nyaa:seeders,
    nyaa:leechers, nyaa:trusted, nyaa:remake; other trackers' namespaces
    name theirs alike, erai:infohash, or torrent:seeds), the infohash a
    magnet names, and what the description alone states (a magnet, "Seeds:
    12")."""
    infohash = str(_tracker_field(entry, "infohash") or "").strip().lower()
    if not _INFOHASH.match(infohash):
        infohash = _magnet_infohash(link) or _described_infohash(entry) or _guid_infohash(entry)
    seeders = _count(_tracker_field(entry, "seeders") or _tracker_field(entry, "seeds"))
    leechers = _count(_tracker_field(entry, "leechers"))
    if seeders is None and leechers is None:
        seeders, leechers = _described_swarm(entry)
    return replace(
        info,
        infohash=infohash,
        seeders=seeders,
        leechers=leechers,
        trusted=_yes(entry.get("nyaa_trusted")),
        remake=_yes(entry.get("nyaa_remake")),
    )


def _tracker_field(entry: Any, name: str) -> Any:
    """`<prefix>:<name>` of any namespace (feedparser files it as
    "prefix_name"): nyaa_size, subsplease_size, erai_infohash, ...; or the
    bare name, for an element in a namespace of its own without a prefix
    (ezRSS's and Mikan's `<torrent xmlns="..."><infoHash>`)."""
    for key, value in entry.items():
        key = key.lower()
        if (key == name or key.endswith("_" + name)) and isinstance(value, str) and value.strip():
            return value
    return None


def _summary(entry: Any) -> str:
    return str(entry.get("summary") or "")


# A magnet written in the description (Tokyo Toshokan links the .torrent
# and puts the magnet there).
_MAGNET_IN_TEXT = re.compile(r"magnet:\?[^\s\"'<>]+", re.IGNORECASE)


def _described_infohash(entry: Any) -> str:
    summary = _summary(entry)
    if "magnet:" not in summary.lower():
        return ""
    match = _MAGNET_IN_TEXT.search(summary)
    return _magnet_infohash(html.unescape(match.group(0))) if match else ""


_BASE32_HASH = re.compile(r"^[A-Z2-7]{32}$")


def _guid_infohash(entry: Any) -> str:
    """The infohash an entry's guid is, as some feeds make it (40 hex
    digits, or the 32 base32 letters of a magnet)."""
    # feedparser resolves a guid that is no URL against the feed's address.
    return _hex_infohash(str(entry.get("id") or "").strip().rsplit("/", 1)[-1])


def _hex_infohash(digest: str) -> str:
    """40 hex digits, or the 32 upper-case base32 letters some magnets and
    guids write, as 40 lower-case hex digits; "" when it is neither."""
    if _INFOHASH.match(digest.lower()):
        return digest.lower()
    return base64.b32decode(digest).hex() if _BASE32_HASH.match(digest) else ""


# "Seeds: 12<br />Leechers: 3" (LimeTorrents and other site generators)
_SWARM_IN_TEXT = re.compile(r"\b(seed|leech)(?:er)?s:\s*(\d+)", re.IGNORECASE)


def _described_swarm(entry: Any) -> tuple[int | None, int | None]:
    summary = _summary(entry)
    if ":" not in summary:
        return None, None
    found = {kind.lower(): int(number) for kind, number in _SWARM_IN_TEXT.findall(summary)}
    return found.get("seed"), found.get("leech")


# "Size: 1.2GB" (Tokyo Toshokan), "Total Size: 350.1 MiB", "... [351.2 MB]" (Mikan),
# "... | 1.4GB | Anime | ..." (AcgnX, nyaa), "Size: 341 m" (unit letter only),
# "<strong>Total Size</strong>: 1.366 GB" (Anime Tosho)
_SIZE_IN_TEXT = re.compile(r"(?:\bsize(?:</\w+>)?:\s*|\[|\|\s*)(\d[\d.,]*\s*[kmgt](?:i?b)?)\b", re.IGNORECASE)


def _stated_size(entry: Any) -> int | None:
    """The release's size as a tracker's feed states it outside the
    enclosure: a namespaced size or content length (Mikan's, ezRSS's
    torrent:contentLength), or the description's "Size: ..."."""
    for value in (_tracker_field(entry, "size"), _tracker_field(entry, "contentlength")):
        size = parse_size(str(value or ""))
        if size:
            return size
    match = _SIZE_IN_TEXT.search(_summary(entry))
    return parse_size(match.group(1)) if match else None


def _magnet_infohash(link: str) -> str:
    if not is_magnet(link):
        return ""
    match = _BTIH.search(link)
    if match is None:
        return ""
    digest = match.group(1)
    return _hex_infohash(digest.upper() if len(digest) == 32 else digest)


def _count(value: Any) -> int | None:
    text = str(value if value is not None else "").strip()
    return int(text) if text.isdecimal() else None


def _yes(value: Any) -> bool:
    return str(value or "").strip().lower() in ("yes", "true", "1")


def _is_nzb(link: dict[str, Any]) -> bool:
    kind = str(link.get("type") or "").lower()
    return kind == "application/x-nzb" or PurePosixPath(file_name(str(link.get("href") or ""))).suffix.lower() == ".nzb"


def _typed_torrent(entry: Any, href: str, feed_url: str) -> bool:
    """The entry encloses this http(s) link with the torrent media type."""
    return is_http_url(href) and any(
        link.get("rel") == "enclosure"
        and str(link.get("type") or "").strip().lower() == TORRENT_MEDIA_TYPE
        and _absolute(feed_url, str(link.get("href") or "")) == href
        for link in entry.get("links", [])
    )


def _looks_downloadable(link: dict[str, Any]) -> bool:
    kind = str(link.get("type") or "").lower()
    href = str(link.get("href") or "")
    return (
        kind.startswith("video/")
        or kind == TORRENT_MEDIA_TYPE
        or is_media_url(href)
        or PurePosixPath(file_name(href)).suffix.lower() == ".torrent"
    )


def _published(entry: Any) -> datetime | None:
    moment = entry.get("published_parsed") or entry.get("updated_parsed")
    if not moment:
        # An RFC 822 date without its time zone, which feedparser gives up on.
        return rfc822_date(entry.get("published") or entry.get("updated"))
    # feedparser normalizes to UTC struct_time; timegm reads it as such.
    return datetime.fromtimestamp(calendar.timegm(moment), tz=UTC)


def _int(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdecimal() else None


def _positive(value: Any) -> int | None:
    number = _int(value)
    return number if number else None
