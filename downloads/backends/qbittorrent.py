"""Downloads sent to the staff's qBittorrent (see downloads/clients/job.py)."""

from __future__ import annotations

from ..clients.job import ClientBackend


class QbittorrentBackend(ClientBackend):
    name = "qbittorrent"
