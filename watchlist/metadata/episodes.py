"""Episode counts of an item against its series: "12 of 24".

AniList numbers each season's episodes from 1; a source may number them the
same way or across seasons (absolute numbering: season 2 of a series whose
first season had 12 episodes starts at 13; see Series.first_absolute_episode).
An item's ``last_episode_downloaded`` is read as absolute when it could not
be a number of this season (above the season's total) or, while the total
is unknown, when it is at least the season's first absolute number.
"""

from __future__ import annotations

from ..models import WatchlistItem
from .models import Series


def _absolute_offset(series: Series) -> int:
    first = series.first_absolute_episode
    return first - 1 if first and first > 1 else 0


def episodes_total(item: WatchlistItem) -> int | None:
    series = item.series
    return series.episodes if series is not None else None


def episodes_have(item: WatchlistItem) -> int:
    """How many of the season's episodes the item has (by its last episode)."""
    last = item.last_episode_downloaded
    series = item.series
    if series is None:
        return last
    offset = _absolute_offset(series)
    total = series.episodes
    if offset and last > offset and (last > total if total is not None else last >= series.first_absolute_episode):
        last -= offset
    return min(last, total) if total is not None else last


def aired_episode_numbers(series: Series, episode: int) -> list[int]:
    """The numbers a source may give AniList's ``episode`` of this season:
    its own, and its absolute number when the season does not start at 1."""
    offset = _absolute_offset(series)
    return [episode, episode + offset] if offset else [episode]
