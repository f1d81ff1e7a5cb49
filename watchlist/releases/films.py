"""Films: an item that is one film takes its film as its episode 1.

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

from .match import _CATALOGUE_MARK, _fold, titles_for

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


def is_film_item(item: WatchlistItem) -> bool:
    series = item.series if getattr(item, "series_id", None) else None
    if series is not None:
        return series.format == "MOVIE"
    return any(_FILM_NAMED.search(title) for title in [item.anime_title, *(item.title_aliases or [])] if title)


def film_key(title: str) -> str:
    """A title as films are compared: folded, without its film words, its
    year or its spaces."""
    return _fold(_FILM_WORDS.sub(" ", _CATALOGUE_MARK.sub(" ", title))).replace(" ", "")


def film_keys(item: WatchlistItem) -> frozenset[str]:
    return frozenset(key for title in titles_for(item) if (key := film_key(title)))


def is_film_release(parsed: ReleaseName) -> bool:
    """A single release with no episode number, or one marked as a movie
    (its number, if any, is the franchise's film's)."""
    if parsed.is_batch or parsed.episode_end is not None:
        return False
    return parsed.special_kind == "movie" or (parsed.episode is None and not parsed.is_special)


def names_film(keys: frozenset[str], parsed: ReleaseName) -> bool:
    titles = parsed.title_aliases or ((parsed.title,) if parsed.title else ())
    return any(film_key(title) in keys for title in titles)
