"""How a list of watchlist items is narrowed: by status and by words of the
title. The dashboard's item list (``?status=&q=``) and ``GET /api/watchlist``
(``?status=&search=``) both filter through here, so the same words find
the same series in both."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import ItemStatus, WatchlistItem

# Longer searches are cut: no title is matched by more than this, and a
# pasted paragraph should not become a slow LIKE pattern.
SEARCH_MAX_LENGTH = 100


def search_words(text: str) -> str:
    """The part of a search text that is searched for."""
    return text.strip()[:SEARCH_MAX_LENGTH]


def with_title(items: QuerySet[WatchlistItem], text: str) -> QuerySet[WatchlistItem]:
    words = search_words(text)
    if "\x00" in words:
        # No title holds a NUL (the serializer refuses them) and PostgreSQL
        # cannot even compare one: nothing matches.
        return items.none()
    return items.filter(anime_title__icontains=words) if words else items


def with_status(items: QuerySet[WatchlistItem], status: str) -> QuerySet[WatchlistItem]:
    """Items in ``status``; all of them for "" (no filter)."""
    if status and status not in ItemStatus.values:
        raise ValueError(f"unknown item status {status!r}")
    return items.filter(status=status) if status else items
