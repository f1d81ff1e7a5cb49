"""Turning pending events into messages, and sending them.

``flush_due(now)`` (beat runs it every minute) looks at each target's
pending events and, when the owner's digest rhythm says they are due,
groups them into one OutboxMessage and queues its sending:

- immediately: once NOTIFY_GROUP_SECONDS passed with no new event, or
  NOTIFY_GROUP_MAX_SECONDS after the first one, whichever comes first, so a
  burst of downloads is one message;
- hourly: at the first full hour after the first pending event;
- daily: at NOTIFY_DIGEST_HOUR (TIME_ZONE) after the first pending event.

``send_message(id)`` claims a message with a conditional update, sends it
through targets.send() and records the outcome on the message and on the
target (its last error, in plain words, for its owner). A transient failure
raises TransientSendError for the task to retry with backoff, until
NOTIFY_SEND_MAX_ATTEMPTS; then the message is marked failed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min, Q
from django.utils import timezone

from ..models import DigestMode, NotificationTarget, OutboxEvent, OutboxMessage, WatchlistSettings
from . import cipher, targets
from .grouping import compose, group_events

logger = logging.getLogger(__name__)

# A message claimed this long ago and still "sending" belongs to a worker
# that died: it may be claimed again.
STALE_CLAIM = timedelta(minutes=10)


class TransientSendError(Exception):
    """Sending failed in a way that may pass (a timeout, a 5xx): retry later."""


def due_at(mode: str, first: datetime, last: datetime) -> datetime:
    """When a target's pending events (first and last occurred then) go out."""
    if mode == DigestMode.HOURLY:
        return first.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    if mode == DigestMode.DAILY:
        local = timezone.localtime(first)
        send = local.replace(hour=settings.NOTIFY_DIGEST_HOUR, minute=0, second=0, microsecond=0)
        if send <= local:
            send += timedelta(days=1)
        return send
    quiet = last + timedelta(seconds=settings.NOTIFY_GROUP_SECONDS)
    longest = first + timedelta(seconds=settings.NOTIFY_GROUP_MAX_SECONDS)
    return min(quiet, longest)


def flush_due(now: datetime | None = None) -> list[int]:
    """Make the messages that are due; return their ids. Their sending is
    queued when the transaction commits."""
    now = now or timezone.now()
    pending = (
        OutboxEvent.objects.filter(message__isnull=True, target__enabled=True)
        .values("target_id", "target__owner_id")
        .annotate(first=Min("occurred_at"), last=Max("occurred_at"))
    )
    owners = {row["target__owner_id"] for row in pending}
    modes = dict(WatchlistSettings.objects.filter(user_id__in=owners).values_list("user_id", "notification_digest"))
    made = []
    for row in pending:
        mode = modes.get(row["target__owner_id"], DigestMode.IMMEDIATELY)
        if due_at(mode, row["first"], row["last"]) <= now:
            message_id = make_message(row["target_id"], now)
            if message_id is not None:
                made.append(message_id)
    return made


def make_message(target_id: int, now: datetime | None = None) -> int | None:
    """Group the target's pending events into one message (and queue it)."""
    from .tasks import send_message_task  # tasks import this module

    now = now or timezone.now()
    with transaction.atomic():
        # skip_locked: a second flush running at the same time leaves these
        # events to this one instead of sending them twice.
        events = list(
            OutboxEvent.objects.select_for_update(skip_locked=True)
            .filter(target_id=target_id, message__isnull=True)
            .order_by("occurred_at", "id")
        )
        if not events:
            return None
        title, body = compose(group_events(events))
        message = OutboxMessage.objects.create(target_id=target_id, title=title, body=body, created_at=now)
        OutboxEvent.objects.filter(pk__in=[e.pk for e in events]).update(message=message)
        send_message_task.delay_on_commit(message.pk)
    return message.pk


def redispatch_stuck(now: datetime | None = None) -> int:
    """Queue again the messages whose task was lost (a broker outage at
    commit, a retry that never came back)."""
    from .tasks import send_message_task

    now = now or timezone.now()
    patience = timedelta(seconds=settings.NOTIFY_SEND_RETRY_MAX_SECONDS) + STALE_CLAIM
    stuck = OutboxMessage.objects.filter(
        Q(status=OutboxMessage.Status.PENDING, created_at__lt=now - STALE_CLAIM, claimed_at__isnull=True)
        | Q(status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.SENDING], claimed_at__lt=now - patience)
    ).values_list("pk", flat=True)[:500]
    count = 0
    for message_id in stuck:
        send_message_task.delay(message_id)
        count += 1
    return count


@dataclass(frozen=True)
class Delivered:
    sent: bool
    error: str = ""


def _claim(message_id: int, now: datetime) -> OutboxMessage | None:
    claimable = Q(status=OutboxMessage.Status.PENDING) | Q(
        status=OutboxMessage.Status.SENDING, claimed_at__lt=now - STALE_CLAIM
    )
    changed = OutboxMessage.objects.filter(claimable, pk=message_id).update(
        status=OutboxMessage.Status.SENDING, claimed_at=now
    )
    if changed != 1:
        return None  # gone, sent, failed for good, or another worker has it
    return OutboxMessage.objects.select_related("target").get(pk=message_id)


def send_message(message_id: int) -> Delivered | None:
    """Send one message; None when there was nothing to do. Raises
    TransientSendError when the task should try again later."""
    now = timezone.now()
    message = _claim(message_id, now)
    if message is None:
        return None
    target = message.target
    attempts = message.attempts + 1
    if not target.enabled:
        _finish(message, attempts, OutboxMessage.Status.FAILED, "the target is turned off")
        return Delivered(False, "the target is turned off")
    try:
        url = cipher.decrypt(target.url_encrypted)
    except cipher.Undecryptable as exc:
        outcome = targets.SendOutcome(False, str(exc), permanent=True)
    else:
        outcome = targets.send(url, message.title, message.body)
    record_outcome(target, outcome)
    if outcome.ok:
        _finish(message, attempts, OutboxMessage.Status.SENT, "")
        return Delivered(True)
    if outcome.permanent or attempts >= settings.NOTIFY_SEND_MAX_ATTEMPTS:
        _finish(message, attempts, OutboxMessage.Status.FAILED, outcome.error)
        return Delivered(False, outcome.error)
    _finish(message, attempts, OutboxMessage.Status.PENDING, outcome.error)
    raise TransientSendError(outcome.error)


def _finish(message: OutboxMessage, attempts: int, status: str, error: str) -> None:
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=status,
        attempts=attempts,
        error=error,
        sent_at=timezone.now() if status == OutboxMessage.Status.SENT else None,
    )


def record_outcome(target: NotificationTarget, outcome: targets.SendOutcome) -> None:
    """The target's last success or last error, for its owner to see."""
    now = timezone.now()
    if outcome.ok:
        NotificationTarget.objects.filter(pk=target.pk).update(last_sent_at=now, last_error="", last_error_at=None)
        target.last_sent_at, target.last_error, target.last_error_at = now, "", None
    else:
        NotificationTarget.objects.filter(pk=target.pk).update(last_error=outcome.error, last_error_at=now)
        target.last_error, target.last_error_at = outcome.error, now


TEST_TITLE = "Watchlist: test notification"
TEST_BODY = "This target works: Watchlist notifications will arrive here."


def send_test(target: NotificationTarget) -> targets.SendOutcome:
    """Send a test message now (the dashboard's and the API's "Test")."""
    try:
        url = cipher.decrypt(target.url_encrypted)
    except cipher.Undecryptable as exc:
        outcome = targets.SendOutcome(False, str(exc), permanent=True)
    else:
        outcome = targets.send(url, TEST_TITLE, TEST_BODY)
    record_outcome(target, outcome)
    return outcome
