"""Torznab answers as servers really write them, read through the client
from a fake indexer on 127.0.0.1: caps without parameter lists, Usenet
results, legacy encodings, dates without a time zone."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.support.fake_torznab import TORZNAB_NS, Failure, FakeTorznab
from watchlist.indexers import client
from watchlist.indexers.caps import TV_SEARCH, plan_search

HASH = "0123456789abcdef0123456789abcdef01234567"


def _endpoint(fake: FakeTorznab, slug: str, **options: object) -> client.Endpoint:
    indexer = fake.add_indexer(slug, **options)
    return client.Endpoint(indexer_id=1, name=slug, url=indexer.url, api_key=indexer.api_key, categories=())


def _search(torznab: FakeTorznab, body: bytes):
    endpoint = _endpoint(torznab, "raw", failure=Failure(200, body=body))
    return client.search(endpoint, [("t", "search"), ("q", "show")], total_timeout=10)


def _rss(items: str, *, encoding: str = "UTF-8") -> str:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0" xmlns:torznab="{TORZNAB_NS}">'
        f"<channel><title>t</title>{items}</channel></rss>"
    )


def test_a_tv_search_listed_without_its_parameters_takes_the_newznab_defaults(torznab):
    # Older Newznab servers write <tv-search available="yes"/> and mean the
    # spec's defaults (q, season, ep): a text TV search by season.
    caps = (
        b'<caps><server version="0.1"/><limits max="60" default="25"/><searching><search available="yes"/>'
        b'<tv-search available="yes"/></searching><categories><category id="5000" name="TV">'
        b'<subcat id="5070" name="Anime"/></category></categories></caps>'
    )
    endpoint = _endpoint(torznab, "old", caps_failure=Failure(200, body=caps))

    found = client.fetch_caps(endpoint, total_timeout=10)

    assert {"q", "season", "ep"} <= found.tv_search.params
    assert plan_search(found, "Show", 2).mode == TV_SEARCH
    assert plan_search(found, "Show", 2).season == 2


def test_a_usenet_result_is_not_taken_for_a_torrent(torznab):
    items = (
        "<item><title>Show - 01 [1080p]</title><link>http://127.0.0.1:9/api?t=get&amp;id=1</link>"
        '<enclosure url="http://127.0.0.1:9/api?t=get&amp;id=1" length="724655000" type="application/x-nzb"/></item>'
        "<item><title>Show - 02 [1080p]</title><link>http://127.0.0.1:9/dl/2</link>"
        '<enclosure url="http://127.0.0.1:9/dl/2" length="724655000" type="application/x-bittorrent"/>'
        f'<torznab:attr name="infohash" value="{HASH}"/></item>'
    )

    results = _search(torznab, _rss(items).encode())

    assert [r.title for r in results] == ["Show - 02 [1080p]"]


def test_an_answer_in_a_multi_byte_legacy_encoding_is_read(torznab):
    title = "[字幕组] 动画标题 - 03 [1080p]"
    items = f"<item><title>{title}</title><link>magnet:?xt=urn:btih:{HASH}&amp;dn=x</link></item>"

    [result] = _search(torznab, _rss(items, encoding="GBK").encode("gbk"))

    assert (result.title, result.infohash) == (title, HASH)


def test_a_date_without_a_known_time_zone_is_read_as_utc(torznab):
    # "-0000" (nyaa's, passed through) means "zone unknown": the date stays.
    items = (
        f"<item><title>Show - 04</title><link>magnet:?xt=urn:btih:{HASH}</link>"
        "<pubDate>Tue, 24 Aug 2021 22:18:46 -0000</pubDate></item>"
    )

    [result] = _search(torznab, _rss(items).encode())

    assert result.published_at == datetime(2021, 8, 24, 22, 18, 46, tzinfo=UTC)


def test_an_answer_with_blank_lines_before_its_declaration_is_read(torznab):
    items = f"<item><title>Show - 05</title><link>magnet:?xt=urn:btih:{HASH}</link></item>"
    caps = b'\n\n<?xml version="1.0" encoding="UTF-8"?><caps><server title="Proxy"/></caps>'
    endpoint = _endpoint(torznab, "blank", caps_failure=Failure(200, body=caps))

    [result] = _search(torznab, b"\r\n  " + _rss(items).encode())

    assert result.infohash == HASH
    assert client.fetch_caps(endpoint, total_timeout=10).server == "Proxy"


def test_prefixes_a_proxy_left_undeclared_are_still_read(torznab):
    # A proxy that re-writes the answer can lose the root's xmlns:torznab.
    body = (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="1.0" xmlns:_xmlns="xmlns" '
        f'_xmlns:torznab="{TORZNAB_NS}"><channel><title>p</title>'
        "<item><title>Show - 06</title><link>http://127.0.0.1:9/1/download?apikey=k&amp;link=6</link>"
        '<enclosure url="magnet:?xt=urn:btih:abc" length="1" type="application/x-bittorrent"></enclosure>'
        '<torznab:attr name="seeders" value="42"></torznab:attr></item>'
        '<item><title>Show - 07</title><enclosure url="magnet:?xt=urn:btih:def" length="2" '
        'type="application/x-bittorrent"></enclosure></item></channel></rss>'
    )

    [result] = _search(torznab, body.encode())

    # A magnet naming no well-formed hash names no torrent: the download link is taken.
    assert (result.title, result.link, result.seeders) == (
        "Show - 06",
        "http://127.0.0.1:9/1/download?apikey=k&link=6",
        42,
    )


def test_a_result_with_no_infohash_and_a_keyed_link_is_still_a_torrent(alice):
    # Private trackers hide the hash; Prowlarr's and Jackett's links have no
    # .torrent suffix. A Torznab result is a torrent all the same.
    from downloads.models import TORRENT_BACKENDS
    from watchlist.downloading import _backend_for, is_torrent_link
    from watchlist.models import WatchlistItem

    link = "http://127.0.0.1:9/1/download?apikey=k&link=6"
    item = WatchlistItem(owner=alice, provider_id="torznab")

    assert is_torrent_link(link, "", provider_id="torznab")
    assert _backend_for(item, link) in TORRENT_BACKENDS
    assert not is_torrent_link(link, "", provider_id="feed")
