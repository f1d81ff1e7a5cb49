"""Checking one item for new episodes.

`check_item(item)` (or `EpisodeChecker().check(item)`):

1. refresh the item's source, shared with every item that tracks it
   (watchlist/sources.py: at most one upstream request per refresh window);
2. take the source's releases above ``last_episode_downloaded`` whose episode
   the item has not recorded yet, in the item's language;
3. pick one release per episode by the item's quality preference;
4. record them as `Episode` rows (state "new") and hand them to the download
   manager when the item and its owner allow auto-download;
5. record a `CheckRun` and the item's ``last_checked_at``.

A source that cannot be read fails this item's check alone: the error is
recorded on the CheckRun and returned, never raised, so a batch goes on.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import CheckRun, Episode, EpisodeState, Release, SourceStatus, WatchlistItem, WatchlistSettings
from .notifications import notify_check
from .providers import EpisodeInfo
from .releases import language_matches, pick_release
from .sources import refresh_source

logger = logging.getLogger(__name__)

INTERNAL_ERROR = "the check failed because of an internal error (see the server log)"
QUEUE_ERROR = "new episodes were found, but queueing their downloads failed (see the server log)"


@dataclass
class CheckResult:
    """The outcome of one check, as the API returns it (the seed's
    AutoDownloadResult, plus how the source was read)."""

    item_id: uuid.UUID
    anime_title: str
    checked_at: datetime
    new_episodes: list[dict[str, Any]] = field(default_factory=list)
    queued: list[int] = field(default_factory=list)  # episode numbers handed to the download manager
    error: str | None = None
    source_status: str = ""
    duration_ms: int = 0


def _episode_payload(episode: Episode) -> dict[str, Any]:
    return {
        "episode": episode.number,
        "season": episode.season,
        "title": episode.title,
        "url": episode.url,
        "resolution": episode.resolution,
        "version": episode.version,
        "language": episode.language,
    }


def _as_info(release: Release) -> EpisodeInfo:
    return EpisodeInfo(
        episode=release.episode,
        url=release.url,
        title=release.title,
        season=release.season,
        resolution=release.resolution,
        version=release.version,
        language=release.language,
        published_at=release.published_at,
        size=release.size,
        release_name=release.release_name,
        episode_end=release.episode_end,
        is_special=release.is_special,
        group=release.group,
        infohash=release.infohash,
        seeders=release.seeders,
        leechers=release.leechers,
        trusted=release.trusted,
        remake=release.remake,
    )


def choose_releases(item: WatchlistItem, releases: Iterable[Release]) -> list[Release]:
    """One release per episode number, in episode order: the ones in the
    item's language (see `releases.language_matches`: untagged and MULTI
    releases suit everyone), chosen by the item's quality preference."""
    by_episode: dict[int, list[Release]] = defaultdict(list)
    for release in releases:
        if language_matches(item.lang, release.language):
            by_episode[release.episode].append(release)
    chosen = []
    for number in sorted(by_episode):
        rows = by_episode[number]
        infos = [_as_info(row) for row in rows]
        best = pick_release(infos, item.quality_preference)
        chosen.append(rows[next(i for i, info in enumerate(infos) if info is best)])
    return chosen


def candidate_releases(item: WatchlistItem):
    """The source's regular releases above what the item has, of episodes
    it has not recorded."""
    recorded = Episode.objects.filter(item_id=item.pk).values("number")
    return (
        Release.objects.filter(
            source_id=item.source_id,
            episode__gt=item.last_episode_downloaded,
            episode_end__isnull=True,  # a batch spans several episode rows; not ours to split
            is_special=False,
        )
        .exclude(episode__in=recorded)
        .order_by("episode", "pk")  # pk: listing order, which breaks ties in pick_release
    )


def _episode_row(item: WatchlistItem, release: Release, found_at: datetime) -> Episode:
    return Episode(
        item=item,
        number=release.episode,
        season=release.season,
        title=release.title,
        url=release.url,
        resolution=release.resolution,
        version=release.version,
        language=release.language,
        release=release,
        state=EpisodeState.NEW,
        found_at=found_at,
    )


def record_episodes(item: WatchlistItem, releases: list[Release], found_at: datetime) -> list[Episode]:
    """Create the episodes; return the ones this call created.

    Two checks of one item at once (a scheduled one and the "check now"
    button) both see the same candidates: the unique (item, number)
    constraint lets one of them record each episode, and the other one
    leaves it out of its result instead of reporting it again.
    """
    rows = [_episode_row(item, release, found_at) for release in releases]
    if not rows:
        return []
    try:
        with transaction.atomic():
            return Episode.objects.bulk_create(rows)
    except IntegrityError:
        pass
    created = []
    for row in rows:
        try:
            with transaction.atomic():
                row.save(force_insert=True)
        except IntegrityError:
            continue
        created.append(row)
    return created


def auto_download_allowed(item: WatchlistItem) -> bool:
    if not item.auto_download:
        return False
    enabled = WatchlistSettings.objects.filter(user_id=item.owner_id).values_list("auto_download_enabled", flat=True)
    default = WatchlistSettings._meta.get_field("auto_download_enabled").default
    return next(iter(enabled), default)


def queue_downloads(item: WatchlistItem, episodes: list[Episode]) -> list[int]:
    """Hand newly found episodes to the download manager (inside the check's
    transaction: the Celery messages go out on commit); return the numbers
    queued. Only called when `auto_download_allowed`."""
    from .downloading import queue_new_episodes  # downloading imports the downloads app

    return queue_new_episodes(item, episodes)


class EpisodeChecker:
    def __init__(self, *, force_refresh: bool = False) -> None:
        # force_refresh: ignore the source's refresh window (an admin's
        # "refresh now"); concurrent checks still share one request.
        self.force_refresh = force_refresh

    def check(self, item: WatchlistItem) -> CheckResult:
        started_at = timezone.now()
        clock = time.perf_counter()
        status = ""
        try:
            refresh = refresh_source(item.source, force=self.force_refresh)
            status = refresh.status
            if refresh.ok:
                with transaction.atomic():
                    found = record_episodes(item, choose_releases(item, candidate_releases(item)), started_at)
                    queued, error = self._hand_over(item, found)
                    return self._finish(item, started_at, clock, status, found, queued, error)
            error = refresh.error or "the source could not be read"
        except Exception:
            # Whatever went wrong, this item's check fails alone and says so.
            logger.exception("check of item %s failed", item.pk)
            status, error = status or SourceStatus.ERROR, INTERNAL_ERROR
        return self._finish(item, started_at, clock, status, [], [], error)

    def _hand_over(self, item: WatchlistItem, found: list[Episode]) -> tuple[list[int], str | None]:
        if not found or not auto_download_allowed(item):
            return [], None
        try:
            # A savepoint: when queueing fails, the episodes found stay
            # recorded ("new", downloadable by hand) instead of the whole
            # check rolling back and failing the same way every time.
            with transaction.atomic():
                return queue_downloads(item, found), None
        except Exception:
            logger.exception("queueing the downloads of item %s failed", item.pk)
            return [], QUEUE_ERROR

    def _finish(
        self,
        item: WatchlistItem,
        started_at: datetime,
        clock: float,
        status: str,
        found: list[Episode],
        queued: list[int],
        error: str | None,
    ) -> CheckResult:
        duration_ms = int((time.perf_counter() - clock) * 1000)
        numbers = [episode.number for episode in found]
        CheckRun.objects.create(
            item=item,
            started_at=started_at,
            duration_ms=duration_ms,
            new_episodes=len(found),
            new_episode_numbers=numbers,
            queued_episode_numbers=list(queued),
            error=error or "",
            source_status=status,
        )
        # update(), not save(): a user editing the item meanwhile keeps the
        # edit, and a check is no reason to move updated_at.
        WatchlistItem.objects.filter(pk=item.pk).update(last_checked_at=started_at)
        item.last_checked_at = started_at
        notify_check(item, numbers, error)
        return CheckResult(
            item_id=item.pk,
            anime_title=item.anime_title,
            checked_at=started_at,
            new_episodes=[_episode_payload(episode) for episode in found],
            queued=list(queued),
            error=error,
            source_status=status,
            duration_ms=duration_ms,
        )


def check_item(item: WatchlistItem, *, force_refresh: bool = False) -> CheckResult:
    return EpisodeChecker(force_refresh=force_refresh).check(item)
