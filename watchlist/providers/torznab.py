"""The ``torznab`` provider: a series found by searching the indexers staff
added (Prowlarr, Jackett, any Torznab server) instead of a feed URL.

An item's address is a search (``torznab:?q=<title>[&season=N]``, see
watchlist/indexers/plan.py); refreshing its source asks every enabled
indexer for each title of the items tracking it (queries.py: one request
per indexer, search and refresh window, whoever asks), and the results
become the source's releases, matched per item like a feed's entries.

An indexer that fails leaves the others' results in use; the source fails
(with every indexer's reason, in plain words) only when none answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from .base import EpisodeInfo, Provider, ProviderError, SearchResult, SourceRef

if TYPE_CHECKING:
    from ..models import WatchlistItem

PROVIDER_ID = "torznab"


class TorznabProvider(Provider):
    id = PROVIDER_ID
    name = "Indexers (Torznab)"
    conditional_requests = False
    # refresh() reads and writes the database (indexers, shared searches):
    # a caller that refreshes sources on worker threads must run this one
    # on its own thread.
    refreshes_in_caller_thread: ClassVar[bool] = True
    # Indexers count searches (Prowlarr's query limits): the Add page asks
    # on submit, not while typing.
    search_as_you_type: ClassVar[bool] = False

    @property
    def supports_search(self) -> bool:  # type: ignore[override]
        from ..indexers.models import Indexer

        return Indexer.objects.filter(enabled=True).exists()

    def can_handle(self, url: str) -> bool:
        from ..indexers.plan import is_search_url

        return is_search_url(url)

    def list_episodes(self, source: SourceRef) -> list[EpisodeInfo]:
        from ..indexers import plan

        return self._listing(source, lambda: plan.wanted_for(source))  # type: ignore[arg-type]

    def list_for_item(self, item: WatchlistItem, source: SourceRef) -> list[EpisodeInfo]:
        """What the indexers list for one item's titles (an unsaved one:
        "Test source" before adding); shared searches as in a check."""
        from ..indexers import plan

        return self._listing(source, lambda: plan.wanted_for_item(item))

    def _listing(self, source: SourceRef, wanted_of: Callable[[], list]) -> list[EpisodeInfo]:
        from ..indexers import plan, queries, releases

        indexers = queries.enabled_indexers()
        if not indexers:
            raise ProviderError(
                "no indexer is enabled; an administrator adds Torznab indexers (Prowlarr, Jackett)", permanent=False
            )
        try:
            wanted = wanted_of()
        except plan.BadSearchURL as exc:
            raise ProviderError(f"{source.url} is not a torznab search: {exc}") from None
        outcome = queries.run(indexers, wanted)
        pk = getattr(source, "pk", None)
        if pk is not None:
            source.indexer_queries.set([row for entry in outcome.indexers for row in entry.queries])  # type: ignore[attr-defined]
        queries.prune()
        if outcome.all_failed:
            raise ProviderError("; ".join(outcome.errors()) or "no indexer answered", permanent=False)
        return releases.episodes_of(outcome.results(), include_extras=self.include_extras)

    def search(self, query: str) -> list[SearchResult]:
        return self.search_with_notes(query)[0]

    def search_with_notes(self, query: str) -> tuple[list[SearchResult], list[str]]:
        """The results grouped by series, and each failing indexer's reason."""
        from ..indexers.search import search_indexers

        outcome = search_indexers(query)
        return list(outcome.results), outcome.errors
