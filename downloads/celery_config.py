"""Celery settings the downloads app relies on, for settings.py to import:

    from downloads.celery_config import celery_settings
    globals().update(celery_settings(DOWNLOAD_MAX_SECONDS))

or copied by hand. Plain data: importing this module imports nothing else.
"""

from __future__ import annotations

from typing import Any

# The queue names, for every task declaration, route and beat row of both
# apps: downloads (long, one per worker slot) and checks (short network
# calls, the default; the reaper runs here so it is never stuck behind
# downloads).
DOWNLOAD_QUEUE = "downloads"
CHECK_QUEUE = "checks"

# One task per worker process at a time: a prefetched download would sit
# behind a two-hour one in the same process while other processes idle.
WORKER_PREFETCH_MULTIPLIER = 1

# The downloads app's own tasks; the watchlist's declare CHECK_QUEUE on
# their decorators, and anything undeclared goes to the default (CHECK_QUEUE).
RUN_DOWNLOAD_TASK = "downloads.tasks.run_download"
TASK_ROUTES = {
    RUN_DOWNLOAD_TASK: {"queue": DOWNLOAD_QUEUE},
    "downloads.tasks.reap_stale_downloads": {"queue": CHECK_QUEUE},
}

# The reaper's beat entry is a django-celery-beat row seeded by a migration
# (downloads/beat.py, downloads/migrations/0003_reaper_beat.py: every 60 s,
# queue CHECK_QUEUE), not CELERY_BEAT_SCHEDULE, so administrators can pause
# or change it in the admin. Its stale threshold (DOWNLOAD_STALE_SECONDS) should be a
# few heartbeats (DOWNLOAD_HEARTBEAT_SECONDS) long.
REAPER_TASK = "downloads.tasks.reap_stale_downloads"

# Workers started with --autoscale (the embedded one) do not end the pool
# processes whose engines seed torrents (downloads/torrent/autoscale.py).
AUTOSCALER = "downloads.torrent.autoscale:SeedingAwareAutoscaler"


def visibility_timeout(download_max_seconds: int) -> int:
    """Redis re-delivers an unacknowledged message after this long. With
    acks_late, a download's message stays unacknowledged while it runs, so
    the timeout must outlast the longest download (plus its hard limit),
    or a second worker would get the message of a job still running. The
    claim would make it exit quietly, but it would have taken a slot."""
    return download_max_seconds + 3600


def celery_settings(download_max_seconds: int = 6 * 3600) -> dict[str, Any]:
    """The CELERY_* names, ready for settings.py (namespace "CELERY").

    Not included: the Redis transport's `visibility_timeout`, which belongs
    in CELERY_BROKER_TRANSPORT_OPTIONS next to the broker choice (the
    filesystem transport has its own options there).
    """
    return {
        "CELERY_TASK_ACKS_LATE": True,
        "CELERY_TASK_REJECT_ON_WORKER_LOST": True,
        "CELERY_WORKER_PREFETCH_MULTIPLIER": WORKER_PREFETCH_MULTIPLIER,
        "CELERY_TASK_ROUTES": TASK_ROUTES,
        "CELERY_TASK_DEFAULT_QUEUE": CHECK_QUEUE,
        "CELERY_WORKER_AUTOSCALER": AUTOSCALER,
    }
