"""Which item's series a release is: its title against the item's titles
(the season and the episode number are numbering.py's).

Titles are compared after normalising both sides the same way: case,
accents and romanisation variants (ō/ou/oo, ū/uu, the particle wo/o),
punctuation (an apostrophe joins: scene names write "Hells.Paradise"),
"&"/"and", the spaces between words ("DAN DA DAN" is "Dandadan"), and the
season markers ("Season 2", "2nd Season", "S2", "第二季", a trailing "II"),
which are taken out of the title and compared as a season number. A title
ending in a bare number ("Hibike! Euphonium 3") is also that season of the
title without it, when the other side names the season. An item is also
called by what its titles imply: a later cour's series title ("Spy x Family
Part 2" is "Spy x Family", numbered on), a head with the one season its
other titles name, and for an item linked to a first TV season
(entries.py), the head of its title ("Frieren: Beyond Journey's End" is
"Frieren").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .entries import linked_entry, linked_series
from .names import ReleaseName
from .titles import roman_season, season_marker

if TYPE_CHECKING:
    from datetime import datetime

    from watchlist.metadata.models import Series
    from watchlist.models import WatchlistItem


def titles_for(item: WatchlistItem) -> list[str]:
    """Every title the item's releases may carry: the item's own title, the
    user's aliases, then the series' titles and synonyms from the metadata
    (AniList) when the item is linked to a series."""
    titles = [item.anime_title, *(item.title_aliases or [])]
    titles += series_titles(item)
    return list(dict.fromkeys(t.strip() for t in titles if t and t.strip()))


def series_titles(item: WatchlistItem) -> list[str]:
    """The metadata's titles of the item's series (English, romaji, native,
    synonyms); [] when the item is not linked to one."""
    from ..metadata.titles import series_titles as titles_of_series

    return titles_of_series(item)


def first_absolute_episode(item: WatchlistItem) -> int | None:
    """The show-wide number of the first episode of the season the item
    follows: the user's own value, else the metadata's (AniList's prequel
    chain), else None."""
    if item.first_absolute_episode:
        return item.first_absolute_episode
    series = linked_series(item)
    return series.first_absolute_episode if series is not None else None


# --- normalising -----------------------------------------------------------

_ROMANISATION = [
    (re.compile(r"ou|oo|oh(?![aeiou])"), "o"),
    (re.compile(r"uu"), "u"),
    (re.compile(r"(?<=\s)wo(?=\s)"), "o"),
    (re.compile(r"(?<=\s)he(?=\s)"), "e"),
]
_NOT_WORD = re.compile(r"[^\w]+")
# Dropped, not turned into a space: "Journey's" and "Journeys" are one word.
_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`\u00b4]")


@dataclass(frozen=True)
class TitleKey:
    base: str  # the normalised title without its season marker
    season: int | None
    # A later part's title cut to the series' ("Spy x Family Part 2" ->
    # "Spy x Family"): releases under it number on across the parts.
    continuing: bool = False
    # The season is in the base's own words ("mushoku tensei ii isekai ...").
    spelled: bool = False
    # A continuing key that is the part's whole title without the part
    # ("haikyuu to the top"), not a head of it: a sub-series of its own,
    # whose releases may number from its own first part.
    whole: bool = False

    @property
    def joined(self) -> str:
        """The base without its spaces: how two spellings of one title are compared."""
        return self.base.replace(" ", "")


def fold_title(text: str) -> str:
    """A title as titles are compared: case, accents, punctuation and
    romanisation variants folded, words single-spaced."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.casefold().replace("&", " and ").replace("×", " x ").replace("_", " ")
    text = _APOSTROPHES.sub("", text)
    text = " " + " ".join(_NOT_WORD.sub(" ", text).split()) + " "
    for pattern, replacement in _ROMANISATION:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


# A year in brackets tells many catalogue titles from a remake ("Hunter x
# Hunter (2011)", "Ranma 1/2 (2024) 2nd Season"), and "(TV)" a TV arc from
# the film of the same name ("Kimetsu no Yaiba: Mugen Ressha-hen (TV)"); the
# parser takes the year out of release titles and releases never write
# "(TV)", so the item's side drops both (the year is compared on its own:
# ItemYears).
CATALOGUE_MARK = re.compile(r"\s*[(\[](?:(?P<year>(?:19|20)\d\d)|TV)[)\]]\s*", re.IGNORECASE)
# Where a catalogue title's subtitle starts: a colon ("Mushoku Tensei II:
# Isekai...") or a dash after a space ("Solo Leveling -ReAwakening- Season 2").
_SUBTITLE = re.compile(r":|\s[-\u2013~\uff5e]")
# A later cour AniList lists as an entry of its own: "Spy x Family Part 2",
# "Mushoku Tensei ... Cour 2", "... 2nd Cour".
_LATER_PART = re.compile(
    r"\s+(?:Part\.?\s*(?:[2-9]|II|III|IV)|Cour\s*[2-9]|[2-9](?:nd|rd|th)\s+Cour)\s*$", re.IGNORECASE
)


_PART_NUMBER = re.compile(r"(?P<n>[2-9])|(?P<roman>II|III|IV)", re.IGNORECASE)
_ROMAN_PARTS = {"ii": 2, "iii": 3, "iv": 4}


def later_part(title: str) -> tuple[int | None, str]:
    """'Spy x Family Part 2', '... Cour 2', '... 2nd Cour', '... Part II'
    -> (2, the title without it); (None, title) for a title naming none."""
    found = _LATER_PART.search(title)
    if found is None:
        return None, title
    number = _PART_NUMBER.search(found.group(0))
    if number is None:
        return None, title
    value = int(number["n"]) if number["n"] else _ROMAN_PARTS[number["roman"].lower()]
    return value, title[: found.start()]


def title_key(title: str) -> TitleKey:
    """'Mushoku Tensei II', 'Mushoku Tensei S2', 'Mushoku Tensei 2nd Season'
    -> ('mushoku tensei', 2). A later part ending the title is compared in
    one spelling, after the season is read from what comes before it:
    'Title II Part 2', 'Title 2nd Season Cour 2' -> ('title part 2', 2)."""
    title = CATALOGUE_MARK.sub(" ", " ".join(title.split())).strip() or title
    part, title = later_part(title)
    season, rest = season_marker(title)
    if season is None:
        season, rest = roman_season(rest)
    return TitleKey(_with_part(fold_title(rest), part), season)


def _with_part(base: str, part: int | None) -> str:
    return f"{base} part {part}" if part is not None and base else base


def subtitle_head(title: str) -> str:
    """The part of a catalogue title before its subtitle; "" when it has none."""
    subtitle = _SUBTITLE.search(title)
    return title[: subtitle.start()] if subtitle else ""


def item_title_keys(title: str) -> list[TitleKey]:
    """The keys of :func:`season_title_keys`; for a later part's title
    ("Spy x Family Part 2") also those of the series' title without the
    part, marked ``continuing``: releases named by it number on from the
    first part ("Spy x Family - 15"), those naming the part from 1
    ("Spy x Family Part 2 - 03")."""
    part = _LATER_PART.search(CATALOGUE_MARK.sub(" ", title).rstrip())
    keys = season_title_keys(title)
    if part is None:
        return keys
    cut = CATALOGUE_MARK.sub(" ", title).rstrip()[: part.start()]
    # The title's head ("Mushoku Tensei" of "Mushoku Tensei: Jobless
    # Reincarnation Season 2 Part 2") is the series' title too; and a head
    # taking only the numbers past the first part's is safe even without a
    # season ("Mushoku Tensei - 16" of "Mushoku Tensei: Isekai Ittara Honki
    # Dasu Part 2").
    shorter = keys[1:] + season_title_keys(cut) + [head for head in [_head_key(cut)] if head is not None]
    whole = {key.base for key in season_title_keys(cut)}
    cut_keys = [TitleKey(key.base, key.season, continuing=True, whole=key.base in whole) for key in shorter if key.base]
    # The short titles with the part: "Mushoku Tensei II Part 2 - 03" of
    # "Mushoku Tensei II: Isekai Ittara Honki Dasu Part 2".
    number, _ = later_part(CATALOGUE_MARK.sub(" ", title).rstrip())
    parted = [TitleKey(_with_part(key.base, number), key.season) for key in season_title_keys(cut)[1:]]
    return list(dict.fromkeys(keys[:1] + parted)) + list(dict.fromkeys(cut_keys))


def season_title_keys(title: str) -> list[TitleKey]:
    """The keys an item's title matches releases by: its own, and for a
    catalogue title with a subtitle (after a colon, or between dashes:
    "Solo Leveling -ReAwakening- Season 2"), the part before it with
    the season either part names ("Mushoku Tensei II: Isekai Ittara Honki
    Dasu" -> ('mushoku tensei', 2); "Shangri-La Frontier: Kusoge Hunter, ...
    2nd Season" -> ('shangri la frontier', 2)): release groups write the
    short title and the season. Only a later season the title itself names
    counts: the head of a title without one is often another series
    ("Naruto: Shippuuden", "Bleach: Thousand-Year Blood War"), and would take
    its releases."""
    key = title_key(title)
    head = subtitle_head(title)
    if not head.strip():
        return [key]
    head_key = title_key(head)
    season = head_key.season if head_key.season is not None else key.season
    if season is None or season < 2 or not head_key.base or head_key.base == key.base:
        return [key]
    # "Mushoku Tensei II: Isekai Ittara Honki Dasu" spells its season in
    # its words: a release written so names season 2.
    spelled = key.season is None and head_key.season is not None
    return [TitleKey(key.base, season, spelled=spelled), TitleKey(head_key.base, season)]


def release_keys(parsed: ReleaseName) -> list[TitleKey]:
    titles = parsed.title_aliases or ((parsed.title,) if parsed.title else ())
    keys = [title_key(title) for title in titles]
    if parsed.cour is None:
        return keys
    # "Title 2nd Season Part 2 - 05": the cour the parser kept apart is the
    # title's, as in the catalogue's "Title 2nd Season Part 2".
    return [TitleKey(_with_part(key.base, parsed.cour), key.season) for key in keys]


@dataclass(frozen=True)
class SeriesMatch:
    matches: bool
    season: int | None  # the season the release names (its title or SxxEyy)
    key: TitleKey | None = None  # the item's title key it matched


# Before it, a release's date is a placeholder, not when it was shared.
_FIRST_SHARED_YEAR = 1995


@dataclass(frozen=True)
class ItemYears:
    """The years that say which version of a remade show the item is."""

    named: frozenset[int] = frozenset()  # in its titles' brackets: part of the title ("Hunter x Hunter (2011)")
    last_aired: int | None = None  # the last year the linked series can have aired in, when it has ended
    began: int | None = None  # the year the linked series began

    def refuse(self, year: int | None) -> bool:
        """Whether a release naming ``year`` is another version of the show:
        not the year the item's title names, or one after the linked series
        ended. An earlier year is the show's own: media-server names carry
        its first year on every season."""
        if year is None:
            return False
        if self.named:
            return year not in self.named
        return self.last_aired is not None and year > self.last_aired

    def published_before(self, published: datetime | None) -> bool:
        """Whether a release was published before the linked series can
        have aired: a remake's item ("Title: Subtitle" of 2024, called
        "Title" by its head) and the older show's releases, which name no
        year ("Title - 07", published in 2009). A year of margin: a first
        episode is sometimes shown ahead, and a winter season is dated by
        the year it ends in. A date before releases were shared online
        (a listing's "01-Jan-1970") says nothing."""
        if published is None or self.began is None or published.year < _FIRST_SHARED_YEAR:
            return False
        return published.year < self.began - 1


def item_years(item: WatchlistItem) -> ItemYears:
    named = frozenset(int(m["year"]) for title in titles_for(item) for m in CATALOGUE_MARK.finditer(title) if m["year"])
    series = linked_series(item)
    return ItemYears(named, _last_aired(series), series.season_year if series is not None else None)


def _last_aired(series: Series | None) -> int | None:
    """The last year an ended series can have aired in: the year it began,
    the next (an autumn season ends in winter), and one more per 52
    episodes (a weekly show's year). None while it airs, or when unknown:
    a running show's releases carry any later year ("[2024][Title][1120]",
    the season tag of a Chinese fansub)."""
    if series is None or not series.is_finished or series.season_year is None:
        return None
    return series.season_year + 1 + (series.episodes or 0) // 52


def match_series(item_keys: list[TitleKey], parsed: ReleaseName, years: ItemYears | None = None) -> SeriesMatch:
    """Whether a release's title is one of the item's titles (and its year,
    when it names one, the item's version of the show)."""
    if years is not None and years.refuse(parsed.year):
        return SeriesMatch(False, parsed.season)
    for key in release_keys(parsed):
        if not key.base:
            continue
        release_season = parsed.season if parsed.season is not None else key.season
        for item_key in item_keys:
            if item_key.continuing and release_season not in (None, item_key.season or 1):
                continue  # a later part is of its own season (the first, when its title names none)
            if key.joined == item_key.joined or _extends(parsed, key, item_key):
                spelled = item_key.season if item_key.spelled and key.joined == item_key.joined else None
                return SeriesMatch(True, release_season if release_season is not None else spelled, item_key)
            numbered = _numbered_season(key, release_season, item_key)
            if numbered is not None:
                return SeriesMatch(True, numbered, item_key)
    return SeriesMatch(False, parsed.season)


def _extends(parsed: ReleaseName, key: TitleKey, item_key: TitleKey) -> bool:
    # A special's title often goes on after the series' one:
    # "Sousou no Frieren Movie - Hanatsuki no Tabi". It is the whole show's
    # (or its season's, when it names one): a later season's title key
    # would take every film of the franchise.
    if item_key.season is not None and item_key.season != (parsed.season or key.season):
        return False
    return parsed.is_special and key.base.startswith(item_key.base + " ")


def _numbered_season(key: TitleKey, release_season: int | None, item_key: TitleKey) -> int | None:
    """The season when one side is "Title 3" and the other "Title" naming
    season 3 ("Hibike! Euphonium 3" against "Hibike! Euphonium S3 - 05").
    A bare number alone is not a season ("Mob Psycho 100", "86"): only the
    other side's season marker makes it one."""
    for numbered, plain, season in ((item_key, key, release_season), (key, item_key, item_key.season)):
        if season is not None and numbered.base == f"{plain.base} {season}" and plain.base:
            return season
    return None


def item_keys(item: WatchlistItem) -> list[TitleKey]:
    """The keys of all the item's titles, its main title's first; for a
    linked first TV season, the heads of its series' titles (entries.py);
    for an item whose titles name one later season, the heads of its titles
    with that season ("The Seven Deadly Sins: Wrath of the Gods", whose
    synonym names season 3, is "The Seven Deadly Sins" season 3 too)."""
    keys = _title_keys(item)
    # Only a season its titles name: the item's own field does not make a
    # head the series' ("Naruto: Shippuuden" season 2 is no "Naruto S2").
    named = _named_seasons(keys)
    season = named.pop() if len(named) == 1 else None
    if season is not None and season > 1:
        for title in titles_for(item):
            head = title_key(subtitle_head(title) or _before_final_season(title))
            key = TitleKey(head.base, season, continuing=_LATER_PART.search(title) is not None)
            if head.season is None and len(head.joined) >= 4 and key not in keys:
                keys.append(key)
    # A part's title cut to the series' comes after every other title: the
    # same words with a season ("Tokyo Ghoul:re 2nd Season") say how the
    # release numbers its episodes better.
    return [key for key in keys if not key.continuing] + [key for key in keys if key.continuing]


# "Attack on Titan Final Season", "... FINAL SEASON Part 2": a season the
# title words without its number.
_FINAL_SEASON = re.compile(r"\s*(?:\bthe\s+)?\bfinal\s+season\b", re.IGNORECASE)


def _before_final_season(title: str) -> str:
    found = _FINAL_SEASON.search(title)
    return title[: found.start()] if found else ""


def _title_keys(item: WatchlistItem) -> list[TitleKey]:
    keys = [key for title in titles_for(item) for key in item_title_keys(title)]
    if linked_entry(item).headed:
        heads = [key for title in series_titles(item) if (key := _head_key(title)) is not None]
        keys += [key for key in dict.fromkeys(heads) if key not in keys]
    return keys


# A head names a series once the subtitle it leaves out is a phrase:
# "Frieren: Beyond Journey's End", "Kaguya-sama: Love is War". A word or two
# after the head often tell two shows apart ("Fullmetal Alchemist:
# Brotherhood", "Hajime no Ippo: The Fighting!").
_HEAD_SUBTITLE_WORDS = 3


def _head_key(title: str) -> TitleKey | None:
    """The key of a title's head when a colon parts it from a subtitle that
    is a phrase of its own. A head of two letters ("Re:ZERO"), or naming a
    season, is none; nor one before a subtitle between dashes ("KONOSUBA
    -An Explosion on This Wonderful World!", a spin-off under its parent's
    name) or with a subtitle of its own ("Kino no Tabi: the Beautiful World
    - the Animated Series", the remake of "Kino no Tabi: the Beautiful
    World")."""
    head, colon, subtitle = title.partition(":")
    if not colon or not head.strip() or _SUBTITLE.search(subtitle):
        return None
    key = title_key(head)
    if len(fold_title(subtitle).split()) < _HEAD_SUBTITLE_WORDS or key.season is not None or len(key.joined) < 4:
        return None
    return key if re.search(r"[^\W\d_]", key.base) else None


def item_season(item: WatchlistItem) -> int | None:
    """The season the item follows: its own field, else the season its main
    title names ("Mushoku Tensei S2", "Mushoku Tensei II: Isekai Ittara
    Honki Dasu"), else the one its other titles agree on: AniList's romaji
    often numbers a season bare ("One Punch Man 3", no season alone) where
    the English title or a synonym names it ("One-Punch Man Season 3"), and
    without it the item would take every season's releases."""
    if item.season is not None:
        return item.season
    named = _named_seasons(item_title_keys(item.anime_title or ""))
    if not named:
        named = _named_seasons(_title_keys(item))
    return named.pop() if len(named) == 1 else None


def _named_seasons(keys: list[TitleKey]) -> set[int]:
    return {key.season for key in keys if key.season}
