"""'Test source': what a source would give a series, before it is saved.

The dashboard's add form ("Test source") and `POST /api/watchlist/preview`
read the source now, through the provider and the guarded client like a
check, and run the release matching a check would run (releases/choose.py:
the series' titles, season, the user's release rules, one release per
episode) for an item built from the form but not saved. The answer is what
this item would get: its episodes with resolution and language, what was
left out and why, or the error in plain words. Nothing is stored: neither
the source nor its releases.

One preview per user runs at a time (the answer is at most
HTTP_TOTAL_TIMEOUT_SECONDS away), so a user cannot use it to have the server
fetch many URLs at once.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from downloads.net import FetchError

from .models import Release, Source, WatchlistItem
from .providers import UnknownProvider, detect_provider, get_provider
from .providers.base import ProviderError
from .releases.choose import decide
from .sources import _release_row  # a listed release as a refresh stores it (never saved here)

logger = logging.getLogger(__name__)

NOT_TAKEN_SHOWN = 50
BUSY_MESSAGE = "A source test you started is still running; try again when it has finished."


class PreviewBusy(Exception):
    retry_after = 5


@dataclass(frozen=True)
class PreviewEpisode:
    episode: int
    season: int | None
    resolution: int | None
    language: str
    release_name: str
    url: str
    size: int | None
    published_at: datetime | None


@dataclass(frozen=True)
class NotTaken:
    release_name: str
    episode: int | None
    reason: str


@dataclass
class Preview:
    ok: bool
    provider_id: str
    error: str | None = None
    releases_listed: int = 0
    episodes: list[PreviewEpisode] = field(default_factory=list)
    not_taken: list[NotTaken] = field(default_factory=list)
    not_taken_total: int = 0

    @property
    def resolutions(self) -> list[int]:
        return sorted({e.resolution for e in self.episodes if e.resolution}, reverse=True)

    @property
    def languages(self) -> list[str]:
        return sorted({e.language for e in self.episodes if e.language})

    @property
    def episode_span(self) -> str:
        """ "1-12", "1-3, 5" for the episodes it would get."""
        numbers = sorted({e.episode for e in self.episodes})
        spans: list[str] = []
        for number in numbers:
            if spans and spans[-1].split("-")[-1] == str(number - 1):
                start = spans[-1].split("-")[0]
                spans[-1] = f"{start}-{number}"
            else:
                spans.append(str(number))
        return ", ".join(spans)


@contextmanager
def _one_at_a_time(owner_id: int) -> Iterator[None]:
    key = f"source-preview:{owner_id}"
    token = uuid.uuid4().hex
    seconds = int(getattr(settings, "HTTP_TOTAL_TIMEOUT_SECONDS", 30)) * 2 + 30
    try:
        taken = cache.add(key, token, seconds)
    except Exception:
        logger.warning("source preview: the shared cache cannot be reached; not limiting", exc_info=True)
        taken = None
    if taken is False:
        raise PreviewBusy(BUSY_MESSAGE)
    try:
        yield
    finally:
        if taken:
            try:
                if cache.get(key) == token:
                    cache.delete(key)
            except Exception:
                logger.warning("source preview: the slot expires on its own", exc_info=True)


def _draft_item(owner: Any, data: dict[str, Any]) -> WatchlistItem:
    """The item the form describes, never saved (its pk is a fresh uuid, so
    only the user's own release rules apply)."""
    fields = (
        "anime_title",
        "lang",
        "quality_preference",
        "title_aliases",
        "season",
        "first_absolute_episode",
        "include_specials",
        "last_episode_downloaded",
    )
    values = {name: data[name] for name in fields if data.get(name) is not None}
    item = WatchlistItem(owner=owner, anime_url=data["anime_url"], provider_id=data["provider_id"], **values)
    item.series = data.get("series")
    return item


def preview_source(owner: Any, data: dict[str, Any]) -> Preview:
    """Read ``data["anime_url"]`` with its provider ("" or missing: detected
    from the URL) and match its releases for the item ``data`` describes.
    Raises PreviewBusy while another preview of the owner runs."""
    provider_id = data.get("provider_id") or ""
    if not provider_id:
        detected = detect_provider(data["anime_url"])
        if detected is None:
            return Preview(False, "", error="no provider recognised this URL; choose one")
        provider_id = detected.id
    data = {**data, "provider_id": provider_id}
    with _one_at_a_time(owner.pk):
        source = Source(provider_id=provider_id, url=data["anime_url"], lang=data.get("lang") or "")
        try:
            provider = get_provider(provider_id)
            # A provider that searches by the item's titles (the indexers)
            # lists for the item described, not for a stored source.
            for_item = getattr(provider, "list_for_item", None)
            listed = for_item(_draft_item(owner, data), source) if for_item else provider.list_episodes(source)
        except UnknownProvider:
            return Preview(False, provider_id, error=f"unknown provider {provider_id!r}")
        except (FetchError, ProviderError) as exc:
            return Preview(False, provider_id, error=str(exc) or type(exc).__name__)
        except Exception as exc:
            logger.exception("source preview with provider %s failed", provider_id)
            return Preview(False, provider_id, error=f"the {provider_id} provider failed ({type(exc).__name__})")
    return _matched(owner, data, source, listed)


def _matched(owner: Any, data: dict[str, Any], source: Source, listed: list) -> Preview:
    now = timezone.now()
    releases: list[Release] = []
    seen: set[str] = set()
    for info in listed:
        if info.episode < 0 or info.url in seen:
            continue
        seen.add(info.url)
        releases.append(_release_row(source, info, now))
    from .downloading import batch_downloads_possible

    # What a check would record: batches fill episodes there too.
    outcome = decide(_draft_item(owner, data), releases, {}, now, batches=batch_downloads_possible())
    episodes = [
        PreviewEpisode(
            episode=number,
            season=season,
            resolution=release.resolution,
            language=release.language,
            release_name=release.release_name or release.title,
            url=release.url,
            size=release.size,
            published_at=release.published_at,
        )
        for release, number, season in sorted(outcome.new, key=lambda entry: entry[1])
    ]
    left = [d for d in outcome.decisions if not d.picked]
    not_taken = [
        NotTaken(d.release.release_name or d.release.title or d.release.url, d.episode, d.reason)
        for d in left[:NOT_TAKEN_SHOWN]
    ]
    preview = Preview(True, data["provider_id"], releases_listed=len(releases), episodes=episodes)
    preview.not_taken, preview.not_taken_total = not_taken, len(left)
    return preview
