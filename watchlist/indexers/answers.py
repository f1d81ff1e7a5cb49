"""Reading what a Torznab server answers: an ``<error code description/>``,
a ``<caps>`` document, or an RSS 2.0 channel of results whose items carry
``torznab:attr`` elements (seeders, peers, infohash, magneturl...).

XML is read with defusedxml: entity expansion and external entities are
refused, whatever the server sends.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from ..providers.episodes import is_http_url, parse_size, rfc822_date
from ..providers.xmlbytes import as_utf8

URL_MAX = 2000  # Release.url
MAX_RESULTS = 500
_HEX40 = re.compile(r"^[0-9a-fA-F]{40}$")
_BASE32 = re.compile(r"^[A-Z2-7]{32}$")


class NotTorznab(Exception):
    """The body is not XML, or not a document a Torznab server sends."""


def read_document(body: bytes) -> Element:
    # Blank lines before the declaration (a proxy's or a PHP page's) are
    # an XML error that says nothing about the answer.
    if body[:1].isspace():
        body = body.lstrip()
    try:
        return _parse(body)
    except DefusedXmlException as exc:
        raise NotTorznab(f"its answer uses XML features that are refused ({type(exc).__name__})") from None
    except SafeET.ParseError as exc:
        if "unbound prefix" not in str(exc) or not _KNOWN_PREFIXES.search(body):
            raise NotTorznab(f"its answer is not XML ({exc})") from None
    try:
        return _parse(_declare_known_prefixes(body))
    except (DefusedXmlException, SafeET.ParseError) as exc:
        raise NotTorznab(f"its answer is not XML ({exc})") from None


def _parse(body: bytes) -> Element:
    try:
        return SafeET.fromstring(body)
    except ValueError:
        # expat reads no multi-byte legacy encoding (GBK, Big5, Shift_JIS).
        return SafeET.fromstring(as_utf8(body))


# The prefixes Torznab answers use, and what they stand for.
_NAMESPACES = {
    b"torznab": b"http://torznab.com/schemas/2015/feed",
    b"newznab": b"http://www.newznab.com/DTD/2010/feeds/attributes/",
    b"atom": b"http://www.w3.org/2005/Atom",
}
_KNOWN_PREFIXES = re.compile(rb"<(torznab|newznab|atom):")
_ROOT_START = re.compile(rb"<(?![?!])[\w:.-]+")


def _declare_known_prefixes(body: bytes) -> bytes:
    """The answer with the Torznab prefixes it uses declared on its root
    element: a proxy re-writing an answer can lose them (Go's XML writer
    turns xmlns:torznab into _xmlns:torznab), leaving <torznab:attr>
    unbound."""
    root = _ROOT_START.search(body)
    if root is None:
        return body
    used = set(_KNOWN_PREFIXES.findall(body))
    declared = set(re.findall(rb"\sxmlns:(\w+)=", body[: body.find(b">", root.end()) + 1]))
    extra = b"".join(b' xmlns:%s="%s"' % (p, _NAMESPACES[p]) for p in sorted(used - declared))
    return body[: root.end()] + extra + body[root.end() :]


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def error_of(root: Element) -> tuple[str, str] | None:
    """(code, description) of an ``<error>`` answer, else None."""
    if local_name(root.tag) != "error":
        return None
    return (root.get("code") or "").strip(), " ".join((root.get("description") or "").split())


@dataclass(frozen=True)
class TorznabResult:
    """One result of a search, as stored in `IndexerQuery.results`."""

    title: str
    link: str  # what a download starts from: a magnet, else the .torrent link
    infohash: str = ""
    size: int | None = None
    seeders: int | None = None
    leechers: int | None = None
    published: str = ""  # ISO 8601
    guid: str = ""
    details: str = ""  # the tracker's page of the torrent
    categories: list[int] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TorznabResult:
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**known)

    @property
    def published_at(self) -> datetime | None:
        try:
            return datetime.fromisoformat(self.published) if self.published else None
        except ValueError:
            return None


def _int(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdecimal() and len(text) < 19 else None


def magnet_infohash(uri: str) -> str:
    """The v1 info-hash a magnet link names, as 40 lower-case hex digits
    ("" when it names none)."""
    if not uri.lower().startswith("magnet:?"):
        return ""
    for name, value in parse_qsl(uri[len("magnet:?") :], keep_blank_values=True):
        if name.lower() != "xt" or not value.lower().startswith("urn:btih:"):
            continue
        digest = value[len("urn:btih:") :]
        if _HEX40.match(digest):
            return digest.lower()
        if _BASE32.match(digest.upper()):
            try:
                return binascii.hexlify(base64.b32decode(digest.upper())).decode()
            except (binascii.Error, ValueError):
                return ""
    return ""


def short_magnet(uri: str) -> str:
    """A magnet link that fits Release.url: the hash, a shortened name, and
    as many trackers as fit (indexers often add dozens)."""
    if len(uri) <= URL_MAX:
        return uri
    pairs = parse_qsl(uri[len("magnet:?") :], keep_blank_values=True)
    kept = [(n, v) for n, v in pairs if n.lower() == "xt"]
    kept += [(n, v[:200]) for n, v in pairs if n.lower() == "dn"][:1]
    for name, value in pairs:
        if name.lower() != "tr":
            continue
        candidate = "magnet:?" + urlencode([*kept, (name, value)])
        if len(candidate) > URL_MAX:
            break
        kept.append((name, value))
    return "magnet:?" + urlencode(kept)


def _published(text: str | None) -> str:
    moment = rfc822_date(text)
    return moment.isoformat() if moment is not None else ""


def _attrs(item: Element) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for node in item:
        if local_name(node.tag) == "attr" and node.get("name"):
            name = (node.get("name") or "").strip().lower()
            value = (node.get("value") or "").strip()
            # Several "category" attrs are common; keep them all.
            attrs[name] = f"{attrs[name]},{value}" if name in attrs and name == "category" else value
    return attrs


def _text(item: Element, name: str) -> str:
    node = item.find(name)
    return " ".join((node.text or "").split()) if node is not None and node.text else ""


def _first_usable_magnet(candidates: tuple[str, ...]) -> tuple[str, str]:
    """The first magnet among ``candidates`` that names a well-formed
    infohash, and that hash; ("", "") when none does (a magnet without one
    names no torrent)."""
    for uri in candidates:
        if uri[:8].lower() == "magnet:?":
            infohash = magnet_infohash(uri)
            if infohash:
                return uri, infohash
    return "", ""


def _is_nzb(enclosure: Element) -> bool:
    if (enclosure.get("type") or "").strip().lower() == "application/x-nzb":
        return True
    url = enclosure.get("url") or ""
    return ".nzb" in url.lower() and urlsplit(url.strip()).path.lower().endswith(".nzb")


def _result(item: Element, base_url: str) -> TorznabResult | None:
    title = _text(item, "title")
    attrs = _attrs(item)
    enclosure = item.find("enclosure")
    if enclosure is not None and _is_nzb(enclosure):
        # A Newznab (Usenet) result: nothing a torrent client can fetch.
        return None
    enclosure_url = (enclosure.get("url") or "").strip() if enclosure is not None else ""
    link = _text(item, "link")
    guid = _text(item, "guid")
    magnet, magnet_hash = _first_usable_magnet((attrs.get("magneturl", ""), enclosure_url, link, guid))
    torrents = [urljoin(base_url, u) for u in (enclosure_url, link) if u and not u.lower().startswith("magnet:")]
    torrents = [u for u in torrents if is_http_url(u)]
    if magnet:
        # A magnet carries no indexer key (a .torrent link through
        # Prowlarr or Jackett does) and needs no second request.
        chosen = short_magnet(magnet)
    elif torrents:
        chosen = torrents[0]
    else:
        return None
    if not title or len(chosen) > URL_MAX:
        return None
    infohash = attrs.get("infohash", "")
    infohash = infohash.lower() if _HEX40.match(infohash) else magnet_hash
    seeders = _int(attrs.get("seeders"))
    peers = _int(attrs.get("peers"))
    leechers = _int(attrs.get("leechers"))
    if leechers is None and peers is not None:
        # Torznab's "peers" counts everyone in the swarm, seeders included.
        leechers = max(peers - (seeders or 0), 0)
    size = _int(_text(item, "size")) or _int(attrs.get("size"))
    if size is None and enclosure is not None:
        size = _int(enclosure.get("length"))
    if size is None:
        size = parse_size(attrs.get("size", "")) if attrs.get("size") else None
    categories = [int(c) for c in re.split(r"[,\s]+", attrs.get("category", "")) if c.isdecimal()]
    categories += [int(c) for c in [_text(item, "category")] if c.isdecimal() and int(c) not in categories]
    details = _text(item, "comments")
    return TorznabResult(
        title=title,
        link=chosen,
        infohash=infohash,
        size=size or None,
        seeders=seeders,
        leechers=leechers,
        published=_published(_text(item, "pubDate")),
        guid=guid[:500],
        details=details if is_http_url(details) else "",
        categories=categories[:10],
        attrs={k: v[:300] for k, v in list(attrs.items())[:40] if k != "magneturl"},
    )


def parse_results(root: Element, base_url: str) -> list[TorznabResult]:
    """The items of an RSS answer; raises NotTorznab for another document."""
    if local_name(root.tag) != "rss" or root.find("channel") is None:
        raise NotTorznab(f"its answer is not an RSS feed of results (root element <{local_name(root.tag)}>)")
    results = []
    for item in root.iterfind("channel/item"):
        result = _result(item, base_url)
        if result is not None:
            results.append(result)
        if len(results) >= MAX_RESULTS:
            break
    return results


def host_of(url: str) -> str:
    return urlsplit(url).hostname or "the indexer"
