"""Fixtures and helpers of the metadata tests: the fake AniList server wired
into the settings, a cache of each test's own, posters in a temporary
folder, and items linked to series."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from tests.factories import make_item
from tests.support.fake_anilist import FakeAniList
from watchlist.metadata.series import series_for_anilist_id
from watchlist.models import WatchlistItem

# A fixed moment for tests that control the clock (a Thursday, 12:00 UTC).
T0 = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)

_caches = itertools.count(1)


def epoch(moment: datetime) -> int:
    return int(moment.timestamp())


@pytest.fixture
def anilist(settings, tmp_path) -> Iterator[FakeAniList]:
    """A fake AniList on 127.0.0.1 that the client is pointed at, with a
    cache of this test's own (rate-limit state and cached answers never
    leak between tests) and posters stored under tmp_path."""
    fake = FakeAniList().start()
    settings.ANILIST_API_URL = fake.url
    settings.PRIVATE_SOURCE_ALLOWLIST = [*settings.PRIVATE_SOURCE_ALLOWLIST, f"127.0.0.1:{fake.port}"]
    settings.CACHES = {
        **settings.CACHES,
        "anilist-test": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"anilist-test-{next(_caches)}",
        },
    }
    settings.ANILIST_CACHE_ALIAS = "anilist-test"
    settings.MEDIA_ROOT = tmp_path / "media"
    yield fake
    fake.stop()


def linked_item(owner, fake: FakeAniList, anilist_id: int, **overrides) -> WatchlistItem:
    """An item of ``owner`` linked to the series ``anilist_id`` of the fake
    catalogue (fetched through the real client)."""
    series = series_for_anilist_id(anilist_id)
    overrides.setdefault("anime_title", series.display_title or f"Series {anilist_id}")
    item = make_item(owner, **overrides)
    item.series = series
    item.save(update_fields=["series"])
    return item
