"""What a torznab item searches for.

A torznab item has no URL of its own: its ``anime_url`` (and its source's
URL) is a search address, ``torznab:?q=<title>`` plus ``&season=N`` when the
item follows a season, made from its title. Items of every user with the
same title, season and language share one `Source`, the usual per-owner
uniqueness (409) applies to it, and it needs no fetchable address.

A source's searches are the titles of the items tracking it (their own
title, aliases and AniList's titles: releases/match.titles_for), each asked
of every enabled indexer.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import parse_qsl, urlencode

from ..models import ItemStatus, Source, WatchlistItem
from ..releases.match import season_title_keys, subtitle_head, title_key, titles_for
from ..releases.titles import roman_season, season_marker
from . import defaults
from .queries import Wanted

SCHEME = "torznab:"
Q_MAX = 300


class BadSearchURL(ValueError):
    pass


def canonical_title(title: str) -> str:
    """What identifies a search: the title, NFKC, spaces collapsed,
    case-folded (an indexer's search ignores case)."""
    return " ".join(unicodedata.normalize("NFKC", title).split()).casefold()[:Q_MAX]


def search_url(title: str, season: int | None = None) -> str:
    q = canonical_title(title)
    if not q:
        raise BadSearchURL("a torznab search needs a title")
    pairs = [("q", q)]
    if season is not None:
        pairs.append(("season", str(season)))
    return SCHEME + "?" + urlencode(pairs)


def is_search_url(url: str) -> bool:
    return url.strip().lower().startswith(SCHEME)


def parse_search_url(url: str) -> tuple[str, int | None]:
    """(title, season) of a ``torznab:?q=...&season=N`` address."""
    if not is_search_url(url):
        raise BadSearchURL("a torznab search address starts with torznab:?q=")
    query = url.strip()[len(SCHEME) :].lstrip("/").lstrip("?")
    q, season = "", None
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name == "q":
            q = " ".join(value.split())
        elif name == "season":
            if not value.isdecimal() or int(value) > 1000:
                raise BadSearchURL(f"season must be a number from 0 to 1000, not {value!r}")
            season = int(value)
        else:
            raise BadSearchURL(f"unknown part {name!r} in a torznab search address (it takes q and season)")
    if not q:
        raise BadSearchURL("a torznab search address needs q=<title>")
    if len(q) > Q_MAX:
        raise BadSearchURL(f"the title in a torznab search address is longer than {Q_MAX} characters")
    return q, season


def normalized_search_url(url: str) -> str:
    q, season = parse_search_url(url)
    return search_url(q, season)


def wanted_for(source: Source) -> list[Wanted]:
    """The searches of a torznab source: the titles of the items tracking
    it (archived ones aside), at most INDEXER_MAX_TITLES per item and twice
    that in all, each title once; the address's own title when no item
    tracks it."""
    q, season = parse_search_url(source.url)
    items = source.items.exclude(status=ItemStatus.ARCHIVED).select_related("series").order_by("created_at")
    return _wanted([titles_for(item) for item in items] or [[q]], season)


def wanted_for_item(item: WatchlistItem) -> list[Wanted]:
    """The searches of one (maybe unsaved) item: "Test source" before adding."""
    _, season = parse_search_url(item.anime_url)
    return _wanted([titles_for(item)], season)


def _with_short_titles(titles: list[str]) -> list[str]:
    """Each title, and after a catalogue title with a subtitle the short
    title release names use, without its season marker ("Mushoku Tensei II:
    Isekai Ittara Honki Dasu" -> "Mushoku Tensei"): indexers match words,
    and releases write neither the subtitle nor "II" ("Mushoku Tensei S2 -
    05"); matching keeps the season's releases only."""
    out = []
    for title in titles:
        out.append(title)
        if len(season_title_keys(title)) > 1:
            head = subtitle_head(title)
            out.append(roman_season(season_marker(" ".join(head.split()))[1])[1])
    return out


def _wanted(per_item: list[list[str]], season: int | None) -> list[Wanted]:
    per_item = [_with_short_titles(titles)[: defaults.max_titles()] for titles in per_item]
    titles: list[str] = []
    # Round-robin over the items: every item's main title comes before
    # anyone's third alias.
    for rank in range(max((len(t) for t in per_item), default=0)):
        titles += [t[rank] for t in per_item if rank < len(t)]
    seen: set[tuple[str, int | None]] = set()
    wanted = []
    for title in titles:
        key = title_key(title)
        # "Frieren" and "FRIEREN" are one search; "Title S2" is the title
        # with its season, already what season= asks.
        ident = (key.base, key.season)
        if not key.base or ident in seen:
            continue
        seen.add(ident)
        wanted.append(Wanted(" ".join(title.split())[:Q_MAX], season))
        if len(wanted) >= defaults.max_titles() * 2:
            break
    return wanted
