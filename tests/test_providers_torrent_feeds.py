"""Tracker feeds: nyaa-style fields are read, and magnet-only entries are releases."""

from __future__ import annotations

from downloads.models import BackendName
from tests.torrent_helpers import nyaa_rss
from watchlist.downloading import _backend_for, _extension
from watchlist.providers.episodes import parse_size
from watchlist.providers.feed import FeedProvider

FEED = "http://127.0.0.1:9/rss.xml"
HASH = "0123456789abcdef0123456789abcdef01234567"


def parse(body: str):
    return FeedProvider().parse(body.encode(), FEED, "application/rss+xml")


def test_nyaa_fields_are_read():
    body = nyaa_rss(
        [
            {
                "title": "[Group] Frieren - 05 (1080p) [ABCD1234].mkv",
                "link": "http://127.0.0.1:9/download/1.torrent",
                "infohash": HASH.upper(),
                "seeders": 42,
                "leechers": 3,
                "size": "1.4 GiB",
                "trusted": True,
                "remake": False,
            }
        ]
    )

    [info] = parse(body)

    assert info.episode == 5
    assert info.url == "http://127.0.0.1:9/download/1.torrent"
    assert (info.infohash, info.seeders, info.leechers, info.trusted, info.remake) == (HASH, 42, 3, True, False)
    assert info.size == int(1.4 * 1024**3)


def test_a_magnet_only_entry_is_a_downloadable_release():
    magnet = (
        f"magnet:?xt=urn:btih:{HASH}&dn=%5BGroup%5D%20Frieren%20-%2006%20%281080p%29.mkv"
        "&tr=http%3A%2F%2F127.0.0.1%3A9%2Fannounce"
    )
    [info] = parse(nyaa_rss([{"title": "[Group] Frieren - 06 (1080p).mkv", "link": magnet, "remake": True}]))

    assert info.url == magnet
    assert info.episode == 6
    assert info.infohash == HASH
    assert info.remake is True


def test_a_magnet_names_the_release_when_the_entry_has_no_title():
    magnet = f"magnet:?xt=urn:btih:{HASH}&dn=%5BGroup%5D%20Frieren%20-%2007%20%28720p%29"
    [info] = parse(nyaa_rss([{"title": "", "link": magnet}]))

    assert info.episode == 7
    assert info.resolution == 720


def test_torrent_links_go_to_the_torrent_backend_with_a_video_extension(alice):
    from watchlist.models import WatchlistItem

    item = WatchlistItem(owner=alice, provider_id="feed")
    assert _backend_for(item, f"magnet:?xt=urn:btih:{HASH}") == BackendName.TORRENT
    assert _backend_for(item, "http://127.0.0.1:9/download/1.torrent") == BackendName.TORRENT
    assert _backend_for(item, "http://127.0.0.1:9/api?t=get&id=5", HASH) == BackendName.TORRENT  # torznab
    assert _backend_for(item, "http://127.0.0.1:9/ep.mpg") == BackendName.HTTP
    assert _extension("http://127.0.0.1:9/download/1.torrent", BackendName.TORRENT, "Frieren - 05.mp4") == ".mp4"
    assert _extension("http://127.0.0.1:9/download/1.torrent", BackendName.TORRENT, "Frieren - 05") == ".mkv"


def test_every_known_container_keeps_its_extension():
    # One list decides: a container the providers accept is never saved as .bin.
    for ext in (".mpg", ".mpeg", ".m2ts", ".mkv", ".ts"):
        assert _extension(f"http://127.0.0.1:9/Show%20-%2001{ext}", BackendName.HTTP) == ext


def _rss(items: str, namespaces: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"{namespaces}><channel><title>t</title>'
        f"<link>http://127.0.0.1:9/</link><description>d</description>{items}</channel></rss>"
    )


def test_a_magnet_enclosure_beats_the_link_to_the_release_page():
    """dmhy-style entries: the link is the release's web page, the magnet is
    the enclosure (with a placeholder length)."""
    base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    magnet = f"magnet:?xt=urn:btih:{base32}&amp;dn=&amp;tr=http%3A%2F%2F127.0.0.1%3A9%2Fannounce"
    body = _rss(
        "<item><title>[Grp] Show - 05 [1080p]</title><link>http://127.0.0.1:9/topics/view/1_show.html</link>"
        f'<enclosure url="{magnet}" length="1" type="application/x-bittorrent"></enclosure></item>'
    )

    [info] = parse(body)

    assert info.url.startswith("magnet:?xt=urn:btih:" + base32)
    assert info.infohash == "00443214c74254b635cf84653a56d7c675be77df"
    assert info.size is None  # "1" is no size
    assert info.episode == 5


def test_a_page_link_is_still_taken_when_the_entry_offers_nothing_else():
    [info] = parse(_rss("<item><title>Show - 06</title><link>http://127.0.0.1:9/get?id=6</link></item>"))

    assert info.url == "http://127.0.0.1:9/get?id=6"


def test_other_trackers_namespaced_sizes_infohashes_and_seeders_are_read():
    body = _rss(
        "<item><title>[Grp] Show - 07 (1080p).mkv</title>"
        f"<link>magnet:?xt=urn:btih:{HASH}</link><sp:size>1.5 GiB</sp:size></item>"
        "<item><title>[Grp] Show - 08 [1080p].mkv</title><link>http://127.0.0.1:9/8.torrent</link>"
        f"<er:size>700 MiB</er:size><er:infohash>{HASH}</er:infohash><er:seeders>12</er:seeders></item>",
        ' xmlns:sp="http://127.0.0.1:9/sp" xmlns:er="http://127.0.0.1:9/er"',
    )

    seven, eight = parse(body)

    assert (seven.size, seven.infohash) == (int(1.5 * 1024**3), HASH)
    assert (eight.size, eight.infohash, eight.seeders) == (700 * 1024**2, HASH, 12)


def test_a_size_stated_in_the_description_or_as_content_length_is_read():
    body = _rss(
        "<item><title>[Grp] Show - 09 [1080p].mkv</title><link>http://127.0.0.1:9/9.torrent</link>"
        "<description><![CDATA[Torrent Listing: <a href='x'>x</a><br />Size: 1.2GB<br />]]></description></item>"
        "<item><title>[Grp] Show - 10 [1080p]</title><link>http://127.0.0.1:9/page/10</link>"
        '<torrent xmlns="http://127.0.0.1:9/0.1/"><contentLength>368268032</contentLength></torrent>'
        '<enclosure type="application/x-bittorrent" length="368268032" url="http://127.0.0.1:9/10.torrent"/></item>'
        "<item><title>[Grp] Show - 11 [1080p]</title><link>http://127.0.0.1:9/11.torrent</link>"
        "<description>[Grp] Show - 11 [1080p][351.5 MB]</description></item>",
    )

    nine, ten, eleven = parse(body)

    assert nine.size == parse_size("1.2GB")
    assert (ten.url, ten.size) == ("http://127.0.0.1:9/10.torrent", 368268032)
    assert eleven.size == parse_size("351.5 MB")


def test_a_decimal_comma_is_a_decimal_point_and_a_thousands_comma_is_not():
    assert parse_size("1,4 GB") == 1_400_000_000  # European sites' decimal comma (was 14 GB)
    assert parse_size("2,25GiB") == int(2.25 * 1024**3)
    assert parse_size("1,400 MB") == 1_400_000_000  # three digits after it: thousands
    assert parse_size("1,234,567") == 1_234_567
    assert parse_size("700 MB") == 700_000_000
