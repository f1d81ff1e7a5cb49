"""How indexers are doing, in plain words: an indexer's own status (and the
"Test" button that asks its caps now), and per torznab item the searches
its last check made on each indexer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from ..models import WatchlistItem
from . import client, defaults
from .caps import Caps
from .client import IndexerError
from .keys import KeyUnreadable
from .models import Indexer, IndexerQuery
from .queries import endpoint_for, record_error, record_ok


@dataclass(frozen=True)
class TestOutcome:
    ok: bool
    error: str = ""
    caps: dict[str, Any] = field(default_factory=dict)


def probe_indexer(indexer: Indexer) -> TestOutcome:
    """Ask the indexer's caps now (staff's "Test"): proves the URL and the
    key; the answer is stored as the cached caps."""
    try:
        endpoint = endpoint_for(indexer)
        caps = client.fetch_caps(endpoint, total_timeout=float(defaults.timeout_seconds()))
    except KeyUnreadable as exc:
        Indexer.objects.filter(pk=indexer.pk).update(last_error=str(exc), last_error_at=timezone.now())
        indexer.refresh_from_db()
        return TestOutcome(False, str(exc))
    except IndexerError as exc:
        record_error(indexer, exc)
        return TestOutcome(False, exc.message)
    now = timezone.now()
    Indexer.objects.filter(pk=indexer.pk).update(caps=caps.as_json(), caps_fetched_at=now)
    indexer.caps, indexer.caps_fetched_at = caps.as_json(), now
    record_ok(indexer)
    return TestOutcome(True, "", caps.as_json())


def state_words(indexer: Indexer, now: datetime | None = None, *, translated: bool = False) -> str:
    """ "off", "rate limited ...", "failing: ...", "answering", "not asked yet".

    English for the API and the admin (scripts compare these words); the
    dashboard asks for them `translated` into the reader's language."""
    now = now or timezone.now()
    words = gettext if translated else str
    if not indexer.enabled:
        return words(gettext_noop("off"))
    if indexer.is_paused(now):
        minutes = max(1, round((indexer.retry_after_until - now).total_seconds() / 60))
        return words(gettext_noop("rate limited; asked again in %(minutes)d min")) % {"minutes": minutes}
    if _last_answer_failed(indexer):
        return words(gettext_noop("failing: %(error)s")) % {"error": indexer.last_error}
    if indexer.last_ok_at:
        return words(gettext_noop("answering"))
    return words(gettext_noop("not asked yet"))


def is_failing(indexer: Indexer, now: datetime | None = None) -> bool:
    """Rate limited, or its last answer was an error."""
    now = now or timezone.now()
    if not indexer.enabled:
        return False
    return indexer.is_paused(now) or _last_answer_failed(indexer)


def _last_answer_failed(indexer: Indexer) -> bool:
    return bool(indexer.last_error) and (indexer.last_ok_at is None or indexer.last_error_at >= indexer.last_ok_at)


def caps_words(indexer: Indexer) -> str:
    return Caps.from_json(indexer.caps).describe() if indexer.caps else ""


@dataclass(frozen=True)
class SearchState:
    indexer: str
    q: str
    mode: str
    season: int | None
    results: int
    fetched_at: datetime | None
    asked_at: datetime | None
    error: str

    def as_json(self) -> dict[str, Any]:
        return {
            "indexer": self.indexer,
            "q": self.q,
            "mode": self.mode,
            "season": self.season,
            "results": self.results,
            "fetched_at": self.fetched_at,
            "asked_at": self.asked_at,
            "error": self.error,
        }


def item_searches(item: WatchlistItem) -> list[SearchState]:
    """The searches the item's source made at its last refresh, one row per
    indexer and title, with each one's error in plain words."""
    rows = (
        IndexerQuery.objects.filter(sources=item.source_id, indexer__enabled=True)
        .select_related("indexer")
        .order_by("indexer__priority", "indexer__name", "pk")
    )
    states = [
        SearchState(
            indexer=row.indexer.name,
            q=row.q,
            mode=row.mode,
            season=row.season,
            results=row.result_count,
            fetched_at=row.fetched_at,
            asked_at=row.last_attempt_at,
            error=row.last_error,
        )
        for row in rows
    ]
    # An enabled indexer without a search of this item failed before it
    # could search (its caps, its key): its own state says why.
    searched = {state.indexer for state in states}
    for indexer in Indexer.objects.filter(enabled=True).exclude(name__in=searched).order_by("priority", "name"):
        failing = indexer.is_paused() or bool(indexer.last_error)
        states.append(
            SearchState(
                indexer=indexer.name,
                q="",
                mode="",
                season=None,
                results=0,
                fetched_at=None,
                asked_at=indexer.last_error_at if failing else None,
                error=state_words(indexer) if failing else "",
            )
        )
    return states
