"""Defaults of the indexer settings, in one place: settings.py reads the
environment with these as defaults, and the code reads the settings through
the helpers below (so a test's ``settings`` override applies at once).

Plain data and stdlib only: settings.py imports this module.
"""

from __future__ import annotations

from django.conf import settings

# Torznab's "TV/Anime" category: what an item searches when the indexer
# names no categories of its own.
ANIME_CATEGORY = 5070
INDEXER_DEFAULT_CATEGORIES = (ANIME_CATEGORY,)
# One search of one indexer is asked again at most this often, however many
# sources (and users) need it.
INDEXER_QUERY_REFRESH_MINUTES = 10
# An indexer's t=caps answer is kept this long.
INDEXER_CAPS_HOURS = 24
# The longest one request to an indexer may take (the whole of it: connect,
# waiting, body). A check's searches together stay within
# HTTP_TOTAL_TIMEOUT_SECONDS.
INDEXER_TIMEOUT_SECONDS = 20
# Requests to indexers in flight at once for one check (per host still
# HTTP_MAX_PER_HOST at most).
INDEXER_PARALLEL_REQUESTS = 4
# Titles searched per series: its title, then aliases and AniList's titles.
INDEXER_MAX_TITLES = 4
# How long an indexer is left alone after a 429 that gave no Retry-After.
INDEXER_RATE_LIMIT_MINUTES = 15
# Searches nobody has used for this long are deleted.
INDEXER_QUERY_KEEP_DAYS = 2

PRIORITY_RANGE = (1, 50)  # as in Prowlarr: 1 is asked (and preferred) first
DEFAULT_PRIORITY = 25


def default_categories() -> list[int]:
    return [int(c) for c in getattr(settings, "INDEXER_DEFAULT_CATEGORIES", INDEXER_DEFAULT_CATEGORIES)]


def query_refresh_minutes() -> int:
    return int(getattr(settings, "INDEXER_QUERY_REFRESH_MINUTES", INDEXER_QUERY_REFRESH_MINUTES))


def caps_hours() -> int:
    return int(getattr(settings, "INDEXER_CAPS_HOURS", INDEXER_CAPS_HOURS))


def timeout_seconds() -> int:
    return int(getattr(settings, "INDEXER_TIMEOUT_SECONDS", INDEXER_TIMEOUT_SECONDS))


def overall_seconds() -> int:
    """The time all of one check's indexer requests may take together."""
    return int(getattr(settings, "HTTP_TOTAL_TIMEOUT_SECONDS", 30))


def parallel_requests() -> int:
    return int(getattr(settings, "INDEXER_PARALLEL_REQUESTS", INDEXER_PARALLEL_REQUESTS))


def max_titles() -> int:
    return int(getattr(settings, "INDEXER_MAX_TITLES", INDEXER_MAX_TITLES))


def rate_limit_minutes() -> int:
    return int(getattr(settings, "INDEXER_RATE_LIMIT_MINUTES", INDEXER_RATE_LIMIT_MINUTES))


def query_keep_days() -> int:
    return int(getattr(settings, "INDEXER_QUERY_KEEP_DAYS", INDEXER_QUERY_KEEP_DAYS))
