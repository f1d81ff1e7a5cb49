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
entry aired (from AniList's start date, else the start of the month or
season it began in, to a few weeks after its end date or last episode, or
now while it airs), within weeks of the broadcast of the episode its
number is. So it is decided only for an item linked to a later main entry
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

Two entries airing close together (an arc ending in November, the next in
December) could both take a late release: once the next main entry has
begun (its start date, kept from AniList's relations), a number it can have
aired by then is left to it. An older episode uploaded again while a new
arc airs is told by its lateness, or by the listing having had the same
name (title, season, episode) before the entry began. A season streamed all
at once at its start (its first episode and at least two more published
within a day, no later than a week after the start) is taken whole: its
later numbers came out before their broadcast.

Cost: the window is read from the linked series, which the item's check
has loaded; while the entry airs, its airing schedule is read once per
check, at the first release that needs an episode's broadcast day.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import cached_property, lru_cache
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
# An episode is released within weeks of its broadcast (a later platform's
# too); one published later is an upload again of an older one.
_EPISODE_LATE = timedelta(days=35)
# With its start date known: a first episode streamed ahead of broadcast.
_AHEAD_OF_DATE = timedelta(days=14)
_WEEK = timedelta(days=7)
# A season streamed at once: its numbers from the first come out within a
# day of each other, at the entry's start (not a week apart).
_DROP_SPAN = timedelta(days=1)
_DROP_SIZE = 3
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

    first_day: date  # its start date, else the first day of the month or AniList season it began in
    exact: bool  # first_day is its start date (not the earliest it can be)
    last_day: date | None  # a few weeks after its last episode; None while it airs
    label: str  # "from 2023-10-04 to 2023-12-27", "spring 2023"
    episodes: int | None  # its count (while it airs: AniList's planned count, if any)
    prequel_episodes: int | None  # the count of the entry before it on the chain
    sequel_day: date | None = None  # when the next main entry of the franchise began
    # The series whose airing schedule has kept its episodes' broadcast
    # days (read while it airs, when a release needs them).
    scheduled_series: int | None = None

    def holds(self, published: date) -> bool:
        ahead = _AHEAD_OF_DATE if self.exact else _AHEAD
        return self.first_day - ahead <= published and (self.last_day is None or published <= self.last_day)

    def episode(self, number: int, published: date) -> int | None:
        """The entry's episode a release numbered ``number`` is: its own
        number, when the release was published around that episode's
        broadcast; else the number going on from the entry before it (the
        groups' season spans both), the same way; None when neither."""
        if self._around(number, published):
            return number
        on = number - self.prequel_episodes if self.prequel_episodes else 0
        return on if on > 0 and self._around(on, published) else None

    def sequel_has(self, number: int, published: date) -> bool:
        """Whether the next entry, airing by then, can have had an episode
        numbered so (its own number, or going on from this entry's count):
        a release the two could share is left to it, the later one."""
        if self.sequel_day is None or published < self.sequel_day:
            return False
        aired = (published - self.sequel_day).days // 7 + 1
        return number <= aired or 0 < number - (self.episodes or 0) <= aired

    def _around(self, number: int, published: date) -> bool:
        """Whether episode ``number`` can have aired by ``published``, not
        long before it: an older season's early episode uploaded again while
        a new arc airs is not the arc's."""
        if number < 1 or (self.episodes is not None and number > self.episodes):
            return False
        aired, slack = self._aired(number)
        late = _EPISODE_LATE if self.exact else _EPISODE_LATE + _SEASON_SPAN
        return aired - slack <= published <= aired + late

    @cached_property
    def schedule(self) -> tuple[tuple[int, date], ...]:
        """(episode, broadcast day) the schedule kept: one query per check,
        at the first release that needs it."""
        if self.scheduled_series is None:
            return ()
        from watchlist.metadata.models import SeriesAiring

        rows = SeriesAiring.objects.filter(series_id=self.scheduled_series).values_list("episode", "airing_at")
        return tuple((episode, airing_at.date()) for episode, airing_at in rows)

    def _aired(self, number: int) -> tuple[date, timedelta]:
        """When episode ``number`` aired (the earliest it can have), and
        how much earlier a release of it can be. From the schedule's nearest
        known episode before it (a week an episode after), else the start."""
        known = [(episode, day) for episode, day in self.schedule if episode <= number]
        if known:
            episode, day = max(known)
            return day + _WEEK * (number - episode), timedelta(days=1) if episode == number else _WEEK
        if self.exact:
            return self.first_day + _WEEK * (number - 1), _WEEK  # two episodes may air on one day
        return self.first_day + _WEEK * (number - 1), _AHEAD


def airing_window(series: Series) -> AiringWindow | None:
    """None when neither a start date nor AniList's season is known, or
    (once ended) neither its end date nor its count."""
    start, exact = _start(series)
    if start is None:
        return None
    label = _label(series, start, exact)
    sequel = _day_of(series.sequel_start_date)
    fields = {"episodes": series.episodes, "prequel_episodes": series.prequel_episodes, "sequel_day": sequel}
    if series.status in _AIRING:
        # Airing: the schedule says which episodes have (delays, breaks).
        return AiringWindow(start, exact, None, label, scheduled_series=series.pk, **fields)
    end = _last_of(series.end_date)
    if end is None:
        if not series.episodes:
            return None
        span = timedelta(0) if exact else _SEASON_SPAN
        end = start + span + _WEEK * (series.episodes - 1)
    return AiringWindow(start, exact, end + _LATE, label, **fields)


def _start(series: Series) -> tuple[date | None, bool]:
    """The entry's first day, and whether it is its start date; else the
    first day of the month (AniList's date without a day) or of the season
    it began in."""
    day = _day_of(series.start_date)
    if day is not None:
        return day, True
    if len(series.start_date or "") == 7:
        return date.fromisoformat(series.start_date + "-01"), False
    months = _SEASON_MONTHS.get(series.season or "")
    if months is None or series.season_year is None:
        return None, False
    month, shift = months
    return date(series.season_year + shift, month, 1), False


def _label(series: Series, start: date, exact: bool) -> str:
    if exact:
        end = _day_of(series.end_date)
        return f"from {start.isoformat()}" + (f" to {end.isoformat()}" if end and series.status not in _AIRING else "")
    if series.season and series.season_year:
        return f"{series.season.lower()} {series.season_year}"
    return start.strftime("%B %Y").lower()


def _day_of(value: str) -> date | None:
    """A stored "2023-10-07"; None for a partial or no date."""
    return date.fromisoformat(value) if value and len(value) == 10 else None


def _last_of(value: str) -> date | None:
    """The last day a stored end date can be ("2023-12" ends on the 31st)."""
    if not value or len(value) == 4:
        return None
    if len(value) == 7:
        year, month = int(value[:4]), int(value[5:])
        return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return date.fromisoformat(value)


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
    # (title, season, episode) of the listing's releases published before
    # the entry began: the same name again later is that older entry's.
    older: frozenset[tuple[str, int, int]] = frozenset()
    # (title, season) of the runs the listing had streamed all at once at the
    # entry's start, and the day the run's first episode came out: their later
    # numbers came out before their broadcast, and are the entry's.
    dropped: frozenset[tuple[str, int, date]] = frozenset()

    def with_listing(self, releases: Sequence[Release], parsed: Sequence[ReleaseName]) -> SeasonsByDate:
        """The rule, knowing the names the listing had before the entry
        began ("Title S02E03" of the arc before, uploaded again while this
        one airs). One pass per check, only for a later entry's item."""
        ahead = _AHEAD_OF_DATE if self.window.exact else _AHEAD
        began = self.window.first_day - ahead
        older = set()
        # A run streamed at once begins by a week after the start: later
        # releases are not read (most of a long listing).
        by = self.window.first_day + _WEEK
        runs: dict[tuple[str, int], list[tuple[date, int]]] = {}
        for release, name in zip(releases, parsed, strict=True):
            published = release.published_at
            if release.episode is None or published is None or published.year < _FIRST_SHARED_YEAR:
                continue
            day = _day(published)
            if day > by + _DROP_SPAN or (season := _named_season(name, release)) is None or season < 2:
                continue
            if day < began:
                older.add((_name_base(name), season, release.episode))
            elif release.episode_end is None:
                runs.setdefault((_name_base(name), season), []).append((day, release.episode))
        dropped = frozenset(_dropped(runs, by))
        if not older and not dropped:
            return self
        return replace(self, older=frozenset(older), dropped=dropped)

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
        if (_name_base(parsed), season, release.episode) in self.older:
            return DatedEpisode(None, f"{what}: published under this name before this entry began, an older entry's")
        if self.window.sequel_has(release.episode, day):
            return DatedEpisode(None, f"{what}, published {day.isoformat()}: the next entry was airing then")
        number = self._streamed_at_once(parsed, season, release.episode, day)
        if number is None:
            number = self.window.episode(release.episode, day)
        if number is None:
            return DatedEpisode(None, f"{what}: episode {release.episode} is not one this entry aired around then")
        return DatedEpisode(number, f"{what}, published while this entry aired ({self.window.label})")

    def _streamed_at_once(self, parsed: ReleaseName, season: int, number: int, day: date) -> int | None:
        """The entry's own number for a release of a run streamed at once at
        its start (published with it), within its count; else None."""
        if not self.dropped or number < 1 or (self.window.episodes is not None and number > self.window.episodes):
            return None
        base = _name_base(parsed)
        for title, named, first in self.dropped:
            if title == base and named == season and abs(day - first) <= _DROP_SPAN:
                return number
        return None

    def _franchise(self, parsed: ReleaseName) -> bool:
        """Whether the release is named by the head of one of the item's
        titles (a shorter title, whole words)."""
        for title in parsed.title_aliases or ((parsed.title,) if parsed.title else ()):
            base = _release_key(title).base
            if len(base.replace(" ", "")) >= 4 and any(item.startswith(base + " ") for item in self.bases):
                return True
        return False


def _dropped(runs: dict[tuple[str, int], list[tuple[date, int]]], by: date) -> list[tuple[str, int, date]]:
    """(title, season, day) of the runs whose first episode and at least two
    more came out within a day of each other, no later than ``by``."""
    found = []
    for (title, season), releases in runs.items():
        firsts = [day for day, number in releases if number == 1 and day <= by]
        for first in firsts:
            numbers = {number for day, number in releases if abs(day - first) <= _DROP_SPAN}
            if len(numbers) >= _DROP_SIZE:
                found.append((title, season, first))
                break
    return found


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


def _name_base(parsed: ReleaseName) -> str:
    return _release_key(parsed.title).base if parsed.title else ""


@lru_cache(maxsize=4096)
def _release_key(title: str) -> TitleKey:
    """title_key of a release's title, kept: a shared source's listing is
    read again for every item that follows it, at every check."""
    return title_key(title)


def _day(moment: datetime) -> date:
    return moment.date()
