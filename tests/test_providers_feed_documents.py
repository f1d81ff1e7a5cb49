"""Tracker feeds as sites really write them, served on 127.0.0.1: legacy
encodings, their own names for the swarm and size fields, facts stated
only in the description, dates without a time zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from watchlist.models import Source
from watchlist.providers.episodes import parse_size
from watchlist.providers.feed import FeedProvider

HASH = "0123456789abcdef0123456789abcdef01234567"
OTHER = "fedcba9876543210fedcba9876543210fedcba98"


@pytest.fixture(autouse=True)
def _allow_loopback(settings):
    settings.ALLOW_PRIVATE_SOURCES = True


def _read(http_server, body: str | bytes, *, path: str = "/rss.xml"):
    url = http_server.add(path, body, content_type="application/rss+xml")
    provider = FeedProvider()
    provider.include_extras = True
    return provider.list_episodes(Source(provider_id="feed", url=url, lang="", etag="", last_modified=""))


def _rss(items: str, *, namespaces: str = "", encoding: str = "utf-8") -> str:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"{namespaces}><channel><title>t</title>'
        f"<link>http://127.0.0.1:9/</link><description>d</description>{items}</channel></rss>"
    )


@pytest.mark.parametrize(
    ("encoding", "title"),
    [
        ("Shift_JIS", "[字幕] 番組のタイトル - 03 [1080p]"),
        ("EUC-JP", "[字幕] 番組のタイトル - 03 [1080p]"),
        ("GBK", "[字幕组] 动画标题 - 03 [1080p]"),
        ("Big5", "[字幕組] 動畫標題 - 03 [1080p]"),
    ],
)
def test_a_feed_in_a_multi_byte_legacy_encoding_is_read(http_server, encoding, title):
    body = _rss(
        f"<item><title>{title}</title><link>magnet:?xt=urn:btih:{HASH}&amp;dn=x</link></item>", encoding=encoding
    ).encode(encoding)

    [info] = _read(http_server, body)

    assert (info.title, info.episode, info.infohash) == (title, 3, HASH)


def test_other_names_trackers_give_the_swarm_size_and_hash(http_server):
    # A default-namespace block (no prefix) and a prefixed one with "seeds"
    # and "contentLength" instead of nyaa's "seeders" and "size".
    body = _rss(
        "<item><title>Show - 04 [720p]</title><link>http://127.0.0.1:9/get/4</link>"
        '<enclosure url="http://127.0.0.1:9/get/4" length="734003200" type="application/x-bittorrent"/>'
        f'<torrent xmlns="http://127.0.0.1:9/ns/"><contentLength>734003200</contentLength><infoHash>{HASH.upper()}'
        "</infoHash></torrent></item>"
        "<item><title>Show - 05 [720p]</title>"
        '<enclosure url="http://127.0.0.1:9/5.torrent" type="application/x-bittorrent"/>'
        f"<tt:contentLength>912261120</tt:contentLength><tt:infoHash>{OTHER}</tt:infoHash>"
        "<tt:seeds>31</tt:seeds></item>",
        namespaces=' xmlns:tt="http://127.0.0.1:9/tt/"',
    )

    four, five = _read(http_server, body)

    assert (four.infohash, four.size) == (HASH, 734003200)
    assert (five.infohash, five.size, five.seeders) == (OTHER, 912261120, 31)


def test_a_size_between_pipes_or_with_a_bare_unit_in_the_description(http_server):
    body = _rss(
        '<item><title>Show - 06</title><enclosure url="http://127.0.0.1:9/6.torrent" type="application/x-bittorrent"/>'
        "<description><![CDATA[<a href='x'>uploader | Show - 06</a> | 1.2GB | Anime | abc]]></description></item>"
        "<item><title>Show - 07</title><link>http://127.0.0.1:9/7.torrent</link>"
        "<description>Category: TV Size: 352 m Uploaded: 10:00 01-01-2026</description></item>"
    )

    six, seven = _read(http_server, body)

    assert six.size == parse_size("1.2GB")
    assert seven.size == 352 * 1024**2


def test_the_hash_and_swarm_stated_only_in_the_description(http_server):
    base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    body = _rss(
        "<item><title>Show - 08</title><link>http://127.0.0.1:9/8.torrent</link>"
        f'<description><![CDATA[<a href="magnet:?xt=urn:btih:{base32}&tr=http://127.0.0.1:9/a">Magnet</a><br />'
        "Size: 1.1GB<br />]]></description></item>"
        "<item><title>Show - 09</title><link>http://127.0.0.1:9/9.torrent</link>"
        "<description><![CDATA[Category: TV<br />Seeds: 12<br />Leechers: 3<br />Size: 1.1 GB]]></description></item>"
    )

    eight, nine = _read(http_server, body)

    assert eight.infohash == "00443214c74254b635cf84653a56d7c675be77df"
    assert eight.url == "http://127.0.0.1:9/8.torrent"  # the .torrent stays the download
    assert (nine.seeders, nine.leechers) == (12, 3)


def test_a_date_without_a_time_zone_is_read_as_utc(http_server):
    body = _rss(
        "<item><title>Show - 10</title><link>http://127.0.0.1:9/10.torrent</link>"
        "<pubDate>Sat, 07 Mar 2026 08:47:24</pubDate></item>"
    )

    [ten] = _read(http_server, body)

    assert ten.published_at == datetime(2026, 3, 7, 8, 47, 24, tzinfo=UTC)


def test_an_entry_that_only_states_its_hash_or_magnet_is_a_magnet(http_server):
    # Token feeds give no link at all; a guid that is no URL is no page.
    body = _rss(
        f"<item><title>[Grp] Show - 11 [1080p]</title><er:infohash>{HASH.upper()}</er:infohash></item>"
        f"<item><title>Show - 12</title><guid>g12</guid><er:infohash>{OTHER}</er:infohash></item>"
        '<item><title>Show - 13</title><guid isPermaLink="false">g13</guid>'
        f"<tt:magnetURI><![CDATA[magnet:?xt=urn:btih:{HASH}&dn=Show+13]]></tt:magnetURI></item>",
        namespaces=' xmlns:er="http://127.0.0.1:9/er/" xmlns:tt="http://127.0.0.1:9/tt/"',
    )

    eleven, twelve, thirteen = _read(http_server, body)

    assert eleven.url.startswith(f"magnet:?xt=urn:btih:{HASH}&dn=")
    assert (eleven.infohash, eleven.episode) == (HASH, 11)
    assert twelve.url.startswith(f"magnet:?xt=urn:btih:{OTHER}") and twelve.infohash == OTHER
    assert thirteen.url == f"magnet:?xt=urn:btih:{HASH}&dn=Show+13"


def test_a_guid_that_is_an_infohash_names_the_torrent(http_server):
    base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    body = _rss(
        "<item><title>Show - 14</title><guid>" + HASH.upper() + "</guid>"
        '<enclosure url="http://127.0.0.1:9/api/torrents/14/file" type="application/x-bittorrent" length="0"/></item>'
        "<item><title>Show - 15</title><link>http://127.0.0.1:9/view/15/torrent</link>"
        f'<guid isPermaLink="false">{base32}</guid></item>'
        "<item><title>Show - 16</title><link>http://127.0.0.1:9/16.torrent</link>"
        '<guid isPermaLink="false">9bf12f5ecc9d61aec05b28e605784ee7</guid></item>'
    )

    fourteen, fifteen, sixteen = _read(http_server, body)

    assert fourteen.infohash == HASH
    assert fifteen.infohash == "00443214c74254b635cf84653a56d7c675be77df"
    assert sixteen.infohash == ""  # an md5-like id is no infohash


def test_a_size_written_after_a_bold_label(http_server):
    body = _rss(
        '<item><title>Show - 17</title><enclosure url="http://127.0.0.1:9/17.torrent" type="application/x-bittorrent"'
        ' length="0"/><description><![CDATA[<strong>Total Size</strong>: 1.366 GB<br />]]></description></item>'
    )

    [seventeen] = _read(http_server, body)

    assert seventeen.size == parse_size("1.366 GB")


def test_an_entry_offering_only_usenet_files_is_no_release(http_server):
    body = _rss(
        "<item><title>Show - 18</title><link>http://127.0.0.1:9/nzb/18</link>"
        '<enclosure url="http://127.0.0.1:9/nzb/18/Show.nzb" length="556246858" type="application/x-nzb"/></item>'
        "<item><title>Show - 19</title><link>http://127.0.0.1:9/view/19</link>"
        '<enclosure url="http://127.0.0.1:9/19.nzb" type="application/x-nzb" length="0"/>'
        '<enclosure url="http://127.0.0.1:9/19.torrent" type="application/x-bittorrent" length="0"/></item>'
    )

    [nineteen] = _read(http_server, body)

    assert nineteen.url == "http://127.0.0.1:9/19.torrent"
