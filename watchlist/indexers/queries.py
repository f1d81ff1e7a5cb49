"""Asking the indexers: caps, then each search once per refresh window,
however many sources (and users) need it.

A search of one indexer is an `IndexerQuery` row keyed on its parameters.
Freshness and concurrency work as for a `Source` (watchlist/sources.py):
a row asked (or tried) less than INDEXER_QUERY_REFRESH_MINUTES ago is
answered from what it stored; otherwise the caller takes the row's lease
with a conditional UPDATE and only the one that got it asks the indexer,
the others wait for its answer (bounded) and use it.

Requests run on a few threads (INDEXER_PARALLEL_REQUESTS), so a slow
indexer holds its own requests only; the threads make HTTP requests and
nothing else, every database read and write stays on the caller's thread.
The whole run stays within HTTP_TOTAL_TIMEOUT_SECONDS (each request's own
deadline is what is left of it, at most INDEXER_TIMEOUT_SECONDS), so a
check holding a source's lease never outlives it.

A failing indexer fails its own searches only: its error is recorded on
the searches and on the indexer (plain words, without the key), the others'
answers are used, and its last good results stay in use until it answers
again. A rate limit (429 with Retry-After, or "request limit reached")
pauses the indexer: nothing is sent to it before ``retry_after_until``.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.db.models import Q
from django.utils import timezone

from . import client, defaults
from .answers import TorznabResult
from .caps import Caps, SearchPlan, plan_search
from .client import Endpoint, IndexerError
from .keys import KeyUnreadable, api_key, redact
from .models import Indexer, IndexerQuery

logger = logging.getLogger(__name__)

_POLL_FIRST_SECONDS = 0.02
_POLL_MAX_SECONDS = 0.25
_LIMIT_SENT_MAX = 100


@dataclass(frozen=True)
class Wanted:
    """One search to make on every indexer: a title, and the season the
    series follows (None: the whole show)."""

    q: str
    season: int | None = None
    tv: bool = True  # False: a free-text search (the Add page), always t=search


@dataclass
class IndexerRun:
    """What one indexer gave for this run."""

    indexer: Indexer
    queries: list[IndexerQuery] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requested: int = 0
    # This run's own answers, for the indexer's status.
    answered: int = 0
    refusals: list[IndexerError] = field(default_factory=list)

    @property
    def error(self) -> str:
        return self.errors[0] if self.errors else ""

    @property
    def failed(self) -> bool:
        """It has an error now and none of its searches answers: what it
        gives is at best an older answer."""
        answering = any(q.fetched_at is not None and not q.last_error for q in self.queries)
        return bool(self.errors) and not answering


@dataclass
class Run:
    indexers: list[IndexerRun] = field(default_factory=list)

    def results(self) -> list[tuple[Indexer, TorznabResult]]:
        """Every result, by indexer priority then search then listing order."""
        found = []
        for entry in self.indexers:
            for query in entry.queries:
                found += [(entry.indexer, TorznabResult.from_json(data)) for data in query.results or []]
        return found

    def errors(self) -> list[str]:
        return [f"{entry.indexer.name}: {entry.error}" for entry in self.indexers if entry.error]

    @property
    def all_failed(self) -> bool:
        return bool(self.indexers) and all(entry.failed for entry in self.indexers)

    @property
    def requested(self) -> int:
        return sum(entry.requested for entry in self.indexers)


class _Clock:
    """The run's overall deadline (monotonic)."""

    def __init__(self, seconds: float) -> None:
        self.ends = time.monotonic() + seconds

    def left(self) -> float:
        return self.ends - time.monotonic()

    def request_budget(self) -> float:
        return max(0.5, min(float(defaults.timeout_seconds()), self.left()))


def enabled_indexers() -> list[Indexer]:
    return list(Indexer.objects.filter(enabled=True).order_by("priority", "name"))


def lease_duration() -> timedelta:
    return timedelta(seconds=defaults.overall_seconds() + 30)


def run(indexers: Iterable[Indexer], wanted: list[Wanted]) -> Run:
    """Ask every indexer every wanted search (or use what is fresh)."""
    clock = _Clock(defaults.overall_seconds())
    outcome = Run([IndexerRun(indexer) for indexer in indexers])
    now = timezone.now()
    endpoints: dict[int, Endpoint] = {}
    for entry in outcome.indexers:
        try:
            endpoints[entry.indexer.pk] = endpoint_for(entry.indexer)
        except KeyUnreadable as exc:
            entry.errors.append(str(exc))
    usable = [e for e in outcome.indexers if e.indexer.pk in endpoints]
    caps = _caps_of(usable, endpoints, clock, now)
    plans: list[tuple[IndexerRun, IndexerQuery]] = []
    for entry in usable:
        if entry.indexer.pk in caps:
            entry.queries = _rows_for(entry.indexer, caps[entry.indexer.pk], wanted, now)
            plans += [(entry, row) for row in entry.queries]
    _ask(plans, endpoints, clock)
    for entry in usable:
        for row in entry.queries:
            if row.last_error and row.last_error not in entry.errors:
                entry.errors.append(row.last_error)
        _record_status(entry)
    return outcome


def endpoint_for(indexer: Indexer) -> Endpoint:
    categories = indexer.categories if isinstance(indexer.categories, list) else defaults.default_categories()
    return Endpoint(indexer.pk, indexer.name, indexer.url, api_key(indexer), tuple(int(c) for c in categories))


def _paused_words(indexer: Indexer, now: datetime) -> str:
    minutes = max(1, round((indexer.retry_after_until - now).total_seconds() / 60))
    return f"rate limited by the indexer; asking again in {minutes} min"


# --- caps -------------------------------------------------------------------


def _caps_of(
    entries: list[IndexerRun], endpoints: dict[int, Endpoint], clock: _Clock, now: datetime
) -> dict[int, Caps]:
    """Each usable indexer's caps: the stored answer while it is fresh
    (INDEXER_CAPS_HOURS), else asked again; an indexer that cannot say,
    and has no earlier answer, has no searches this run."""
    stale_before = now - timedelta(hours=defaults.caps_hours())
    known: dict[int, Caps] = {}
    to_ask: list[IndexerRun] = []
    for entry in entries:
        indexer = entry.indexer
        fresh = indexer.caps_fetched_at is not None and indexer.caps_fetched_at > stale_before and indexer.caps
        if fresh or indexer.is_paused(now):
            if indexer.caps:
                known[indexer.pk] = Caps.from_json(indexer.caps)
            else:
                entry.errors.append(_paused_words(indexer, now))
            continue
        to_ask.append(entry)

    def ask(entry: IndexerRun) -> Caps:
        return client.fetch_caps(endpoints[entry.indexer.pk], total_timeout=clock.request_budget())

    for entry, answer in _parallel(to_ask, ask, clock):
        entry.requested += 1
        indexer = entry.indexer
        if isinstance(answer, Caps):
            indexer.caps, indexer.caps_fetched_at = answer.as_json(), timezone.now()
            Indexer.objects.filter(pk=indexer.pk).update(caps=indexer.caps, caps_fetched_at=indexer.caps_fetched_at)
            entry.answered += 1
            known[indexer.pk] = answer
            continue
        entry.refusals.append(answer)
        if answer.kind == "rate_limited":
            # Paused from now on: its searches are not sent this run either.
            record_error(indexer, answer)
        if indexer.caps:  # the earlier answer still says how to search
            known[indexer.pk] = Caps.from_json(indexer.caps)
        else:
            entry.errors.append(answer.message)
    return known


# --- searches ---------------------------------------------------------------


def _plan_key(plan: SearchPlan, categories: tuple[int, ...], limit: int | None) -> tuple[str, list[tuple[str, str]]]:
    params = plan.params(list(categories), limit)
    key = urlencode([(n, v.casefold() if n == "q" else v) for n, v in params])
    return key, params


def _limit(caps: Caps) -> int | None:
    return min(caps.limit_max, _LIMIT_SENT_MAX) if caps.limit_max else None


def _rows_for(indexer: Indexer, caps: Caps, wanted: list[Wanted], now: datetime) -> list[IndexerQuery]:
    categories = tuple(indexer.categories) if isinstance(indexer.categories, list) else ()
    rows: dict[str, IndexerQuery] = {}
    for want in wanted:
        plan = plan_search(caps, want.q, want.season) if want.tv else SearchPlan("search", want.q, None)
        key, _ = _plan_key(plan, categories, _limit(caps))
        if key in rows or len(key) > IndexerQuery._meta.get_field("key").max_length:
            continue
        row, _ = IndexerQuery.objects.get_or_create(
            indexer=indexer, key=key, defaults={"mode": plan.mode, "q": plan.q[:300], "season": plan.season}
        )
        rows[key] = row
    if rows:
        IndexerQuery.objects.filter(pk__in=[row.pk for row in rows.values()]).update(last_used_at=now)
    return list(rows.values())


def _request_params(row: IndexerQuery) -> list[tuple[str, str]]:
    # The key holds the casefolded q; the request sends the title as written.
    return [(n, row.q if n == "q" else v) for n, v in parse_qsl(row.key, keep_blank_values=True)]


def _is_fresh(row: IndexerQuery, now: datetime) -> bool:
    window = timedelta(minutes=defaults.query_refresh_minutes())
    return bool(window) and row.last_attempt_at is not None and now - row.last_attempt_at < window


def _claim(row: IndexerQuery, now: datetime) -> datetime | None:
    lease = now + lease_duration()
    taken = (
        IndexerQuery.objects.filter(pk=row.pk)
        .filter(Q(refreshing_until__isnull=True) | Q(refreshing_until__lt=now))
        .update(refreshing_until=lease)
    )
    return lease if taken else None


def _ask(plans: list[tuple[IndexerRun, IndexerQuery]], endpoints: dict[int, Endpoint], clock: _Clock) -> None:
    now = timezone.now()
    to_ask: list[tuple[IndexerRun, IndexerQuery, datetime]] = []
    waiting: list[IndexerQuery] = []
    for entry, row in plans:
        if _is_fresh(row, now):
            continue
        if entry.indexer.is_paused(now):
            if _paused_words(entry.indexer, now) not in entry.errors:
                entry.errors.append(_paused_words(entry.indexer, now))
            continue
        lease = _claim(row, now)
        if lease is None:
            waiting.append(row)  # another check is asking it right now
        else:
            to_ask.append((entry, row, lease))

    def ask(job: tuple[IndexerRun, IndexerQuery, datetime]) -> list[TorznabResult]:
        entry, row, _ = job
        return client.search(endpoints[entry.indexer.pk], _request_params(row), total_timeout=clock.request_budget())

    for (entry, row, lease), answer in _parallel(to_ask, ask, clock):
        entry.requested += 1
        if isinstance(answer, IndexerError):
            entry.refusals.append(answer)
        else:
            entry.answered += 1
        _store(row, lease, answer)
    _wait_for_others(waiting, clock)


def _store(row: IndexerQuery, lease: datetime, answer: list[TorznabResult] | IndexerError) -> None:
    now = timezone.now()
    if isinstance(answer, IndexerError):
        fields: dict[str, Any] = {"last_error": answer.message, "last_attempt_at": now}
    else:
        results = [result.as_json() for result in answer]
        fields = {
            "results": results,
            "result_count": len(results),
            "fetched_at": now,
            "last_attempt_at": now,
            "last_error": "",
        }
    for name, value in fields.items():
        setattr(row, name, value)
    row.refreshing_until = None
    if not IndexerQuery.objects.filter(pk=row.pk, refreshing_until=lease).update(refreshing_until=None, **fields):
        # Our lease ran out and another check holds the row: what we got is still true.
        IndexerQuery.objects.filter(pk=row.pk).update(**fields)


def _wait_for_others(rows: list[IndexerQuery], clock: _Clock) -> None:
    poll = _POLL_FIRST_SECONDS
    pending = list(rows)
    while pending and clock.left() > 0:
        time.sleep(min(poll, max(clock.left(), 0)))
        poll = min(poll * 2, _POLL_MAX_SECONDS)
        for row in list(pending):
            row.refresh_from_db()
            if row.refreshing_until is None:
                pending.remove(row)
    for row in pending:  # still being asked elsewhere: use what is stored
        row.refresh_from_db()


def _parallel(jobs: list[Any], ask: Callable[[Any], Any], clock: _Clock) -> list[tuple[Any, Any]]:
    """Run ``ask`` over ``jobs`` on worker threads; (job, answer or
    IndexerError) in the jobs' order. A job that has not finished by the
    deadline answers a timeout (its request's own deadline ends it soon
    after; the thread is not waited for)."""
    if not jobs:
        return []
    pool = ThreadPoolExecutor(
        max_workers=max(1, min(defaults.parallel_requests(), len(jobs))), thread_name_prefix="torznab"
    )
    futures: list[Future] = []
    try:
        futures = [pool.submit(ask, job) for job in jobs]
        wait(futures, timeout=max(clock.left(), 0) + 1.0)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    answers: list[tuple[Any, Any]] = []
    for job, future in zip(jobs, futures, strict=True):
        if not future.done():
            answers.append((job, IndexerError("no answer before the check's deadline", kind="timeout")))
            continue
        try:
            answers.append((job, future.result()))
        except IndexerError as exc:
            answers.append((job, exc))
        except Exception as exc:  # a bug must fail this indexer's search, not the check
            # The traceback's text may quote a request URL: logged without the key.
            logger.error("indexer request failed unexpectedly: %s", redact("".join(traceback.format_exception(exc))))
            answers.append((job, IndexerError(f"the request failed ({type(exc).__name__})", kind="failed")))
    return answers


# --- the indexer's own status -----------------------------------------------


def _record_status(entry: IndexerRun) -> None:
    """The indexer's status after this run's own requests: its last error
    when one of them failed (a rate limit first: it pauses the indexer),
    else answering."""
    if entry.refusals:
        limited = [error for error in entry.refusals if error.kind == "rate_limited"]
        record_error(entry.indexer, (limited or entry.refusals)[-1])
    elif entry.answered:
        record_ok(entry.indexer)


def record_ok(indexer: Indexer) -> None:
    now = timezone.now()
    Indexer.objects.filter(pk=indexer.pk).update(last_ok_at=now, last_error="", retry_after_until=None)
    indexer.last_ok_at, indexer.last_error, indexer.retry_after_until = now, "", None


def record_error(indexer: Indexer, error: IndexerError) -> None:
    now = timezone.now()
    fields: dict[str, Any] = {"last_error": redact(error.message), "last_error_at": now}
    if error.kind == "rate_limited":
        seconds = error.retry_after if error.retry_after else defaults.rate_limit_minutes() * 60
        fields["retry_after_until"] = now + timedelta(seconds=seconds)
    Indexer.objects.filter(pk=indexer.pk).update(**fields)
    for name, value in fields.items():
        setattr(indexer, name, value)
    logger.info("indexer %s: %s", indexer.name, fields["last_error"])


def prune() -> int:
    """Delete searches no source uses and nobody asked for a while."""
    cutoff = timezone.now() - timedelta(days=defaults.query_keep_days())
    deleted, _ = IndexerQuery.objects.filter(last_used_at__lt=cutoff, sources__isnull=True).delete()
    return deleted
