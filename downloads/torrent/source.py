"""From a release's link to what libtorrent adds: a `.torrent` file fetched
through the guarded HTTP client, or a magnet URI parsed.

A tracker that answers a `.torrent` link with a login page, a Cloudflare
challenge or an error page in HTML is common; the user is told so, in those
words, instead of "bdecode error". The file is bounded in size
(TORRENT_MAX_FILE_BYTES) because a link can point at anything.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import libtorrent as lt

from downloads import net
from downloads.conf import torrent_setting
from downloads.errors import PermanentError, TransientError

MAGNET_SCHEME = "magnet"
_CHUNK = 64 * 1024


def is_magnet(url: str) -> bool:
    return urlsplit(url).scheme.lower() == MAGNET_SCHEME


def add_params_for(url: str) -> lt.add_torrent_params:
    """The add_torrent_params for a release link (metadata included for a
    .torrent; only the infohash, trackers and peers for a magnet)."""
    if is_magnet(url):
        return magnet_params(url)
    return torrent_file_params(fetch_torrent_file(url))


def magnet_params(uri: str) -> lt.add_torrent_params:
    try:
        params = lt.parse_magnet_uri(uri)
    except RuntimeError as exc:
        raise PermanentError(f"The magnet link cannot be read ({exc}).") from None
    if params.info_hashes.v1.is_all_zeros() and params.info_hashes.v2.is_all_zeros():
        raise PermanentError("The magnet link names no torrent (no urn:btih infohash).")
    return params


def fetch_torrent_file(url: str) -> bytes:
    limit = int(torrent_setting("TORRENT_MAX_FILE_BYTES"))
    try:
        response = net.fetch(url, stream=True, retries=1)
    except net.FetchError as exc:
        error = PermanentError if exc.permanent else TransientError
        raise error(f"The .torrent file could not be fetched: {exc.message}", retry_after=exc.retry_after) from None
    with response:
        announced = response.headers.get("Content-Length", "")
        if announced.isdecimal() and int(announced) > limit:
            raise PermanentError(_too_big(int(announced), limit))
        body = bytearray()
        try:
            for chunk in response.iter_content(_CHUNK):
                body += chunk
                if len(body) > limit:
                    raise PermanentError(_too_big(None, limit))
        except net.FetchError as exc:
            raise TransientError(f"The .torrent file could not be fetched: {exc.message}") from None
        except OSError as exc:  # requests' read errors are OSErrors
            raise TransientError(f"The .torrent file could not be fetched: {exc}") from None
        content_type = response.headers.get("Content-Type", "")
    return check_torrent_bytes(bytes(body), content_type)


def _too_big(size: int | None, limit: int) -> str:
    shown = f" ({size} bytes)" if size is not None else ""
    return f"The .torrent file is larger than the {limit} bytes allowed{shown}; it is not a torrent file."


def check_torrent_bytes(body: bytes, content_type: str = "") -> bytes:
    """The body, when it is a bencoded torrent; a plain-words error otherwise."""
    # The bytes decide, not the Content-Type: trackers label torrents as
    # text/html or octet-stream often enough.
    head = body[:512].lstrip().lower()
    looks_html = head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<!--"))
    if looks_html or ("html" in content_type.lower() and not body.startswith(b"d")):
        raise PermanentError(
            "The link returned a web page (HTML), not a .torrent file; the tracker may want a login "
            "or the release was removed."
        )
    if not body.startswith(b"d"):
        raise PermanentError("The link returned something that is not a .torrent file.")
    try:
        lt.torrent_info(body)
    except RuntimeError as exc:
        raise PermanentError(f"The .torrent file is damaged ({exc}).") from None
    return body


def torrent_file_params(body: bytes) -> lt.add_torrent_params:
    params = lt.add_torrent_params()
    params.ti = lt.torrent_info(body)
    return params


def infohash_of(params: lt.add_torrent_params) -> str:
    """The v1 infohash in hex (v2-only torrents: the truncated v2 hash, as
    libtorrent and trackers name them)."""
    hashes = params.ti.info_hashes() if params.ti is not None else params.info_hashes
    return str(hashes.get_best())[:40]
