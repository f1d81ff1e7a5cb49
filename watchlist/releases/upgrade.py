"""Replacing an episode's release: a v2 of the one recorded, a release the
user's rules prefer that came within ``UPGRADE_WINDOW_HOURS`` of the first,
or the user's own pick ("download this one instead").

An episode that was never downloaded just takes the new release. A
downloaded one gets a new download job; its file replaces the old one only
once the new download is verified (the downloads app reports a finished
job after its size and digest checks). When both have the same name (a v2
at the same resolution), the new file, written next to the old one as
"... (2).mkv", is moved over it in one rename, so the episode's file is
never missing; otherwise the old file is deleted.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from django.db import transaction
from django.dispatch import receiver
from django.utils.translation import gettext as _

from downloads import files
from downloads.models import DownloadJob, JobStatus
from downloads.signals import download_finished
from watchlist.models import Episode, EpisodeState, Release

logger = logging.getLogger(__name__)

# Episodes whose release can change without a download: nothing was fetched.
_NOT_FETCHED = (EpisodeState.NEW, EpisodeState.SKIPPED)


class ReplaceRefused(Exception):
    """The episode's release cannot change now (its download is running)."""


def _finished_job(episode: Episode) -> DownloadJob | None:
    # The episode's own job: a batch's names its first episode only.
    current = episode.download_job
    if current is not None and current.status == JobStatus.COMPLETED:
        return current
    return (
        DownloadJob.objects.filter(metadata__episode_id=episode.pk, status=JobStatus.COMPLETED)
        .order_by("-finished_at", "-created_at")
        .first()
    )


def replace_release(episode: Episode, release: Release, *, download: bool, pinned: bool = False) -> DownloadJob | None:
    """Give ``episode`` the release ``release``; queue its download when
    ``download`` (or when the episode had been downloaded or tried and its
    download is allowed). Returns the job queued, if any."""
    from watchlist.downloading import queue_release_download

    if episode.state == EpisodeState.QUEUED:
        raise ReplaceRefused(
            _("episode %(number)d is being downloaded; cancel that download first") % {"number": episode.number}
        )
    replaces = _finished_job(episode) if episode.state == EpisodeState.DOWNLOADED else None
    episode.url = release.url
    episode.title = release.title
    episode.resolution = release.resolution
    episode.version = release.version
    episode.language = release.language
    episode.release = release
    episode.pinned = pinned
    episode.save(update_fields=["url", "title", "resolution", "version", "language", "release", "pinned"])
    if not download:
        return None
    return queue_release_download(episode, replaces=replaces)


def can_switch_without_download(episode: Episode) -> bool:
    """Nothing was fetched for the episode yet: its release can change and
    whoever downloads it later gets the new one."""
    return episode.state in _NOT_FETCHED


def _same_name(old: Path, new: Path) -> bool:
    return any(files.numbered(old, n) == new for n in range(2, 100))


@receiver(download_finished, dispatch_uid="watchlist_release_replaced")
def remove_replaced_file(sender, job: DownloadJob, **kwargs) -> None:
    """The new release is downloaded and verified: its file takes the old
    one's place."""
    old_id = (job.metadata or {}).get("replaces_job")
    if not old_id:
        return
    old = DownloadJob.objects.filter(pk=old_id).first()
    if old is None or old.pk == job.pk:
        return
    root = files.download_root()
    # A batch's job holds several episodes' files: only this episode's goes.
    old_file = old.file_of((job.metadata or {}).get("episode"))
    old_path = files.ensure_inside(root, Path(old_file))
    new_path = files.ensure_inside(root, Path(job.destination))
    if old_path == new_path:
        return
    if _same_name(old_path, new_path):
        with transaction.atomic():
            # The old job's row keeps its history under a name no file has.
            _rename_in_job(old, old_file, f"{old_file}.replaced-{old.pk}")
            DownloadJob.objects.filter(pk=job.pk).update(destination=str(old_path))
            os.replace(new_path, old_path)
        job.destination = str(old_path)
        logger.info("episode file %s replaced by a new release", old_path)
        return
    try:
        old_path.unlink(missing_ok=True)
    except OSError:
        logger.warning("could not remove the replaced file %s", old_path, exc_info=True)


def _rename_in_job(job: DownloadJob, name: str, new_name: str) -> None:
    changes: dict = {}
    if job.destination == name:
        changes["destination"] = new_name
    if any(isinstance(entry, dict) and entry.get("destination") == name for entry in job.files or ()):
        changes["files"] = [
            {**entry, "destination": new_name} if entry.get("destination") == name else entry
            for entry in job.files
            if isinstance(entry, dict)
        ]
    if changes:
        DownloadJob.objects.filter(pk=job.pk).update(**changes)
