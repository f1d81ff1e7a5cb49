""" "Check now" (the API's POST /api/watchlist/{id}/check and the dashboard's
button): a check that runs in the web request, bounded so that one user
cannot tie up the web for everyone, and answered without revealing what
other users do.

- **Bounded in time**: the source's fetch has an overall deadline
  (HTTP_TOTAL_TIMEOUT_SECONDS, downloads/net/deadline.py) and waiting for
  another check's refresh of the same source is bounded by it too
  (sources.max_wait), so a check holds its web thread for about that long
  at most, however slowly the source answers.
- **One at a time per user** (MANUAL_CHECKS_PER_USER): a user's further
  "Check now" while one runs is refused at once (`CheckBusy`, HTTP 429)
  instead of taking another web thread. The count lives in the shared cache,
  so it holds across web processes.
- **No window onto other users**: sources are shared, so a check may be
  answered from a fetch another user's check made minutes ago ("fresh",
  no request, instantly). Answering a user with someone else's fetch would
  tell them that somebody tracks that source. So a manual check uses the
  stored fetch only when this user's own checks saw it; otherwise it makes
  its own (conditional, cheap) request. Which fetch a user saw is kept in
  the shared cache per (source, owner); losing it costs one extra request.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache

from . import limits
from .check_times import align_schedule
from .checker import CheckResult, check_item
from .models import Source, SourceStatus, WatchlistItem

logger = logging.getLogger(__name__)

BUSY_RETRY_AFTER_SECONDS = 5
_SEEN_STATUSES = (SourceStatus.FETCHED, SourceStatus.NOT_MODIFIED, SourceStatus.ERROR, SourceStatus.STALE)


class CheckBusy(Exception):
    """The user already has as many "Check now" running as allowed."""

    message = "A check you started is still running; try again when it has finished."
    retry_after = BUSY_RETRY_AFTER_SECONDS


def _slots() -> int:
    return int(getattr(settings, "MANUAL_CHECKS_PER_USER", limits.MANUAL_CHECKS_PER_USER))


def _slot_seconds() -> int:
    # Longer than a check can run; a web process that dies mid-check frees
    # its slot when this runs out.
    return int(getattr(settings, "HTTP_TOTAL_TIMEOUT_SECONDS", 30)) * 2 + 60


@contextmanager
def _user_slot(owner_id: int) -> Iterator[None]:
    token = uuid.uuid4().hex
    taken: str | None = None
    try:
        for n in range(_slots()):
            key = f"manual-check:{owner_id}:{n}"
            if cache.add(key, token, _slot_seconds()):
                taken = key
                break
        else:
            raise CheckBusy()
    except CheckBusy:
        raise
    except Exception:
        # The shared cache is down: checks are still bounded in time.
        logger.exception("manual checks: the cache cannot be reached; not limiting this check")
    try:
        yield
    finally:
        if taken is not None:
            try:
                if cache.get(taken) == token:
                    cache.delete(taken)
            except Exception:
                logger.exception("manual checks: the cache cannot be reached; the slot expires on its own")


def _seen_key(source_id: int, owner_id: int) -> str:
    return f"source-seen:{source_id}:{owner_id}"


def _fetch_stamp(source_id: int) -> str:
    values = Source.objects.filter(pk=source_id).values_list("last_attempt_at", flat=True)
    stamp = next(iter(values), None)
    return stamp.isoformat() if stamp else ""


def _saw_current_fetch(item: WatchlistItem) -> bool:
    stamp = _fetch_stamp(item.source_id)
    if not stamp:
        return False
    try:
        return cache.get(_seen_key(item.source_id, item.owner_id)) == stamp
    except Exception:
        return False


def remember_fetch_seen(item: WatchlistItem, result: CheckResult) -> None:
    """Record that the owner's check saw the source's latest fetch (it made
    it, or waited for it)."""
    if result.source_status not in _SEEN_STATUSES:
        return
    try:
        cache.set(_seen_key(item.source_id, item.owner_id), _fetch_stamp(item.source_id), 24 * 3600)
    except Exception:
        logger.warning("manual checks: the cache cannot be written", exc_info=True)


def check_now(item: WatchlistItem) -> CheckResult:
    """Run a manual check of ``item`` for its owner; raises CheckBusy."""
    with _user_slot(item.owner_id):
        result = check_item(item, force_refresh=not _saw_current_fetch(item))
        remember_fetch_seen(item, result)
    # The next run now counts from this check (check_times.py).
    align_schedule(item.owner_id)
    return result
