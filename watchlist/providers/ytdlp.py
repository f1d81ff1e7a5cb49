"""Any playlist, channel or series page that yt-dlp can list.

yt-dlp is imported lazily: it takes a noticeable fraction of a second, and
most processes that load the provider registry (the web server, the API's
validation of provider ids) never list a playlist.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from functools import cache
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.conf import settings

from downloads.net import FetchError, overall_deadline
from downloads.net import ytdlp_params as net_ytdlp_params
from downloads.net.errors import causes, is_transient_status

from .base import EpisodeInfo, Provider, ProviderError, Refresh, SourceRef
from .episodes import episode_info, is_http_url

logger = logging.getLogger(__name__)

# Extractors that match URLs only to refuse them (DRM, piracy notices) or
# match everything: they say nothing about a URL being a listable page.
_NOT_SITE_EXTRACTORS = {"Generic", "KnownDRM", "KnownPiracy"}


@cache
def _site_extractors() -> tuple[Any, ...]:
    from yt_dlp.extractor import gen_extractor_classes

    return tuple(ie for ie in gen_extractor_classes() if ie.ie_key() not in _NOT_SITE_EXTRACTORS)


def ytdlp_params() -> dict[str, Any]:
    """Options for listing only: flat playlist (one request for the page,
    none per video), nothing written to disk, no cache, no network use
    beyond the page, and the same address guard as every other fetch."""
    return net_ytdlp_params(
        logger,
        extract_flat="in_playlist",
        skip_download=True,
        socket_timeout=settings.HTTP_TIMEOUT_SECONDS,
        http_headers={"User-Agent": settings.HTTP_USER_AGENT},
    )


class YtDlpProvider(Provider):
    id = "ytdlp"
    name = "Video site playlist (yt-dlp)"

    def can_handle(self, url: str) -> bool:
        # Only a site extractor's match counts: the generic one "handles"
        # any URL, which would make this provider claim everything.
        return is_http_url(url) and any(ie.suitable(url) for ie in _site_extractors())

    def list_episodes(self, source: SourceRef) -> list[EpisodeInfo]:
        from yt_dlp import YoutubeDL
        from yt_dlp.utils import YoutubeDLError

        # One deadline for the whole listing: a site that trickles its pages
        # is cut like a trickling feed (downloads/net/deadline.py).
        with overall_deadline(float(settings.HTTP_TOTAL_TIMEOUT_SECONDS)) as deadline:
            try:
                with YoutubeDL(ytdlp_params()) as ydl:
                    info = ydl.extract_info(source.url, download=False)
            # DownloadError for what extractors report; a request error (the
            # address guard's refusal among them) can also come out unwrapped.
            except YoutubeDLError as exc:
                if deadline.expired:
                    raise ProviderError(str(deadline.error(urlsplit(source.url).hostname or source.url))) from exc
                raise ProviderError(f"yt-dlp could not list {source.url}: {exc}", permanent=_is_permanent(exc)) from exc
        return self._episodes(info or {}, source.url)

    def refresh(self, source: SourceRef) -> Refresh:
        # yt-dlp does not expose validators; every refresh is a full listing.
        return Refresh(not_modified=False, episodes=self.list_episodes(source))

    def _episodes(self, info: dict[str, Any], page_url: str) -> list[EpisodeInfo]:
        # A URL of one video (no entries) lists that video alone.
        entries: Iterable[Any] = (info.get("entries") or []) if "entries" in info else [info]
        episodes = []
        for position, entry in enumerate(entries, start=1):
            if not isinstance(entry, dict):
                continue  # unavailable videos come as None
            url = _entry_url(entry, page_url)
            if url is None:
                continue
            title = " ".join(str(entry.get("title") or "").split())
            index = entry.get("playlist_index")
            position_number = index if isinstance(index, int) and index > 0 else position
            info_ = episode_info(
                title,
                url,
                # A site's own episode number beats what a title suggests:
                # it is structured data, and titles carry "Top 10" numbers.
                default_episode=position_number,
                title=title,
                published_at=_published(entry),
                size=_int(entry.get("filesize")) or _int(entry.get("filesize_approx")),
                resolution=_height(entry),
                include_extras=getattr(self, "include_extras", False),
            )
            number = _int(entry.get("episode_number"))
            if info_ is not None and number:
                info_ = _with_episode(info_, number, _int(entry.get("season_number")))
            if info_ is not None:
                episodes.append(info_)
        return episodes


def _is_permanent(exc: BaseException) -> bool:
    """Whether listing again later cannot help: a page no extractor reads,
    a 4xx, or an address the guard refuses. Timeouts and 5xx may pass."""
    from yt_dlp.networking.exceptions import HTTPError
    from yt_dlp.utils import UnsupportedError

    for cause in causes(exc):
        if isinstance(cause, FetchError):
            return cause.permanent
        if isinstance(cause, UnsupportedError):
            return True
        if isinstance(cause, HTTPError):
            return not is_transient_status(cause.status)
    return False


def _with_episode(info: EpisodeInfo, number: int, season: int | None) -> EpisodeInfo:
    if season is None:
        return replace(info, episode=number)
    return replace(info, episode=number, season=season, season_episode=number)


def _entry_url(entry: dict[str, Any], page_url: str) -> str | None:
    """The URL the download side should give yt-dlp for this entry.

    A flat entry (``_type`` url) points at the video's own page: stable, and
    re-extracted at download time. A resolved video prefers its page too,
    unless that page is the listing itself (several <video> in one page):
    then only the media URL tells the videos apart.
    """
    from yt_dlp.utils import unsmuggle_url

    page = entry.get("webpage_url")
    if entry.get("_type") in ("url", "url_transparent"):
        candidates = [entry.get("url")]
    elif isinstance(page, str) and page and page != page_url:
        candidates = [page, entry.get("url")]
    else:
        # The tallest format is what "auto" quality would download anyway.
        formats = [f for f in entry.get("formats") or [] if isinstance(f, dict) and f.get("url")]
        formats.sort(key=lambda f: _int(f.get("height")) or 0, reverse=True)
        candidates = [entry.get("url"), *(f["url"] for f in formats)]
    for candidate in candidates:
        if isinstance(candidate, str) and candidate:
            # The generic extractor smuggles data into URL fragments, and
            # passes feed links through unresolved.
            url = urljoin(page_url, unsmuggle_url(candidate)[0])
            if is_http_url(url):
                return url
    return None


def _height(entry: dict[str, Any]) -> int | None:
    heights = [_int(entry.get("height"))] + [_int(f.get("height")) for f in entry.get("formats") or []]
    known = [h for h in heights if h]
    return max(known) if known else None


def _published(entry: dict[str, Any]) -> datetime | None:
    timestamp = entry.get("timestamp") or entry.get("release_timestamp")
    if isinstance(timestamp, int | float):
        return datetime.fromtimestamp(timestamp, tz=UTC)
    upload_date = entry.get("upload_date")
    if isinstance(upload_date, str) and len(upload_date) == 8 and upload_date.isdecimal():
        return datetime.strptime(upload_date, "%Y%m%d").replace(tzinfo=UTC)
    return None


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdecimal():
        return int(value)
    return None
