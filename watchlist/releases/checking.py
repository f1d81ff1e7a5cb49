"""Release matching inside a check (watchlist/checker.py): read what the
choice needs, and write what it decided.

``choose_for(item, now)`` runs `choose.decide` over every release of the
item's source; ``save_decisions`` replaces the item's stored decisions
(the item page and the API explain them); ``apply_upgrades`` hands v2s and
upgrades over (upgrade.py).
"""

from __future__ import annotations

import logging
from datetime import datetime

from watchlist.models import Episode, EpisodeState, Release, ReleaseDecision, WatchlistItem

from .choose import Outcome, decide
from .upgrade import ReplaceRefused, can_switch_without_download, replace_release

logger = logging.getLogger(__name__)


def source_releases(item: WatchlistItem):
    """Every release the item's source lists, in listing order."""
    return Release.objects.filter(source_id=item.source_id).order_by("pk")


def recorded_episodes(item: WatchlistItem) -> dict[int, Episode]:
    return {episode.number: episode for episode in Episode.objects.filter(item_id=item.pk).select_related("release")}


def choose_for(item: WatchlistItem, now: datetime, releases: list[Release] | None = None) -> Outcome:
    """``releases``: the source's releases when the caller loaded them once
    for every item of the source (their parsed names are then shared too)."""
    from watchlist.downloading import batch_downloads_possible

    listed = list(source_releases(item)) if releases is None else releases
    return decide(item, listed, recorded_episodes(item), now, batches=batch_downloads_possible())


def save_decisions(item: WatchlistItem, outcome: Outcome, checked_at: datetime) -> None:
    rows = [
        ReleaseDecision(
            item=item,
            release=decision.release,
            checked_at=checked_at,
            episode=decision.episode,
            release_name=(decision.release.release_name or decision.release.title)[:1000],
            url=decision.release.url,
            group=decision.release.group,
            resolution=decision.release.resolution,
            version=decision.release.version,
            language=decision.release.language,
            seeders=decision.release.seeders,
            size=decision.release.size,
            picked=decision.picked,
            code=decision.code,
            reason=decision.reason[:300],
        )
        for decision in outcome.decisions
    ]
    ReleaseDecision.objects.filter(item_id=item.pk).delete()
    ReleaseDecision.objects.bulk_create(rows, batch_size=500)


def apply_upgrades(item: WatchlistItem, outcome: Outcome, *, download_allowed: bool) -> list[int]:
    """Give the upgraded episodes their new release (and queue the specials
    the item asked for); return the numbers whose new release was queued. A downloaded episode is only upgraded when
    auto-download is allowed (else its decision says what is out, and the
    user can pick it); a running download is left to finish."""
    queued = []
    if download_allowed:
        from watchlist.downloading import queue_special_download

        for release in outcome.specials:
            queue_special_download(item, release)
    for upgrade in outcome.upgrades:
        episode = upgrade.episode
        if episode.state == EpisodeState.QUEUED:
            continue
        if not download_allowed and not can_switch_without_download(episode):
            continue
        try:
            job = replace_release(episode, upgrade.release, download=download_allowed)
        except ReplaceRefused:
            continue
        if job is not None:
            queued.append(episode.number)
        logger.info("item %s episode %s: %s", item.pk, episode.number, upgrade.reason)
    return queued
