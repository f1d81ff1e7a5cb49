"""Helpers the built-in providers share: from a listed name to an
`EpisodeInfo`, and the small text formats listings use (sizes, file names)."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from downloads.files import MEDIA_EXTENSIONS
from watchlist.releases import ReleaseName, merged, parse_release

from .base import EpisodeInfo

logger = logging.getLogger(__name__)


_UNITS = {
    "b": 1,
    "k": 1024, "kib": 1024, "kb": 1000,
    "m": 1024**2, "mib": 1024**2, "mb": 1000**2,
    "g": 1024**3, "gib": 1024**3, "gb": 1000**3,
    "t": 1024**4, "tib": 1024**4, "tb": 1000**4,
}  # fmt: skip


# One comma in a number, not followed by exactly three digits: the decimal
# point ("1,4 GB"), not a thousands separator ("1,400 MB").
_DECIMAL_COMMA = re.compile(r"^(\d+),(\d{1,2}|\d{4,})(?=\s*[a-zA-Z]*$)")


def parse_size(text: str) -> int | None:
    """'123456', '1.2G' (autoindex, 1024-based), '1.4 GiB' (nyaa), '700 MB'
    -> bytes; None when the text is no size. A comma groups thousands
    ('1,400 MB') unless it stands for the decimal point ('1,4 GB', as
    European sites write it: not three digits after it)."""
    text = _DECIMAL_COMMA.sub(r"\1.\2", text.strip()).replace(",", "").lower()
    if text.isdecimal():
        return int(text)
    number = text.rstrip("abcdefghijklmnopqrstuvwxyz").strip()
    unit = text[len(number) :].strip()
    try:
        value = float(number)
    except ValueError:
        return None
    if unit not in _UNITS or value < 0:
        return None
    return int(value * _UNITS[unit])


def rfc822_date(text: object) -> datetime | None:
    """An RFC 822 date as feeds and Torznab answers write it; one without a
    time zone ("Fri, 08 Apr 2022 08:47:24") or with "-0000" (zone unknown,
    as nyaa writes it) is meant as UTC. None when the text is no date."""
    try:
        moment = parsedate_to_datetime(str(text or "").strip())
    except (TypeError, ValueError, IndexError):
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def file_name(url: str) -> str:
    """The decoded last path segment of a URL ('' for a directory URL)."""
    path = urlsplit(url).path
    return "" if path.endswith("/") else unquote(PurePosixPath(path).name)


def is_media_url(url: str) -> bool:
    return PurePosixPath(file_name(url)).suffix.lower() in MEDIA_EXTENSIONS


def is_http_url(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https")


def episode_info(
    name: str,
    url: str,
    *,
    fallback_names: tuple[str, ...] = (),
    default_episode: int | None = None,
    title: str = "",
    published_at: datetime | None = None,
    size: int | None = None,
    resolution: int | None = None,
    include_extras: bool = False,
) -> EpisodeInfo | None:
    """The episode a listed release is, or None when it cannot be numbered
    (or is a batch/special and ``include_extras`` is off).

    ``fallback_names`` (e.g. the file name behind a feed entry) fill what
    ``name`` does not say; ``default_episode`` (an itunes:episode, a
    playlist position) numbers releases whose names carry no number.
    """
    release: ReleaseName = parse_release(name)
    for other in fallback_names:
        if other and other != name:
            release = merged(release, parse_release(other))
    number = release.number if release.number is not None else default_episode
    # An unnumbered special ("OVA") goes where media servers put specials;
    # so does a single video named without a number ("Title - Subtitle
    # (2023) [1080p]"): a film, or a series' discs. Matching gives a film to
    # an item of that film (releases/films.py) and neither to a series'
    # item. A name that says nothing of a video ("Title - Art Book scans")
    # is left out.
    video = (release.resolution or resolution) is not None
    unnumbered = number is None and include_extras and (release.is_special or (video and not release.is_batch))
    if unnumbered:
        number = 0
    if number is None:
        logger.debug("no episode number in %r; skipped", name)
        return None
    if (release.is_batch or release.is_special) and not include_extras:
        logger.debug("%r is a batch or special; skipped", name)
        return None
    season_episode = release.episode if release.season is not None else None
    end = release.episode_end
    if end is not None and release.absolute_episode is not None and release.episode is not None:
        end += release.absolute_episode - release.episode  # keep the range in absolute numbers
    return EpisodeInfo(
        episode=number,
        url=url,
        title=title or name,
        season=release.season,
        resolution=release.resolution or resolution,
        version=release.version,
        language=release.language,
        published_at=published_at,
        size=size,
        release_name=name,
        season_episode=season_episode,
        episode_end=(end if end is not None else number) if release.is_batch else None,
        is_special=release.is_special or unnumbered,
        group=release.group,
    )
