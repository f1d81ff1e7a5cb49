"""Indexer results as the releases of a source: each result's name goes
through the release parser like a feed entry's (providers/episodes.py),
with the tracker's facts (info-hash, size, seeders, leechers, date) kept.

The same torrent listed by two indexers (same info-hash, else same link)
is one release: the one from the indexer with the better priority.
"""

from __future__ import annotations

import dataclasses

from ..providers.base import EpisodeInfo
from ..providers.episodes import episode_info
from .answers import TorznabResult
from .models import Indexer


def episode_of(result: TorznabResult, *, include_extras: bool = True) -> EpisodeInfo | None:
    info = episode_info(
        result.title,
        result.link,
        title=result.title,
        published_at=result.published_at,
        size=result.size,
        include_extras=include_extras,
    )
    if info is None:
        return None
    return dataclasses.replace(
        info,
        infohash=result.infohash,
        seeders=result.seeders,
        leechers=result.leechers,
    )


def episodes_of(found: list[tuple[Indexer, TorznabResult]], *, include_extras: bool = True) -> list[EpisodeInfo]:
    """One `EpisodeInfo` per distinct torrent, in the order found (indexers
    by priority first)."""
    seen: set[str] = set()
    episodes = []
    for _indexer, result in found:
        keys = {f"url:{result.link}"} | ({f"hash:{result.infohash}"} if result.infohash else set())
        if keys & seen:
            continue
        seen |= keys
        info = episode_of(result, include_extras=include_extras)
        if info is not None:
            episodes.append(info)
    return episodes
