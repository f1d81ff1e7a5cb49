"""What the AniList entry an item is linked to says about which releases
are its own.

AniList gives each season an entry of its own, numbered from 1, and often
each cour of a season too ("Spy x Family Part 2", "Mushoku Tensei Part 2").
An item added from AniList follows one entry, so:

* a first season (a TV, TV_SHORT or ONA entry with no main season before it
  on its prequel chain) is season 1 only: "Title S2 - 03" is the next
  entry's episode 3, not this one's (its episode 3 is "Title - 03"), even
  when the item names no season;
* an ended entry has as many episodes as AniList counts: "Title - 15" of a
  12-episode first cour is the next cour's third, whose group numbers on
  across the cours; and a release that names the entry's season with a
  number within its count numbers the season ("Title S2 - 15" of a
  25-episode second season is its 15th, not the show's 15th);
* a season whose next cour AniList lists as its sequel ("Title Season 2
  Part 2") ends at its count: "Title S2 - 15" past a 12-episode first cour
  is that cour's third (groups number a season on across its cours), not
  the show's 15th;
* a first TV season may be called by the head of its title: "Frieren:
  Beyond Journey's End" is "Frieren" in release names. Only a first season
  (the head of a sequel's title is the series it follows: "Naruto:
  Shippuuden", "Bleach: Thousand-Year Blood War") and only a TV one (a
  spin-off short or web series carries its parent's title as its head:
  "Frieren: Beyond Journey's End Mini Anime").

Items with no linked series follow what their own fields say.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from watchlist.metadata.models import Series
    from watchlist.models import WatchlistItem

# AniList formats whose entries are seasons (as on the prequel chain,
# watchlist/metadata/series.py): films, OVAs and specials are not.
_SEASON_FORMATS = frozenset({"TV", "TV_SHORT", "ONA"})


@dataclass(frozen=True)
class Entry:
    first_season: bool = False  # the linked entry is a show's first season
    episodes: int | None = None  # its episode count, once it has ended
    planned: int | None = None  # its episode count, while it airs too (AniList may raise it)
    prequel_episodes: int | None = None  # the count of the entry before it (a later cour's first cour)
    headed: bool = False  # a first TV season: the head of its titles names it too
    next_cour_episodes: int | None = None  # the count of the later cour of its season that follows it


NO_ENTRY = Entry()


def linked_series(item: WatchlistItem) -> Series | None:
    """The metadata series the item is linked to, without a query when it
    has none (items built in memory may lack the field)."""
    return item.series if getattr(item, "series_id", None) else None


def linked_entry(item: WatchlistItem) -> Entry:
    """What the item's linked series says; NO_ENTRY when it has none."""
    series = linked_series(item)
    if series is None:
        return NO_ENTRY
    # The user's own season start or season overrides the metadata's.
    own_start = getattr(item, "first_absolute_episode", None) or 1
    own_season = getattr(item, "season", None) or 1
    first = (
        series.first_absolute_episode == 1 and series.format in _SEASON_FORMATS and own_start == 1 and own_season == 1
    )
    episodes = series.episodes if series.is_finished and series.episodes else None
    return Entry(
        first_season=first,
        episodes=episodes,
        planned=series.episodes,
        prequel_episodes=series.prequel_episodes,
        headed=first and series.format == "TV",
        next_cour_episodes=getattr(series, "next_cour_episodes", None),
    )
