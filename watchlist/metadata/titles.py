"""Every name of an item's series, for matching release names.

Release matching (watchlist/releases*) calls `series_titles(item)`; the
titles come from the AniList record the item is linked to, shared by every
user's items of the series.
"""

from __future__ import annotations

from ..models import WatchlistItem
from .models import Series


def titles_of(series: Series) -> list[str]:
    """English, romaji and native titles, then the synonyms: each once
    (compared without case), empty ones left out."""
    seen: set[str] = set()
    titles = []
    for title in [series.title_english, series.title_romaji, series.title_native, *(series.synonyms or [])]:
        title = (title or "").strip() if isinstance(title, str) else ""
        if title and title.casefold() not in seen:
            seen.add(title.casefold())
            titles.append(title)
    return titles


def series_titles(item: WatchlistItem) -> list[str]:
    """Every title and synonym of the item's series; [] when it has none."""
    if item.series_id is None:
        return []
    return titles_of(item.series)
