"""What the downloads page shows beside the jobs: where the user's files
go, how much room the disk has left, and the counts behind the bulk
buttons ("Retry all failed", "Cancel all queued", "Clear history")."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest

from downloads import files
from downloads.bulk import FINISHED_STATUSES, not_cleared
from downloads.disk import disk_space
from downloads.models import DownloadJob, JobStatus


def downloads_page_extras(request: HttpRequest) -> dict[str, Any]:
    # The same selections as the buttons' actions (downloads/bulk.py).
    counts = (
        DownloadJob.objects.filter(owner=request.user)
        .filter(not_cleared())
        .aggregate(
            failed=Count("pk", filter=Q(status=JobStatus.FAILED)),
            queued=Count("pk", filter=Q(status=JobStatus.QUEUED)),
            finished=Count("pk", filter=Q(status__in=FINISHED_STATUSES)),
        )
    )
    user = request.user
    folder = files.download_root() / files.user_folder(user.get_username(), user.pk)
    return {
        "bulk_counts": counts,
        "disk": disk_space(),
        # The server's path for staff (they run it); others see "your folder".
        "user_folder_path": str(folder) if user.is_staff else "",
    }
