"""The yt-dlp provider against a real HTTP server: pages that yt-dlp's
generic extractor turns into playlists (an RSS feed of videos, an HTML page
with several <video> elements)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from watchlist.models import Source
from watchlist.providers.base import ProviderError
from watchlist.providers.ytdlp import YtDlpProvider, ytdlp_params


@pytest.fixture(autouse=True)
def _allow_loopback(settings):
    settings.ALLOW_PRIVATE_SOURCES = True


def _source(url: str) -> Source:
    return Source(provider_id="ytdlp", url=url, lang="", etag='"x"', last_modified="")


VIDEO_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel><title>Show channel</title><link>http://videos.test/</link>
<item><title>[Grp] Show - 01 [720p]</title><guid>show-1</guid>
  <enclosure url="/media/show-01.mp4" type="video/mp4" length="100"/>
  <pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate></item>
<item><title>[Grp] Show - 02v2 [1080p] VOSTFR</title><guid>show-2</guid>
  <enclosure url="/media/show-02.mp4" type="video/mp4" length="100"/></item>
<item><title>A look back</title><itunes:episode>7</itunes:episode>
  <enclosure url="/media/look-back.mp4" type="video/mp4" length="100"/></item>
<item><title>Untitled upload</title>
  <enclosure url="/media/untitled.mp4" type="video/mp4" length="100"/></item>
<item><title>[Grp] Show - OVA [1080p]</title>
  <enclosure url="/media/ova.mp4" type="video/mp4" length="100"/></item>
</channel></rss>"""


def test_a_feed_of_videos_through_the_generic_extractor(http_server):
    url = http_server.add("/channel/show", VIDEO_FEED, content_type="application/rss+xml")

    episodes = YtDlpProvider().list_episodes(_source(url))

    got = [(e.episode, e.version, e.resolution, e.language, e.url) for e in episodes]
    assert got == [
        (1, 1, 720, "", http_server.url("/media/show-01.mp4")),
        (2, 2, 1080, "vostfr", http_server.url("/media/show-02.mp4")),  # guid smuggling undone
        (7, 1, None, "", http_server.url("/media/look-back.mp4")),  # the site's episode number
        (4, 1, None, "", http_server.url("/media/untitled.mp4")),  # no number anywhere: its position
    ]  # the OVA is left out
    assert episodes[0].title == "[Grp] Show - 01 [720p]"
    assert episodes[0].published_at == datetime(2024, 1, 1, 10, 0, tzinfo=UTC)
    # Listing is flat: one request for the page, none for the videos.
    assert [r.path for r in http_server.seen] == ["/channel/show"]


VIDEO_PAGE = """<!doctype html><html><head><title>Show - all episodes</title></head><body>
<h1>Show</h1>
<video controls><source src="/v/ep1-480.mp4" type="video/mp4" res="480">
  <source src="/v/ep1-720.mp4" type="video/mp4" res="720"></video>
<video controls src="/v/ep2.webm"></video>
<video controls><source src="/v/ep3.mp4" type="video/mp4"></video>
</body></html>"""


def test_a_page_with_several_videos(http_server):
    url = http_server.add("/show/videos.html", VIDEO_PAGE)

    episodes = YtDlpProvider().list_episodes(_source(url))

    # The titles are "Show - all episodes (1)", ... : positions number them.
    assert [(e.episode, e.url) for e in episodes] == [
        (1, http_server.url("/v/ep1-720.mp4")),  # the tallest source of the first <video>
        (2, http_server.url("/v/ep2.webm")),
        (3, http_server.url("/v/ep3.mp4")),
    ]
    assert episodes[0].resolution == 720
    assert all(r.path == "/show/videos.html" for r in http_server.seen)


def test_refresh_always_lists_and_has_no_validators(http_server):
    url = http_server.add("/channel/show", VIDEO_FEED, content_type="application/rss+xml", etag='"x"')

    refresh = YtDlpProvider().refresh(_source(url))

    assert refresh.not_modified is False
    assert len(refresh.episodes) == 4
    assert (refresh.etag, refresh.last_modified) == ("", "")
    assert "if-none-match" not in http_server.requests_for("/channel/show")[0].headers


def test_a_page_without_videos_is_a_permanent_error(http_server):
    url = http_server.add("/about.html", "<html><head><title>About</title></head><body>Hello</body></html>")

    with pytest.raises(ProviderError) as excinfo:
        YtDlpProvider().list_episodes(_source(url))
    assert excinfo.value.permanent is True
    assert "Unsupported URL" in str(excinfo.value)


def test_a_missing_page_is_a_permanent_error(http_server):
    with pytest.raises(ProviderError) as excinfo:
        YtDlpProvider().list_episodes(_source(http_server.url("/gone")))
    assert excinfo.value.permanent is True


def test_a_server_error_is_worth_retrying(http_server):
    url = http_server.add("/broken", "oops", status=503)

    with pytest.raises(ProviderError) as excinfo:
        YtDlpProvider().list_episodes(_source(url))
    assert excinfo.value.permanent is False


def test_params_are_for_listing_only_and_carry_the_guard(settings):
    settings.HTTP_TIMEOUT_SECONDS = 7

    params = ytdlp_params()

    assert params["extract_flat"] == "in_playlist"
    assert params["skip_download"] is True
    assert params["cachedir"] is False
    assert params["socket_timeout"] == 7
    # The guard's options, which no listing option may override.
    assert params["proxy"] == ""
    assert params["enable_file_urls"] is False


@pytest.mark.parametrize(
    ("url", "handles"),
    [
        ("https://www.youtube.com/playlist?list=PL0123456789abcdefghijklmnopqrstuv", True),
        ("https://www.youtube.com/@SomeChannel/videos", True),
        ("https://vimeo.com/showcase/1234567", True),
        # The generic extractor would take anything; only known sites count.
        ("https://example.com/show/videos.html", False),
        ("https://example.com/feed.rss", False),
        # Extractors that exist to refuse (DRM sites) are not a match.
        ("https://www.netflix.com/title/80057281", False),
        ("ftp://www.youtube.com/playlist?list=PL0123", False),
    ],
)
def test_can_handle(url: str, handles: bool):
    assert YtDlpProvider().can_handle(url) is handles


def test_the_address_guard_refusal_is_permanent(http_server, settings):
    # Guarding is downloads.net's job (tested there); this checks that its
    # refusal, wrapped by yt-dlp, still reads as "do not retry".
    settings.ALLOW_PRIVATE_SOURCES = False
    settings.PRIVATE_SOURCE_ALLOWLIST = []
    url = http_server.add("/channel/show", VIDEO_FEED, content_type="application/rss+xml")

    with pytest.raises(ProviderError) as excinfo:
        YtDlpProvider().list_episodes(_source(url))

    assert excinfo.value.permanent is True
    assert http_server.seen == []
