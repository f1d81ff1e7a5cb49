"""Transmission through its JSON-RPC (transmission-rpc).

Tested against Debian's transmission-daemon 3.00 (RPC version 16), where
labels exist but `torrent-add` does not take them: they are set right after
the add.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

import transmission_rpc
from django.utils.translation import gettext as _
from transmission_rpc.error import TransmissionAuthError, TransmissionConnectError, TransmissionError

from .base import ClientFailed, ClientFile, ClientRefusedLogin, ClientUnreachable, TorrentStatus
from .qbittorrent import _connection_words
from .source import TorrentSource

T = TypeVar("T")

DEFAULT_RPC_PATH = "/transmission/rpc"
# torrent.error: 1 and 2 are tracker warnings/errors (a web seed or peers
# may still deliver); 3 is a local error (disk full, folder not writable).
_LOCAL_ERROR = 3
_FIELDS = [
    "id",
    "hashString",
    "name",
    "status",
    "sizeWhenDone",
    "leftUntilDone",
    "percentDone",
    "rateDownload",
    "eta",
    "peersConnected",
    "peersSendingToUs",
    "webseedsSendingToUs",
    "error",
    "errorString",
    "downloadDir",
    "metadataPercentComplete",
]
_BUSY_STATUSES = {"check pending", "checking"}


def rpc_address(url: str) -> dict[str, Any]:
    """Client() arguments for a URL staff pasted: the web UI's address
    (http://host:9091, .../transmission/web/) or the RPC's."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    if not path or path.endswith("/transmission/web") or path == "/transmission":
        path = DEFAULT_RPC_PATH
    default_port = 443 if parts.scheme == "https" else 9091
    return {
        "protocol": parts.scheme or "http",
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or default_port,
        "path": path,
    }


class TransmissionAdapter:
    label = "Transmission"

    def __init__(self, url: str, username: str, password: str, *, timeout: float) -> None:
        self._client: transmission_rpc.Client = self._call(
            transmission_rpc.Client,
            **rpc_address(url),
            username=username or None,
            password=password or None,
            timeout=timeout,
        )

    def _call(self, method: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        try:
            return method(*args, **kwargs)
        except TransmissionAuthError:
            raise ClientRefusedLogin(_("it refused the user name or password")) from None
        except TransmissionConnectError as exc:
            raise ClientUnreachable(_connection_words(exc)) from None
        except TransmissionError as exc:
            text = str(exc)
            if "403" in text:
                raise ClientRefusedLogin(_("it refused this server's address (rpc-whitelist)")) from None
            raise ClientFailed(_("it answered with an error (%(error)s)") % {"error": text[:200]}) from None

    def version(self) -> str:
        return str(self._call(self._client.get_session).version)

    def _torrent(self, infohash: str) -> Any:
        found = self._call(self._client.get_torrents, ids=[infohash], arguments=_FIELDS)
        return found[0] if found else None

    def find(self, infohash: str) -> TorrentStatus | None:
        t = self._torrent(infohash)
        if t is None:
            return None
        fields = t.fields
        total = int(fields.get("sizeWhenDone") or 0)
        left = int(fields.get("leftUntilDone") or 0)
        error = str(fields.get("errorString") or "") if int(fields.get("error") or 0) == _LOCAL_ERROR else ""
        eta = int(fields.get("eta", -1))
        status = str(t.status)
        metadata_done = float(fields.get("metadataPercentComplete", 1)) >= 1.0
        return TorrentStatus(
            infohash=infohash,
            name=str(fields.get("name", "")),
            done=max(0, total - left),
            total=total if metadata_done else 0,
            speed=int(fields.get("rateDownload") or 0),
            eta=eta if eta >= 0 else None,
            peers=int(fields.get("peersConnected") or 0),
            seeds=int(fields.get("peersSendingToUs") or 0) + int(fields.get("webseedsSendingToUs") or 0),
            complete=metadata_done and total > 0 and left == 0 and status not in _BUSY_STATUSES and not error,
            error=error,
            save_path=str(fields.get("downloadDir", "")),
        )

    def add(self, source: TorrentSource, *, category: str, save_path: str, paused: bool = False) -> None:
        added = self._call(
            self._client.add_torrent,
            source.torrent or source.magnet,
            download_dir=save_path or None,
            paused=paused,
        )
        if category:
            self._call(self._client.change_torrent, ids=[added.id], labels=[category])

    def files(self, infohash: str) -> list[ClientFile]:
        t = self._call(
            self._client.get_torrent, infohash, arguments=["id", "files", "fileStats", "wanted", "priorities"]
        )
        return [
            ClientFile(index=f.id, path=f.name.replace("\\", "/"), size=int(f.size), wanted=bool(f.selected))
            for f in t.get_files()
        ]

    def skip_files(self, infohash: str, indexes: list[int]) -> None:
        self._call(self._client.change_torrent, ids=[infohash], files_unwanted=indexes)

    def start(self, infohash: str) -> None:
        self._call(self._client.start_torrent, ids=[infohash])

    def restart(self, infohash: str) -> None:
        # Verify first: after a disk error the pieces Transmission believes
        # it has may not be on the disk any more.
        self._call(self._client.verify_torrent, ids=[infohash])
        self._call(self._client.start_torrent, ids=[infohash])

    def remove(self, infohash: str, *, delete_files: bool) -> None:
        self._call(self._client.remove_torrent, ids=[infohash], delete_data=delete_files)
