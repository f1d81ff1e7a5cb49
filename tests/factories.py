"""Row factories: the smallest valid rows, with overridable fields."""

from __future__ import annotations

import itertools
from typing import Any

from watchlist.items import add_item
from watchlist.models import WatchlistItem

_seq = itertools.count(1)


def item_data(**overrides: Any) -> dict[str, Any]:
    n = next(_seq)
    data: dict[str, Any] = {
        "anime_title": f"Series {n}",
        "anime_url": f"https://media.example.org/series-{n}/feed.xml",
        "provider_id": "feed",
        "lang": "vostfr",
    }
    data.update(overrides)
    return data


def make_item(owner, **overrides: Any) -> WatchlistItem:
    return add_item(owner, item_data(**overrides))
