"""How a release's number becomes the item's episode number, once its
title has matched (match.py): the season it names against the season the
item follows, show-wide numbers mapped to the season's, and what the linked
AniList entry says (entries.py): a first season takes no later season's
releases, an ended entry no number past its last, a later cour the numbers
that go on from the cour before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .entries import Entry, linked_entry
from .match import SeriesMatch, TitleKey, first_absolute_episode

if TYPE_CHECKING:
    from watchlist.models import WatchlistItem


@dataclass(frozen=True)
class EpisodeMapping:
    number: int | None  # the item's episode number; None when the release is not one of its episodes
    code: str = ""  # why not
    reason: str = ""


# How a matched release numbers its episodes (map_episode's ``numbering``).
AS_NAMED = ""  # as its title says: a season's own numbers, or show-wide ones past the season's start
OWN = "own"  # named by the entry's own title (an arc's, a part's): from 1, as the entry does
CONTINUING = "continuing"  # named by a later part's series title: on from the first part
# The same, by the part's whole title without the part, a sub-series'
# ("Haikyuu!! To the Top" of "... To the Top Part 2"): its numbers may go on
# from the sub-series' first part rather than the show's.
SUB_SERIES = "sub-series"
_ON_FROM_FIRST_PART = (CONTINUING, SUB_SERIES)


def numbering_of(keys: list[TitleKey], match: SeriesMatch, season: int | None) -> str:
    """How the release behind ``match`` numbers its episodes, from the item
    title it matched: a later part's title cut to the series' one
    (CONTINUING); an arc or part title that names no season, of an item
    whose other titles name its later season (OWN: "Tokyo Revengers -
    Seiya Kessen-hen - 07" is that arc's episode 7, not the show's)."""
    key = match.key
    if key is None:
        return AS_NAMED
    if key.continuing:
        return SUB_SERIES if key.whole else CONTINUING
    if match.season is None and any(k.continuing and k.whole and k.base == key.base for k in keys):
        # "Title: Arc - 15" of "Title: Arc 2nd Season", also called "Title:
        # Arc Part 2": the arc's title without its season, numbered on.
        return SUB_SERIES
    later = season is not None and season > 1
    if later and key.season is None and match.season is None and any(k.season == season for k in keys):
        return OWN
    return AS_NAMED


def map_episode(
    item: WatchlistItem,
    wanted_season: int | None,
    release_season: int | None,
    number: int,
    numbering: str = AS_NAMED,
) -> EpisodeMapping:
    """The item's episode number for a release numbered ``number`` (its
    absolute number when the name gives one) of ``release_season``."""
    first = first_absolute_episode(item)
    entry = linked_entry(item)
    if wanted_season is None:
        # The whole show: every season's releases, numbered as they are
        # (give the item a season to follow one season only). An item
        # linked to a first season follows that season (entries.py).
        if entry.first_season and release_season is not None and release_season > 1:
            return EpisodeMapping(
                None, "other_season", f"season {release_season}; this series is the first season of its show"
            )
        if numbering in _ON_FROM_FIRST_PART and first is not None and first > 1:
            part = _later_part_number(entry, number) if numbering == SUB_SERIES and number < first else None
            if part is not None:
                return EpisodeMapping(part)  # "To the Top - 18" after a 13-episode first part: its 5th
            if number < first:
                return _before(number, "this part", first)
            number = number - first + 1
        return _within(entry.episodes, number)
    if release_season is not None and release_season != wanted_season:
        return EpisodeMapping(
            None, "other_season", f"season {release_season}; this series follows season {wanted_season}"
        )
    if first is not None and first > 1:
        own = numbering == OWN and (number < first or (entry.episodes is not None and number <= entry.episodes))
        # "Title S2 - 15" of a 25-episode second season: its 15th. A later
        # cour's numbers in its season start after the cour before it
        # (_later_part_number).
        per_season = (
            release_season == wanted_season
            and numbering not in _ON_FROM_FIRST_PART
            and entry.planned is not None
            and number <= entry.planned
        )
        if own or per_season:
            return _within(entry.episodes, number)
        if release_season == wanted_season and numbering == AS_NAMED and _in_next_cour(entry, number):
            return EpisodeMapping(
                None, "other_season", f"episode {number} of season {wanted_season} is its next cour's"
            )
        # A sub-series' part named by its whole title without the part nor a
        # season ("Title: Arc - 15") numbers on from the arc's first part.
        on_in_season = release_season == wanted_season or (release_season is None and numbering == SUB_SERIES)
        part = _later_part_number(entry, number) if on_in_season else None
        if numbering in _ON_FROM_FIRST_PART and part is not None:
            return EpisodeMapping(part)  # "Title S2 - 15" of a second cour after 12: its third
        if number >= first:
            return _within(entry.episodes, number - first + 1)  # the show-wide number: 29 with a start at 25 -> 5
        if release_season is None or numbering in _ON_FROM_FIRST_PART:
            # A per-season number of this season ("S2 - 05" is written "- 05"
            # by some groups) cannot be told from an earlier season's
            # episode: only a release that names the season says so.
            return _before(number, f"season {wanted_season}", first)
    return _within(entry.episodes, number)


def _later_part_number(entry: Entry, number: int) -> int | None:
    """A later cour's own number for a number of its season that goes on
    from the cour before it (the entry's prequel); None when it does not."""
    before = entry.prequel_episodes
    if before is None or number <= before or (entry.planned is not None and number - before > entry.planned):
        return None
    return number - before


def _in_next_cour(entry: Entry, number: int) -> bool:
    """Whether a number the release gives within the season is past this
    ended cour's last and within the next cour AniList lists after it."""
    if entry.episodes is None or entry.next_cour_episodes is None:
        return False
    return entry.episodes < number <= entry.episodes + entry.next_cour_episodes


def _before(number: int, what: str, first: int) -> EpisodeMapping:
    return EpisodeMapping(None, "other_season", f"episode {number} is before {what} (it starts at {first})")


def _within(episodes: int | None, number: int) -> EpisodeMapping:
    """``number`` unless the linked entry has ended with fewer episodes: a
    number past its last is the next entry's, whose group numbers on."""
    if episodes is not None and number > episodes:
        return EpisodeMapping(None, "other_season", f"episode {number} is after this series' last ({episodes})")
    return EpisodeMapping(number)
