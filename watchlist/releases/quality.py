"""Ranking the releases of one episode by resolution and version: the
quality part of choosing (the user's other rules are in rules.py)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from .text import height_of

if TYPE_CHECKING:
    from watchlist.providers.base import EpisodeInfo

QUALITY_AUTO = "auto"


def quality_height(preference: str) -> int | None:
    """'auto' -> None (best available); '1080p' -> 1080."""
    text = (preference or QUALITY_AUTO).strip().lower()
    if text == QUALITY_AUTO:
        return None
    height = height_of(text)
    if height is None:
        raise ValueError(f"unknown quality preference {preference!r}")
    return height


def _published_key(info: EpisodeInfo) -> float:
    return info.published_at.timestamp() if info.published_at else float("-inf")


def release_rank(info: EpisodeInfo, preference: str = QUALITY_AUTO) -> tuple[int, int, int, float]:
    """Sort key: the highest key is the release to take.

    Resolution first (by the preference), then version (v2 replaces a
    broken v1 of the same episode), then the newest publication.
    """
    target = quality_height(preference)
    height = info.resolution
    if height is None:
        closeness, distance = 0, 0  # unknown resolution: a last resort
    elif target is None:
        closeness, distance = 3, height
    elif height == target:
        closeness, distance = 3, 0
    elif height < target:
        closeness, distance = 2, height  # the nearest lower one first
    else:
        closeness, distance = 1, -height  # none lower: the nearest higher one
    return closeness, distance, info.version, _published_key(info)


def pick_release(releases: Sequence[EpisodeInfo], quality_preference: str = QUALITY_AUTO) -> EpisodeInfo:
    """The release of one episode to download.

    ``auto`` takes the best resolution; a fixed quality takes that one, else
    the nearest lower, else the nearest higher; among equal resolutions the
    highest version wins, then the newest. Ties keep the listing order.
    """
    if not releases:
        raise ValueError("pick_release needs at least one release")
    quality_height(quality_preference)  # reject junk even when there is one release
    return max(releases, key=lambda info: release_rank(info, quality_preference))


def better_release(a: EpisodeInfo, b: EpisodeInfo, quality_preference: str = QUALITY_AUTO) -> EpisodeInfo:
    return pick_release([a, b], quality_preference)


def best_per_episode(releases: Iterable[EpisodeInfo], quality_preference: str = QUALITY_AUTO) -> list[EpisodeInfo]:
    """One release per episode number, chosen by ``pick_release``, in
    episode order."""
    by_episode: dict[int, list[EpisodeInfo]] = {}
    for info in releases:
        by_episode.setdefault(info.episode, []).append(info)
    return [pick_release(group, quality_preference) for _, group in sorted(by_episode.items())]
