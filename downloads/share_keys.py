"""The keys under which jobs share one download (see downloads/sharing.py).

"btih:<infohash>" for a torrent; "url:<sha256>" for a plain file, a hash of
its normalised URL, so the credentials a URL may carry (apikey, passkey,
signed links) are compared without being stored or logged in the clear.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit, urlunsplit

TORRENT = "btih:"


def torrent_key(infohash: str) -> str:
    return f"{TORRENT}{infohash.lower()}"


def names_the_bytes(key: str) -> bool:
    """A torrent's key names its content (every piece is hashed); a URL's
    names only where the bytes were, which may serve others later."""
    return key.startswith(TORRENT)


def url_key(url: str) -> str:
    return "url:" + hashlib.sha256(normalise_url(url).encode()).hexdigest()


def normalise_url(url: str) -> str:
    """The spellings of one address that every server treats alike become
    one: scheme and host case, the default port, an empty path, the
    fragment (never sent). The query is kept as is: its order and case can
    matter to the server (signed links)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"  # an IPv6 literal keeps its brackets
    if port is not None and (scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = f"{userinfo}@{host}" if userinfo else host
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))
