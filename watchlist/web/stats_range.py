"""The stats page's download figures over a chosen range (7, 30 or 90
days): bytes downloaded, the share of downloads that succeeded, and what
the user's files take on the disk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from downloads import files
from downloads.disk import DiskSpace, disk_space, folder_size
from downloads.models import DownloadJob, JobStatus

RANGES = (7, 30, 90)
DEFAULT_RANGE = 30


def range_days(raw: str | None) -> int:
    try:
        days = int(raw or DEFAULT_RANGE)
    except ValueError:
        return DEFAULT_RANGE
    return days if days in RANGES else DEFAULT_RANGE


@dataclass(frozen=True)
class RangeFigures:
    days: int
    completed: int
    failed: int
    bytes_downloaded: int
    disk_used: int  # the user's folder
    disk: DiskSpace | None

    @property
    def success_percent(self) -> int | None:
        """Completed among the downloads that ended (cancelled ones aside);
        None when none ended in the range."""
        ended = self.completed + self.failed
        return round(100 * self.completed / ended) if ended else None


def figures(user: Any, days: int) -> RangeFigures:
    since = timezone.now() - timedelta(days=days)
    ended = DownloadJob.objects.filter(owner=user, finished_at__gte=since)
    counts = ended.aggregate(
        completed=Count("pk", filter=Q(status=JobStatus.COMPLETED)),
        failed=Count("pk", filter=Q(status=JobStatus.FAILED)),
        size=Coalesce(Sum(Coalesce("bytes_total", "bytes_done"), filter=Q(status=JobStatus.COMPLETED)), 0),
    )
    folder = files.download_root() / files.user_folder(user.get_username(), user.pk)
    return RangeFigures(
        days=days,
        completed=counts["completed"],
        failed=counts["failed"],
        bytes_downloaded=counts["size"],
        disk_used=folder_size(folder),
        disk=disk_space(),
    )
