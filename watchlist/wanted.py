"""Episodes found but not downloaded, and failed ones: the "Wanted" page,
and the item page's "Download all missing".

An episode is wanted while it is recorded as new (found by a check, not
queued: auto-download off, or no seeders yet), skipped, or failed. Queued
and downloaded ones have their download job already.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from .downloading import queue_episode_download
from .models import Episode, EpisodeState, WatchlistItem

WANTED_STATES = (EpisodeState.NEW, EpisodeState.FAILED, EpisodeState.SKIPPED)


@dataclass(frozen=True)
class WantedSeries:
    item: WatchlistItem
    episodes: list[Episode]

    @property
    def failed(self) -> int:
        return sum(1 for episode in self.episodes if episode.state == EpisodeState.FAILED)


def wanted_by_series(owner: Any) -> list[WantedSeries]:
    """The owner's wanted episodes grouped by series (title order), each
    series' episodes in episode order. Two queries."""
    episodes = (
        Episode.objects.filter(item__owner=owner, state__in=WANTED_STATES)
        .select_related("item", "item__series")
        .order_by("item__anime_title", "item__created_at", "number")
    )
    groups: dict[Any, WantedSeries] = {}
    for episode in episodes:
        group = groups.get(episode.item_id)
        if group is None:
            group = groups[episode.item_id] = WantedSeries(episode.item, [])
        group.episodes.append(episode)
    return list(groups.values())


def wanted_count(owner: Any) -> int:
    return Episode.objects.filter(item__owner=owner, state__in=WANTED_STATES).count()


def queue_wanted(item: WatchlistItem, numbers: list[int] | None = None) -> list[int]:
    """Queue the download of the item's wanted episodes (only ``numbers``
    when given); return the numbers queued. Idempotent per episode."""
    episodes = Episode.objects.select_related("item__owner").filter(item=item, state__in=WANTED_STATES)
    if numbers is not None:
        episodes = episodes.filter(number__in=numbers)
    queued = []
    with transaction.atomic():
        for episode in episodes.order_by("number"):
            queue_episode_download(episode)
            queued.append(episode.number)
    return queued
