"""Defaults of the torrent-client settings (read through `setting()`, set
from the environment in settings.py, listed in the README)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

# Seconds between two progress questions to the client while a torrent downloads.
TORRENT_CLIENT_POLL_SECONDS = 2
# Seconds a call to the client's web API may take before it counts as down.
TORRENT_CLIENT_TIMEOUT_SECONDS = 15
# Seconds a torrent found in an error state is given to recover after it was
# restarted at the start of an attempt (a retry after the disk was freed).
TORRENT_CLIENT_RECOVER_SECONDS = 20


def setting(name: str) -> Any:
    return getattr(settings, name, globals()[name])
