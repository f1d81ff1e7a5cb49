"""Defaults of the metadata settings, in one place: settings.py reads the
environment with these as defaults, and the code reads the settings through
the helpers below (so a test's ``settings`` override applies at once).

Plain data and stdlib only: settings.py imports this module.
"""

from __future__ import annotations

from django.conf import settings

ANILIST_API_URL = "https://graphql.anilist.co"
# AniList's documented limit is 90 requests a minute; while its API is
# "degraded" it is 30, which the X-RateLimit-Limit header then says.
ANILIST_RATE_LIMIT_PER_MINUTE = 90
ANILIST_CACHE_ALIAS = "anilist"
# Checks of an item shortly after its next episode airs, in minutes.
AIRING_CHECK_OFFSETS_MINUTES = (15, 30, 60, 120)
METADATA_REFRESH_HOURS = 24
# A series is refreshed this long after each airing, when AniList has moved
# its "next episode" on.
METADATA_AFTER_AIRING_MINUTES = 20
POSTER_MAX_BYTES = 5 * 1024 * 1024


def anilist_api_url() -> str:
    return str(getattr(settings, "ANILIST_API_URL", ANILIST_API_URL))


def rate_limit_per_minute() -> int:
    return int(getattr(settings, "ANILIST_RATE_LIMIT_PER_MINUTE", ANILIST_RATE_LIMIT_PER_MINUTE))


def cache_alias() -> str:
    return str(getattr(settings, "ANILIST_CACHE_ALIAS", ANILIST_CACHE_ALIAS))


def airing_check_offsets() -> tuple[int, ...]:
    """The offsets, sorted, without duplicates or negatives."""
    raw = getattr(settings, "AIRING_CHECK_OFFSETS_MINUTES", AIRING_CHECK_OFFSETS_MINUTES)
    return tuple(sorted({int(value) for value in raw if int(value) >= 0}))


def refresh_hours() -> int:
    return int(getattr(settings, "METADATA_REFRESH_HOURS", METADATA_REFRESH_HOURS))


def after_airing_minutes() -> int:
    return int(getattr(settings, "METADATA_AFTER_AIRING_MINUTES", METADATA_AFTER_AIRING_MINUTES))


def poster_max_bytes() -> int:
    return int(getattr(settings, "POSTER_MAX_BYTES", POSTER_MAX_BYTES))
