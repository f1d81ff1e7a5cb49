"""Which backend downloads a torrent release (a magnet or a .torrent link):
the staff-configured client while one is enabled, else the embedded engine."""

from __future__ import annotations

EMBEDDED = "torrent"


def torrent_backend() -> str:
    from .models import TorrentClient

    kind = TorrentClient.objects.filter(enabled=True).values_list("kind", flat=True).first()
    return kind or EMBEDDED
