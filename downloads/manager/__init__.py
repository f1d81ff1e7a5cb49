"""The download service (a package: queueing, dispatch, transitions,
user_actions, reaper, announce): queue jobs, keep each owner under their cap, move
jobs between states, and announce outcomes.

State lives in `DownloadJob`; every transition is a conditional UPDATE that
acts only when the row is in the state it expects, so a duplicate Celery
message, a reaper racing a slow worker, or a cancel racing a finish all
resolve to exactly one winner.

Per-owner cap. A queued job is either *waiting* (no Celery message yet) or
*dispatched* (`dispatched_at` set, a message is in the broker). The owner's
busy slots are their running jobs plus their dispatched ones; waiting jobs
are dispatched oldest first while busy < cap, each time a job is queued or a
slot frees. The count-then-dispatch runs under a lock on the owner's user
row (see `dispatch_waiting`) so two workers finishing at once cannot both
see a free slot and exceed the cap.

Global cap. MAX_PARALLEL_DOWNLOADS bounds the busy jobs of all owners
together, counted the same way under a database-wide lock, so it holds
however many download workers consume the queue.
"""

from __future__ import annotations

from . import dispatch
from .dispatch import _busy, _busy_everywhere, dispatch_waiting, global_cap, owners_with_waiting_jobs, send
from .options import setting
from .queueing import MAX_NAME_VARIANTS, enqueue, schemes_of
from .reaper import ReapReport, reap_stale
from .transitions import Claim, backoff_seconds, claim, complete, fail, request_for, requeue, retry_pause_left
from .user_actions import cancel, retry

__all__ = [
    "MAX_NAME_VARIANTS",
    "Claim",
    "ReapReport",
    "_busy",
    "_busy_everywhere",
    "backoff_seconds",
    "cancel",
    "claim",
    "complete",
    "dispatch",
    "dispatch_waiting",
    "enqueue",
    "fail",
    "global_cap",
    "owners_with_waiting_jobs",
    "reap_stale",
    "request_for",
    "requeue",
    "retry",
    "retry_pause_left",
    "schemes_of",
    "send",
    "setting",
]
