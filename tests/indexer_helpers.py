"""Fixtures and helpers of the indexer tests: a fake Torznab server on
127.0.0.1 allowed by the address guard, indexers pointing at it, and
torznab items."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.factories import make_item
from tests.support.fake_torznab import FakeIndexer, FakeTorznab
from watchlist.indexers.keys import encrypt
from watchlist.indexers.models import Indexer
from watchlist.indexers.plan import search_url
from watchlist.models import WatchlistItem


@pytest.fixture
def torznab(settings) -> Iterator[FakeTorznab]:
    fake = FakeTorznab()
    settings.PRIVATE_SOURCE_ALLOWLIST = [*settings.PRIVATE_SOURCE_ALLOWLIST, f"127.0.0.1:{fake.port}"]
    yield fake
    fake.stop()


def make_indexer(fake: FakeIndexer, *, name: str | None = None, api_key: str | None = None, **fields) -> Indexer:
    key = fake.api_key if api_key is None else api_key
    return Indexer.objects.create(name=name or fake.slug, url=fake.url, api_key_encrypted=encrypt(key), **fields)


def torznab_item(owner, title: str, *, season: int | None = None, **fields) -> WatchlistItem:
    fields.setdefault("lang", "")
    item = make_item(
        owner, anime_title=title, anime_url=search_url(title, season), provider_id="torznab", season=season, **fields
    )
    return WatchlistItem.objects.select_related("source").get(pk=item.pk)
