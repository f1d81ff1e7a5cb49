"""Download jobs as the dashboard shows them.

The downloads app knows nothing about watchlist items (the one-way rule):
episodes point at their job (``Episode.download_job``), and a job that
fetches no episode row (a special) names its item in ``metadata["item_id"]``,
written by the watchlist side when it queued the job.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.db.models import Q, QuerySet

from downloads.models import ACTIVE_STATUSES, DownloadJob, JobStatus
from downloads.torrent.seeding import Seeding, seeding_of

from ..models import Episode, WatchlistItem

HISTORY_STATUSES = (JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED)


def owned_jobs(user: Any) -> QuerySet[DownloadJob]:
    # -id breaks created_at ties, so pagination never shows a job twice.
    return DownloadJob.objects.filter(owner=user).order_by("-created_at", "-id")


def item_filter(item: WatchlistItem) -> Q:
    return Q(metadata__item_id=str(item.pk)) | Q(pk__in=Episode.objects.filter(item=item).values("download_job"))


def jobs_of_item(item: WatchlistItem) -> QuerySet[DownloadJob]:
    return owned_jobs(item.owner_id).filter(item_filter(item))


def active_jobs(user: Any) -> QuerySet[DownloadJob]:
    # Running first (they are what moves), then the queue in the order it runs.
    return (
        DownloadJob.objects.filter(owner=user, status__in=ACTIVE_STATUSES).order_by(
            "-status", "created_at", "id"
        )  # "running" > "queued", so -status puts it first
    )


def _as_queued(job: DownloadJob) -> tuple[str | None, int | None]:
    """The item and episode number the watchlist wrote into the job when it
    queued it: what labels a special, and a job whose item was deleted
    since (its episode rows went with it)."""
    meta = job.metadata if isinstance(job.metadata, dict) else {}
    item_id, episode = meta.get("item_id"), meta.get("episode")
    try:
        item_id = str(uuid.UUID(str(item_id))) if item_id else None
    except ValueError:
        item_id = None
    return item_id, episode if isinstance(episode, int) else None


@dataclass(frozen=True)
class JobRow:
    """A job plus what it is for, ready for the templates."""

    job: DownloadJob
    title: str
    episode: int | None
    item: WatchlistItem | None
    episodes: tuple[int, ...] = ()  # every episode the job fills (a batch: several)

    @property
    def is_batch(self) -> bool:
        return len(self.episodes) > 1

    @property
    def episode_span(self) -> str:
        """ "1-3, 5": the episodes of a batch, for "Episodes 1-3, 5"."""
        from ..releases.batches import number_span

        return number_span(self.episodes)

    @property
    def file_name(self) -> str:
        return PurePath(self.job.destination).name

    @property
    def where(self) -> str:
        """Where the file is, inside the owner's download folder
        (``Frieren/Frieren - S01E05.mkv``); a batch's folder (``Frieren/``)."""
        from downloads.files import path_in_user_folder

        where = path_in_user_folder(self.job.destination)
        if self.is_batch and "/" in where:
            return where.rsplit("/", 1)[0] + "/"
        return where

    @property
    def seeding(self) -> Seeding | None:
        """A finished torrent's seeding as its worker's engine last wrote it."""
        return seeding_of(self.job)

    @property
    def percent(self) -> int:
        """The bar's width: whole percent, 0 while the size is unknown."""
        return int(self.job.progress or 0)


def rows_for(jobs: Iterable[DownloadJob], owner: Any) -> list[JobRow]:
    """Label jobs with their series title in one query for the whole page.

    Items are looked up among the owner's own only, so a job whose metadata
    names someone else's item (it cannot happen through the app, but
    metadata is free-form) never leaks that item's title.
    """
    jobs = list(jobs)
    linked: dict[Any, tuple[str, int]] = {}
    filled: dict[Any, list[int]] = {}
    if jobs:
        episodes = Episode.objects.filter(download_job__in=jobs, item__owner=owner).order_by("number")
        for job_id, item_id, number in episodes.values_list("download_job_id", "item_id", "number"):
            linked.setdefault(job_id, (str(item_id), number))  # a batch's first episode, and all of them:
            filled.setdefault(job_id, []).append(number)
    parsed = [linked.get(job.pk) or _as_queued(job) for job in jobs]
    ids = {item_id for item_id, _ in parsed if item_id}
    items = {str(i.pk): i for i in WatchlistItem.objects.filter(owner=owner, pk__in=ids)} if ids else {}
    rows = []
    for job, (item_id, episode) in zip(jobs, parsed, strict=True):
        item = items.get(item_id) if item_id else None
        meta_title = job.metadata.get("anime_title") if isinstance(job.metadata, dict) else None
        title = item.anime_title if item else (meta_title or PurePath(job.destination).stem)
        rows.append(
            JobRow(job=job, title=str(title), episode=episode, item=item, episodes=tuple(filled.get(job.pk, ())))
        )
    return rows
