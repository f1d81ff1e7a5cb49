"""The watchlist side of downloading: episodes become download jobs, and the
jobs' outcomes come back as episode states.

`downloads` knows nothing about items or episodes (the one-way rule); it
carries the ids we give it in `job.metadata` and announces outcomes with
signals, which the receivers below turn into episode states, the item's
`last_episode_downloaded` and notifications.
"""

from __future__ import annotations

import logging
from pathlib import PurePosixPath
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from django.db import transaction
from django.dispatch import receiver

from downloads import files, manager
from downloads.clients.choice import torrent_backend
from downloads.models import TORRENT_BACKENDS, BackendName, DownloadJob, JobStatus
from downloads.signals import download_cancelled, download_failed, download_finished

from .models import Episode, EpisodeState, WatchlistItem, WatchlistSettings
from .notify.events import emit
from .notify.kinds import EventKind
from .providers.torznab import PROVIDER_ID as TORZNAB_PROVIDER

logger = logging.getLogger(__name__)

# yt-dlp picks the container; the merge target for separate video+audio.
YTDLP_DEFAULT_EXT = ".mkv"
# A torrent's file is seen only once the download has its metadata; the
# backend then renames to that file's own extension. Until then, what most
# releases are.
TORRENT_DEFAULT_EXT = ".mkv"


def dedupe_key(item_id, number: int) -> str:
    return f"item:{item_id}:ep:{number}"


def _link_path(url: str) -> str:
    return unquote(urlsplit(url).path)


def _extension(url: str, backend: str, name: str = "") -> str:
    """The planned file's extension: the link's own when it names a video
    file, else the release name's ("... [1080p].mkv"), else the backend's
    usual container."""
    for text in (_link_path(url), name):
        ext = files.media_extension(text) if text else None
        if ext:
            return ext
    if backend in TORRENT_BACKENDS:
        return TORRENT_DEFAULT_EXT
    return YTDLP_DEFAULT_EXT if backend == BackendName.YTDLP else ".bin"


def is_torrent_link(url: str, infohash: str = "", *, provider_id: str = "", typed: bool = False) -> bool:
    """A magnet, a .torrent file, a link the listing gave an infohash for
    (Torznab's download links have no .torrent suffix) or typed as a torrent
    (a feed's enclosure), or any result of the indexers: Torznab lists
    torrents only, and private trackers give keyed links without a hash."""
    if urlsplit(url).scheme.lower() == "magnet" or provider_id == TORZNAB_PROVIDER or typed:
        return True
    return PurePosixPath(_link_path(url)).suffix.lower() == ".torrent" or bool(infohash)


def _backend_for(item: WatchlistItem, url: str, infohash: str = "", typed_torrent: bool = False) -> str:
    # A direct media file is fetched with the resumable HTTP backend even when
    # the listing came from yt-dlp; pages go to yt-dlp; torrents to the engine.
    if files.media_extension(_link_path(url)):
        return BackendName.HTTP
    if is_torrent_link(url, infohash, provider_id=item.provider_id, typed=typed_torrent):
        return torrent_backend()  # the staff's client when one is enabled, else the engine
    return BackendName.YTDLP if item.provider_id == "ytdlp" else BackendName.HTTP


class ReleaseHints(NamedTuple):
    """What the release an episode holds says about its link."""

    infohash: str
    name: str
    typed_torrent: bool = False


def _release_hints(episode: Episode) -> ReleaseHints:
    release = episode.release
    if release is None:
        return ReleaseHints("", episode.title or "")
    name = release.release_name or release.title or episode.title or ""
    return ReleaseHints(release.infohash or "", name, release.typed_torrent)


def _torrent_options(backend: str, numbers: list[int]) -> dict:
    # Only the files of these episodes are fetched from a torrent of several.
    return {"episodes": numbers} if backend in TORRENT_BACKENDS else {}


def _episode_destination(episode: Episode, ext: str):
    item = episode.item
    return files.build_destination(
        files.download_root(),
        files.user_folder(item.owner.get_username(), item.owner_id),
        item.anime_title,
        episode.season,
        episode.number,
        episode.resolution,
        ext,
    )


def queue_episode_download(episode: Episode) -> DownloadJob:
    """Queue (or re-queue) the download of one recorded episode.

    Idempotent: the job's dedupe key is the (item, episode) pair, so a second
    call returns the same job; a failed or cancelled one is retried.
    """
    item = episode.item
    user_settings = WatchlistSettings.for_user(item.owner)
    infohash, name, typed = _release_hints(episode)
    backend = _backend_for(item, episode.url, infohash, typed)
    destination = _episode_destination(episode, _extension(episode.url, backend, name))
    with transaction.atomic():
        job, created = manager.enqueue(
            item.owner,
            episode.url,
            backend,
            destination,
            dedupe_key=dedupe_key(item.pk, episode.number),
            max_concurrent=user_settings.max_concurrent_auto_downloads,
            quality_preference=item.quality_preference,
            metadata={"item_id": str(item.pk), "episode_id": episode.pk, "episode": episode.number},
            **_torrent_options(backend, [episode.number]),
        )
        if not created and job.status in (JobStatus.FAILED, JobStatus.CANCELLED):
            manager.retry(job)
        _link(episode, job)
    return job


def queue_new_episodes(item: WatchlistItem, episodes: list[Episode]) -> list[int]:
    """The checker's hand-off when auto-download is allowed: queue every newly
    found episode (the ones a batch release fills, in one job); return the
    numbers queued."""
    queued = []
    batches: dict[int, list[Episode]] = {}
    for episode in episodes:
        if episode.release is not None and episode.release.episode_end is not None:
            batches.setdefault(episode.release.pk, []).append(episode)
            continue
        queue_episode_download(episode)
        queued.append(episode.number)
    for filled in batches.values():
        queue_batch_download(item, filled)
        queued += [episode.number for episode in filled]
    return sorted(queued)


def batch_downloads_possible() -> bool:
    """Whether a batch torrent can fill several episodes in one job: the
    embedded engine places each wanted episode's file at its own name; an
    external client's job places one file."""
    return torrent_backend() == BackendName.TORRENT


def queue_batch_download(item: WatchlistItem, episodes: list[Episode]) -> DownloadJob:
    """Queue ONE torrent job for the episodes a batch release fills: only
    their files are fetched, each to its own library name (the name of a
    single episode's download), and every episode points at the job.

    Idempotent on the release's link and the episodes: a second call
    returns the same job; a failed or cancelled one is retried. When the
    link would not go to the embedded engine (a client was enabled since the
    check), each episode gets its own job from the batch instead.
    """
    import hashlib

    episodes = sorted(episodes, key=lambda episode: episode.number)
    first = episodes[0]
    infohash, name, typed = _release_hints(first)
    backend = _backend_for(item, first.url, infohash, typed)
    if backend != BackendName.TORRENT or len(episodes) == 1:
        jobs = [queue_episode_download(episode) for episode in episodes]
        return jobs[0]
    ext = _extension(first.url, backend, name)
    destinations = {episode.number: _episode_destination(episode, ext) for episode in episodes}
    numbers = [episode.number for episode in episodes]
    key = hashlib.sha256(f"{first.url}|{numbers}".encode()).hexdigest()[:16]
    user_settings = WatchlistSettings.for_user(item.owner)
    with transaction.atomic():
        job, created = manager.enqueue(
            item.owner,
            first.url,
            backend,
            destinations[first.number],
            dedupe_key=f"item:{item.pk}:batch:{key}",
            max_concurrent=user_settings.max_concurrent_auto_downloads,
            quality_preference=item.quality_preference,
            # "episode" and "episode_id" name the first, as a single job's do.
            metadata={"item_id": str(item.pk), "episode_id": first.pk, "episode": first.number, "episodes": numbers},
            episodes=numbers,
            episode_destinations=destinations,
        )
        if not created and job.status in (JobStatus.FAILED, JobStatus.CANCELLED):
            manager.retry(job)
        for episode in episodes:
            _link(episode, job)
    return job


def _link(episode: Episode, job: DownloadJob) -> None:
    Episode.objects.filter(pk=episode.pk).update(state=EpisodeState.QUEUED, download_job=job)
    episode.state = EpisodeState.QUEUED
    episode.download_job = job


def _episodes_of(job: DownloadJob) -> list[Episode]:
    """The episodes whose file this job fetches: none for a job that is not
    ours or was replaced (a v2 queued since), several for a batch."""
    return list(Episode.objects.select_related("item").filter(download_job=job).order_by("number"))


@receiver(download_finished, dispatch_uid="watchlist_episode_downloaded")
def mark_downloaded(sender, job: DownloadJob, **kwargs) -> None:
    episodes = _episodes_of(job)
    if not episodes:
        return
    item = episodes[0].item
    numbers = [episode.number for episode in episodes]
    with transaction.atomic():
        Episode.objects.filter(pk__in=[episode.pk for episode in episodes]).update(state=EpisodeState.DOWNLOADED)
        # Raise, never lower: episodes can finish out of order.
        WatchlistItem.objects.filter(pk=item.pk, last_episode_downloaded__lt=max(numbers)).update(
            last_episode_downloaded=max(numbers)
        )
        emit(EventKind.DOWNLOAD_COMPLETED, item, episodes=numbers)


@receiver(download_failed, dispatch_uid="watchlist_episode_failed")
def mark_failed(sender, job: DownloadJob, **kwargs) -> None:
    """A job failed for good: each of its episodes (several for a batch)
    gets its own next-best single release; only the episodes with none left
    are marked failed."""
    episodes = _episodes_of(job)
    if not episodes:
        return
    left = [episode for episode in episodes if not _fail_over(episode, job)]
    if not left:
        return
    with transaction.atomic():
        Episode.objects.filter(pk__in=[episode.pk for episode in left]).update(state=EpisodeState.FAILED)
        emit(EventKind.DOWNLOAD_FAILED, left[0].item, episodes=[e.number for e in left], detail=job.error)
    if len(episodes) > 1:
        logger.info(
            "item %s: batch %s failed (%s); episodes %s have no other release, marked failed",
            left[0].item_id, job.url[:120], job.error[:200], ", ".join(str(e.number) for e in left),
        )  # fmt: skip


def _fail_over(episode: Episode, job: DownloadJob) -> bool:
    """Queue the episode's next-best single release after its release (or
    the batch holding it) failed; False when every release of the episode
    has been tried (or it was pinned by the user, whose choice is not
    overridden)."""
    from .releases.failover import next_release

    if episode.pinned or episode.url != job.url:
        return False  # the user's pick, or the episode moved on already
    release = next_release(episode, _tried_urls(episode, job))
    if release is None:
        return False
    with transaction.atomic():
        Episode.objects.filter(pk=episode.pk).update(
            url=release.url,
            release=release,
            title=release.title,
            resolution=release.resolution,
            version=release.version,
            language=release.language,
        )
        episode.refresh_from_db()
        queue_release_download(episode)
    logger.info(
        "item %s episode %s: %s failed (%s); trying %s",
        episode.item_id, episode.number, job.url[:120], job.error[:200], release.url[:120],
    )  # fmt: skip
    return True


def _tried_urls(episode: Episode, job: DownloadJob) -> set[str]:
    """The links that failed for this episode: its own jobs', and the
    batches' that held it (a batch's metadata names its first episode only)."""
    failed = DownloadJob.objects.filter(
        owner_id=job.owner_id, metadata__item_id=str(episode.item_id), status=JobStatus.FAILED
    ).values_list("url", "metadata")
    tried = {
        url
        for url, metadata in failed
        if metadata.get("episode_id") == episode.pk or episode.number in (metadata.get("episodes") or ())
    }
    return tried | {job.url}


@receiver(download_cancelled, dispatch_uid="watchlist_episode_cancelled")
def mark_cancelled(sender, job: DownloadJob, **kwargs) -> None:
    # Back to "new": the user may download it by hand later.
    Episode.objects.filter(download_job=job).update(state=EpisodeState.NEW)


def queue_release_download(episode: Episode, *, replaces: DownloadJob | None = None) -> DownloadJob:
    """Queue the download of the release an episode holds now, when it
    differs from the one a job already fetched (a v2, an upgrade, the user's
    pick): the job's key names the URL, so it is a new job, and it says
    which finished job's file it replaces (removed once this one is
    verified; see watchlist/releases/upgrade.py)."""
    import hashlib

    item = episode.item
    user_settings = WatchlistSettings.for_user(item.owner)
    infohash, name, typed = _release_hints(episode)
    backend = _backend_for(item, episode.url, infohash, typed)
    destination = _episode_destination(episode, _extension(episode.url, backend, name))
    url_key = hashlib.sha256(episode.url.encode()).hexdigest()[:16]
    metadata = {"item_id": str(item.pk), "episode_id": episode.pk, "episode": episode.number}
    if replaces is not None:
        metadata["replaces_job"] = str(replaces.pk)
    with transaction.atomic():
        job, created = manager.enqueue(
            item.owner,
            episode.url,
            backend,
            destination,
            dedupe_key=f"{dedupe_key(item.pk, episode.number)}:{url_key}",
            max_concurrent=user_settings.max_concurrent_auto_downloads,
            quality_preference=item.quality_preference,
            metadata=metadata,
            **_torrent_options(backend, [episode.number]),
        )
        if not created and job.status in (JobStatus.FAILED, JobStatus.CANCELLED):
            manager.retry(job)
        _link(episode, job)
    return job


def queue_special_download(item: WatchlistItem, release) -> DownloadJob:
    """Queue a special (OVA, movie, recap) the item asked for. Specials are
    no episode rows (their numbers would collide with the episodes'): the
    job goes to season 0, where media servers look for specials, and is
    keyed on the release's URL so it is queued once."""
    import hashlib

    user_settings = WatchlistSettings.for_user(item.owner)
    backend = _backend_for(item, release.url, release.infohash, release.typed_torrent)
    destination = files.build_destination(
        files.download_root(),
        files.user_folder(item.owner.get_username(), item.owner_id),
        item.anime_title,
        0,
        release.episode or 0,
        release.resolution,
        _extension(release.url, backend, release.release_name or release.title),
    )
    url_key = hashlib.sha256(release.url.encode()).hexdigest()[:16]
    job, created = manager.enqueue(
        item.owner,
        release.url,
        backend,
        destination,
        dedupe_key=f"item:{item.pk}:special:{url_key}",
        max_concurrent=user_settings.max_concurrent_auto_downloads,
        quality_preference=item.quality_preference,
        metadata={"item_id": str(item.pk), "special": release.release_name or release.title},
    )
    if not created and job.status in (JobStatus.FAILED, JobStatus.CANCELLED):
        manager.retry(job)
    return job
