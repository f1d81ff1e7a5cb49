"""qBittorrent through its Web API (qbittorrent-api).

Tested against Debian's qbittorrent-nox 4.5 (Web API 2.8). Hashes are the
v1 infohash in lowercase, as qBittorrent lists them.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from typing import Any, TypeVar

import qbittorrentapi
from django.utils.translation import gettext as _

from .base import ClientFailed, ClientFile, ClientRefusedLogin, ClientUnreachable, TorrentStatus
from .source import TorrentSource

T = TypeVar("T")

# qBittorrent's way of saying "no estimate" (100 days).
_NO_ETA = 8_640_000
# States in which the data is being checked, moved or fetched as metadata:
# "progress 1.0" then does not yet mean a verified, complete file.
_BUSY_STATES = {"checkingDL", "checkingUP", "checkingResumeData", "moving", "metaDL", "allocating"}
_ERROR_STATES = {"error", "missingFiles"}
# How long a just-added torrent may take to show up in the list.
_ADD_VISIBLE_SECONDS = 15.0


class QbittorrentAdapter:
    label = "qBittorrent"

    def __init__(self, url: str, username: str, password: str, *, timeout: float) -> None:
        self._client = qbittorrentapi.Client(
            host=url,
            username=username or None,
            password=password or None,
            REQUESTS_ARGS={"timeout": timeout},
            FORCE_SCHEME_FROM_HOST=True,
            DISABLE_LOGGING_DEBUG_OUTPUT=True,
        )
        self._call(self._client.auth_log_in)

    def _call(self, method: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        try:
            return method(*args, **kwargs)
        except qbittorrentapi.LoginFailed:
            raise ClientRefusedLogin(_("it refused the user name or password")) from None
        except (qbittorrentapi.Forbidden403Error, qbittorrentapi.Unauthorized401Error):
            # 403 also after too many failed logins: qBittorrent bans the address for a while.
            raise ClientRefusedLogin(
                _("it refused access (wrong user name or password, or this address is banned after failed logins)")
            ) from None
        except qbittorrentapi.HTTPError as exc:
            status = getattr(exc, "http_status_code", "?")
            raise ClientFailed(_("it answered HTTP %(status)s") % {"status": status}) from None
        except qbittorrentapi.APIConnectionError as exc:
            raise ClientUnreachable(_connection_words(exc)) from None

    def version(self) -> str:
        return str(self._call(self._client.app_version))

    def find(self, infohash: str) -> TorrentStatus | None:
        found = self._call(self._client.torrents_info, torrent_hashes=infohash)
        if not found:
            return None
        t = found[0]
        state = str(t.state)
        total = int(t.size or 0)
        error = ""
        if state in _ERROR_STATES:
            error = self._error_words(t.name, state)
        return TorrentStatus(
            infohash=infohash,
            name=str(t.name),
            done=int(t.completed or 0),
            total=total,
            speed=int(t.dlspeed or 0),
            eta=None if int(t.eta) >= _NO_ETA else int(t.eta),
            peers=int(t.num_leechs or 0) + int(t.num_seeds or 0),
            seeds=int(t.num_seeds or 0),
            complete=total > 0 and float(t.progress) >= 1.0 and state not in _BUSY_STATES and not error,
            error=error,
            save_path=str(t.save_path),
        )

    def _error_words(self, name: str, state: str) -> str:
        # The torrent list has no error text; qBittorrent logs the file
        # error with the torrent's name ("...Reason: No space left on device").
        try:
            entries = self._call(self._client.log_main, normal=False, info=False, warning=True, critical=True)
        except ClientUnreachable:
            entries = []
        for entry in reversed(list(entries)):
            message = str(entry.get("message", ""))
            if name in message:
                return message
        if state == "missingFiles":
            return _("its files are missing from the client's folder")
        return _("no reason found in its log")

    def add(self, source: TorrentSource, *, category: str, save_path: str, paused: bool = False) -> None:
        if category and category not in self._call(self._client.torrents_categories):
            # A 409 means someone created it meanwhile: it exists, which is all we need.
            with contextlib.suppress(ClientFailed):
                self._call(self._client.torrents_create_category, name=category)
        options: dict[str, Any] = {"category": category or None, "is_paused": paused}
        if save_path:
            options["save_path"] = save_path
            options["use_auto_torrent_management"] = False
        if source.torrent:
            options["torrent_files"] = source.torrent
        else:
            options["urls"] = source.magnet
        self._call(self._client.torrents_add, **options)
        # The add is answered before the torrent is listed; wait until it
        # is, so the caller's next question finds it.
        deadline = time.monotonic() + _ADD_VISIBLE_SECONDS
        while time.monotonic() < deadline:
            if self._call(self._client.torrents_info, torrent_hashes=source.infohash):
                return
            time.sleep(0.2)
        raise ClientFailed(_("it did not list the torrent after taking it (an invalid torrent?)"))

    def files(self, infohash: str) -> list[ClientFile]:
        return [
            ClientFile(
                index=int(f.index),
                path=str(f.name).replace("\\", "/"),
                size=int(f.size),
                wanted=int(getattr(f, "priority", 1)) > 0,
            )
            for f in self._call(self._client.torrents_files, torrent_hash=infohash)
        ]

    def skip_files(self, infohash: str, indexes: list[int]) -> None:
        self._call(self._client.torrents_file_priority, torrent_hash=infohash, file_ids=indexes, priority=0)

    def start(self, infohash: str) -> None:
        self._call(self._client.torrents_resume, torrent_hashes=infohash)

    def restart(self, infohash: str) -> None:
        # Verify first: after a disk error the pieces qBittorrent believes it
        # has may not be on the disk any more.
        self._call(self._client.torrents_recheck, torrent_hashes=infohash)
        self._call(self._client.torrents_resume, torrent_hashes=infohash)

    def remove(self, infohash: str, *, delete_files: bool) -> None:
        self._call(self._client.torrents_delete, delete_files=delete_files, torrent_hashes=infohash)


def _connection_words(exc: BaseException) -> str:
    text = str(exc).lower()
    if "timed out" in text or "timeout" in text:
        return _("it did not answer in time")
    if "refused" in text:
        return _("the connection was refused (is it running?)")
    if "name or service not known" in text or "resolve" in text or "nodename" in text:
        return _("its host name cannot be resolved")
    return _("it cannot be reached")
