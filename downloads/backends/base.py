"""The interface every download backend implements.

A backend knows how to move bytes from a URL to a final path. It knows
nothing about Celery or about who asked; it reports progress through a
`ProgressSink` (which may raise `Cancelled` to stop it) and raises
`TransientError`/`PermanentError` in plain words when it cannot finish.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol


class ProgressSink(Protocol):
    state: dict[str, Any]
    """Resume state saved by the previous attempt (empty on the first)."""

    def __call__(self, done: int, total: int | None) -> None:
        """Bytes done so far of total (None when unknown). May raise Cancelled."""

    def save_state(self, state: dict[str, Any]) -> None:
        """Remember resume state for a later attempt, durably, now."""

    def flush(self) -> None:
        """Record progress now; raises Cancelled if the job is no longer ours."""

    def swarm(self, peers: int, seeds: int) -> None:
        """Torrents: the peers and seeds connected now, written with the next progress."""


@dataclass(frozen=True)
class DownloadRequest:
    job_id: str
    url: str
    destination: Path
    temp_dir: Path
    quality: str = "auto"
    expected_sha256: str = ""
    # Torrents of several files: the episodes whose files are wanted.
    episodes: tuple[int, ...] = ()
    # A batch: (episode, library file) of each wanted episode; the files of
    # episodes not named here are not placed (only `destination` is).
    episode_destinations: tuple[tuple[int, Path], ...] = ()

    def destination_of(self, episode: int) -> Path | None:
        return next((path for number, path in self.episode_destinations if number == episode), None)


@dataclass(frozen=True)
class PlacedFile:
    """One episode's file of a batch, where it was placed."""

    episode: int
    path: Path
    size: int
    sha256: str


@dataclass(frozen=True)
class DownloadResult:
    path: Path
    size: int
    sha256: str
    # A batch: every episode's file (the first is `path`); empty for one file.
    files: tuple[PlacedFile, ...] = ()


class Backend(Protocol):
    name: str

    def download(self, request: DownloadRequest, progress: ProgressSink) -> DownloadResult: ...

    def discard(self, request: DownloadRequest) -> None:
        """Remove partial files of a cancelled job (never the final file)."""
        ...
