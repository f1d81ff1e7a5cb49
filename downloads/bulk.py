"""Doing one thing to many downloads at once: cancel, retry, clear from the
history.

`POST /api/downloads/bulk` and the downloads page's buttons ("Retry all
failed", "Cancel all queued", "Clear history") call `apply`. Either ``ids``
names the jobs (all or nothing: every entry is checked first, each bad one
named with its error, and nothing changes unless all are fine) or
``all=True`` takes every job of the owner the action applies to: for
``cancel`` the queued ones (running downloads are cancelled by id, so a
click never kills what is half done), for ``retry`` the failed ones, for
``clear`` every finished one.

Clearing hides a finished job from the history lists; its file, and
whatever the caller built on it (episodes, feeds), stay.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from . import manager
from .models import ACTIVE_STATUSES, RETRYABLE_STATUSES, DownloadJob, JobStatus
from .refusals import REFUSED

ACTIONS = ("cancel", "retry", "clear")
MAX_IDS = 1000
FINISHED_STATUSES = (JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED)

# Which states each action accepts by id, and takes with all=True.
_BY_ID = {"cancel": ACTIVE_STATUSES, "retry": RETRYABLE_STATUSES, "clear": FINISHED_STATUSES}
_ALL = {"cancel": (JobStatus.QUEUED,), "retry": (JobStatus.FAILED,), "clear": FINISHED_STATUSES}


def not_cleared() -> Q:
    """Jobs not hidden by "clear history": never cleared, or running again
    or finished again since (a cleared job that is retried comes back)."""
    return Q(cleared_at__isnull=True) | Q(finished_at__isnull=True) | Q(finished_at__gt=F("cleared_at"))


@dataclass
class BulkRefused(Exception):
    """Nothing was changed. ``errors`` is keyed like a DRF error: a field
    name, or for ``ids`` the position of each bad entry. Shared with the
    watchlist's bulk actions, so both APIs refuse in one shape."""

    errors: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class BulkDone:
    action: str
    ids: list[str]

    @property
    def count(self) -> int:
        return len(self.ids)


def parse_ids(raw_ids: Any, *, limit: int, empty: str, too_many: str) -> list[uuid.UUID | None]:
    """Each entry as a UUID, None where it is not one; BulkRefused when the
    list is missing, empty or longer than ``limit``."""
    if not isinstance(raw_ids, list | tuple) or not raw_ids:
        raise BulkRefused({"ids": [empty]})
    if len(raw_ids) > limit:
        raise BulkRefused({"ids": [too_many]})
    parsed: list[uuid.UUID | None] = []
    for value in raw_ids:
        try:
            parsed.append(uuid.UUID(str(value)))
        except ValueError:
            parsed.append(None)
    return parsed


def _parse(raw_ids: Any) -> list[uuid.UUID | None]:
    return parse_ids(
        raw_ids,
        limit=MAX_IDS,
        empty="Give a list of one or more download ids, or all: true.",
        too_many=f"At most {MAX_IDS} ids at once; use all: true for more.",
    )


def _selected(owner: Any, action: str, raw_ids: Any, take_all: bool) -> list[uuid.UUID]:
    jobs = DownloadJob.objects.filter(owner=owner)
    if take_all:
        if raw_ids:
            raise BulkRefused({"ids": ["Give ids or all: true, not both."]})
        return list(jobs.filter(not_cleared(), status__in=_ALL[action]).values_list("pk", flat=True))
    parsed = _parse(raw_ids)
    states = dict(jobs.filter(pk__in=[p for p in parsed if p]).values_list("pk", "status"))
    errors: dict[str, list[str]] = {}
    for index, (value, pk) in enumerate(zip(raw_ids, parsed, strict=True)):
        if pk is None:
            errors[str(index)] = [f"{str(value)[:60]!r} is not a download id."]
        elif pk not in states:
            errors[str(index)] = [f"No download {pk} of yours."]
        elif states[pk] not in _BY_ID[action]:
            errors[str(index)] = [REFUSED[action](states[pk])]
    if errors:
        raise BulkRefused({"ids": errors})
    return list(dict.fromkeys(pk for pk in parsed if pk is not None))


def apply(owner: Any, action: Any, raw_ids: Any = None, *, take_all: bool = False) -> BulkDone:
    """Raises BulkRefused (nothing changed) naming every bad entry."""
    if action not in ACTIONS:
        raise BulkRefused({"action": [f"Unknown action {action!r}; one of: {', '.join(ACTIONS)}."]})
    ids = _selected(owner, action, raw_ids, take_all)
    done: list[str] = []
    with transaction.atomic():
        jobs = list(DownloadJob.objects.select_for_update().filter(owner=owner, pk__in=ids).order_by("created_at"))
        moved = [job for job in jobs if job.status not in _BY_ID[action]]
        if len(jobs) != len(ids) or (moved and not take_all):
            # Changed between the check and the lock: still all or nothing.
            raise BulkRefused({"ids": ["Some of these downloads changed meanwhile; nothing was done. Try again."]})
        now = timezone.now()
        for job in jobs:
            if job.status not in _BY_ID[action]:
                continue  # all=True: finished meanwhile, not asked for by name
            if action == "cancel":
                changed = manager.cancel(job)
            elif action == "retry":
                changed = manager.retry(job)
            else:
                changed = DownloadJob.objects.filter(not_cleared(), pk=job.pk).update(cleared_at=now) == 1
            if changed:
                done.append(str(job.pk))
    return BulkDone(action=action, ids=done)
