"""When an episode's download fails for good, the next-best release of the
same episode gets its turn before the episode is marked failed.

A release fails for reasons of its own more often than an episode does: a
torrent nobody seeds any more (a stall), a magnet whose metadata never
comes, a dead link. The user's rules already ranked the other releases of
the episode at the last check; the best one not yet tried is taken, the
way the check would have picked it had the failed ones not been listed.
"""

from __future__ import annotations

import copy

from django.utils import timezone

from watchlist.models import Episode, Release

from .checking import source_releases
from .choose import decide


def next_release(episode: Episode, tried_urls: set[str]) -> Release | None:
    """The best queueable release of the episode's number among those not
    tried yet, by the item's rules; None when there is none."""
    item = episode.item
    candidates = [release for release in source_releases(item) if release.url not in tried_urls]
    if not candidates:
        return None
    # Decided as for a new episode: "not after the last one you have" is
    # about episodes never downloaded, not about this one.
    fresh = copy.copy(item)
    fresh.last_episode_downloaded = 0
    outcome = decide(fresh, candidates, {}, timezone.now())
    for decision in outcome.decisions:
        if decision.picked and decision.queue and decision.episode == episode.number:
            return decision.release
    return None
