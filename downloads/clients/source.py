"""What to hand the client for a job's URL, and the infohash that names the
torrent there.

The infohash is the job's key in the client: every attempt first asks the
client for it, so a retry, a worker killed after the add, or a message
delivered twice never adds the torrent a second time. A `.torrent` link is
fetched here through the guarded client (the address rules hold for it as
for any user URL) and its bytes are sent to the client, which then never
sees the link; a magnet is sent as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from django.utils.translation import gettext as _

from .. import net
from ..errors import PermanentError, TransientError

# A .torrent is small; anything bigger is not one (or not one we want).
MAX_TORRENT_BYTES = 10 * 1024 * 1024
_HEX_HASH = re.compile(r"^[0-9a-f]{40}$")
_BASE32_HASH = re.compile(r"^[A-Z2-7]{32}$")


@dataclass(frozen=True)
class TorrentFile:
    path: str  # inside the torrent, "/"-separated (the batch folder included)
    size: int


@dataclass(frozen=True)
class TorrentSource:
    infohash: str  # 40 lowercase hex digits
    magnet: str = ""
    torrent: bytes = b""
    name: str = ""
    files: tuple[TorrentFile, ...] = field(default_factory=tuple)


def is_magnet(url: str) -> bool:
    return url[:8].lower() == "magnet:?"


def infohash_of_magnet(uri: str) -> str:
    """The v1 infohash a magnet names, as 40 lowercase hex digits."""
    query = uri.split("?", 1)[1] if "?" in uri else ""
    for topic in parse_qs(query).get("xt", []):
        if not topic.lower().startswith("urn:btih:"):
            continue
        value = topic[len("urn:btih:") :]
        if _HEX_HASH.match(value.lower()):
            return value.lower()
        if _BASE32_HASH.match(value.upper()):
            import base64

            return base64.b32decode(value.upper()).hex()
    raise PermanentError(_("The magnet link names no BitTorrent infohash (xt=urn:btih:...)."))


def read_torrent(data: bytes) -> TorrentSource:
    """Infohash, name and files of `.torrent` bytes (libtorrent parses them)."""
    import libtorrent as lt

    try:
        info = lt.torrent_info(data)
    except RuntimeError:
        raise PermanentError(_("The link did not give a .torrent file that can be read.")) from None
    hashes = info.info_hashes()
    infohash = str(hashes.v1) if hashes.has_v1() else str(hashes.v2)[:40]
    storage = info.layout()
    files = tuple(
        TorrentFile(path=storage.file_path(i).replace("\\", "/"), size=storage.file_size(i))
        for i in range(storage.num_files())
        if not storage.file_flags(i) & lt.file_storage.flag_pad_file
    )
    return TorrentSource(infohash=infohash, torrent=data, name=info.name(), files=files)


def resolve(url: str) -> TorrentSource:
    """The job URL as something to add: a magnet as is, a .torrent fetched."""
    if is_magnet(url):
        name = (parse_qs(url.split("?", 1)[1]).get("dn") or [""])[0]
        return TorrentSource(infohash=infohash_of_magnet(url), magnet=url, name=name)
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise PermanentError(
            _("Only magnet links and http(s) links to .torrent files can be sent to a torrent client.")
        )
    try:
        response = net.fetch(url)
    except net.FetchError as exc:
        error = PermanentError if exc.permanent else TransientError
        raise error(_("The .torrent file could not be fetched: %(reason)s") % {"reason": exc.message}) from exc
    if len(response.content) > MAX_TORRENT_BYTES:
        raise PermanentError(_("The link gave a file too large to be a .torrent."))
    return read_torrent(response.content)
