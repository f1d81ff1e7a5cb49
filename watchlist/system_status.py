"""What staff see of the machinery: the System page and GET
/api/system/status. Beat and worker liveness (heartbeats.py), queue
lengths, checks and downloads running and waiting, the download disk's
free space, versions, and the latest errors."""

from __future__ import annotations

import platform
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from downloads.disk import disk_space
from downloads.models import DownloadJob, JobStatus
from watchlist_project.broker import queue_lengths

from .heartbeats import workers
from .liveness import liveness
from .models import CheckRun, OutboxMessage, PendingCheck, WatchlistSettings

SHOWN = 10
_PACKAGES = ("Django", "djangorestframework", "celery", "kombu", "django-celery-beat", "yt-dlp", "apprise")


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return ""


def _database_version() -> str:
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SHOW server_version")
                return f"PostgreSQL {cursor.fetchone()[0]}"
            if connection.vendor == "sqlite":
                cursor.execute("SELECT sqlite_version()")
                return f"SQLite {cursor.fetchone()[0]}"
    except Exception:
        return connection.vendor
    return connection.vendor


def _redis_version() -> str:
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return "none (filesystem broker)"
    try:
        import redis

        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        return f"Redis {client.info('server').get('redis_version', '?')}"
    except Exception:
        return "Redis (unreachable)"


def versions() -> dict[str, str]:
    found = {
        "watchlist": _package_version("watchlist") or "1.0.0",
        "python": platform.python_version(),
        "database": _database_version(),
        "broker": _redis_version(),
    }
    found.update({name: _package_version(name) for name in _PACKAGES})
    return found


def latest_errors(limit: int = SHOWN) -> list[dict[str, Any]]:
    """The latest failed checks, failed downloads and undeliverable
    notifications, newest first."""
    rows: list[dict[str, Any]] = []
    for run in CheckRun.objects.exclude(error="").select_related("item__owner").order_by("-started_at")[:limit]:
        rows.append(
            {
                "at": run.started_at,
                "kind": "check",
                "user": run.item.owner.get_username(),
                "what": run.item.anime_title,
                "error": run.error,
            }
        )
    failed = DownloadJob.objects.filter(status=JobStatus.FAILED).select_related("owner").order_by("-finished_at")
    for job in failed[:limit]:
        rows.append(
            {
                "at": job.finished_at or job.updated_at,
                "kind": "download",
                "user": job.owner.get_username(),
                "what": job.destination.rsplit("/", 1)[-1],
                "error": job.error,
            }
        )
    messages = OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).select_related("target__owner")
    for message in messages.order_by("-created_at")[:limit]:
        rows.append(
            {
                "at": message.created_at,
                "kind": "notification",
                "user": message.target.owner.get_username(),
                "what": message.target.name,
                "error": message.error,
            }
        )
    rows.sort(key=lambda row: row["at"] or timezone.now(), reverse=True)
    return rows[:limit]


def _checks() -> dict[str, Any]:
    pending = PendingCheck.objects.select_related("item", "owner")
    running = pending.filter(claimed_until__isnull=False).order_by("requested_at")
    waiting = pending.filter(claimed_until__isnull=True).order_by("requested_at")
    return {
        "checks_running": running.count(),
        "checks_waiting": waiting.count(),
        "running_checks": list(running[:SHOWN]),
        "waiting_checks": list(waiting[:SHOWN]),
    }


def _downloads() -> dict[str, Any]:
    jobs = DownloadJob.objects.select_related("owner")
    running = jobs.filter(status=JobStatus.RUNNING).order_by("started_at")
    queued = jobs.filter(status=JobStatus.QUEUED).order_by("created_at")
    return {
        "downloads_running": running.count(),
        "downloads_queued": queued.count(),
        "running_downloads": list(running[:SHOWN]),
        "queued_downloads": list(queued[:SHOWN]),
    }


def system_status(*, details: bool = True) -> dict[str, Any]:
    now = timezone.now()
    due = WatchlistSettings.objects.filter(scheduler_enabled=True, next_check_at__lte=now)
    status: dict[str, Any] = {
        **liveness(),
        "workers": workers(now),
        "queues": queue_lengths(),
        **_checks(),
        **_downloads(),
        "users_due": due.count(),
        "oldest_due_at": due.order_by("next_check_at").values_list("next_check_at", flat=True).first(),
        "disk": disk_space(),
        "versions": versions(),
    }
    if details:
        status["errors"] = latest_errors()
    return status
