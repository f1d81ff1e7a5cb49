"""Scheduled checks, source by source: each due source is refreshed once,
and items are touched only where something they depend on changed.

Checking item by item costs every item its own source lookup, release
query, matching, decision rewrite, CheckRun and ``last_checked_at`` update,
even when the source answered 304 and nothing else moved: about ten SQL
statements per item, hundreds of items per second. Here a batch of due
items (the scheduler's message, tasks.check_users_task) is split three ways:

- **settled** items: their last check succeeded and nothing the matching
  reads has changed since (the item, its series' metadata, its release
  rules, the owner's settings, its recorded episodes, the source's
  releases; see `settled_ids`). Their sources are refreshed once each; when
  a source is unchanged (304, or fresh within its refresh window) a full
  check would find what the last one found, so its items cost one bulk
  ``last_checked_at`` update and one bulk CheckRun insert for the whole
  batch;
- settled items whose source **changed** (a 200) are checked fully, with
  the refresh already made and the source's releases loaded once for all
  of its items;
- every other item (never checked, last check failed, edited since...) is
  returned to the caller, which queues it as before (checkqueue.py: fair
  per user, retried by the sweep when the broker is down).

A source that fails is not recorded in bulk: its items are checked fully
(each records the error, and the "failing N times" notice counts it).

Sources are refreshed on a few threads (the requests are network waits),
except a provider that reads and writes the database while refreshing
(``refreshes_in_caller_thread``, the indexers' searches) and any refresh
asked inside a transaction: other threads' connections would not see its
uncommitted rows.

What this cannot see: an episode the user deleted since the last check (a
full check would record it again), and a change, since, to an episode the
last check itself recorded (it had no upgrade to weigh: its release was the
best one listed). The item waits for its source's next change, or a "Check
now", which always checks fully.
"""

from __future__ import annotations

import logging
import random
import time
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection, connections, transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.utils import timezone

from .checker import EpisodeChecker
from .models import CheckRun, Episode, EpisodeState, Release, Source, SourceStatus, WatchlistItem, WatchlistSettings
from .release_models import ReleaseRules
from .sources import SourceRefresh, fresh_outcome, max_wait, refresh_source, try_refresh_source

logger = logging.getLogger(__name__)

# Refreshes in flight at once: network waits, not CPU.
REFRESH_THREADS = 8
# Outcomes that leave the source's releases as the item's last check saw them.
UNCHANGED = frozenset({SourceStatus.NOT_MODIFIED, SourceStatus.FRESH})
# An episode in this state may take an upgrade later (a queued one is left
# to finish first), so its item is matched again.
UNSETTLED_EPISODE_STATES = (EpisodeState.QUEUED,)
# Polling of sources another worker is refreshing: one query for all of them.
BUSY_POLL_FIRST_SECONDS = 0.05
BUSY_POLL_MAX_SECONDS = 0.5
# Rows per INSERT of the bulk CheckRuns (the ORM path: SQLite).
INSERT_BATCH = 1000


@dataclass
class BatchReport:
    """What `check_by_source` did, for the task's log and the benchmark."""

    recorded_unchanged: int = 0  # settled items of unchanged sources: bulk-recorded
    checked_changed: int = 0  # settled items of changed sources: matched
    sources_refreshed: int = 0
    left: list[str] = field(default_factory=list)  # item ids for the per-item queue


def _settled() -> Q:
    """True for an item whose last check succeeded and whose inputs are
    unchanged since (evaluated by the database, row by row)."""
    since = OuterRef("last_checked_at")
    last_run_ok = CheckRun.objects.filter(item=OuterRef("pk"), started_at=since, error="")
    releases_moved = Release.objects.filter(source_id=OuterRef("source_id"), last_seen_at__gt=since)
    # Episodes the last check recorded were written after it started; they
    # are its own work, not a change. What an earlier check recorded and
    # was changed since (pinned, downloaded, failed) may change an upgrade.
    # Two probes, not one with an OR: the first is then one lookup in
    # episode_item_updated, the second one read of the few queued episodes
    # (episode_state_updated) for the whole batch, instead of a read of
    # every episode row of every item.
    episodes_moved = Episode.objects.filter(item=OuterRef("pk"), updated_at__gt=since, found_at__lt=since)
    episodes_unsettled = Episode.objects.filter(item=OuterRef("pk"), state__in=UNSETTLED_EPISODE_STATES)
    rules_moved = ReleaseRules.objects.filter(
        Q(item=OuterRef("pk")) | Q(owner=OuterRef("owner_id"), item__isnull=True), updated_at__gt=since
    )
    settings_moved = WatchlistSettings.objects.filter(user=OuterRef("owner_id"), updated_at__gt=since)
    return (
        Q(last_checked_at__isnull=False, updated_at__lte=F("last_checked_at"))
        & (Q(series__isnull=True) | Q(series__fetched_at__lte=F("last_checked_at")))
        & Exists(last_run_ok)
        & ~Exists(releases_moved)
        & ~Exists(episodes_moved)
        & ~Exists(episodes_unsettled)
        & ~Exists(rules_moved)
        & ~Exists(settings_moved)
    )


def settled_rows(item_ids: list[Any]) -> list[tuple[Any, int, bool]]:
    """(id, source id, settled) of each item: one query, no model instances."""
    settled = ExpressionWrapper(_settled(), output_field=BooleanField())
    return list(
        WatchlistItem.objects.filter(pk__in=item_ids)
        .annotate(settled=settled)
        .order_by()  # the model's ordering would sort the rows for nothing
        .values_list("pk", "source_id", "settled")
    )


def _refresh_on_thread(source: Source) -> SourceRefresh | None:
    try:
        return try_refresh_source(source)
    finally:
        connections.close_all()  # this thread's own connections


def _in_caller_thread(source: Source) -> bool:
    from .providers import UnknownProvider, get_provider

    try:
        provider = get_provider(source.provider_id)
    except UnknownProvider:
        return True  # refresh_source records the error; no thread needed
    return bool(getattr(provider, "refreshes_in_caller_thread", False))


def refresh_sources(source_ids: list[int]) -> dict[int, SourceRefresh]:
    """Refresh each source once (see the module docstring for the threads).

    Several workers run batches over the same popular sources at once, so
    the sources' state is read again first, in one query: a source another
    worker refreshed a moment ago costs nothing more. One that another
    worker is refreshing right now is set aside, and the set is read again
    in one query per poll until those refreshes end, instead of a thread
    polling each source.
    """
    outcomes: dict[int, SourceRefresh] = {}
    pending, leased = _reload(source_ids, {}, outcomes)
    random.shuffle(pending)  # workers that share sources start them in different orders
    busy = leased + _refresh_all(pending, outcomes)
    give_up_at = time.monotonic() + max_wait().total_seconds()
    poll = BUSY_POLL_FIRST_SECONDS
    while busy and time.monotonic() < give_up_at:
        time.sleep(poll)
        poll = min(poll * 2, BUSY_POLL_MAX_SECONDS)
        pending, leased = _reload([source.pk for source in busy], {source.pk: source for source in busy}, outcomes)
        busy = leased + _refresh_all(pending, outcomes)
    for source in busy:  # still held after the wait: the blocking path says STALE
        outcomes[source.pk] = refresh_source(source)
    return outcomes


def _reload(
    source_ids: list[int], seen: dict[int, Source], outcomes: dict[int, SourceRefresh]
) -> tuple[list[Source], list[Source]]:
    """Read the sources' state in one query (the only read of them in a
    batch that finds them fresh: one model instance per source, not two)
    and store the outcome of those that need no refresh. Returns the others,
    as read now: those to refresh, and those another worker is refreshing.
    A source gone since it was ``seen`` is refreshed as it was seen (its
    refresh records what became of it); one never seen is skipped."""
    now = timezone.now()
    current = Source.objects.in_bulk(source_ids)
    to_refresh, leased = [], []
    for pk in source_ids:
        row = current.get(pk) or seen.get(pk)
        if row is None:
            continue
        stored = fresh_outcome(row, now)
        if stored is not None:
            outcomes[pk] = stored
        elif row.refreshing_until is not None and row.refreshing_until >= now:
            leased.append(row)
        else:
            to_refresh.append(row)
    return to_refresh, leased


def _refresh_all(sources: list[Source], outcomes: dict[int, SourceRefresh]) -> list[Source]:
    """`try_refresh_source` for each source (on threads where allowed), the
    outcomes stored; returns the sources another worker turned out to hold."""
    threaded = [] if connection.in_atomic_block else [s for s in sources if not _in_caller_thread(s)]
    in_caller = [s for s in sources if s not in threaded]
    results: list[tuple[Source, SourceRefresh | None]] = []
    if len(threaded) > 1:
        with ThreadPoolExecutor(min(REFRESH_THREADS, len(threaded)), thread_name_prefix="refresh") as pool:
            results += zip(threaded, pool.map(_refresh_on_thread, threaded), strict=True)
    else:
        in_caller += threaded
    results += [(source, try_refresh_source(source)) for source in in_caller]
    held = []
    for source, outcome in results:
        if outcome is None:
            held.append(source)
        else:
            outcomes[source.pk] = outcome
    return held


def record_unchanged(rows: list[tuple[Any, int]], outcomes: dict[int, SourceRefresh], started_at: datetime) -> None:
    """A check that found nothing new, for many items (``rows``: id, source
    id): one INSERT of their CheckRuns and one UPDATE of their
    ``last_checked_at``, as `EpisodeChecker._finish` would record them item
    by item. There is nothing to notify: no new episode, no error."""
    if not rows:
        return
    duration_ms = int((timezone.now() - started_at).total_seconds() * 1000)
    if connection.vendor == "postgresql":
        _record_unchanged_postgresql(rows, outcomes, started_at, duration_ms)
        return
    CheckRun.objects.bulk_create(
        [
            CheckRun(
                item_id=pk, started_at=started_at, duration_ms=duration_ms, source_status=outcomes[source_id].status
            )
            for pk, source_id in rows
        ],
        batch_size=INSERT_BATCH,
    )
    # update(): a user's edit made meanwhile stays, and updated_at does not move.
    WatchlistItem.objects.filter(pk__in=[pk for pk, _ in rows]).update(last_checked_at=started_at)


def _record_unchanged_postgresql(
    rows: list[tuple[Any, int]], outcomes: dict[int, SourceRefresh], started_at: datetime, duration_ms: int
) -> None:
    """The same two statements with the ids as two array parameters: binding
    a VALUES row per item (bulk_create) was most of a batch's time."""
    ids = [pk for pk, _ in rows]
    statuses = [outcomes[source_id].status for _, source_id in rows]
    runs, items = CheckRun._meta.db_table, WatchlistItem._meta.db_table
    # One transaction: one commit (a WAL flush, milliseconds on a busy
    # disk) per batch instead of two, and no CheckRun without its item's
    # last_checked_at.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {runs} (item_id, started_at, duration_ms, new_episodes, new_episode_numbers, "  # noqa: S608 - table names from the models
            "queued_episode_numbers, error, source_status) "
            "SELECT t.id, %s, %s, 0, '[]'::jsonb, '[]'::jsonb, '', t.status "
            "FROM unnest(%s::uuid[], %s::varchar[]) AS t(id, status)",
            [started_at, duration_ms, ids, statuses],
        )
        cursor.execute(
            f"UPDATE {items} SET last_checked_at = %s WHERE id = ANY(%s::uuid[])",  # noqa: S608 - as above
            [started_at, ids],
        )


def check_changed(item_ids: list[Any], outcomes: dict[int, SourceRefresh]) -> None:
    """Full checks of items whose source changed, with the refresh made and
    the releases of each source read once for all of its items."""
    by_source: dict[int, list[WatchlistItem]] = defaultdict(list)
    for item in WatchlistItem.objects.select_related("source").filter(pk__in=item_ids):
        by_source[item.source_id].append(item)
    checker = EpisodeChecker()
    for source_id, group in by_source.items():
        releases = list(Release.objects.filter(source_id=source_id).order_by("pk"))
        for item in group:
            checker.check(item, refresh=outcomes[source_id], releases=releases)


def check_by_source(item_ids: Iterable[Any]) -> BatchReport:
    """Check the settled items among ``item_ids`` source by source; return
    the others (``left``) for the per-item queue."""
    started_at = timezone.now()
    clock = time.perf_counter()
    rows = settled_rows(list(item_ids))
    report = BatchReport(left=[str(pk) for pk, _, settled in rows if not settled])
    ready = [(pk, source_id) for pk, source_id, settled in rows if settled]
    if not ready:
        return report
    source_ids = list({source_id for _, source_id in ready})
    outcomes = refresh_sources(source_ids)
    report.sources_refreshed = len(source_ids)
    unchanged = [row for row in ready if row[1] in outcomes and outcomes[row[1]].status in UNCHANGED]
    changed = [pk for pk, source_id in ready if source_id in outcomes and outcomes[source_id].status not in UNCHANGED]
    record_unchanged(unchanged, outcomes, started_at)
    check_changed(changed, outcomes)
    report.recorded_unchanged, report.checked_changed = len(unchanged), len(changed)
    logger.info(
        "checked %d items over %d sources in %.2fs: %d unchanged, %d matched, %d left for the queue",
        len(ready),
        len(source_ids),
        time.perf_counter() - clock,
        len(unchanged),
        len(changed),
        len(report.left),
    )
    return report
