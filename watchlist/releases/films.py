"""Films: an item that is one film takes its film as its episode 1.

A one-episode OVA, special or ONA is one film the same way ("Title:
Subtitle" of one episode, sold on a disc of its own): its release is named
like a film's, or marked by its kind ("Title OVA - Subtitle").

A film's release is named without an episode number ("Title - Subtitle
(2023)", "Title 0 (2021)") or by its kind ("Title Movie - Subtitle",
"Gekijouban Title"); the providers keep both as specials numbered 0
(providers/episodes.py), where a series' item leaves them. An item is a
film's when it is linked to an AniList MOVIE entry, or, unlinked, when its
own title says it is one ("Title Movie: Subtitle", "Gekijouban Title"). It
takes a release that is a film (unnumbered and single, or marked as a
movie) whose title, without the film words, is one of its titles without
them; a series' episode or batch is not its film.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .entries import linked_series
from .match import CATALOGUE_MARK, fold_title, titles_for

if TYPE_CHECKING:
    from watchlist.models import WatchlistItem

    from .names import ReleaseName

# The words that say a title is a film, dropped before titles are compared:
# releases and catalogue titles each write them (or not) their own way
# ("Kimetsu no Yaiba Movie: Mugen Ressha-hen", "Kimetsu no Yaiba - The Movie
# - Mugen Ressha-hen"; "Made in Abyss Movie 3 - ..." numbers the franchise's
# films).
_FILM_WORDS = re.compile(
    r"(?<![^\W_])(?:the\s+)?(?:movie|film)(?:\s*0*\d{1,2}(?![\d.]))?(?![^\W_])|gekijou?ban|劇場版|剧场版",
    re.IGNORECASE,
)
# What says an item the user made is a film: "film" alone is too common a
# word in series' titles.
_FILM_NAMED = re.compile(r"(?<![^\W_])(?:movie|gekijou?ban)(?![^\W_])|劇場版|剧场版", re.IGNORECASE)
# The entries besides films that may be one episode on their own.
_ONE_OFF_FORMATS = frozenset({"OVA", "SPECIAL", "ONA"})
# The kinds a release marks a one-episode OVA or special with; the word is
# dropped from its title before comparing ("Title OVA - Subtitle").
_ONE_OFF_KINDS = frozenset({"ova", "special"})
_ONE_OFF_WORDS = re.compile(r"(?<![^\W_])(?:ova|oad|ona|special)(?![^\W_])", re.IGNORECASE)


def is_film_item(item: WatchlistItem) -> bool:
    series = linked_series(item)
    if series is not None:
        return series.format == "MOVIE" or is_one_off_item(item)
    return any(_FILM_NAMED.search(title) for title in [item.anime_title, *(item.title_aliases or [])] if title)


def is_one_off_item(item: WatchlistItem) -> bool:
    """Linked to an OVA, special or ONA entry of exactly one episode. One of
    several episodes keeps its releases as specials: which one a numberless
    release is cannot be told."""
    series = linked_series(item)
    return series is not None and series.format in _ONE_OFF_FORMATS and series.episodes == 1


def film_key(title: str) -> str:
    """A title as films are compared: folded, without its film words, its
    year or its spaces."""
    return fold_title(_FILM_WORDS.sub(" ", CATALOGUE_MARK.sub(" ", title))).replace(" ", "")


def film_keys(item: WatchlistItem) -> frozenset[str]:
    return frozenset(key for title in titles_for(item) if (key := film_key(title)))


def is_film_release(parsed: ReleaseName) -> bool:
    """A single release with no episode number, or one marked as a movie
    (its number, if any, is the franchise's film's)."""
    if parsed.is_batch or parsed.episode_end is not None:
        return False
    return parsed.special_kind == "movie" or (parsed.episode is None and not parsed.is_special)


def is_one_off_release(parsed: ReleaseName) -> bool:
    """A single release marked as an OVA or a special without a number: a
    one-episode OVA's, when its title without the mark is the item's."""
    return (
        parsed.special_kind in _ONE_OFF_KINDS
        and parsed.episode is None
        and parsed.episode_end is None
        and not parsed.is_batch
    )


def names_film(keys: frozenset[str], parsed: ReleaseName, *, one_off: bool = False) -> bool:
    """``one_off``: the item is a one-episode OVA; a release marked as one
    is compared without its mark. A series' "Title - OVA" is then "Title",
    which no one-off's own title is ("Title: Subtitle")."""
    titles = parsed.title_aliases or ((parsed.title,) if parsed.title else ())
    if one_off and is_one_off_release(parsed):
        titles = tuple(_ONE_OFF_WORDS.sub(" ", title) for title in titles)
    return any(film_key(title) in keys for title in titles)
