"""Tracker feeds: nyaa-style fields are read, and magnet-only entries are releases."""

from __future__ import annotations

from downloads.models import BackendName
from tests.torrent_helpers import nyaa_rss
from watchlist.downloading import _backend_for, _extension
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
