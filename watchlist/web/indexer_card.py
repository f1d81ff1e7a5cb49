"""The item page's "Indexers" card of a torznab item: each indexer's
searches at the last check, with results or the error in plain words."""

from __future__ import annotations

from typing import Any

from ..indexers.status import item_searches
from ..models import WatchlistItem


def indexer_searches_context(item: WatchlistItem) -> dict[str, Any]:
    if item.provider_id != "torznab":
        return {}
    return {"indexer_searches": item_searches(item)}
