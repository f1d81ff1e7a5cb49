"""What the download flow needs from a torrent client, whichever it is.

Adapters (qbittorrent.py, transmission.py) turn their library's answers
into `TorrentStatus` and their library's exceptions into the three
`ClientProblem`s below, so the flow (job.py) decides retries and words once
for both clients.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Protocol

from .source import TorrentSource


class ClientProblem(Exception):
    """The client could not do what was asked. `reason` is plain words
    without the password; the flow adds the client's name and what next."""

    permanent = False

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ClientUnreachable(ClientProblem):
    """No answer: the client is down, the URL is wrong, or a timeout."""


class ClientRefusedLogin(ClientProblem):
    """Wrong user name or password (or the client banned this address)."""

    permanent = True


class ClientFailed(ClientProblem):
    """The client answered with an error to a request it should accept."""


@dataclass(frozen=True)
class TorrentStatus:
    infohash: str
    name: str
    done: int  # bytes of the wanted files the client has
    total: int  # bytes of the wanted files (0 while a magnet's metadata is missing)
    speed: int  # bytes per second, as the client measures it
    eta: int | None  # seconds, None when the client cannot tell
    peers: int  # peers connected
    seeds: int  # of which sending us data (web seeds included where the client counts them)
    complete: bool  # every wanted byte is there and verified
    error: str  # the client's error for this torrent (disk full, files missing), "" when fine
    save_path: str  # the folder the client saves it in, as the client sees it


@dataclass(frozen=True)
class ClientFile:
    index: int  # the file's index in the torrent
    path: str  # relative to the torrent's save path, "/"-separated
    size: int
    wanted: bool = True  # False: the client skips it

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name


class ClientAdapter(Protocol):
    label: str  # the client's name for messages, "qBittorrent"

    def version(self) -> str: ...

    def find(self, infohash: str) -> TorrentStatus | None: ...

    def add(self, source: TorrentSource, *, category: str, save_path: str, paused: bool = False) -> None: ...

    def start(self, infohash: str) -> None: ...

    def files(self, infohash: str) -> list[ClientFile]: ...

    def skip_files(self, infohash: str, indexes: list[int]) -> None:
        """Do not download these files of the torrent (a batch's other episodes)."""
        ...

    def restart(self, infohash: str) -> None:
        """Verify the data on disk, then start the torrent again (after an error)."""
        ...

    def remove(self, infohash: str, *, delete_files: bool) -> None: ...
