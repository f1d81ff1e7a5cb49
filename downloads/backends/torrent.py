"""BitTorrent downloads (`.torrent` links and magnets) on the embedded engine.

The work is in `downloads.torrent`: this module is the backend interface
the runner calls, one attempt per call, in the worker process's engine.
"""

from __future__ import annotations

from ..torrent import download
from ..torrent.engine import engine
from .base import DownloadRequest, DownloadResult, ProgressSink


class TorrentBackend:
    name = "torrent"

    def download(self, request: DownloadRequest, progress: ProgressSink) -> DownloadResult:
        return download.Attempt(request, progress, engine()).run()

    def discard(self, request: DownloadRequest) -> None:
        download.discard(request)
