"""A real Celery worker (prefork, Redis broker, the test PostgreSQL
database) turns pending events into one grouped message, sends it to a
receiver on 127.0.0.1, and keeps the address rules in its own process."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tests.factories import make_item
from tests.notify_helpers import make_target
from tests.support.celery_worker import Worker, worker_env
from tests.support.processes import needs_shared_services, wait_for
from tests.support.receivers import CountingListener, WebhookReceiver
from watchlist.models import NotificationTarget, OutboxMessage
from watchlist.notify.events import emit
from watchlist.notify.kinds import EventKind
from watchlist.notify.tasks import flush_notifications_task

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True), needs_shared_services]


def test_a_worker_sends_one_grouped_message_and_refuses_a_local_target(alice, settings, tmp_path: Path):
    receiver = WebhookReceiver().start()
    listener = CountingListener().start()
    settings.PRIVATE_SOURCE_ALLOWLIST = [receiver.netloc]
    env = worker_env(tmp_path / "library", tmp_path / "var")
    env.update({"ALLOW_PRIVATE_SOURCES": "false", "PRIVATE_SOURCE_ALLOWLIST": receiver.netloc})
    worker = Worker(env, tmp_path / "worker.log", concurrency=1).start()
    try:
        good = make_target(alice, f"json://{receiver.netloc}/hook", name="Hook")
        settings.PRIVATE_SOURCE_ALLOWLIST = [receiver.netloc, f"127.0.0.1:{listener.port}"]
        bad = make_target(alice, f"json://127.0.0.1:{listener.port}/", name="Local")  # the worker does not allow it
        item = make_item(alice, anime_title="Frieren")
        earlier = timezone.now() - timedelta(minutes=30)
        for n in (5, 6, 7, 8):
            emit(EventKind.DOWNLOAD_COMPLETED, item, episodes=[n], when=earlier + timedelta(seconds=n))

        flush_notifications_task.delay()

        wait_for(lambda: len(receiver.posted) == 1, 60, "the grouped message", worker.output)
        assert receiver.posted[0].json()["title"] == "Frieren: episodes 5-8 downloaded"
        wait_for(lambda: NotificationTarget.objects.get(pk=bad.pk).last_error != "", 30, "the refusal", worker.output)
        assert NotificationTarget.objects.get(pk=bad.pk).last_error == (
            "refused by the address rules: address 127.0.0.1 is loopback and not allowed"
        )
        assert listener.connections_so_far() == 0
        assert NotificationTarget.objects.get(pk=good.pk).last_sent_at is not None
        statuses = dict(OutboxMessage.objects.values_list("target__name", "status"))
        assert statuses == {"Hook": OutboxMessage.Status.SENT, "Local": OutboxMessage.Status.FAILED}
    finally:
        worker.stop()
        receiver.stop()
        listener.stop()
