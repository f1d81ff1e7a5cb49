"""The feed provider against a real HTTP server serving feeds the tests
write: a nyaa-style torrent feed, a podcast-style feed of video files, an
Atom feed; conditional refresh; errors."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

import pytest

from downloads.net import FetchError, UnsafeURL
from watchlist.models import Source
from watchlist.providers.base import ProviderError
from watchlist.providers.feed import FeedProvider

LAST_MODIFIED = 1_704_708_000.0  # 2024-01-08 10:00 UTC


@pytest.fixture(autouse=True)
def _allow_loopback(settings):
    # The address guard refuses 127.0.0.1 unless told; guard tests live elsewhere.
    settings.ALLOW_PRIVATE_SOURCES = True


def _source(url: str, *, etag: str = "", last_modified: str = "") -> Source:
    # An unsaved row: providers need its attributes, not the database.
    return Source(provider_id="feed", url=url, lang="", etag=etag, last_modified=last_modified)


def _rss(items: list[str], *, extra_ns: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<rss version="2.0" xmlns:nyaa="https://nyaa.si/xmlns/nyaa" {extra_ns}>'
        "<channel><title>Tracker - Show</title><link>http://tracker.test/</link>"
        "<description>torrents</description>" + "".join(items) + "</channel></rss>"
    )


def _nyaa_item(torrent_id: int, title: str, *, size: str = "1.4 GiB", day: int = 8) -> str:
    published = format_datetime(datetime(2024, 1, day, 10, 0, tzinfo=UTC))
    return (
        f"<item><title>{title}</title>"
        f"<link>/download/{torrent_id}.torrent</link>"
        f'<guid isPermaLink="true">http://tracker.test/view/{torrent_id}</guid>'
        f"<pubDate>{published}</pubDate>"
        f"<nyaa:seeders>10</nyaa:seeders><nyaa:size>{size}</nyaa:size>"
        f"<nyaa:infoHash>{torrent_id:040x}</nyaa:infoHash></item>"
    )


NYAA_ITEMS = [
    _nyaa_item(101, "[SubsPlease] Show - 01 (1080p) [AAAA1111].mkv", day=1),
    _nyaa_item(102, "[SubsPlease] Show - 01 (720p) [BBBB2222].mkv", size="700.5 MiB", day=1),
    _nyaa_item(103, "[SubsPlease] Show - 02 (1080p) [CCCC3333].mkv", day=8),
    _nyaa_item(104, "[SubsPlease] Show - 02v2 (1080p) [DDDD4444].mkv", day=9),
    _nyaa_item(105, "[Team] Show - 03 VOSTFR [1080p].mkv", day=15),
    _nyaa_item(106, "[SubsPlease] Show (01-12) (1080p) [Batch]", size="16 GiB", day=20),
    _nyaa_item(107, "[SubsPlease] Show - OVA (1080p) [EEEE5555].mkv", day=21),
    _nyaa_item(108, "Show - Official Art Book scans", day=22),
]


def test_nyaa_style_torrent_feed(http_server):
    url = http_server.add("/?page=rss&q=show", _rss(NYAA_ITEMS), content_type="application/rss+xml")

    episodes = FeedProvider().list_episodes(_source(url))

    got = [(e.episode, e.resolution, e.version, e.language, e.url) for e in episodes]
    base = http_server.url("/download/")
    assert got == [
        (1, 1080, 1, "", f"{base}101.torrent"),
        (1, 720, 1, "", f"{base}102.torrent"),
        (2, 1080, 1, "", f"{base}103.torrent"),
        (2, 1080, 2, "", f"{base}104.torrent"),
        (3, 1080, 1, "vostfr", f"{base}105.torrent"),
    ]  # the batch, the OVA and the entry with no episode number are left out
    first = episodes[0]
    assert first.release_name == "[SubsPlease] Show - 01 (1080p) [AAAA1111].mkv"
    assert first.title == first.release_name
    assert first.group == "SubsPlease"
    assert first.size == int(1.4 * 1024**3)
    assert episodes[1].size == int(700.5 * 1024**2)
    assert first.published_at == datetime(2024, 1, 1, 10, 0, tzinfo=UTC)
    # The server saw one plain GET that asked for a feed.
    (seen,) = http_server.requests_for("/?page=rss&q=show")
    assert "rss" in seen.headers["accept"]
    assert "if-none-match" not in seen.headers


def test_batches_and_specials_come_flagged_when_asked_for(http_server):
    url = http_server.add("/feed.rss", _rss(NYAA_ITEMS), content_type="application/rss+xml")

    episodes = FeedProvider(include_extras=True).list_episodes(_source(url))

    batch = next(e for e in episodes if e.is_batch)
    assert (batch.episode, batch.episode_end, batch.size) == (1, 12, 16 * 1024**3)
    special = next(e for e in episodes if e.is_special)
    assert "OVA" in special.release_name
    assert len(episodes) == 7  # still nothing for the unnumbered entry


PODCAST = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel><title>Show (video podcast)</title><link>http://videos.test/show/</link>
<item><title>Show Episode 1 - The Start</title>
  <enclosure url="media/show-01-720p.mp4" length="52428800" type="video/mp4"/>
  <link>http://videos.test/show/1</link>
  <pubDate>Mon, 08 Jan 2024 10:00:00 +0100</pubDate></item>
<item><title>The Middle</title><itunes:episode>2</itunes:episode><itunes:season>1</itunes:season>
  <enclosure url="media/show-ep-b.mp4" length="0" type="video/mp4"/>
  <enclosure url="media/cover.jpg" length="1000" type="image/jpeg"/></item>
<item><title>Behind the scenes</title>
  <enclosure url="media/bts.mp4" length="1000" type="video/mp4"/></item>
<item><title>Show Episode 4</title><link>magnet:?xt=urn:btih:abc</link></item>
</channel></rss>"""


def test_podcast_style_feed_of_video_files(http_server):
    url = http_server.add("/podcasts/show.xml", PODCAST, content_type="application/xml")

    episodes = FeedProvider().list_episodes(_source(url))

    assert [e.episode for e in episodes] == [1, 2]
    one, two = episodes
    # Enclosure URLs resolve against the feed URL; length is the size.
    assert one.url == http_server.url("/podcasts/media/show-01-720p.mp4")
    assert one.size == 52428800
    # The title says nothing of resolution; the file name does.
    assert one.resolution == 720
    assert one.published_at == datetime(2024, 1, 8, 9, 0, tzinfo=UTC)
    # No number in the title: itunes:episode numbers it; length 0 is no size.
    assert (two.title, two.url, two.size) == ("The Middle", http_server.url("/podcasts/media/show-ep-b.mp4"), None)
    # "Behind the scenes" has no number; episode 4 has only a magnet link
    # whose infohash ("abc") names no torrent.


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Show releases</title><id>urn:uuid:feed</id><updated>2024-02-01T00:00:00Z</updated>
  <entry><title>[Grp] Show - 11 [1080p][Multi-Subs]</title><id>urn:uuid:11</id>
    <updated>2024-02-01T12:30:00Z</updated>
    <link rel="alternate" href="/releases/11"/>
    <link rel="enclosure" type="application/x-bittorrent" href="/releases/11.torrent" length="20480"/>
  </entry>
  <entry><title>[Grp] Show - 12 [720p]</title><id>urn:uuid:12</id>
    <published>2024-02-08T12:30:00+09:00</published><updated>2024-02-09T00:00:00Z</updated>
    <link rel="alternate" href="/releases/12"/>
  </entry>
</feed>"""


def test_atom_feed(http_server):
    url = http_server.add("/show.atom", ATOM, content_type="application/atom+xml")

    episodes = FeedProvider().list_episodes(_source(url))

    # 20480 is the .torrent file's own length (what an enclosure's length
    # is), not the episode's size
    assert [(e.episode, e.resolution, e.language, e.size) for e in episodes] == [
        (11, 1080, "multi", None),
        (12, 720, "", None),
    ]
    assert episodes[0].url == http_server.url("/releases/11.torrent")  # the enclosure beats the page
    assert episodes[1].url == http_server.url("/releases/12")
    assert episodes[0].published_at == datetime(2024, 2, 1, 12, 30, tzinfo=UTC)
    assert episodes[1].published_at == datetime(2024, 2, 8, 3, 30, tzinfo=UTC)  # published, not updated


def test_latin1_feed_titles_are_decoded(http_server):
    body = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>'
        '<rss version="2.0"><channel><title>t</title>'
        "<item><title>[Équipe] Série - 07 VOSTFR [720p]</title><link>http://files.test/7.mkv</link></item>"
        "</channel></rss>"
    ).encode("latin-1")
    url = http_server.add("/latin.rss", body, content_type="application/rss+xml")

    (episode,) = FeedProvider().list_episodes(_source(url))

    assert episode.title == "[Équipe] Série - 07 VOSTFR [720p]"
    assert (episode.episode, episode.language) == (7, "vostfr")


# --- conditional refresh ---------------------------------------------------


class CountingFeedProvider(FeedProvider):
    def __init__(self) -> None:
        super().__init__()
        self.parsed = 0

    def parse(self, body: bytes, url: str, content_type: str):
        self.parsed += 1
        return super().parse(body, url, content_type)


def test_refresh_is_conditional_on_etag(http_server):
    url = http_server.add("/etag.rss", _rss(NYAA_ITEMS[:2]), content_type="application/rss+xml", etag='"v1"')
    provider = CountingFeedProvider()

    first = provider.refresh(_source(url))
    assert (first.not_modified, len(first.episodes), first.etag) == (False, 2, '"v1"')

    second = provider.refresh(_source(url, etag=first.etag, last_modified=first.last_modified))
    assert second.not_modified is True
    assert second.episodes == []
    assert second.etag == '"v1"'
    assert provider.parsed == 1  # the 304 was not parsed

    requests = http_server.requests_for("/etag.rss")
    assert [r.status for r in requests] == [200, 304]
    assert requests[1].headers["if-none-match"] == '"v1"'
    assert "if-modified-since" not in requests[1].headers


def test_refresh_is_conditional_on_last_modified(http_server):
    url = http_server.add(
        "/lm.rss", _rss(NYAA_ITEMS[:1]), content_type="application/rss+xml", last_modified=LAST_MODIFIED
    )
    provider = FeedProvider()

    first = provider.refresh(_source(url))
    assert (first.etag, first.last_modified) == ("", "Mon, 08 Jan 2024 10:00:00 GMT")

    second = provider.refresh(_source(url, last_modified=first.last_modified))
    assert second.not_modified is True
    assert second.last_modified == first.last_modified  # kept for next time
    assert http_server.requests_for("/lm.rss")[1].headers["if-modified-since"] == first.last_modified


def test_a_changed_feed_is_parsed_again_with_new_validators(http_server):
    url = http_server.add("/changing.rss", _rss(NYAA_ITEMS[:1]), content_type="application/rss+xml", etag='"v1"')
    provider = FeedProvider()
    first = provider.refresh(_source(url))

    http_server.add("/changing.rss", _rss(NYAA_ITEMS[:3]), content_type="application/rss+xml", etag='"v2"')
    second = provider.refresh(_source(url, etag=first.etag))

    assert (second.not_modified, len(second.episodes), second.etag) == (False, 3, '"v2"')


def test_list_episodes_never_sends_validators(http_server):
    url = http_server.add("/plain.rss", _rss(NYAA_ITEMS[:1]), content_type="application/rss+xml", etag='"v1"')

    episodes = FeedProvider().list_episodes(_source(url, etag='"v1"', last_modified="Mon, 08 Jan 2024 10:00:00 GMT"))

    assert len(episodes) == 1
    (seen,) = http_server.requests_for("/plain.rss")
    assert "if-none-match" not in seen.headers and "if-modified-since" not in seen.headers


def test_relative_links_resolve_against_the_final_url_after_a_redirect(http_server):
    http_server.add("/moved.rss", status=301, headers={"Location": "/new/home/feed.rss"})
    body = _rss(["<item><title>[G] Show - 06 [1080p]</title><link>files/06.torrent</link></item>"])
    http_server.add("/new/home/feed.rss", body, content_type="text/xml")

    (episode,) = FeedProvider().list_episodes(_source(http_server.url("/moved.rss")))

    assert episode.url == http_server.url("/new/home/files/06.torrent")


# --- errors ------------------------------------------------------------------


def test_an_html_page_is_not_a_feed(http_server):
    url = http_server.add("/feed", "<html><body><p>Nothing here</p></body></html>")

    with pytest.raises(ProviderError) as excinfo:
        FeedProvider().list_episodes(_source(url))
    assert excinfo.value.permanent is True


def test_a_missing_feed_is_a_permanent_fetch_error(http_server):
    with pytest.raises(FetchError) as excinfo:
        FeedProvider().list_episodes(_source(http_server.url("/gone.rss")))
    assert excinfo.value.permanent is True


def test_an_oversized_document_is_refused(http_server):
    class SmallFeedProvider(FeedProvider):
        max_document_bytes = 1024

    url = http_server.add("/huge.rss", _rss(NYAA_ITEMS * 10), content_type="application/rss+xml")

    with pytest.raises(ProviderError, match="larger than 1024 bytes"):
        SmallFeedProvider().list_episodes(_source(url))


@pytest.mark.parametrize(
    ("url", "handles"),
    [
        ("https://nyaa.si/?page=rss&q=frieren+1080p", True),
        ("https://example.com/shows/frieren.rss", True),
        ("https://example.com/shows/frieren.xml", True),
        ("https://example.com/shows/frieren.atom", True),
        ("https://example.com/feed/", True),
        ("https://example.com/rss/show/12", True),
        ("https://example.com/index.php?format=atom", True),
        ("https://example.com/shows/frieren/", False),
        ("https://example.com/watch?v=abc", False),
        ("ftp://example.com/feed.rss", False),
    ],
)
def test_can_handle(url: str, handles: bool):
    assert FeedProvider().can_handle(url) is handles


def test_the_address_guard_applies(http_server, settings):
    settings.ALLOW_PRIVATE_SOURCES = False
    settings.PRIVATE_SOURCE_ALLOWLIST = []
    url = http_server.add("/feed.rss", _rss(NYAA_ITEMS), content_type="application/rss+xml")

    with pytest.raises(UnsafeURL):
        FeedProvider().refresh(_source(url))
    assert http_server.seen == []


def test_a_video_named_without_a_number_comes_as_a_special_when_asked_for(http_server):
    """A film's release carries no episode number; matching needs to see it
    (a film's item takes it), so it comes flagged, numbered 0."""
    items = [_nyaa_item(201, "[Grp] Show - Lantern Road (2024) [1080p WEB]"), _nyaa_item(202, "Show - Art Book scans")]
    url = http_server.add("/films.rss", _rss(items), content_type="application/rss+xml")

    with_extras = FeedProvider(include_extras=True).list_episodes(_source(url))
    plain = FeedProvider().list_episodes(_source(url))

    assert [(e.release_name, e.episode, e.is_special) for e in with_extras] == [
        ("[Grp] Show - Lantern Road (2024) [1080p WEB]", 0, True)
    ]
    assert plain == []
