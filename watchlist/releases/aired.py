"""A later AniList entry's releases named by the franchise and a season
number, told apart by when they were published.

AniList gives every arc or cour its own entry ("Title: X-hen" after
"Title"), and the release groups that name the franchise with a season
("Title S03E05", "Title Season 3 - 05") count seasons their own way: an
arc may be season 3 there while it is the fourth entry on AniList's prequel
chain, and two arcs may share a season, numbered on ("S02E12" is the second
arc's fifth after a seven-episode first one). Neither the item's titles
nor the chain say which season number the groups give the entry; the date
does. A release named so is the entry's when it was published while the
entry aired (from the start of AniList's season it began in to a few weeks
after its last episode, or now while it airs) with a number the entry has
by then. So it is decided only for an item linked to a later main entry
whose titles name no season of the franchise (a "Title Season 8" or
"Title II: Subtitle" title says how the franchise is counted, and the usual
season matching applies), and only for a release:

* named by the franchise: the head of one of the item's titles ("Tokyo
  Ghoul" of "Tokyo Ghoul:re 2nd Season"), or the item's own title when the
  item follows no season ("Bleach: Thousand-Year Blood War S02E05" is not
  its first part's);
* naming a season past the first, with one episode number;
* dated, and not from discs: a Blu-ray of an older season comes out while
  a new arc airs, and its date says nothing of which entry it is.

No query: the window is read from the linked series' AniList season, year,
status and counts, which the item's check has loaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from .entries import linked_series
from .match import TitleKey, fold_title, later_part, subtitle_head, title_key, titles_for

if TYPE_CHECKING:
    from watchlist.metadata.models import Series
    from watchlist.models import Release, WatchlistItem

    from .names import ReleaseName

# The first month of AniList's seasons (and whether it is in the year before
# the season's year: winter 2022 begins in December 2021).
_SEASON_MONTHS = {"WINTER": (12, -1), "SPRING": (3, 0), "SUMMER": (6, 0), "FALL": (9, 0)}
# An entry begins within the three months of its AniList season.
_SEASON_SPAN = timedelta(days=92)
# A first episode shown online ahead of its broadcast.
_AHEAD = timedelta(days=28)
# Groups release an episode within weeks of its broadcast, a late one too.
_LATE = timedelta(days=35)
_WEEK = timedelta(days=7)
# Before it, a release's date is a placeholder (a listing's 1970).
_FIRST_SHARED_YEAR = 1995
_MAIN_FORMATS = frozenset({"TV", "TV_SHORT", "ONA"})
_AIRING = frozenset({"RELEASING", "NOT_YET_RELEASED", "HIATUS"})
# "Tokyo Ghoul 2": a season numbered bare, as AniList's synonyms do.
_BARE_NUMBER = re.compile(r"\s[2-9]$")
_DISC = re.compile(r"(?<![a-z0-9])(?:blu-?ray|bd(?:rip|remux|mv)?|bdmv|bd\d{3,4}p?)(?![a-z0-9])", re.IGNORECASE)


@dataclass(frozen=True)
class AiringWindow:
    """When an entry's releases come out."""

    first_day: date  # the first day of AniList's season it began in
    last_day: date | None  # a few weeks after its last episode can have aired; None while it airs
    label: str  # "spring 2023"
    episodes: int | None  # its count (while it airs: AniList's planned count, if any)
    prequel_episodes: int | None  # the count of the entry before it on the chain

    def holds(self, published: date) -> bool:
        return self.first_day - _AHEAD <= published and (self.last_day is None or published <= self.last_day)

    def episode(self, number: int, published: date) -> int | None:
        """The entry's episode a release numbered ``number`` is: its own
        number, once that episode can have aired; else the number going on
        from the entry before it (the groups' season spans both); None when
        neither."""
        if self._has(number) and published >= self.first_day - _AHEAD + _WEEK * (number - 1):
            return number
        on = number - self.prequel_episodes if self.prequel_episodes else 0
        return on if on > 0 and self._has(on) else None

    def _has(self, number: int) -> bool:
        return number >= 1 and (self.episodes is None or number <= self.episodes)


def airing_window(series: Series) -> AiringWindow | None:
    """None when AniList's season, year or (once ended) count is unknown."""
    months = _SEASON_MONTHS.get(series.season or "")
    if months is None or series.season_year is None:
        return None
    month, shift = months
    first_day = date(series.season_year + shift, month, 1)
    label = f"{series.season.lower()} {series.season_year}"
    if series.status in _AIRING:
        return AiringWindow(first_day, None, label, series.episodes, series.prequel_episodes)
    if not series.episodes:
        return None
    last_day = first_day + _SEASON_SPAN + _WEEK * (series.episodes - 1) + _LATE
    return AiringWindow(first_day, last_day, label, series.episodes, series.prequel_episodes)


@dataclass(frozen=True)
class DatedEpisode:
    """The rule's answer for one release: ``number`` the item's episode, or
    None and why not."""

    number: int | None
    reason: str


@dataclass(frozen=True)
class SeasonsByDate:
    """The rule for one item (built once per check)."""

    window: AiringWindow
    own_season: bool  # the item follows a season of its own (its field, or its titles')
    bases: tuple[str, ...]  # its titles, as titles are compared

    def answer(self, parsed: ReleaseName, release: Release, matched: bool) -> DatedEpisode | None:
        """None when the rule does not apply to the release."""
        if release.episode is None or release.episode_end is not None or release.is_special or parsed.is_special:
            return None
        season = _named_season(parsed, release)
        if season is None or season < 2:
            return None
        if not self._franchise(parsed) and (self.own_season or not matched):
            return None
        what = f"season {season} by its name"
        published = release.published_at
        if published is None or published.year < _FIRST_SHARED_YEAR:
            return DatedEpisode(None, f"{what}, with no date to tell which of the franchise's entries it is")
        if _DISC.search(release.release_name or release.title or ""):
            return DatedEpisode(None, f"{what}, from discs: its date does not tell which entry it is")
        day = _day(published)
        if not self.window.holds(day):
            return DatedEpisode(None, f"{what}, published {day.isoformat()}: not while this entry aired")
        number = self.window.episode(release.episode, day)
        if number is None:
            return DatedEpisode(None, f"{what}: episode {release.episode} is not one this entry had aired then")
        return DatedEpisode(number, f"{what}, published while this entry aired ({self.window.label})")

    def _franchise(self, parsed: ReleaseName) -> bool:
        """Whether the release is named by the head of one of the item's
        titles (a shorter title, whole words)."""
        for title in parsed.title_aliases or ((parsed.title,) if parsed.title else ()):
            base = _release_key(title).base
            if len(base.replace(" ", "")) >= 4 and any(item.startswith(base + " ") for item in self.bases):
                return True
        return False


def seasons_by_date(item: WatchlistItem, item_season: int | None) -> SeasonsByDate | None:
    """The rule for ``item``; None when it does not apply to it: not linked
    to a later main entry, a window unknown, or titles that name the
    franchise's season."""
    series = linked_series(item)
    if series is None or series.format not in _MAIN_FORMATS or (series.first_absolute_episode or 1) <= 1:
        return None
    if getattr(item, "first_absolute_episode", None):
        return None  # the user numbers the show their way
    titles = titles_for(item)
    if any(_franchise_season(title) for title in titles):
        return None
    window = airing_window(series)
    if window is None:
        return None
    bases = tuple(dict.fromkeys(base for title in titles if (base := title_key(title).base)))
    return SeasonsByDate(window, item_season is not None, bases)


def _franchise_season(title: str) -> bool:
    """Whether a title names a season of the franchise: in its head ("Title
    II: Subtitle", "Title Season 3: Subtitle") or, with no subtitle, in
    itself ("Title 8th Season", "Title 2"). A season after a subtitle
    ("Title:re 2nd Season") is the sub-series'. Only a title in Latin
    letters says it: a native title runs its subtitle on without a mark."""
    if not title.isascii():
        return False
    head = subtitle_head(title)
    if len(fold_title(head).replace(" ", "")) < 4:
        head = ""  # "Re:Zero ...": no head
    _, named = later_part(head or title)  # "Title Part 2" names a cour, not a season
    return title_key(named).season is not None or _BARE_NUMBER.search(fold_title(named)) is not None


def _named_season(parsed: ReleaseName, release: Release) -> int | None:
    if release.season is not None:
        return release.season
    if parsed.season is not None:
        return parsed.season
    titles = parsed.title_aliases or ((parsed.title,) if parsed.title else ())
    return next((season for title in titles if (season := _release_key(title).season) is not None), None)


@lru_cache(maxsize=4096)
def _release_key(title: str) -> TitleKey:
    """title_key of a release's title, kept: a shared source's listing is
    read again for every item that follows it, at every check."""
    return title_key(title)


def _day(moment: datetime) -> date:
    return moment.date()
