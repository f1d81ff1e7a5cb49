"""What an indexer says it can do (its ``t=caps`` answer), and the search
mode a query uses there: ``t=tvsearch`` with ``season`` where the caps list
them, else the plain ``t=search`` every Torznab server has."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element

SEARCH = "search"
TV_SEARCH = "tvsearch"


@dataclass(frozen=True)
class Mode:
    available: bool = False
    params: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Caps:
    server: str = ""
    search: Mode = Mode(True, frozenset({"q"}))
    tv_search: Mode = Mode()
    categories: dict[int, str] = field(default_factory=dict)
    limit_max: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "server": self.server,
            "search": {"available": self.search.available, "params": sorted(self.search.params)},
            "tv_search": {"available": self.tv_search.available, "params": sorted(self.tv_search.params)},
            "categories": {str(k): v for k, v in sorted(self.categories.items())},
            "limit_max": self.limit_max,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Caps:
        def mode(value: Any, default: Mode) -> Mode:
            if not isinstance(value, dict):
                return default
            return Mode(bool(value.get("available")), frozenset(str(p) for p in value.get("params") or []))

        categories = {}
        for key, name in (data.get("categories") or {}).items():
            if str(key).isdigit():
                categories[int(key)] = str(name)
        limit = data.get("limit_max")
        return cls(
            server=str(data.get("server") or ""),
            search=mode(data.get("search"), Mode(True, frozenset({"q"}))),
            tv_search=mode(data.get("tv_search"), Mode()),
            categories=categories,
            limit_max=int(limit) if isinstance(limit, int) and limit > 0 else None,
        )

    def describe(self) -> str:
        """In words, for the indexer's page: "TV search (q, season, ep), search"."""
        modes = []
        if self.tv_search.available:
            modes.append(f"TV search ({', '.join(sorted(self.tv_search.params)) or 'no parameters'})")
        if self.search.available:
            modes.append("search")
        return ", ".join(modes) or "no search"


@dataclass(frozen=True)
class SearchPlan:
    """The parameters of one search of one indexer (without the key)."""

    mode: str
    q: str
    season: int | None

    def params(self, categories: list[int], limit: int | None) -> list[tuple[str, str]]:
        pairs = [("t", self.mode), ("q", self.q)]
        if self.season is not None:
            pairs.append(("season", str(self.season)))
        if categories:
            pairs.append(("cat", ",".join(str(c) for c in categories)))
        if limit:
            pairs.append(("limit", str(limit)))
        # Jackett answers every torznab:attr it knows only when asked.
        pairs.append(("extended", "1"))
        return pairs


def plan_search(caps: Caps, q: str, season: int | None) -> SearchPlan:
    """t=tvsearch (with the season when the item follows one and the
    indexer takes it) when the indexer searches TV by text; else t=search.

    No ``ep``: a check wants every new episode, and the same query serves
    every user tracking the series whatever episode each one is at.
    """
    tv = caps.tv_search
    if tv.available and "q" in tv.params:
        return SearchPlan(TV_SEARCH, q, season if season is not None and "season" in tv.params else None)
    return SearchPlan(SEARCH, q, None)


def _yes(value: str | None) -> bool:
    return (value or "").strip().lower() in ("yes", "true", "1")


def _params(value: str | None) -> frozenset[str]:
    return frozenset(p.strip().lower() for p in (value or "").split(",") if p.strip())


# What a tv-search without a supportedParams list takes: the Newznab
# specification's defaults, which older servers leave unsaid.
NEWZNAB_TV_PARAMS = frozenset({"q", "season", "ep", "rid"})


def parse_caps(root: Element) -> Caps:
    """A <caps> document (already parsed) as `Caps`; missing parts take
    what every Torznab server does (a text search)."""
    server = root.find("server")
    limits = root.find("limits")
    searching = root.find("searching")
    search = Mode(True, frozenset({"q"}))
    tv_search = Mode()
    if searching is not None:
        node = searching.find("search")
        if node is not None:
            search = Mode(_yes(node.get("available")), _params(node.get("supportedParams")) or frozenset({"q"}))
        node = searching.find("tv-search")
        if node is not None:
            listed = node.get("supportedParams")
            tv_search = Mode(_yes(node.get("available")), NEWZNAB_TV_PARAMS if listed is None else _params(listed))
    categories: dict[int, str] = {}
    holder = root.find("categories")
    if holder is not None:
        for node in holder.iter():
            if node.tag in ("category", "subcat") and (node.get("id") or "").isdigit():
                categories[int(node.get("id") or 0)] = node.get("name") or ""
    limit_max = None
    if limits is not None and (limits.get("max") or "").isdigit():
        limit_max = int(limits.get("max") or 0) or None
    return Caps(
        server=(server.get("title") or "") if server is not None else "",
        search=search,
        tv_search=tv_search,
        categories=categories,
        limit_max=limit_max,
    )
