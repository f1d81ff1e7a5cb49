"""Per-user schedules: the dispatcher, interval changes, start/stop.

The dispatcher publishes to the real broker (Redis in CI, the filesystem
transport locally); the tests read the messages back from it.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from kombu.exceptions import OperationalError

from tests.factories import make_item
from tests.support.broker import drain, unreachable_broker
from watchlist import schedule
from watchlist.models import WatchlistSettings

pytestmark = pytest.mark.django_db


class CheckQueue:
    """Accumulates the user ids of check_users_task messages in the broker."""

    def __init__(self) -> None:
        self.user_ids: list[int] = []
        self.messages = 0

    def received(self) -> list[int]:
        for name, args in drain("checks"):
            if name == "watchlist.tasks.check_users_task":
                self.user_ids += args[0]
                self.messages += 1
        return sorted(self.user_ids)


@pytest.fixture
def checks_queue():
    drain("checks")
    yield CheckQueue()
    drain("checks")


def due_settings(user, *, minutes_ago: int = 1, hours: int = 6) -> WatchlistSettings:
    row = WatchlistSettings.for_user(user)
    row.check_interval_hours = hours
    row.next_check_at = timezone.now() - timedelta(minutes=minutes_ago)
    row.save()
    return row


def test_new_users_get_a_schedule_due_now(alice):
    row = WatchlistSettings.objects.get(user=alice)
    assert row.scheduler_enabled is True
    assert row.next_check_at is not None
    assert row.next_check_at <= timezone.now()


def test_dispatch_enqueues_due_users_and_moves_their_next_check(alice, bob, checks_queue):
    now = timezone.now()
    make_item(alice)  # "last run" moves for users with series to check (test_everyday_times.py)
    due_settings(alice, hours=6)
    later = WatchlistSettings.for_user(bob)
    later.next_check_at = now + timedelta(hours=1)
    later.save()

    report = schedule.dispatch_due_users(now)

    assert report.dispatched == 1
    assert checks_queue.received() == [alice.pk]
    row = WatchlistSettings.objects.get(user=alice)
    assert now + timedelta(hours=6) <= row.next_check_at <= now + timedelta(hours=6, minutes=5)
    assert row.last_run_at == now
    # A second tick at the same moment finds nobody due.
    assert schedule.dispatch_due_users(now).dispatched == 0
    assert checks_queue.received() == [alice.pk]


def test_stopped_schedules_are_not_dispatched(alice, checks_queue):
    schedule.stop(due_settings(alice))
    assert schedule.dispatch_due_users().dispatched == 0
    assert checks_queue.received() == []
    schedule.start(WatchlistSettings.objects.get(user=alice))
    assert schedule.dispatch_due_users().dispatched == 1
    assert checks_queue.received() == [alice.pk]


def test_dispatch_works_in_bounded_batches(django_user_model, checks_queue, settings):
    settings.SCHEDULER_USERS_PER_MESSAGE = 2
    users = [django_user_model.objects.create_user(f"user{i}") for i in range(7)]
    for user in users:
        due_settings(user)
    report = schedule.dispatch_due_users(batch_size=3, max_batches=2)
    assert (report.dispatched, report.batches, report.more_due) == (6, 2, True)
    assert schedule.dispatch_due_users(batch_size=3).dispatched == 1
    assert checks_queue.received() == sorted(u.pk for u in users)
    # Batches of 3 users in messages of at most 2: 2 + 2 + 1 messages.
    assert checks_queue.messages == 5


def test_broker_down_moves_nothing_and_the_next_tick_catches_up(alice, checks_queue):
    row = due_settings(alice)
    due_at = row.next_check_at
    with unreachable_broker(), pytest.raises(OperationalError):
        schedule.dispatch_due_users()
    row.refresh_from_db()
    assert row.next_check_at == due_at
    assert row.last_run_at is None

    assert schedule.dispatch_due_users().dispatched == 1
    assert checks_queue.received() == [alice.pk]


def test_shorter_interval_pulls_the_next_check_in_at_once(alice_api, alice):
    row = WatchlistSettings.for_user(alice)
    row.next_check_at = timezone.now() + timedelta(hours=100)
    row.save()
    before = timezone.now()
    response = alice_api.put("/api/watchlist/settings", {"check_interval_hours": 2}, format="json")
    assert response.status_code == 200
    row.refresh_from_db()
    assert before + timedelta(hours=2) <= row.next_check_at <= timezone.now() + timedelta(hours=2)


def test_longer_interval_does_not_delay_a_sooner_check(alice_api, alice):
    row = WatchlistSettings.for_user(alice)
    soon = timezone.now() + timedelta(minutes=10)
    row.next_check_at = soon
    row.save()
    alice_api.put("/api/watchlist/settings", {"check_interval_hours": 48}, format="json")
    row.refresh_from_db()
    assert row.next_check_at == soon


def test_dispatch_spreads_users_of_one_interval_over_the_next_minutes(django_user_model, checks_queue):
    users = [django_user_model.objects.create_user(f"spread{i}") for i in range(30)]
    for user in users:
        due_settings(user, hours=6)
    now = timezone.now()
    schedule.dispatch_due_users(now)
    times = list(WatchlistSettings.objects.filter(user__in=users).values_list("next_check_at", flat=True))
    assert len(set(times)) > 25
    # 1% of 6 hours is 216 seconds of jitter at most.
    assert all(now + timedelta(hours=6) <= t <= now + timedelta(hours=6, seconds=216) for t in times)


def test_jitter_spreads_users_of_one_interval(db):
    now = timezone.now()
    times = {schedule.next_check_after(now, 6) for _ in range(50)}
    assert len(times) > 40
    assert all(now + timedelta(hours=6) <= t <= now + timedelta(hours=6, minutes=5) for t in times)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL; SQLite serialises writers")
def test_two_dispatchers_at_once_never_dispatch_a_user_twice(django_user_model, checks_queue, monkeypatch):
    users = [django_user_model.objects.create_user(f"racer{i}") for i in range(40)]
    for user in users:
        due_settings(user)
    real_publish = schedule._publish
    barrier = threading.Barrier(2)

    def slow_publish(task, user_ids):
        real_publish(task, user_ids)
        # Hold the batch's row locks a moment so that the two dispatchers overlap.
        threading.Event().wait(0.05)

    monkeypatch.setattr(schedule, "_publish", slow_publish)

    def run():
        barrier.wait()
        try:
            schedule.dispatch_due_users(batch_size=5)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    received = checks_queue.received()
    assert len(received) == len(set(received)) == len(users)
