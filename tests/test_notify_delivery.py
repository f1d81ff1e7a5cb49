"""Less noise: events close in time become one message (and one in-app
row), digests go out hourly or daily, each target gets the kinds it wants,
and sending retries with backoff without ever breaking a check or a
download. Time is moved with time-machine, never slept through."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from downloads.models import DownloadJob, JobStatus
from downloads.signals import download_finished
from tests.factories import make_item
from tests.notify_helpers import make_target
from tests.support.receivers import Answer
from watchlist.models import (
    CheckRun,
    DigestMode,
    Episode,
    EpisodeState,
    Notification,
    OutboxEvent,
    OutboxMessage,
    WatchlistSettings,
)
from watchlist.notifications import notify_check
from watchlist.notify import delivery, events
from watchlist.notify.events import emit
from watchlist.notify.kinds import EventKind
from watchlist.notify.tasks import send_message_task
from watchlist_project.celery import app as celery_app

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 29, 10, 5, tzinfo=UTC)


@pytest.fixture
def receiver(receiver, settings):
    """The shared receiver, with grouping windows these tests count on."""
    settings.NOTIFY_GROUP_SECONDS = 120
    settings.NOTIFY_GROUP_MAX_SECONDS = 900
    return receiver


@pytest.fixture
def eager(settings):
    """Celery tasks run in this process, retries included (countdown ignored).
    The Celery app reads the live Django settings."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert celery_app.conf.task_always_eager


@pytest.fixture
def frieren(alice):
    return make_item(alice, anime_title="Frieren")


@pytest.fixture
def hook(alice, receiver):
    return make_target(alice, f"json://{receiver.netloc}/hook")


def flush(capture, when: datetime) -> list[int]:
    with time_machine.travel(when, tick=False), capture(execute=True):
        return delivery.flush_due()


def titles(receiver) -> list[str]:
    return [p.json()["title"] for p in receiver.posted]


def test_four_downloads_close_together_are_one_message(
    frieren, hook, receiver, eager, django_capture_on_commit_callbacks
):
    for n, seconds in zip((5, 6, 7, 8), (0, 30, 60, 90), strict=True):
        with time_machine.travel(T0 + timedelta(seconds=seconds), tick=False):
            emit(EventKind.DOWNLOAD_COMPLETED, frieren, episodes=[n])
    # Still inside the quiet window after the last one: nothing yet.
    assert flush(django_capture_on_commit_callbacks, T0 + timedelta(seconds=90 + 119)) == []
    assert receiver.posted == []
    made = flush(django_capture_on_commit_callbacks, T0 + timedelta(seconds=90 + 120))
    assert len(made) == 1
    assert titles(receiver) == ["Frieren: episodes 5-8 downloaded"]
    assert receiver.posted[0].json()["message"] == "Frieren: episodes 5-8 downloaded."
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == (OutboxMessage.Status.SENT, 1)
    assert OutboxEvent.objects.filter(message=message).count() == 4
    # The dashboard groups the same way: one unread row.
    [row] = Notification.objects.filter(user=frieren.owner)
    assert row.message == "Frieren: episodes 5-8 downloaded."
    assert (row.event_count, row.episodes) == (4, [5, 6, 7, 8])
    # Nothing left to send.
    assert flush(django_capture_on_commit_callbacks, T0 + timedelta(hours=1)) == []
    assert len(receiver.posted) == 1


def test_a_steady_stream_still_goes_out_after_the_longest_wait(
    frieren, hook, receiver, eager, django_capture_on_commit_callbacks
):
    for i in range(12):  # every 100 s: the 120 s quiet window never comes
        with time_machine.travel(T0 + timedelta(seconds=100 * i), tick=False):
            emit(EventKind.NEW_EPISODES, frieren, episodes=[i + 1])
    assert flush(django_capture_on_commit_callbacks, T0 + timedelta(seconds=899)) == []
    assert len(flush(django_capture_on_commit_callbacks, T0 + timedelta(seconds=900))) == 1
    assert titles(receiver) == ["Frieren: new episodes 1-12"]


def test_in_app_rows_split_when_events_are_far_apart_or_already_read(frieren, settings):
    settings.NOTIFY_GROUP_SECONDS = 120
    with time_machine.travel(T0, tick=False):
        emit(EventKind.DOWNLOAD_COMPLETED, frieren, episodes=[1])
    with time_machine.travel(T0 + timedelta(seconds=60), tick=False):
        emit(EventKind.DOWNLOAD_COMPLETED, frieren, episodes=[2])
    with time_machine.travel(T0 + timedelta(seconds=400), tick=False):
        emit(EventKind.DOWNLOAD_COMPLETED, frieren, episodes=[3])
    messages = list(Notification.objects.order_by("created_at").values_list("message", flat=True))
    assert messages == ["Frieren: episodes 1-2 downloaded.", "Frieren: episode 3 downloaded."]
    Notification.objects.update(read_at=T0)
    with time_machine.travel(T0 + timedelta(seconds=410), tick=False):
        emit(EventKind.DOWNLOAD_COMPLETED, frieren, episodes=[4])
    assert Notification.objects.filter(read_at__isnull=True).get().message == "Frieren: episode 4 downloaded."


def test_hourly_digest_goes_out_at_the_top_of_the_hour(
    alice, frieren, hook, receiver, eager, django_capture_on_commit_callbacks
):
    WatchlistSettings.objects.filter(user=alice).update(notification_digest=DigestMode.HOURLY)
    dune = make_item(alice, anime_title="Dungeon Meshi")
    with time_machine.travel(T0, tick=False):  # 10:05
        emit(EventKind.DOWNLOAD_COMPLETED, frieren, episodes=[5])
    with time_machine.travel(T0 + timedelta(minutes=35), tick=False):  # 10:40
        emit(EventKind.DOWNLOAD_FAILED, dune, episodes=[2], detail="HTTP 404 Not Found from media.example.org")
    assert flush(django_capture_on_commit_callbacks, datetime(2026, 11, 29, 10, 59, 59, tzinfo=UTC)) == []
    assert len(flush(django_capture_on_commit_callbacks, datetime(2026, 11, 29, 11, 0, tzinfo=UTC))) == 1
    [posted] = receiver.posted
    assert posted.json()["title"] == "Watchlist: 2 updates"
    assert posted.json()["message"] == (
        "- Frieren: episode 5 downloaded.\n"
        "- Dungeon Meshi: episode 2 could not be downloaded: HTTP 404 Not Found from media.example.org."
    )


def test_daily_digest_waits_for_the_digest_hour(
    alice, frieren, hook, receiver, eager, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFY_DIGEST_HOUR = 8
    WatchlistSettings.objects.filter(user=alice).update(notification_digest=DigestMode.DAILY)
    with time_machine.travel(datetime(2026, 11, 29, 9, 0, tzinfo=UTC), tick=False):
        emit(EventKind.SERIES_COMPLETED, frieren)
    assert flush(django_capture_on_commit_callbacks, datetime(2026, 11, 30, 7, 59, tzinfo=UTC)) == []
    assert len(flush(django_capture_on_commit_callbacks, datetime(2026, 11, 30, 8, 0, tzinfo=UTC))) == 1
    assert titles(receiver) == ["Frieren: every episode is downloaded; the series is complete"]


def test_each_target_gets_only_the_events_it_wants(alice, frieren, receiver, eager, django_capture_on_commit_callbacks):
    make_target(alice, f"json://{receiver.netloc}/done", name="Done", events=[EventKind.DOWNLOAD_COMPLETED])
    make_target(alice, f"json://{receiver.netloc}/failed", name="Failed", events=[EventKind.DOWNLOAD_FAILED])
    make_target(alice, f"json://{receiver.netloc}/off", name="Off", enabled=False)
    with time_machine.travel(T0, tick=False):
        emit(EventKind.DOWNLOAD_COMPLETED, frieren, episodes=[1])
        emit(EventKind.DOWNLOAD_FAILED, frieren, episodes=[2], detail="the server went away")
    flush(django_capture_on_commit_callbacks, T0 + timedelta(hours=1))
    by_path = {p.path: p.json()["title"] for p in receiver.posted}
    assert by_path == {
        "/done": "Frieren: episode 1 downloaded",
        "/failed": "Frieren: episode 2 could not be downloaded: the server went away",
    }


def test_bobs_events_never_reach_alices_targets(alice, bob, hook, receiver, eager, django_capture_on_commit_callbacks):
    bobs = make_item(bob, anime_title="Bob's show")
    with time_machine.travel(T0, tick=False):
        emit(EventKind.DOWNLOAD_COMPLETED, bobs, episodes=[1])
    flush(django_capture_on_commit_callbacks, T0 + timedelta(hours=1))
    assert receiver.posted == []


def test_transient_failures_are_retried_until_it_arrives(
    frieren, hook, receiver, eager, django_capture_on_commit_callbacks
):
    receiver.answers = [Answer(503), Answer(500), Answer(200)]
    with time_machine.travel(T0, tick=False):
        emit(EventKind.DOWNLOAD_COMPLETED, frieren, episodes=[1])
    flush(django_capture_on_commit_callbacks, T0 + timedelta(hours=1))
    assert len(receiver.posted) == 3
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts, message.error) == (OutboxMessage.Status.SENT, 3, "")
    hook.refresh_from_db()
    assert hook.last_error == "" and hook.last_sent_at is not None


def test_the_task_declares_retries_with_backoff(settings):
    assert delivery.TransientSendError in send_message_task.autoretry_for
    assert send_message_task.retry_backoff == settings.NOTIFY_SEND_RETRY_BASE_SECONDS
    assert send_message_task.retry_backoff_max == settings.NOTIFY_SEND_RETRY_MAX_SECONDS
    assert send_message_task.retry_jitter is True


def test_a_message_is_given_up_after_the_last_attempt(
    frieren, hook, receiver, eager, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFY_SEND_MAX_ATTEMPTS = 2
    receiver.answers = lambda posted: Answer(503)
    with time_machine.travel(T0, tick=False):
        emit(EventKind.DOWNLOAD_COMPLETED, frieren, episodes=[1])
    flush(django_capture_on_commit_callbacks, T0 + timedelta(hours=1))
    assert len(receiver.posted) == 2
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == (OutboxMessage.Status.FAILED, 2)
    hook.refresh_from_db()
    assert "503" in hook.last_error or "unavailable" in hook.last_error.lower()


def test_a_refused_address_fails_at_once_with_the_rules_words(
    alice, frieren, eager, settings, django_capture_on_commit_callbacks
):
    settings.PRIVATE_SOURCE_ALLOWLIST = ["127.0.0.1:6379"]
    target = make_target(alice, "json://127.0.0.1:6379/")  # allowed when it was saved...
    settings.PRIVATE_SOURCE_ALLOWLIST = []  # ...not any more
    with time_machine.travel(T0, tick=False):
        emit(EventKind.DOWNLOAD_COMPLETED, frieren, episodes=[1])
    flush(django_capture_on_commit_callbacks, T0 + timedelta(hours=1))
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == (OutboxMessage.Status.FAILED, 1)
    target.refresh_from_db()
    assert target.last_error == "refused by the address rules: address 127.0.0.1 is loopback and not allowed"


def test_a_broken_target_never_breaks_a_download(alice, frieren, eager, django_capture_on_commit_callbacks):
    target = make_target(alice, "json://hooks.example.org/x")
    target.url_encrypted = "not a fernet token"
    target.save()
    episode = Episode.objects.create(item=frieren, number=3, url="https://media.example.org/3.mkv")
    job = DownloadJob.objects.create(
        owner=alice,
        url=episode.url,
        destination="/tmp/x.mkv",
        status=JobStatus.COMPLETED,
        metadata={"episode_id": episode.pk},
    )
    Episode.objects.filter(pk=episode.pk).update(download_job=job)
    with time_machine.travel(T0, tick=False):
        download_finished.send(sender=DownloadJob, job=job)
    episode.refresh_from_db()
    assert episode.state == EpisodeState.DOWNLOADED
    flush(django_capture_on_commit_callbacks, T0 + timedelta(hours=1))
    target.refresh_from_db()
    assert "cannot be decrypted" in target.last_error
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.FAILED


def test_even_a_failing_event_store_never_breaks_a_download(alice, frieren, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("the outbox is on fire")

    monkeypatch.setattr(events, "_queue_for_targets", explode)
    episode = Episode.objects.create(item=frieren, number=4, url="https://media.example.org/4.mkv")
    job = DownloadJob.objects.create(
        owner=alice, url=episode.url, destination="/tmp/y.mkv", metadata={"episode_id": episode.pk}
    )
    Episode.objects.filter(pk=episode.pk).update(download_job=job)
    download_finished.send(sender=DownloadJob, job=job)
    episode.refresh_from_db()
    frieren.refresh_from_db()
    assert episode.state == EpisodeState.DOWNLOADED and frieren.last_episode_downloaded == 4


def _failed_check(item, error="HTTP 503 Service Unavailable from media.example.org"):
    CheckRun.objects.create(item=item, error=error)
    notify_check(item, [], error)


def test_source_failing_is_said_once_when_the_streak_reaches_the_threshold(frieren, hook, settings):
    settings.NOTIFY_SOURCE_FAILING_AFTER = 3
    _failed_check(frieren)
    _failed_check(frieren)
    assert not OutboxEvent.objects.exists() and not Notification.objects.exists()
    _failed_check(frieren)
    _failed_check(frieren)  # the 4th: already said
    [event] = OutboxEvent.objects.all()
    assert event.kind == EventKind.SOURCE_FAILING
    assert "3 checks in a row failed; last error: HTTP 503" in event.detail
    [row] = Notification.objects.all()
    assert row.kind == Notification.Kind.SOURCE_FAILING
    assert row.message.startswith("Frieren: the source keeps failing (3 checks in a row failed")
    # A success ends the streak; a new streak is said again.
    CheckRun.objects.create(item=frieren)
    notify_check(frieren, [], None)
    for _ in range(3):
        _failed_check(frieren)
    assert OutboxEvent.objects.filter(kind=EventKind.SOURCE_FAILING).count() == 2


def test_new_episodes_reach_targets_and_the_dashboard_only_when_asked(alice, frieren, hook):
    CheckRun.objects.create(item=frieren, new_episodes=2)
    notify_check(frieren, [5, 6], None)
    assert OutboxEvent.objects.get().episodes == [5, 6]
    assert not Notification.objects.exists()  # notify_on_new_episodes is off
    WatchlistSettings.objects.filter(user=alice).update(notify_on_new_episodes=True)
    notify_check(frieren, [7], None)
    assert Notification.objects.get().message == "Frieren: new episode 7."


def test_a_lost_send_is_queued_again(frieren, hook, receiver, eager, django_capture_on_commit_callbacks):
    with time_machine.travel(T0, tick=False):
        OutboxMessage.objects.create(target=hook, title="Lost", body="in the broker", created_at=T0)
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        assert delivery.redispatch_stuck() == 0
    with time_machine.travel(T0 + timedelta(minutes=11), tick=False):
        assert delivery.redispatch_stuck() == 1
    assert titles(receiver) == ["Lost"]
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT


def test_the_migration_seeds_the_minute_flush_for_beat():
    from importlib import import_module

    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    PeriodicTask.objects.all().delete()
    migration = import_module("watchlist.migrations.0006_notify")
    migration.seed_flush_entry(apps, None)
    migration.seed_flush_entry(apps, None)  # idempotent
    row = PeriodicTask.objects.get(task="watchlist.notify.tasks.flush_notifications_task")
    assert (row.interval.every, row.interval.period, row.queue) == (60, "seconds", "checks")
