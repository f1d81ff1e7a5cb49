"""HTTP index pages of media files: nginx and Apache autoindex, lighttpd,
IIS, Caddy, Tomcat, Node's http-server, h5ai, PHP directory listers,
``python -m http.server``, or any HTML page that links to video files."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from .base import EpisodeInfo
from .document import DocumentProvider
from .episodes import episode_info, file_name, is_http_url, is_media_url, parse_size

# Tags after which the text next to a link belongs to another row.
_ROW_TAGS = frozenset({"tr", "li", "br", "p", "div", "table", "ul", "ol", "dt", "dd"})
# Listing dates: nginx "08-Jan-2024 10:00", Apache "2024-01-08 10:00",
# lighttpd "2024-Jan-08 10:00:00".
_DATE_FORMATS = ("%d-%b-%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%b-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%d-%b-%Y %H:%M:%S")
# Smaller than any video: a number this small near a name is no size.
_MIN_VIDEO_BYTES = 1024
# Node listings print JavaScript's Date: "Mon Jan 08 2024 19:00:00 GMT+0900 (...)".
_JS_DATE = re.compile(r"\b[A-Z][a-z]{2} ([A-Z][a-z]{2} \d{2} \d{4} \d{2}:\d{2}:\d{2}) GMT([+-]\d{4})")
# HTTP's date (Tomcat, Jetty): "Mon, 08 Jan 2024 10:00:00 GMT".
_HTTP_DATE = re.compile(r"\b[A-Z][a-z]{2},? (\d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2}) GMT\b")
# US style (IIS, Caddy's text): "1/8/2024 10:00 AM", "01/08/2024 10:00:05 PM"
# or "Monday, January 8, 2024  2:57 PM".
_US_DATE = re.compile(
    r"\b(?:(\d{1,2}/\d{1,2}/\d{4})|([A-Z][a-z]+ \d{1,2},? \d{4}))\s+(\d{1,2}:\d{2})(:\d{2})?\s*([AP]M)\b"
)


@dataclass
class _Link:
    href: str
    row: int  # links on one row of the listing share it
    text: str = ""
    after: list[str] = field(default_factory=list)  # the row's text after the link: date, size
    before: list[str] = field(default_factory=list)  # the row's text before it (IIS, Node listings)

    def absorb(self, other: _Link) -> None:
        """Another link to the same file on this row: an icon before the
        name, or a table whose every cell links to the file. Its text is a
        cell of the row (the size, the date), unless the first link had no
        text of its own (an icon), then it is the name."""
        if not self.text.strip():
            self.text = other.text
        else:
            self.after.append(other.text)
        self.after.extend(other.after)


class _LinkCollector(HTMLParser):
    """Links in document order, with the text around each one on its row;
    that is where autoindex pages put the date and the size."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[_Link] = []
        self.base_href = ""
        self._in_link: _Link | None = None
        self._trailing: _Link | None = None
        self._before: list[str] = []
        self._row = 0
        self._pre_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # The commonest tags first: this runs for every tag of the page.
        if tag == "a":
            self._trailing = None
            href = dict(attrs).get("href")
            if href:
                self._in_link = _Link(href.strip(), self._row, before=self._before)
                self.links.append(self._in_link)
            self._before = []
        elif tag in _ROW_TAGS:
            self._end_row()
        elif tag == "pre":
            self._pre_depth += 1
        elif tag == "time" and (when := dict(attrs).get("datetime")):
            # The machine-readable date (Caddy) beside the displayed one.
            self.handle_data(f" {when} ")
        elif tag == "base" and not self.base_href:
            self.base_href = dict(attrs).get("href") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            if self._in_link is not None:
                self._trailing, self._in_link = self._in_link, None
        elif tag in _ROW_TAGS:
            self._end_row()
        elif tag == "pre" and self._pre_depth:
            self._pre_depth -= 1

    def parse_marked_section(self, i: int, report: int = 1) -> int:
        # Python's parser stops the whole page with an AssertionError at a
        # "<![" it does not know (a broken conditional comment): skip those
        # three characters as browsers do.
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            return i + 3

    def _end_row(self) -> None:
        self._trailing = None
        if self._before:
            self._before = []
        self._row += 1

    def handle_data(self, data: str) -> None:
        if self._in_link is not None:
            self._in_link.text += data
        elif not self._pre_depth:
            # Outside <pre>, rows end at tags; line breaks are only layout
            # (Caddy puts each cell on its own line).
            self._add_to_row(data)
        else:
            self._pre_data(data)

    def _pre_data(self, data: str) -> None:
        # In a <pre> listing (nginx, Apache without tables) a row ends at
        # the line break, not at a tag; unless the link's row has nothing
        # yet: a long name alone on its line, the rest on the next.
        first, *lines = data.split("\n")
        self._add_to_row(first)
        for line in lines:
            trailing = self._trailing
            if trailing is not None and not "".join(trailing.after).strip():
                trailing.after.append(line)
                continue
            self._trailing = None
            self._before = [line]
            self._row += 1

    def _add_to_row(self, text: str) -> None:
        if self._trailing is not None:
            self._trailing.after.append(text)
        else:
            self._before.append(text)


def _size_and_date(pieces: list[str]) -> tuple[int | None, datetime | None]:
    """The size and the date in a row's texts: table cells or the rest of
    a <pre> line."""
    # A cell that is a size and nothing else is the size column; checked
    # first so that a date's year in a later cell is not taken for one.
    size = next((n for n in (parse_size(p.strip("()[] ")) for p in pieces if p.strip()) if n is not None), None)
    # Hand-written pages put sizes in brackets: "(350 MB)".
    words = [w for w in (word.strip("()[],") for word in " ".join(pieces).split()) if w]
    # The size is the last field that reads as one ("-" for directories);
    # "1.4 GiB" spans two words.
    for i in range(len(words) - 1, -1, -1):
        if size is not None:
            break
        size = parse_size(" ".join(words[i : i + 2])) or parse_size(words[i])
    published = next(filter(None, map(_iso_date, words)), None)
    for i in range(len(words) - 1):
        if published is not None:
            break
        if "-" not in words[i] or not words[i][0].isdigit():
            continue  # every format below starts "2024-01-08" or "08-Jan-2024"
        for fmt in _DATE_FORMATS:
            try:
                # Listings show the server's clock without a zone: nginx's
                # default is UTC, and a wrong hour only affects display.
                published = datetime.strptime(f"{words[i]} {words[i + 1]}", fmt).replace(tzinfo=UTC)
            except ValueError:
                continue
            break
    return size, published or _long_date(" ".join(words))


def _iso_date(word: str) -> datetime | None:
    """An ISO 8601 date and time in one word: "2024-01-08T10:00:00Z"."""
    if "T" not in word or not word[:4].isdigit():
        return None
    try:
        published = datetime.fromisoformat(word)
    except ValueError:
        return None
    return published if published.tzinfo else published.replace(tzinfo=UTC)


def _long_date(text: str) -> datetime | None:
    """The dates that take more than two words (Node, Tomcat, IIS)."""
    try:
        if "GMT" in text:
            if js := _JS_DATE.search(text):
                return datetime.strptime(f"{js[1]} {js[2]}", "%b %d %Y %H:%M:%S %z")
            if http := _HTTP_DATE.search(text):
                return datetime.strptime(http[1], "%d %b %Y %H:%M:%S").replace(tzinfo=UTC)
        if "M" in text and (us := _US_DATE.search(text)):
            day, fmt = (us[1], "%m/%d/%Y") if us[1] else (us[2].replace(",", ""), "%B %d %Y")
            when = f"{day} {us[3]}{us[4] or ':00'} {us[5]}"
            return datetime.strptime(when, f"{fmt} %I:%M:%S %p").replace(tzinfo=UTC)
    except ValueError:  # "Feb 30", or "13/1/2024" from a day-first locale
        return None
    return None


# How autoindex pages end a name they cut: nginx and Apache "..>", others
# "..." or an ellipsis.
_CUT_MARKS = ("..>", "...", "\u2026", "..&gt;")


def link_title(text: str, name: str) -> str:
    """The episode's title: the file name from the link's href, unless the
    link's text is a different, whole title (a hand-written page's
    "Episode 5 - The Journey"). Index pages cut long names in the text
    ("[Group] Frieren - 05 [1080p HEVC x265 1..>"), never in the href."""
    words = _utf8_read_as_latin1(" ".join(text.split()))
    if not words or words == name:
        return name
    stem = words
    for mark in _CUT_MARKS:
        if stem.endswith(mark):
            return name
    if name.startswith(stem):
        return name  # a prefix of the file name: cut without a mark
    return words


def _media_files(links: list[_Link], base: str) -> dict[str, _Link]:
    """The links to media files by absolute URL, in page order; another
    link to the same file on its row is folded into the first."""
    files: dict[str, _Link] = {}
    for link in links:
        try:
            href = urljoin(base, link.href).split("#", 1)[0]
            # Sort links ("?C=N;O=D"), parent and sub-directories, pages:
            # only files with a media extension are episodes.
            if not is_http_url(href) or not is_media_url(href):
                continue
        except ValueError:  # "http://[broken/": no URL, one link lost, not the page
            continue
        first = files.setdefault(href, link)
        if first is not link and first.row == link.row:
            first.absorb(link)
    return files


def _row_details(link: _Link, name: str) -> tuple[str, int | None, datetime | None]:
    """The title, the size and the date a file's row gives."""
    text, row = _utf8_read_as_latin1(" ".join(link.text.split())), link.after
    if text.startswith(f"{name} "):
        # The whole row inside the link (PHP directory listers): the name,
        # then the size and the date.
        text, row = name, [text[len(name) :], *link.after]
    size, published = _size_and_date(row)
    if (size is None or published is None) and "".join(link.before).strip():
        size_before, published_before = _size_and_date(link.before)
        # No video is smaller than a kilobyte: a smaller number before the
        # name is the row's number, not its size.
        if size is None and size_before is not None and size_before >= _MIN_VIDEO_BYTES:
            size = size_before
        published = published or published_before
    return link_title(text, name), size, published


def _utf8_read_as_latin1(text: str) -> str:
    """UTF-8 text that was decoded as ISO-8859-1 ("SÃ©rie"), put back;
    other text as it is. Apache's autoindex declares ISO-8859-1 unless
    configured otherwise, whatever the names on disk are."""
    if text.isascii():
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except UnicodeError:  # real Latin-1 text, or beyond it: not mis-decoded
        return text


def _decode(body: bytes, content_type: str) -> str:
    charset = ""
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"')
    try:
        return body.decode(charset or "utf-8", errors="replace")
    except LookupError:  # an unknown charset name
        return body.decode("utf-8", errors="replace")


class DirectoryProvider(DocumentProvider):
    id = "directory"
    name = "HTTP directory listing"
    accept = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"

    def can_handle(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and parts.path.endswith("/") and not parts.query

    def parse(self, body: bytes, url: str, content_type: str) -> list[EpisodeInfo]:
        collector = _LinkCollector()
        collector.feed(_decode(body, content_type))
        collector.close()
        try:
            base = urljoin(url, collector.base_href) if collector.base_href else url
        except ValueError:  # a <base href> that is no URL
            base = url
        files = _media_files(collector.links, base)
        episodes = []
        for href, link in files.items():
            name = file_name(href)  # the href, not the text: nginx truncates long names
            title, size, published = _row_details(link, name)
            info = episode_info(
                name,
                href,
                title=title,
                published_at=published,
                size=size,
                include_extras=getattr(self, "include_extras", False),
            )
            if info is not None:
                episodes.append(info)
        return episodes
