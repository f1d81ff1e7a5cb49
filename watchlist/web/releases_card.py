"""The item page's "Releases" card: what the last check decided about each
release it saw."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from ..models import WatchlistItem
from ..releases.store import decisions_of


def releases_context(item: WatchlistItem) -> dict[str, Any]:
    """The item page's "Releases" card: the last check's decisions by
    episode (newest first), then the releases that are no episode of it."""
    rows = list(decisions_of(item).select_related("release"))  # is_batch reads the release
    numbered = [row for row in rows if row.episode is not None]
    numbered.sort(key=lambda row: (-row.episode, not row.picked, row.pk))
    groups = [(number, list(decisions)) for number, decisions in groupby(numbered, key=lambda row: row.episode)]
    others = [row for row in rows if row.episode is None]
    return {
        "release_groups": groups,
        "release_others": others,
        "releases_checked_at": rows[0].checked_at if rows else None,
        "release_count": len(rows),
    }
