"""Backend registry: job.backend -> implementation.

A new backend is a new module here plus one line in `_REGISTRY`.
"""

from __future__ import annotations

from importlib import import_module

from .base import Backend, DownloadRequest, DownloadResult, ProgressSink

__all__ = ["Backend", "DownloadRequest", "DownloadResult", "ProgressSink", "get_backend"]

# Module paths, imported on first use: yt-dlp takes a while to import and a
# web process listing jobs never needs it.
_REGISTRY: dict[str, str] = {
    "http": "downloads.backends.http:HttpBackend",
    "ytdlp": "downloads.backends.ytdlp:YtdlpBackend",
    "torrent": "downloads.backends.torrent:TorrentBackend",
    "qbittorrent": "downloads.backends.qbittorrent:QbittorrentBackend",
    "transmission": "downloads.backends.transmission:TransmissionBackend",
}
_instances: dict[str, Backend] = {}


def get_backend(name: str) -> Backend:
    if name not in _instances:
        try:
            target = _REGISTRY[name]
        except KeyError:
            raise ValueError(f"Unknown download backend {name!r}") from None
        module_name, _, class_name = target.partition(":")
        _instances[name] = getattr(import_module(module_name), class_name)()
    return _instances[name]
