"""The directory provider against a real HTTP server serving index pages
the tests generate in the shapes nginx, Apache and hand-written pages have."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from urllib.parse import quote

import pytest

from watchlist.models import Source
from watchlist.providers.directory import DirectoryProvider

LAST_MODIFIED = 1_704_708_000.0  # 2024-01-08 10:00 UTC


@pytest.fixture(autouse=True)
def _allow_loopback(settings):
    settings.ALLOW_PRIVATE_SOURCES = True


def _source(url: str, *, etag: str = "", last_modified: str = "") -> Source:
    return Source(provider_id="directory", url=url, lang="", etag=etag, last_modified=last_modified)


# (name, date as nginx shows it, size in bytes; None for a directory)
FILES = [
    ("Extras/", "07-Jan-2024 09:00", None),
    ("[Grp] Show - 01 [1080p][AAAA1111].mkv", "01-Jan-2024 10:00", 1468006400),
    ("[Grp] Show - 02 [1080p][BBBB2222].mkv", "08-Jan-2024 10:00", 1468006401),
    ("[Grp] Show - 02v2 [1080p][CCCC3333].mkv", "09-Jan-2024 11:30", 1468006402),
    ("[Grp] Show - 03 [720p] VOSTFR.mp4", "15-Jan-2024 10:00", 734003200),
    ("[Grp] Show - 03 [1080p][DDDD4444].ass", "15-Jan-2024 10:00", 51200),  # subtitles: not media
    ("[Grp] Show - NCOP [1080p].mkv", "15-Jan-2024 10:00", 104857600),
    ("Show - 04 (1080p) with a name long enough to be truncated by nginx.mkv", "22-Jan-2024 10:00", 1468006404),
    ("cover.jpg", "01-Jan-2024 10:00", 20480),
]


def nginx_autoindex(path: str, files: list[tuple[str, str, int | None]]) -> str:
    """An index page the way nginx's autoindex writes it: a <pre> of links,
    names cut at 50 characters with "..>", date and size after each link."""
    rows = ['<a href="../">../</a>']
    for name, date, size in files:
        shown = escape(name) if len(name) <= 50 else escape(name[:47]) + "..&gt;"
        padding = " " * max(1, 51 - min(len(name), 50))
        rows.append(f'<a href="{quote(name)}">{shown}</a>{padding}{date}{size if size is not None else "-":>20}')
    return (
        f"<html>\r\n<head><title>Index of {path}</title></head>\r\n<body>\r\n"
        f"<h1>Index of {path}</h1><hr><pre>" + "\r\n".join(rows) + "\r\n</pre><hr></body>\r\n</html>\r\n"
    )


def apache_autoindex(path: str, files: list[tuple[str, str, str]]) -> str:
    """An index page the way Apache's mod_autoindex writes it with
    FancyIndexing and HTMLTable: sort links, icons, human sizes."""
    head = (
        '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<html>\n <head>\n'
        f"  <title>Index of {path}</title>\n </head>\n <body>\n<h1>Index of {path}</h1>\n  <table>\n"
        '   <tr><th valign="top"><img src="/icons/blank.gif" alt="[ICO]"></th>'
        '<th><a href="?C=N;O=D">Name</a></th><th><a href="?C=M;O=A">Last modified</a></th>'
        '<th><a href="?C=S;O=A">Size</a></th><th><a href="?C=D;O=A">Description</a></th></tr>\n'
        '   <tr><th colspan="5"><hr></th></tr>\n'
        '<tr><td valign="top"><img src="/icons/back.gif" alt="[PARENTDIR]"></td>'
        '<td><a href="/anime/">Parent Directory</a></td><td>&nbsp;</td><td align="right">  - </td>'
        "<td>&nbsp;</td></tr>\n"
    )
    rows = "".join(
        f'<tr><td valign="top"><img src="/icons/movie.gif" alt="[VID]"></td>'
        f'<td><a href="{quote(name)}">{name}</a></td>'
        f'<td align="right">{date}  </td><td align="right">{size}</td><td>&nbsp;</td></tr>\n'
        for name, date, size in files
    )
    return head + rows + '   <tr><th colspan="5"><hr></th></tr>\n</table>\n</body></html>\n'


def test_nginx_autoindex(http_server):
    url = http_server.add("/anime/Show/", nginx_autoindex("/anime/Show/", FILES))

    episodes = DirectoryProvider().list_episodes(_source(url))

    got = [(e.episode, e.version, e.resolution, e.language, e.size) for e in episodes]
    assert got == [
        (1, 1, 1080, "", 1468006400),
        (2, 1, 1080, "", 1468006401),
        (2, 2, 1080, "", 1468006402),
        (3, 1, 720, "vostfr", 734003200),
        (4, 1, 1080, "", 1468006404),
    ]  # no directory, subtitles, cover or NCOP
    first = episodes[0]
    # hrefs are percent-encoded and relative: resolved against the page,
    # names decoded for parsing and display.
    assert first.url == http_server.url("/anime/Show/%5BGrp%5D%20Show%20-%2001%20%5B1080p%5D%5BAAAA1111%5D.mkv")
    assert first.release_name == "[Grp] Show - 01 [1080p][AAAA1111].mkv"
    assert first.published_at == datetime(2024, 1, 1, 10, 0, tzinfo=UTC)
    assert episodes[2].published_at == datetime(2024, 1, 9, 11, 30, tzinfo=UTC)
    # nginx truncates the link text; the name and the title come from the href instead.
    assert episodes[4].release_name == FILES[7][0]
    assert episodes[4].title == FILES[7][0]


def test_apache_autoindex(http_server):
    files = [
        ("Show.S01E01.1080p.WEB.x264-GRP.mkv", "2024-01-01 10:00", "1.4G"),
        ("Show.S01E02.1080p.WEB.x264-GRP.mkv", "2024-01-08 10:00", "1.2G"),
        ("Show.S01E03.720p.WEB.x264-GRP.avi", "2024-01-15 10:00", "700M"),
        ("Show.S01E04.1080p.MULTi.WEB.x264-GRP.webm", "2024-01-22 10:00", "12K"),
        ("notes.txt", "2024-01-22 10:00", "1.0K"),
    ]
    url = http_server.add("/pub/Show/", apache_autoindex("/pub/Show/", files))

    episodes = DirectoryProvider().list_episodes(_source(url))

    assert [(e.season, e.episode, e.resolution, e.language, e.size) for e in episodes] == [
        (1, 1, 1080, "", int(1.4 * 1024**3)),
        (1, 2, 1080, "", int(1.2 * 1024**3)),
        (1, 3, 720, "", 700 * 1024**2),
        (1, 4, 1080, "multi", 12 * 1024),
    ]
    assert episodes[0].published_at == datetime(2024, 1, 1, 10, 0, tzinfo=UTC)
    assert episodes[0].group == "GRP"
    assert all(e.url.startswith(http_server.url("/pub/Show/Show.S01E0")) for e in episodes)


def test_any_html_page_of_links(http_server):
    page = """<!doctype html><html><head><title>Downloads</title>
    <base href="/mirror/show/"></head><body>
    <h1>Show downloads</h1>
    <ul>
      <li><a href="episode-01.mp4">Episode 1</a> (350 MB)</li>
      <li><a href="./episode-02.mp4#t=10">Episode 2</a></li>
      <li><a href="episode-02.mp4">Episode 2 again</a></li>
      <li><a href="../other-show/other-05.mkv">Other show, episode 5</a></li>
      <li><a href="http://127.0.0.1:1/elsewhere/Show%20-%2006%20%5B480p%5D.m4v?token=abc">Mirror</a></li>
      <li><a href="https://example.com/about.html">About</a></li>
      <li><a href="mailto:owner@example.com">Mail</a></li>
      <li><a>no href</a> <a href="">empty</a> <a href="javascript:void(0)">js</a></li>
    </ul></body></html>"""
    url = http_server.add("/pages/show.html", page)

    episodes = DirectoryProvider().list_episodes(_source(url))

    assert [(e.episode, e.url) for e in episodes] == [
        (1, http_server.url("/mirror/show/episode-01.mp4")),  # <base href> wins over the page URL
        (2, http_server.url("/mirror/show/episode-02.mp4")),  # fragment dropped, duplicate skipped
        (5, http_server.url("/mirror/other-show/other-05.mkv")),
        (6, "http://127.0.0.1:1/elsewhere/Show%20-%2006%20%5B480p%5D.m4v?token=abc"),
    ]
    assert episodes[0].title == "Episode 1"
    assert episodes[0].size == 350 * 1000**2  # "(350 MB)" after the link
    assert episodes[3].resolution == 480


def test_charset_from_the_content_type(http_server):
    page = '<html><body><a href="S%C3%A9rie%20-%2009.mkv">Série - 09.mkv</a></body></html>'.encode("latin-1")
    url = http_server.add("/fr/", page, content_type="text/html; charset=ISO-8859-1")

    (episode,) = DirectoryProvider().list_episodes(_source(url))

    assert (episode.episode, episode.title, episode.release_name) == (9, "Série - 09.mkv", "Série - 09.mkv")


def test_refresh_skips_an_unchanged_listing(http_server):
    url = http_server.add("/cond/", nginx_autoindex("/cond/", FILES[:3]), etag='W/"abc"', last_modified=LAST_MODIFIED)
    provider = DirectoryProvider()

    first = provider.refresh(_source(url))
    second = provider.refresh(_source(url, etag=first.etag, last_modified=first.last_modified))

    assert (first.not_modified, len(first.episodes)) == (False, 2)
    assert (second.not_modified, second.episodes) == (True, [])
    assert (second.etag, second.last_modified) == ('W/"abc"', "Mon, 08 Jan 2024 10:00:00 GMT")
    seen = http_server.requests_for("/cond/")[1]
    assert seen.headers["if-none-match"] == 'W/"abc"'
    assert seen.headers["if-modified-since"] == "Mon, 08 Jan 2024 10:00:00 GMT"


def test_an_empty_listing_has_no_episodes(http_server):
    url = http_server.add("/empty/", nginx_autoindex("/empty/", []))

    assert DirectoryProvider().list_episodes(_source(url)) == []


@pytest.mark.parametrize(
    ("url", "handles"),
    [
        ("https://files.example.com/anime/Show/", True),
        ("http://192.0.2.1/pub/", True),
        ("https://files.example.com/anime/Show", False),
        ("https://files.example.com/feed.rss", False),
        ("https://files.example.com/anime/?C=N;O=D", False),
        ("ftp://files.example.com/anime/", False),
    ],
)
def test_can_handle(url: str, handles: bool):
    assert DirectoryProvider().can_handle(url) is handles


def test_cells_that_repeat_the_link_give_the_row_its_size_and_date(http_server):
    # Sortable-table listings link every cell of a row to the file: the
    # size and the date are the texts of the later links, not text after
    # the first one. The year in the date must not be taken for a size.
    rows = "".join(
        f"<tr class='file'><td><a href='./{quote(name)}'>{name}</a></td>"
        f"<td><a href='./{quote(name)}'>MKV File</a></td>"
        f"<td><a href='./{quote(name)}'>{size}</a></td>"
        f"<td><a href='./{quote(name)}'>{date}</a></td></tr>"
        for name, size, date in [
            ("Show - 07 [720p].mkv", "734003.2 KB", "2024-01-08 10:00"),
            ("Show - 08 [720p].mkv", "1.4 GB", "2024-01-15 10:00"),
        ]
    )
    page = f"<html><body><table class='sortable'><tbody>{rows}</tbody></table></body></html>"
    url = http_server.add("/sortable/", page)

    episodes = DirectoryProvider().list_episodes(_source(url))

    assert [(e.episode, e.size, e.published_at, e.title) for e in episodes] == [
        (7, 734003200, datetime(2024, 1, 8, 10, 0, tzinfo=UTC), "Show - 07 [720p].mkv"),
        (8, 1400000000, datetime(2024, 1, 15, 10, 0, tzinfo=UTC), "Show - 08 [720p].mkv"),
    ]


def test_an_icon_linked_to_the_file_does_not_hide_its_row(http_server):
    # Apache's IconsAreLinks: the icon, then the name, link to the same file.
    page = (
        "<table><tr><th><a href='?C=N;O=D'>Name</a></th></tr>\n"
        "<tr><td valign='top'><a href='Show%20-%2009.mkv'><img src='/icons/movie.gif' alt='[VID]'></a></td>"
        "<td><a href='Show%20-%2009.mkv'>Show - 09.mkv</a></td>"
        "<td align='right'>2024-01-22 10:00  </td><td align='right'>1.2G</td></tr>\n"
        "<tr><td><a href='Show%20-%2010.mkv'>Show - 10.mkv</a> (350 MB)</td></tr>\n"
        "<tr><td><a href='Show%20-%2010.mkv'>mirror</a> (999 MB)</td></tr>\n"
        "</table>"
    )
    url = http_server.add("/icons/", page)

    episodes = DirectoryProvider().list_episodes(_source(url))

    assert [(e.episode, e.size, e.published_at, e.title) for e in episodes] == [
        (9, int(1.2 * 1024**3), datetime(2024, 1, 22, 10, 0, tzinfo=UTC), "Show - 09.mkv"),
        # the same file linked again on another row: that row is not its own
        (10, 350 * 1000**2, None, "Show - 10.mkv"),
    ]


def test_size_written_before_the_link(http_server):
    # IIS directory browsing and Node's http-server put the date and the
    # size before the name on each row.
    iis = (
        "<html><body><H1>host - /anime/Show/</H1><hr><pre>"
        '<A HREF="/anime/">[To Parent Directory]</A><br><br>'
        '  1/8/2024 10:00 AM        &lt;dir&gt; <A HREF="/anime/Show/Extras/">Extras</A><br>'
        '  1/8/2024 10:00 AM    734003200 <A HREF="/anime/Show/Show%20-%2001.mkv">Show - 01.mkv</A><br>'
        '  1/15/2024 10:00 AM   734003201 <A HREF="/anime/Show/Show%20-%2002.mkv">Show - 02.mkv</A><br>'
        "</pre><hr></body></html>"
    )
    node = (
        "<table>"
        '<tr><td><i class="icon"></i></td><td class="perms"><code>(-rw-r--r--)</code></td>'
        '<td class="file-size"><code>1.4G</code></td>'
        '<td class="display-name"><a href="/node/Show%20-%2003.mkv">Show - 03.mkv</a></td></tr>'
        "</table>"
        # a link's trailing text is its own, not the next link's
        '<p><a href="Show%20-%2004.mkv">Show - 04.mkv</a> 700M <a href="Show%20-%2005.mkv">Show - 05.mkv</a></p>'
    )
    iis_url = http_server.add("/anime/Show/", iis)
    node_url = http_server.add("/node/", node)

    provider = DirectoryProvider()
    episodes = provider.list_episodes(_source(iis_url)) + provider.list_episodes(_source(node_url))

    assert [(e.episode, e.size) for e in episodes] == [
        (1, 734003200),
        (2, 734003201),
        (3, int(1.4 * 1024**3)),
        (4, 700 * 1024**2),
        (5, None),
    ]


@pytest.mark.parametrize(
    ("shown", "published"),
    [
        # Node listings print JavaScript's Date, with the server's offset
        (
            "Mon Jan 08 2024 19:00:00 GMT+0900 (Japan Standard Time)",
            datetime(2024, 1, 8, 10, 0, tzinfo=UTC),
        ),
        ("Mon Jan 08 2024 10:00:00 GMT+0000 (Coordinated Universal Time)", datetime(2024, 1, 8, 10, 0, tzinfo=UTC)),
        # IIS directory browsing, short and long forms
        ("1/8/2024 10:00 AM", datetime(2024, 1, 8, 10, 0, tzinfo=UTC)),
        ("12/28/2023  9:05 PM", datetime(2023, 12, 28, 21, 5, tzinfo=UTC)),
        ("Monday, January 8, 2024  2:57 PM", datetime(2024, 1, 8, 14, 57, tzinfo=UTC)),
        # the same with seconds (Caddy's text, other US-style listings)
        ("01/08/2024 10:00:05 PM", datetime(2024, 1, 8, 22, 0, 5, tzinfo=UTC)),
        # HTTP's date (Tomcat and Jetty listings)
        ("Mon, 08 Jan 2024 10:00:00 GMT", datetime(2024, 1, 8, 10, 0, tzinfo=UTC)),
    ],
)
def test_dates_of_windows_and_node_listings(http_server, shown: str, published: datetime):
    page = f'<table><tr><td><a href="Show%20-%2001.mkv">Show - 01.mkv</a></td><td>{shown}</td></tr></table>'
    url = http_server.add("/dates/", page)

    (episode,) = DirectoryProvider().list_episodes(_source(url))

    assert episode.published_at == published


def test_a_link_that_holds_the_whole_row(http_server):
    # PHP directory listers put the name, the size and the date inside the
    # link: the title is the name, the rest is the row.
    rows = "".join(
        f'<li data-name="{name}"><a href="{quote(name)}" class="clearfix">'
        f'<div class="row"><span class="file-name"><i class="fa fa-file-video-o"></i>\n    {name}    </span>'
        f'<span class="file-size">\n    {size}    </span>'
        f'<span class="file-modified">\n    {date}    </span></div></a></li>'
        for name, size, date in [
            ("Show - 01 [1080p].mkv", "1.37GB", "2024-01-08 10:00:00"),
            ("Show - 02 [1080p].mkv", "700MB", "2024-01-15 10:00:00"),
        ]
    )
    url = http_server.add("/lister/", f'<ul id="directory-listing">{rows}</ul>')

    episodes = DirectoryProvider().list_episodes(_source(url))

    assert [(e.episode, e.title, e.size, e.published_at) for e in episodes] == [
        (1, "Show - 01 [1080p].mkv", int(1.37 * 1000**3), datetime(2024, 1, 8, 10, 0, tzinfo=UTC)),
        (2, "Show - 02 [1080p].mkv", 700 * 1000**2, datetime(2024, 1, 15, 10, 0, tzinfo=UTC)),
    ]


def test_caddy_browse_and_a_machine_readable_time(http_server):
    # Caddy's file_server browse: the name in a span inside the link, a
    # human size, and the date as <time datetime="..."> beside a US-style
    # text with seconds and an offset.
    rows = "".join(
        f'<tr class="file"><td></td><td>\n<a href="./{quote(name)}">\n'
        f'<svg width="1.5em" height="1em" viewBox="0 0 265 323"><use xlink:href="#file"></use></svg>\n'
        f'<span class="name">{escape(name)}</span>\n</a>\n</td>\n'
        f'<td data-order="{size}">{human}</td>\n'
        f'<td class="hideable"><time datetime="{iso}">{shown}</time></td>\n<td class="hideable"></td>\n</tr>\n'
        for name, size, human, iso, shown in [
            (
                "Show - 11 [1080p].mkv",
                1503238553,
                "1.4 GiB",
                "2024-01-08T10:00:00Z",
                "01/08/2024 07:00:00 PM +09:00",
            ),
        ]
    )
    page = f"<table><thead><tr><th></th><th>Name</th></tr></thead><tbody>{rows}</tbody></table>"
    url = http_server.add("/caddy/", page)

    (episode,) = DirectoryProvider().list_episodes(_source(url))

    assert (episode.episode, episode.title) == (11, "Show - 11 [1080p].mkv")
    assert episode.size == int(1.4 * 1024**3)
    assert episode.published_at == datetime(2024, 1, 8, 10, 0, tzinfo=UTC)


def test_utf8_names_on_a_page_declared_latin1(http_server):
    # Apache's autoindex declares ISO-8859-1 unless told otherwise, while
    # the names on disk are UTF-8: the link text reads "SÃ©rie"; the title
    # must not.
    name = "Série - 10 [1080p].mkv"
    page = f'<html><body><pre><a href="{quote(name)}">{name}</a> 2024-01-08 10:00  1.2G\n</pre></body></html>'
    url = http_server.add("/apache/", page.encode("utf-8"), content_type="text/html;charset=ISO-8859-1")

    (episode,) = DirectoryProvider().list_episodes(_source(url))

    assert (episode.episode, episode.release_name, episode.title) == (10, name, name)


def test_a_row_number_before_the_link_is_no_size(http_server):
    page = (
        "<table><tr><th>#</th><th>File</th><th>Size</th></tr>"
        '<tr><td>3</td><td><a href="Show%20-%2003.mkv">Show - 03.mkv</a></td><td>-</td></tr>'
        '<tr><td>4</td><td><a href="Show%20-%2004.mkv">Show - 04.mkv</a></td><td>700M</td></tr>'
        "</table>"
    )
    url = http_server.add("/numbered/", page)

    episodes = DirectoryProvider().list_episodes(_source(url))

    assert [(e.episode, e.size) for e in episodes] == [(3, None), (4, 700 * 1024**2)]


@pytest.mark.parametrize(
    "shown", ["Fri Feb 30 2024 10:00:00 GMT+0000 (UTC)", "Fri, 30 Feb 2024 10:00:00 GMT", "2/30/2024 10:00 AM"]
)
def test_an_impossible_date_is_no_date(http_server, shown: str):
    page = f'<table><tr><td><a href="Show%20-%2001.mkv">Show - 01.mkv</a></td><td>{shown}</td></tr></table>'
    url = http_server.add("/baddate/", page)

    (episode,) = DirectoryProvider().list_episodes(_source(url))

    assert (episode.episode, episode.published_at) == (1, None)


@pytest.mark.parametrize(
    "junk",
    [
        '<a href="http://[broken/">a link that is no URL</a>',  # urlsplit refuses it
        "<![ if IE ]><p>old browsers</p><![endif]>",  # a marked section Python's parser refuses
    ],
)
def test_one_broken_thing_does_not_lose_the_page(http_server, junk: str):
    row = '<a href="Show%20-%2001.mkv">Show - 01.mkv</a> 2024-01-08 10:00  1.2G'
    page = f"<html><body>{junk}<pre>{row}\n</pre></body></html>"
    url = http_server.add("/broken/", page)

    episodes = DirectoryProvider().list_episodes(_source(url))

    assert [(e.episode, e.size) for e in episodes] == [(1, int(1.2 * 1024**3))]


def test_a_name_alone_on_its_line_in_a_pre_listing(http_server):
    # The rest of the row on the next line; the line after that is another row.
    page = (
        '<html><body><pre><a href="Show%20-%2012%20%5B1080p%5D.mkv">Show - 12 [1080p].mkv</a>\n'
        "        2024-01-08 10:00  1.2G\n"
        '<a href="Show%20-%2013.mkv">Show - 13.mkv</a>   2024-01-15 10:00  700M\n'
        "</pre></body></html>"
    )
    url = http_server.add("/wrapped/", page)

    episodes = DirectoryProvider().list_episodes(_source(url))

    assert [(e.episode, e.size, e.published_at) for e in episodes] == [
        (12, int(1.2 * 1024**3), datetime(2024, 1, 8, 10, 0, tzinfo=UTC)),
        (13, 700 * 1024**2, datetime(2024, 1, 15, 10, 0, tzinfo=UTC)),
    ]
