"""Searching the indexers from the "Add a series" page (and the API): the
results grouped by the series their names parse to, each group with what
it offers (episodes, resolutions, groups) and an "Add" that pre-fills a
torznab item with that title (and season).

The search is an `IndexerQuery` like a check's (t=search, shared and kept
for the refresh window), so asking the same thing twice costs one request.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..providers.base import SearchResult
from ..releases import parse_release
from ..releases.match import title_key
from . import queries
from .answers import TorznabResult
from .models import Indexer

MAX_GROUPS = 20
RELEASES_SHOWN = 5
QUERY_MAX_LENGTH = 100


@dataclass(frozen=True)
class ReleaseLine:
    name: str
    indexer: str
    size: int | None
    seeders: int | None
    published: str


@dataclass(frozen=True)
class IndexerSearchResult(SearchResult):
    """One series among the results. ``url`` stays empty: the item's search
    address is made from the title it is saved with."""

    season: int | None = None
    release_count: int = 0
    summary: str = ""
    releases: list[ReleaseLine] = field(default_factory=list)

    @property
    def form_values(self) -> dict[str, Any]:
        """What its "Add" puts in the add form."""
        values: dict[str, Any] = {"anime_title": self.title, "provider_id": "torznab"}
        if self.season is not None:
            values["season"] = self.season
        return values


@dataclass
class IndexerSearch:
    query: str
    results: list[IndexerSearchResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    searched: int = 0  # indexers asked
    requested: int = 0  # requests made (0: every answer was fresh)


@dataclass
class _Group:
    titles: Counter = field(default_factory=Counter)
    season: int | None = None
    entries: list[tuple[Indexer, TorznabResult]] = field(default_factory=list)
    episodes: set[int] = field(default_factory=set)
    batches: int = 0
    specials: int = 0
    resolutions: set[int] = field(default_factory=set)
    groups: Counter = field(default_factory=Counter)


def _range_words(numbers: set[int]) -> str:
    ordered = sorted(numbers)
    if not ordered:
        return ""
    runs: list[tuple[int, int]] = []
    for number in ordered:
        if runs and number == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    shown = [f"{a}" if a == b else f"{a}-{b}" for a, b in runs[:4]]
    more = "…" if len(runs) > 4 else ""
    return f"episode{'s' if len(ordered) > 1 else ''} {', '.join(shown)}{more}"


def _summary(group: _Group) -> str:
    parts = [f"{len(group.entries)} release{'s' if len(group.entries) != 1 else ''}"]
    if group.season is not None:
        parts.append(f"season {group.season}")
    if group.episodes:
        parts.append(_range_words(group.episodes))
    if group.batches:
        parts.append(f"{group.batches} batch{'es' if group.batches != 1 else ''}")
    if group.specials:
        parts.append(f"{group.specials} special{'s' if group.specials != 1 else ''}")
    if group.resolutions:
        parts.append(", ".join(f"{r}p" for r in sorted(group.resolutions, reverse=True)))
    if group.groups:
        parts.append("by " + ", ".join(name for name, _ in group.groups.most_common(3)))
    return " · ".join(parts)


def group_results(found: list[tuple[Indexer, TorznabResult]]) -> list[IndexerSearchResult]:
    """Results grouped by (series title, season) as the parser reads their
    names; the biggest groups first. Names the parser finds no title in are
    left out (there is nothing to add)."""
    groups: dict[tuple[str, int | None], _Group] = {}
    for indexer, result in found:
        parsed = parse_release(result.title)
        if not parsed.title:
            continue
        key = title_key(parsed.title)
        if not key.base:
            continue
        season = parsed.season if parsed.season is not None else key.season
        group = groups.setdefault((key.joined, season), _Group(season=season))
        group.titles[parsed.title] += 1
        group.entries.append((indexer, result))
        if parsed.is_batch:
            group.batches += 1
        elif parsed.is_special:
            group.specials += 1
        elif parsed.number is not None:
            group.episodes.add(parsed.number)
        if parsed.resolution:
            group.resolutions.add(parsed.resolution)
        if parsed.group:
            group.groups[parsed.group] += 1
    ordered = sorted(
        groups.values(),
        key=lambda g: (len(g.entries), max((r.seeders or 0 for _, r in g.entries), default=0)),
        reverse=True,
    )
    shown = []
    for group in ordered[:MAX_GROUPS]:
        title = _display_title(group)
        lines = [
            ReleaseLine(r.title, indexer.name, r.size, r.seeders, r.published)
            for indexer, r in sorted(group.entries, key=lambda e: -(e[1].seeders or 0))[:RELEASES_SHOWN]
        ]
        shown.append(
            IndexerSearchResult(
                title=title,
                url="",
                season=group.season,
                release_count=len(group.entries),
                summary=_summary(group),
                releases=lines,
            )
        )
    return shown


def _display_title(group: _Group) -> str:
    """The series' title as most names write it, without its season marker."""
    from ..releases.titles import season_marker

    written = group.titles.most_common(1)[0][0]
    _, rest = season_marker(" ".join(written.split()))
    return " ".join(rest.split()) or written


def search_indexers(query: str) -> IndexerSearch:
    """Ask every enabled indexer; never raises for an indexer's failure
    (each one's reason is in ``errors``)."""
    query = " ".join(query.split())[:QUERY_MAX_LENGTH]
    outcome = IndexerSearch(query)
    indexers = queries.enabled_indexers()
    if not query or not indexers:
        return outcome
    run = queries.run(indexers, [queries.Wanted(query, None, tv=False)])
    outcome.searched = len(indexers)
    outcome.requested = run.requested
    outcome.errors = run.errors()
    outcome.results = group_results(run.results())
    return outcome
