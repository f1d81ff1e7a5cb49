"""The downloads app's settings, HTTP and torrent: each default lives here, once.

`settings.py` reads the environment with these defaults; code reads the
values through `setting()` (`torrent_setting()` for the engine), which falls back to the same defaults
when a settings module (a test's, a third party's) leaves one out. The
README's configuration table lists every one of them.

Plain data and one accessor: importing this module imports Django's
settings object only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

# --- downloads, every backend ----------------------------------------------

# Downloads running at once over all users (each user also has their own cap).
MAX_PARALLEL_DOWNLOADS = 3

# Where finished files go inside a user's folder (fields: title, season,
# episode, resolution_tag, ext).
DOWNLOAD_NAME_TEMPLATE = "{title}/{title} - S{season:02d}E{episode:02d}{resolution_tag}{ext}"
# No byte for this long fails an HTTP/yt-dlp attempt (transient: retried).
DOWNLOAD_STALL_SECONDS = 60
# The longest one download may run (Celery's soft limit; the hard limit is 5 min more).
DOWNLOAD_MAX_SECONDS = 6 * 3600
# A running job writes a heartbeat this often; the reaper takes back a job
# whose heartbeat is older than DOWNLOAD_STALE_SECONDS (a dead worker).
DOWNLOAD_HEARTBEAT_SECONDS = 10
DOWNLOAD_STALE_SECONDS = 300
# Attempts before a job fails for good, and the backoff between them.
DOWNLOAD_MAX_ATTEMPTS = 5
DOWNLOAD_RETRY_BASE_SECONDS = 30
DOWNLOAD_RETRY_MAX_SECONDS = 1800
# A dispatched job with no worker after this long had its message lost
# (broker restarted without persistence): the reaper sends it again.
DOWNLOAD_REDISPATCH_SECONDS = 3600
# Bytes per read from the socket, and how often progress reaches the job row.
DOWNLOAD_CHUNK_BYTES = 1024 * 1024
DOWNLOAD_PROGRESS_SECONDS = 1
# The largest episode a download may write, the free space it always leaves
# on the disk, and how often (in bytes written) it looks at the free space.
DOWNLOAD_MAX_BYTES = 16 * 1024**3
DOWNLOAD_MIN_FREE_BYTES = 64 * 1024**2
DOWNLOAD_FREE_SPACE_CHECK_BYTES = 16 * 1024**2

# --- the torrent engine ------------------------------------------------------

# Where the engine listens for peers: "host:port" entries, comma-separated.
# Several worker processes each run an engine; the ones after the first take
# the next free ports (up to TORRENT_LISTEN_PORT_RETRIES above).
TORRENT_LISTEN_INTERFACES = "0.0.0.0:6881"
TORRENT_LISTEN_PORT_RETRIES = 10
# Peer discovery beyond trackers: the DHT, local peer discovery (multicast on
# the LAN), and port mapping on the router (UPnP and NAT-PMP).
TORRENT_DHT = True
TORRENT_LSD = True
TORRENT_UPNP = True
# Bytes per second for each engine, 0 for no limit.
TORRENT_DOWNLOAD_RATE_LIMIT = 0
TORRENT_UPLOAD_RATE_LIMIT = 0
# Peer protocol encryption: "enabled" (either way, encrypted preferred),
# "forced" (encrypted peers only), "disabled" (plain peers only).
TORRENT_ENCRYPTION = "enabled"
ENCRYPTION_CHOICES = ("enabled", "forced", "disabled")
# Seeding after a download: until the torrent has uploaded RATIO times its
# wanted size or has seeded for MINUTES, whichever comes first. 0 for either
# means "do not seed"; KEEP_SEEDING ignores both and seeds while the worker runs.
TORRENT_SEED_RATIO = 1.0
TORRENT_SEED_MINUTES = 24 * 60
TORRENT_KEEP_SEEDING = False
# An attempt fails when no wanted byte arrives for this long (no peers, or
# peers that send nothing).
TORRENT_STALL_MINUTES = 10
# A magnet's metadata must arrive from peers within this time.
TORRENT_METADATA_TIMEOUT_SECONDS = 120
# The largest .torrent file fetched (a 100 GB torrent with 16 MiB pieces is
# well under 1 MiB; anything this big is not a torrent a user wants).
TORRENT_MAX_FILE_BYTES = 8 * 1024 * 1024
# How often resume data is written while downloading. After a crash the
# pieces on disk are rechecked anyway; this bounds what the check has to
# find without help.
TORRENT_RESUME_SAVE_SECONDS = 15
# Folders; empty means the default beside the library (incomplete files on
# the library's file system, so finished files are hard-linked, not copied)
# and under VAR_DIR (resume data).
TORRENT_INCOMPLETE_DIR = ""
TORRENT_RESUME_DIR = ""

DEFAULTS = {
    name: value
    for name, value in globals().items()
    if name.startswith(("DOWNLOAD_", "TORRENT_")) or name == "MAX_PARALLEL_DOWNLOADS"
}


def setting(name: str) -> Any:
    """A download setting: the project's value, else its default here."""
    return getattr(settings, name, DEFAULTS[name])


torrent_setting = setting


def incomplete_dir() -> Path:
    """Where torrents download to: inside DOWNLOAD_DIR by default (same file
    system as the library, so placing a file is a hard link), but in a
    hidden folder no user's folder contains, so media servers never scan
    half-downloaded files."""
    configured = torrent_setting("TORRENT_INCOMPLETE_DIR")
    return Path(configured) if configured else Path(settings.DOWNLOAD_DIR) / ".incomplete"


def resume_dir() -> Path:
    configured = torrent_setting("TORRENT_RESUME_DIR")
    return Path(configured) if configured else Path(settings.VAR_DIR) / "torrents" / "resume"


def parse_ratio(text: str) -> float:
    """TORRENT_SEED_RATIO from the environment: a number >= 0 ("1.5")."""
    if not text.strip():
        return TORRENT_SEED_RATIO
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0 or value == float("inf"):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"TORRENT_SEED_RATIO must be a number of 0 or more, not {text!r}")
    return value


def parse_encryption(text: str) -> str:
    value = (text or TORRENT_ENCRYPTION).strip().lower()
    if value not in ENCRYPTION_CHOICES:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"TORRENT_ENCRYPTION must be one of {', '.join(ENCRYPTION_CHOICES)}")
    return value
