"""Checking one item for new episodes.

`check_item(item)` (or `EpisodeChecker().check(item)`):

1. refresh the item's source, shared with every item that tracks it
   (watchlist/sources.py: at most one upstream request per refresh window);
2. match the source's releases to the item (watchlist/releases/choose.py:
   the series, the season and episode, the user's release rules) and pick
   one release per episode the item has not recorded, above
   ``last_episode_downloaded``; every release's decision is stored for the
   item page;
3. record them as `Episode` rows (state "new") and hand them to the download
   manager when the item and its owner allow auto-download (a release with
   no seeders is recorded, not queued); v2s and upgrades of recorded
   episodes are handed over too (releases/upgrade.py);
4. record a `CheckRun` and the item's ``last_checked_at``.

A source that cannot be read fails this item's check alone: the error is
recorded on the CheckRun and returned, never raised, so a batch goes on.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import CheckRun, Episode, EpisodeState, Release, SourceStatus, WatchlistItem, WatchlistSettings
from .notifications import notify_check
from .releases.checking import apply_upgrades, choose_for, recorded_episodes, save_decisions, source_releases
from .releases.choose import decide
from .sources import SourceRefresh, refresh_source

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


def choose_releases(item: WatchlistItem, releases: Iterable[Release]) -> list[Release]:
    """The releases the item would record now, one per new episode, in
    episode order (the check's choice without its side effects)."""
    outcome = decide(item, list(releases), recorded_episodes(item), timezone.now())
    return [release for release, _, _ in sorted(outcome.new, key=lambda entry: entry[1])]


def candidate_releases(item: WatchlistItem):
    """Every release of the item's source, in listing order: the release
    matching decides which are the item's new episodes."""
    return source_releases(item)


def _episode_row(
    item: WatchlistItem, release: Release, found_at: datetime, number: int | None = None, season: int | None = None
) -> Episode:
    return Episode(
        item=item,
        number=release.episode if number is None else number,
        season=release.season if number is None else season,
        title=release.title,
        url=release.url,
        resolution=release.resolution,
        version=release.version,
        language=release.language,
        release=release,
        state=EpisodeState.NEW,
        found_at=found_at,
    )


def record_episodes(
    item: WatchlistItem,
    releases: list[Release],
    found_at: datetime,
    numbers: list[tuple[int, int | None]] | None = None,
) -> list[Episode]:
    """Create the episodes; return the ones this call created.

    Two checks of one item at once (a scheduled one and the "check now"
    button) both see the same candidates: the unique (item, number)
    constraint lets one of them record each episode, and the other one
    leaves it out of its result instead of reporting it again.
    """
    numbered = numbers or [(None, None)] * len(releases)
    rows = [
        _episode_row(item, release, found_at, number, season)
        for release, (number, season) in zip(releases, numbered, strict=True)
    ]
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

    def check(
        self, item: WatchlistItem, *, refresh: SourceRefresh | None = None, releases: list[Release] | None = None
    ) -> CheckResult:
        """``refresh``: the source was refreshed by the caller for several
        items (source_checks.py), so this check does not ask again;
        ``releases``: the source's releases, loaded once for those items."""
        started_at = timezone.now()
        clock = time.perf_counter()
        status = ""
        try:
            if refresh is None:
                refresh = refresh_source(item.source, force=self.force_refresh)
            status = refresh.status
            if refresh.ok:
                with transaction.atomic():
                    outcome = choose_for(item, started_at, releases)
                    found = record_episodes(
                        item,
                        [release for release, _, _ in outcome.new],
                        started_at,
                        [(number, season) for _, number, season in outcome.new],
                    )
                    save_decisions(item, outcome, started_at)
                    no_seeders = {d.release.pk for d in outcome.decisions if d.picked and not d.queue}
                    queued, error = self._hand_over(item, [e for e in found if e.release_id not in no_seeders])
                    if error is None:
                        queued += self._upgrade(item, outcome)
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

    def _upgrade(self, item: WatchlistItem, outcome) -> list[int]:
        if not outcome.upgrades and not outcome.specials:
            return []
        try:
            with transaction.atomic():
                return apply_upgrades(item, outcome, download_allowed=auto_download_allowed(item))
        except Exception:
            # An upgrade is a nicety: the check's new episodes stand without it.
            logger.exception("upgrading the releases of item %s failed", item.pk)
            return []

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
