"""The AniList GraphQL client: search by title, fetch series by id.

Every request goes through the guarded HTTP client (downloads.net), at the
URL of the ANILIST_API_URL setting, under the shared rate limit
(ratelimit.py). Answers are cached in the same Django cache: a search for 6
hours (and kept 7 days as a fallback for when AniList is down), a series
fetch for a few minutes (the database is the real store of series).

Errors are `AniListError`s in plain words: `AniListUnavailable` when asking
again later may help (down, timeout, 5xx, 429, rate limit, a 403 while the
API is switched off, an overload reported in a 200 answer's errors),
`AniListRejected` when it will not (AniList refused the query). AniList's
404 "Not Found." is an answer: no such anime.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import requests
from django.conf import settings
from django.core.cache import caches
from django.utils.html import strip_tags

from downloads.net import FetchError, guarded_session
from downloads.net.errors import is_transient_status

from . import defaults
from .ratelimit import RateLimited, RateLimiter

logger = logging.getLogger(__name__)

MAX_RESPONSE_BYTES = 4 * 1024 * 1024
PAGE_SIZE = 50  # AniList's largest page: one request refreshes 50 series
SEARCH_RESULTS = 10
SEARCH_CACHE_SECONDS = 6 * 3600
STALE_CACHE_SECONDS = 7 * 24 * 3600
MEDIA_CACHE_SECONDS = 300
SEARCH_WAIT_SECONDS = 2.0  # a page waits this long at most for a permit

_MEDIA_FIELDS = """
  id
  idMal
  siteUrl
  title { romaji english native }
  synonyms
  format
  status
  episodes
  duration
  season
  seasonYear
  startDate { year month day }
  endDate { year month day }
  genres
  isAdult
  description(asHtml: false)
  coverImage { extraLarge large }
  nextAiringEpisode { episode airingAt }
"""

SEARCH_QUERY = (
    """
query Search($search: String!, $perPage: Int) {
  Page(page: 1, perPage: $perPage) {
    media(search: $search, type: ANIME, isAdult: false, sort: [SEARCH_MATCH, POPULARITY_DESC]) {"""
    + _MEDIA_FIELDS
    + """    }
  }
}
"""
)

SERIES_QUERY = (
    """
query Series($ids: [Int], $perPage: Int) {
  Page(page: 1, perPage: $perPage) {
    media(id_in: $ids, type: ANIME) {"""
    + _MEDIA_FIELDS
    + """      airingSchedule(notYetAired: true, perPage: 25) { nodes { episode airingAt } }
      relations {
        edges { relationType node { id type format episodes startDate { year month day } title { romaji english } } }
      }
    }
  }
}
"""
)

# The prequel chain (for first_absolute_episode): a few fields only.
PREQUELS_QUERY = """
query Prequels($ids: [Int], $perPage: Int) {
  Page(page: 1, perPage: $perPage) {
    media(id_in: $ids, type: ANIME) {
      id format episodes status
      relations { edges { relationType node { id type format episodes } } }
    }
  }
}
"""


class AniListError(Exception):
    permanent = True

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class AniListUnavailable(AniListError):
    """Down, slow, overloaded or rate-limited: ask again later."""

    permanent = False


class AniListRejected(AniListError):
    """AniList refused the request (a bad query or variable)."""


@dataclass(frozen=True)
class Airing:
    episode: int
    airing_at: datetime


@dataclass(frozen=True)
class Relation:
    relation_type: str  # PREQUEL, SEQUEL, SIDE_STORY...
    anilist_id: int
    media_type: str  # ANIME, MANGA
    format: str
    episodes: int | None
    titles: tuple[str, ...] = ()  # romaji and English, when asked for (SERIES_QUERY)
    start_date: str = ""  # as MediaRecord.start_date, when asked for (SERIES_QUERY)


@dataclass
class MediaRecord:
    """One AniList anime, as much as the query asked for."""

    anilist_id: int
    mal_id: int | None = None
    title_english: str = ""
    title_romaji: str = ""
    title_native: str = ""
    synonyms: list[str] = field(default_factory=list)
    format: str = ""
    status: str = ""
    episodes: int | None = None
    duration_minutes: int | None = None
    season: str = ""
    season_year: int | None = None
    # "2023-10-07", "2023-10", "2023" or "": AniList's FuzzyDate, as far as known.
    start_date: str = ""
    end_date: str = ""
    genres: list[str] = field(default_factory=list)
    synopsis: str = ""
    site_url: str = ""
    is_adult: bool = False
    cover_url: str = ""
    next_airing: Airing | None = None
    # Only from SERIES_QUERY / PREQUELS_QUERY (None: not asked for).
    schedule: list[Airing] | None = None
    relations: list[Relation] | None = None
    # A PREQUEL edge without an entry to follow: not a first season, but
    # where its episodes start cannot be told.
    unreadable_prequel: bool = False

    @property
    def display_title(self) -> str:
        return self.title_english or self.title_romaji or self.title_native


# --- parsing ---------------------------------------------------------------


def _text(value: Any, limit: int) -> str:
    # PostgreSQL text cannot hold NUL: one in one entry would fail the store
    # of every series refreshed in the same request.
    return value.replace("\x00", "").strip()[:limit] if isinstance(value, str) else ""


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**31 else None


def _total(value: Any) -> int | None:
    """An episode count or a duration: AniList means "not known" by 0 as
    well as by null (a season is never announced with zero episodes)."""
    return _count(value) or None


def _when(epoch: Any) -> datetime | None:
    # 0 is a placeholder for "no time yet", never a broadcast in 1970.
    count = _count(epoch)
    return datetime.fromtimestamp(count, tz=UTC) if count else None


def fuzzy_date(value: Any) -> str:
    """AniList's FuzzyDate ({year, month, day}, any of them null) as the
    known part of an ISO date: "2023-10-07", "2023-10", "2023"; "" when the
    year is unknown or a part is not a real date. A day without a month, or
    a month without a year, says nothing usable."""
    if not isinstance(value, dict):
        return ""
    year, month, day = (_count(value.get(key)) for key in ("year", "month", "day"))
    if year is None or not 1900 <= year <= 9999:
        return ""
    if month is None or not 1 <= month <= 12:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return f"{year:04d}-{month:02d}"


def _airing(node: Any) -> Airing | None:
    if not isinstance(node, dict):
        return None
    episode, at = _count(node.get("episode")), _when(node.get("airingAt"))
    return Airing(episode, at) if episode and at else None


def _http(url: Any) -> str:
    url = _text(url, 1000)
    return url if url.lower().startswith(("https://", "http://")) else ""


_BREAKS = re.compile(r"<br\s*/?>", re.IGNORECASE)


def plain_synopsis(description: Any) -> str:
    """AniList descriptions carry a little HTML (<br>, <i>) even when asked
    for text; the dashboard escapes what it shows, so keep words only."""
    if not isinstance(description, str):
        return ""
    text = strip_tags(_BREAKS.sub("\n", description.replace("\x00", "")))
    text = re.sub(r"\n{3,}", "\n\n", html.unescape(text).replace("\r", ""))
    return text.strip()[:5000]


def parse_media(data: Any) -> MediaRecord | None:
    """A MediaRecord from one ``media`` object of an answer; None when the
    object has no usable id (everything else is optional)."""
    if not isinstance(data, dict) or not _count(data.get("id")):
        return None
    title = data.get("title") if isinstance(data.get("title"), dict) else {}
    cover = data.get("coverImage") if isinstance(data.get("coverImage"), dict) else {}
    record = MediaRecord(
        anilist_id=data["id"],
        mal_id=_count(data.get("idMal")),
        title_english=_text(title.get("english"), 300),
        title_romaji=_text(title.get("romaji"), 300),
        title_native=_text(title.get("native"), 300),
        synonyms=[_text(s, 300) for s in data.get("synonyms") or [] if _text(s, 300)][:50],
        format=_text(data.get("format"), 16),
        status=_text(data.get("status"), 20),
        episodes=_total(data.get("episodes")),
        duration_minutes=_total(data.get("duration")) if (_count(data.get("duration")) or 0) < 32767 else None,
        season=_text(data.get("season"), 8),
        season_year=_count(data.get("seasonYear")) if (_count(data.get("seasonYear")) or 0) < 32767 else None,
        start_date=fuzzy_date(data.get("startDate")),
        end_date=fuzzy_date(data.get("endDate")),
        genres=[_text(g, 60) for g in data.get("genres") or [] if _text(g, 60)][:40],
        synopsis=plain_synopsis(data.get("description")),
        site_url=_http(data.get("siteUrl"))[:500],
        is_adult=data.get("isAdult") is True,
        cover_url=_http(cover.get("extraLarge")) or _http(cover.get("large")),
        next_airing=_airing(data.get("nextAiringEpisode")),
    )
    schedule = data.get("airingSchedule")
    if isinstance(schedule, dict):
        airings = (_airing(node) for node in schedule.get("nodes") or [])
        record.schedule = [a for a in airings if a is not None]
    relations = data.get("relations")
    if isinstance(relations, dict):
        edges = relations.get("edges") or []
        record.relations = [r for r in (_relation(e) for e in edges) if r is not None]
        record.unreadable_prequel = any(_unreadable_prequel(e) for e in edges)
    return record


def _unreadable_prequel(edge: Any) -> bool:
    """A PREQUEL edge whose anime entry has no id to follow (a null node, a
    node without id): the entry has a season before it all the same."""
    if not isinstance(edge, dict) or edge.get("relationType") != "PREQUEL":
        return False
    node = edge.get("node")
    if not isinstance(node, dict):
        return True
    return not _count(node.get("id")) and node.get("type") in ("ANIME", None)


def _relation(edge: Any) -> Relation | None:
    if not isinstance(edge, dict) or not isinstance(edge.get("node"), dict):
        return None
    node = edge["node"]
    if not _count(node.get("id")):
        return None
    return Relation(
        relation_type=_text(edge.get("relationType"), 32),
        anilist_id=node["id"],
        media_type=_text(node.get("type"), 16),
        format=_text(node.get("format"), 16),
        episodes=_total(node.get("episodes")),
        titles=tuple(text for key in ("romaji", "english") if (text := _text((node.get("title") or {}).get(key), 300)))
        if isinstance(node.get("title"), dict)
        else (),
        start_date=fuzzy_date(node.get("startDate")),
    )


def _page_media(payload: dict[str, Any]) -> list[Any] | None:
    page = (payload.get("data") or {}).get("Page") if isinstance(payload.get("data"), dict) else None
    media = page.get("media") if isinstance(page, dict) else None
    return media if isinstance(media, list) else None


def _media_list(payload: dict[str, Any]) -> list[MediaRecord]:
    media = _page_media(payload)
    if media is None:
        if 404 in _error_statuses(payload):
            return []  # AniList's "Not Found.": none of the ids asked for exists
        raise AniListUnavailable("AniList answered without the expected data")
    return [record for record in (parse_media(m) for m in media) if record is not None]


# --- the client --------------------------------------------------------------


class AniListClient:
    def __init__(self, *, limiter: RateLimiter | None = None) -> None:
        self.limiter = limiter or RateLimiter()

    @property
    def cache(self):
        return caches[defaults.cache_alias()]

    def search(self, query: str, *, per_page: int = SEARCH_RESULTS, max_wait: float = SEARCH_WAIT_SECONDS):
        """Anime whose titles match ``query``, best match first.

        A search asked again within 6 hours is answered from the cache; when
        AniList cannot be reached, an answer up to 7 days old is used.
        """
        variables = {"search": query, "perPage": per_page}
        payload = self.request(
            SEARCH_QUERY, variables, fresh_for=SEARCH_CACHE_SECONDS, stale_ok=True, max_wait=max_wait
        )
        return _media_list(payload)

    def series(self, ids: Iterable[int], *, max_wait: float = 20.0, use_cache: bool = True) -> dict[int, MediaRecord]:
        """Full records (airing schedule, relations) of up to 50 ids per
        request; ids AniList does not know are absent from the answer."""
        return self._by_ids(SERIES_QUERY, ids, max_wait=max_wait, use_cache=use_cache)

    def prequel_links(self, ids: Iterable[int], *, max_wait: float = 20.0) -> dict[int, MediaRecord]:
        return self._by_ids(PREQUELS_QUERY, ids, max_wait=max_wait, use_cache=True)

    def _by_ids(self, query: str, ids: Iterable[int], *, max_wait: float, use_cache: bool) -> dict[int, MediaRecord]:
        wanted = sorted({int(i) for i in ids})
        found: dict[int, MediaRecord] = {}
        for start in range(0, len(wanted), PAGE_SIZE):
            chunk = wanted[start : start + PAGE_SIZE]
            payload = self.request(
                query,
                {"ids": chunk, "perPage": PAGE_SIZE},
                fresh_for=MEDIA_CACHE_SECONDS if use_cache else 0,
                max_wait=max_wait,
            )
            found.update((record.anilist_id, record) for record in _media_list(payload))
        return found

    # --- one request ---------------------------------------------------

    def _cache_key(self, kind: str, query: str, variables: dict[str, Any]) -> str:
        digest = hashlib.sha256(json.dumps([query, variables], sort_keys=True).encode()).hexdigest()
        return f"{self.limiter.prefix}:{kind}:{digest}"

    def request(
        self,
        query: str,
        variables: dict[str, Any],
        *,
        fresh_for: int = 0,
        stale_ok: bool = False,
        max_wait: float = 20.0,
    ) -> dict[str, Any]:
        """POST one GraphQL query; the decoded answer (with ``data``)."""
        fresh_key = self._cache_key("fresh", query, variables)
        stale_key = self._cache_key("stale", query, variables)
        if fresh_for:
            cached = self.cache.get(fresh_key)
            if cached is not None:
                return cached
        try:
            payload = self._post(query, variables, max_wait=max_wait)
        except AniListUnavailable:
            if stale_ok:
                stale = self.cache.get(stale_key)
                if stale is not None:
                    logger.info("AniList unavailable; answering from a cached copy")
                    return stale
            raise
        if fresh_for:
            self.cache.set(fresh_key, payload, fresh_for)
        if stale_ok:
            self.cache.set(stale_key, payload, STALE_CACHE_SECONDS)
        return payload

    def _post(self, query: str, variables: dict[str, Any], *, max_wait: float) -> dict[str, Any]:
        # A page waiting on AniList waits less than a background refresh.
        timeout = min(
            float(getattr(settings, "HTTP_TIMEOUT_SECONDS", 20)), 10.0 if max_wait <= SEARCH_WAIT_SECONDS else 30.0
        )
        try:
            self.limiter.acquire(max_wait)
        except RateLimited as exc:
            raise AniListUnavailable(
                "AniList is busy (its rate limit is reached); try again shortly", retry_after=exc.retry_after
            ) from None
        url = defaults.anilist_api_url()
        try:
            with guarded_session() as session:
                response = session.post(
                    url,
                    json={"query": query, "variables": variables},
                    headers={"Accept": "application/json"},
                    timeout=(timeout, timeout),
                    stream=True,
                    allow_redirects=False,
                )
                with response:
                    self.limiter.observe(response.status_code, response.headers)
                    body = _read_limited(response)
        except FetchError as exc:  # the address guard, on the configured URL
            raise AniListUnavailable(f"AniList cannot be reached: {exc}") from None
        except requests.Timeout:
            raise AniListUnavailable("AniList did not answer in time") from None
        except requests.RequestException:
            raise AniListUnavailable("AniList cannot be reached") from None
        return _decode(response.status_code, response.headers, body)


def _read_limited(response: requests.Response) -> bytes:
    chunks, size = [], 0
    for chunk in response.iter_content(64 * 1024):
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise AniListUnavailable("AniList's answer was unexpectedly large")
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(status: int, headers: Any, body: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(body) if body else None
    except ValueError:
        payload = None
    message = _error_message(payload)
    if status == 429:
        from downloads.net.client import parse_retry_after

        raise AniListUnavailable(
            "AniList is busy (rate limit); try again shortly",
            retry_after=parse_retry_after(headers.get("Retry-After")),
        )
    # The one retry rule of every outgoing request (a 3xx is unexpected from
    # a GraphQL endpoint, so it counts as AniList not answering properly).
    if _not_now(status) or 300 <= status < 400:
        raise AniListUnavailable(f"AniList answered HTTP {status}" + (f": {message}" if message else ""))
    if (
        status == 404
        and isinstance(payload, dict)
        and (isinstance(payload.get("data"), dict) or 404 in _error_statuses(payload))
    ):
        # A query for one missing id answers 404 with data, or with AniList's
        # own "Not Found." (no such anime); Page queries do not, but a
        # partial answer is still an answer.
        return payload
    if status >= 400:
        raise AniListRejected(f"AniList refused the request (HTTP {status})" + (f": {message}" if message else ""))
    if not isinstance(payload, dict):
        raise AniListUnavailable("AniList answered with something that is not JSON")
    if message and _page_media(payload) is None and any(_not_now(s) for s in _error_statuses(payload)):
        # GraphQL servers report their own overload in a 200 answer's errors.
        raise AniListUnavailable(f"AniList could not answer now: {message}")
    if message and not isinstance(payload.get("data"), dict):
        raise AniListRejected(f"AniList refused the request: {message}")
    return payload


def _not_now(status: int) -> bool:
    """Worth asking again later: the shared rule, and 403, which AniList
    answers while its API is switched off and its CDN while it turns
    clients away for a while (no query of ours is ever forbidden)."""
    return is_transient_status(status) or status == 403


def _error_statuses(payload: Any) -> set[int]:
    if not isinstance(payload, dict) or not isinstance(payload.get("errors"), list):
        return set()
    return {e["status"] for e in payload["errors"] if isinstance(e, dict) and isinstance(e.get("status"), int)}


def _error_message(payload: Any) -> str:
    if not isinstance(payload, dict) or not isinstance(payload.get("errors"), list):
        return ""
    messages = [str(e.get("message", "")) for e in payload["errors"] if isinstance(e, dict)]
    return "; ".join(m for m in messages if m)[:200]


def client() -> AniListClient:
    return AniListClient()
