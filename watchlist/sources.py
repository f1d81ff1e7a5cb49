"""Refreshing a shared source: one upstream request per refresh window,
however many items (and users) track the source.

Freshness: a source fetched (or tried) less than SOURCE_MIN_REFRESH_MINUTES
ago is not asked again; its stored `Release` rows (or its stored error) are
the answer. Otherwise the provider makes a conditional request with the
stored ETag/Last-Modified; a 304 changes no release.

Concurrency: the check that refreshes takes a lease on the row with a
conditional UPDATE (``refreshing_until`` empty or expired -> now + lease);
only the one that changed the row fetches. The others poll the row until the
lease is cleared, then use what the winner stored. No database lock or
transaction is held during the HTTP request: under SQLite (embedded mode) a
transaction open for the length of a fetch would stall every other writer.
A winner that dies leaves a lease that expires on its own, and the next
check takes over.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from downloads.net import FetchError

from .models import Release, Source, SourceStatus
from .providers import EpisodeInfo, UnknownProvider, get_provider
from .providers.base import ProviderError

logger = logging.getLogger(__name__)

# Release columns a refresh may overwrite; first_seen_at is kept from the
# first time the release was listed.
_RELEASE_UPDATE_FIELDS = [
    "episode",
    "episode_end",
    "season",
    "title",
    "resolution",
    "version",
    "language",
    "published_at",
    "size",
    "release_name",
    "is_special",
    "group",
    "infohash",
    "seeders",
    "leechers",
    "trusted",
    "remake",
    "typed_torrent",
    "last_seen_at",
]
_URL_MAX = Release._meta.get_field("url").max_length or 2000
_LANGUAGE_MAX = Release._meta.get_field("language").max_length or 32
_GROUP_MAX = Release._meta.get_field("group").max_length or 128
_SMALLINT_MAX = 32767
_POLL_FIRST_SECONDS = 0.02
_POLL_MAX_SECONDS = 0.25


@dataclass(frozen=True)
class SourceRefresh:
    """What `refresh_source` did.

    ``status`` says where the releases come from (a `SourceStatus` value);
    ``error`` is the plain-words reason when the source could not be read
    (``status`` is then ERROR). ``requested`` is true when this call made the
    upstream request itself; ``waited`` when another check was refreshing
    and this call used its outcome.
    """

    source_id: int
    status: str
    error: str | None = None
    permanent: bool = False
    requested: bool = False
    waited: bool = False
    releases: int = 0  # releases stored after a 200; 0 otherwise

    @property
    def ok(self) -> bool:
        return self.status != SourceStatus.ERROR


def min_refresh_window() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "SOURCE_MIN_REFRESH_MINUTES", 10)))


def _fetch_bound_seconds() -> int:
    """The longest one fetch can take: its overall deadline (retries and
    backoff included, see downloads/net/deadline.py)."""
    return int(getattr(settings, "HTTP_TOTAL_TIMEOUT_SECONDS", 30))


def lease_duration() -> timedelta:
    """How long a refreshing check may hold a source before others take over:
    longer than the slowest fetch the client can make, plus parsing."""
    return timedelta(seconds=_fetch_bound_seconds() + 30)


def _is_fresh(source: Source, now: datetime) -> bool:
    window = min_refresh_window()
    last = source.last_attempt_at or source.fetched_at
    return bool(window) and last is not None and now - last < window


def _stored_outcome(source: Source, *, waited: bool) -> SourceRefresh:
    """The outcome of the source's last refresh, without a request."""
    if source.last_error:
        return SourceRefresh(source.pk, SourceStatus.ERROR, error=source.last_error, waited=waited)
    return SourceRefresh(source.pk, SourceStatus.FRESH, waited=waited)


def fresh_outcome(source: Source, now: datetime) -> SourceRefresh | None:
    """The stored outcome when ``source`` (as loaded) needs no refresh at
    ``now`` and none is running; None when `refresh_source` has work to do."""
    if source.refreshing_until is not None and source.refreshing_until >= now:
        return None
    return _stored_outcome(source, waited=False) if _is_fresh(source, now) else None


def _claim(source_id: int, now: datetime) -> datetime | None:
    """Take the refresh lease; return it (the token that releases it) or None
    when another check holds a live one."""
    lease = now + lease_duration()
    taken = (
        Source.objects.filter(pk=source_id)
        .filter(Q(refreshing_until__isnull=True) | Q(refreshing_until__lt=now))
        .update(refreshing_until=lease)
    )
    return lease if taken else None


def _release_claim(source_id: int, lease: datetime) -> None:
    # Only our own lease: if ours expired and another check took over, the
    # lease on the row now is theirs.
    Source.objects.filter(pk=source_id, refreshing_until=lease).update(refreshing_until=None)


def max_wait() -> timedelta:
    """How long a check waits for another check's refresh before it goes on
    with the releases stored last time (status STALE). Shorter than the
    lease: a waiting Celery worker is a worker doing nothing, and a "Check
    now" waiting in a web process must not outlast the fetch deadline."""
    return timedelta(seconds=min(int(getattr(settings, "HTTP_TIMEOUT_SECONDS", 20)) * 3, _fetch_bound_seconds()))


def refresh_source(source: Source, *, force: bool = False) -> SourceRefresh:
    """Bring ``source``'s releases up to date (see the module docstring).

    Never raises for a source that cannot be read: the error is stored on
    the row (``last_error``) and returned in plain words. ``force`` skips the
    freshness window but still makes one request for concurrent callers.
    ``source`` is reloaded in place.
    """
    asked_at = timezone.now()
    if not force and _is_fresh(source, asked_at):
        return _stored_outcome(source, waited=False)

    give_up_at = asked_at + max_wait()
    waited = False
    poll = _POLL_FIRST_SECONDS
    while (lease := _claim(source.pk, timezone.now())) is None:
        # Another check is refreshing: wait for its outcome rather than ask
        # upstream again. A dead winner's lease expires and the claim above
        # then succeeds.
        waited = True
        if timezone.now() >= give_up_at:
            source.refresh_from_db()
            return SourceRefresh(source.pk, SourceStatus.STALE, waited=True)
        time.sleep(poll)
        poll = min(poll * 2, _POLL_MAX_SECONDS)
        source.refresh_from_db()
        if source.refreshing_until is None and source.last_attempt_at and source.last_attempt_at >= asked_at:
            return _stored_outcome(source, waited=True)

    return _refresh_claimed(source, lease, asked_at, force=force, waited=waited)


def try_refresh_source(source: Source) -> SourceRefresh | None:
    """`refresh_source` for a caller with other work to do meanwhile: None,
    at once, when another check holds the refresh lease (ask again later),
    instead of waiting for its outcome."""
    asked_at = timezone.now()
    if _is_fresh(source, asked_at):
        return _stored_outcome(source, waited=False)
    lease = _claim(source.pk, timezone.now())
    if lease is None:
        return None
    return _refresh_claimed(source, lease, asked_at, force=False, waited=False)


def _refresh_claimed(
    source: Source, lease: datetime, asked_at: datetime, *, force: bool, waited: bool
) -> SourceRefresh:
    try:
        source.refresh_from_db()
        # A refresh finished between our freshness test and our claim.
        if source.last_attempt_at and source.last_attempt_at >= asked_at:
            return _stored_outcome(source, waited=waited)
        if not force and _is_fresh(source, timezone.now()):
            return _stored_outcome(source, waited=waited)
        return _fetch_and_store(source, lease, waited=waited)
    finally:
        _release_claim(source.pk, lease)


def _fetch_and_store(source: Source, lease: datetime, *, waited: bool) -> SourceRefresh:
    try:
        provider = get_provider(source.provider_id)
        outcome = provider.refresh(source)
    except (FetchError, ProviderError, UnknownProvider) as exc:
        permanent = bool(getattr(exc, "permanent", True))
        return _store_error(source, lease, _words(exc), permanent=permanent, waited=waited)
    except Exception as exc:
        # A provider bug must fail this source's check, not the whole batch.
        logger.exception("provider %s failed on source %s", source.provider_id, source.pk)
        message = f"the {source.provider_id} provider failed ({type(exc).__name__})"
        return _store_error(source, lease, message, permanent=False, waited=waited)

    now = timezone.now()
    status = SourceStatus.NOT_MODIFIED if outcome.not_modified else SourceStatus.FETCHED
    stored = 0
    with transaction.atomic():
        if not outcome.not_modified:
            stored = _replace_releases(source, outcome.episodes, now)
        # In the same transaction as the releases: a waiting check that sees
        # the lease gone also sees the new releases.
        _save_state(
            source,
            lease,
            etag=outcome.etag[:512],
            last_modified=outcome.last_modified[:128],
            fetched_at=now,
            last_attempt_at=now,
            last_error="",
            last_status=status,
        )
    return SourceRefresh(source.pk, status, requested=True, waited=waited, releases=stored)


def _store_error(source: Source, lease: datetime, message: str, *, permanent: bool, waited: bool) -> SourceRefresh:
    # Validators and releases stay: the next good answer may still be a 304.
    _save_state(source, lease, last_error=message, last_attempt_at=timezone.now(), last_status=SourceStatus.ERROR)
    return SourceRefresh(
        source.pk, SourceStatus.ERROR, error=message, permanent=permanent, requested=True, waited=waited
    )


def _save_state(source: Source, lease: datetime, **fields: object) -> None:
    """Write the refresh outcome and drop our lease in one UPDATE."""
    for name, value in fields.items():
        setattr(source, name, value)
    source.refreshing_until = None
    if not Source.objects.filter(pk=source.pk, refreshing_until=lease).update(refreshing_until=None, **fields):
        # Our lease ran out while we fetched and another check holds the
        # row now; what we fetched is still true, so keep it, not the lease.
        Source.objects.filter(pk=source.pk).update(**fields)


def _words(exc: Exception) -> str:
    if isinstance(exc, UnknownProvider):
        return f"unknown provider {exc.args[0]!r}"
    return str(exc) or type(exc).__name__


def _count(value: int | None) -> int | None:
    """A swarm count the database can hold; None when unknown or junk."""
    return value if value is not None and 0 <= value < 2**31 else None


def _release_row(source: Source, info: EpisodeInfo, now: datetime) -> Release:
    return Release(
        source=source,
        episode=info.episode,
        episode_end=info.episode_end,
        season=info.season if info.season is not None and 0 <= info.season <= _SMALLINT_MAX else None,
        title=info.title,
        url=info.url,
        resolution=info.resolution if info.resolution and 0 < info.resolution <= _SMALLINT_MAX else None,
        version=min(max(info.version, 0), _SMALLINT_MAX),  # v0: a pre-release
        language=info.language[:_LANGUAGE_MAX],
        published_at=info.published_at,
        size=info.size if info.size and info.size > 0 else None,
        release_name=info.release_name,
        is_special=info.is_special,
        group=info.group[:_GROUP_MAX],
        infohash=info.infohash.lower() if len(info.infohash) == 40 else "",
        seeders=_count(info.seeders),
        leechers=_count(info.leechers),
        trusted=info.trusted,
        remake=info.remake,
        typed_torrent=info.typed_torrent,
        first_seen_at=now,
        last_seen_at=now,
    )


def _replace_releases(source: Source, episodes: list[EpisodeInfo], now: datetime) -> int:
    """Make the source's releases what it lists now: upsert on (source, url),
    then delete what it no longer lists (recorded episodes keep their copy
    of the URL; their release link is nulled)."""
    rows: dict[str, Release] = {}
    for info in episodes:
        if info.episode < 0 or len(info.url) > _URL_MAX:
            logger.info("source %s: release %r not stored (bad number or URL too long)", source.pk, info.url[:100])
            continue
        # The first listing of a URL wins: a conflict on the same row twice in
        # one INSERT ... ON CONFLICT is an error on PostgreSQL.
        rows.setdefault(info.url, _release_row(source, info, now))
    if rows:
        Release.objects.bulk_create(
            rows.values(),
            update_conflicts=True,
            unique_fields=["source", "url"],
            update_fields=_RELEASE_UPDATE_FIELDS,
            batch_size=500,
        )
    Release.objects.filter(source=source, last_seen_at__lt=now).delete()
    return len(rows)
