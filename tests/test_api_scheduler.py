"""The three scheduler endpoints, /api/system/status and /healthz."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from tests.support.broker import unreachable_broker
from watchlist.models import Heartbeat, WatchlistSettings

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("beat_entries")]

STATUS_FIELDS = {
    "running",
    "next_run",
    "last_run",
    "settings",
    "beat_alive",
    "beat_seen_at",
    "worker_alive",
    "worker_seen_at",
}


def test_status_shows_the_users_schedule(alice_api, alice):
    row = WatchlistSettings.objects.get(user=alice)
    body = alice_api.get("/api/watchlist/scheduler/status").json()
    assert set(body) == STATUS_FIELDS
    assert body["running"] is True
    assert body["next_run"] == row.next_check_at.isoformat().replace("+00:00", "Z")
    assert body["settings"]["check_interval_hours"] == 6
    # Nothing has run the dispatcher in this test database.
    assert (body["beat_alive"], body["worker_alive"]) == (False, False)


def test_stop_and_start_act_on_the_users_own_schedule_only(alice_api, bob_api, alice, bob):
    stopped = alice_api.post("/api/watchlist/scheduler/stop")
    assert stopped.status_code == 200
    assert stopped.json()["running"] is False
    assert stopped.json()["next_run"] is None
    assert WatchlistSettings.objects.get(user=alice).scheduler_enabled is False
    assert WatchlistSettings.objects.get(user=bob).scheduler_enabled is True
    assert bob_api.get("/api/watchlist/scheduler/status").json()["running"] is True

    started = alice_api.post("/api/watchlist/scheduler/start/")
    assert started.json()["running"] is True
    assert started.json()["next_run"] is not None
    assert WatchlistSettings.objects.get(user=alice).scheduler_enabled is True


def test_the_system_dispatcher_is_not_a_users_to_stop(alice_api):
    alice_api.post("/api/watchlist/scheduler/stop")
    assert PeriodicTask.objects.get(task="watchlist.tasks.dispatch_due_users_task").enabled is True


def test_liveness_follows_beat_and_worker_traces(alice_api):
    dispatcher = PeriodicTask.objects.get(task="watchlist.tasks.dispatch_due_users_task")
    dispatcher.last_run_at = timezone.now() - timedelta(seconds=30)
    dispatcher.save()
    Heartbeat.beat(Heartbeat.DISPATCHER)
    body = alice_api.get("/api/watchlist/scheduler/status").json()
    assert (body["beat_alive"], body["worker_alive"]) == (True, True)

    PeriodicTask.objects.filter(pk=dispatcher.pk).update(last_run_at=timezone.now() - timedelta(hours=1))
    Heartbeat.objects.update(seen_at=timezone.now() - timedelta(hours=1))
    body = alice_api.get("/api/watchlist/scheduler/status").json()
    assert (body["beat_alive"], body["worker_alive"]) == (False, False)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/watchlist/scheduler/status"),
        ("post", "/api/watchlist/scheduler/start"),
        ("post", "/api/watchlist/scheduler/stop"),
        ("get", "/api/system/status"),
    ],
)
def test_scheduler_endpoints_need_a_token(anon_api, method, path):
    assert getattr(anon_api, method)(path).status_code == 401


def test_system_status_is_for_staff_only(alice_api, admin_api, alice):
    assert alice_api.get("/api/system/status").status_code == 403
    WatchlistSettings.objects.filter(user=alice).update(next_check_at=timezone.now() - timedelta(minutes=5))
    body = admin_api.get("/api/system/status").json()
    assert body["users_due"] >= 1
    assert body["oldest_due_at"] is not None
    assert set(body["queues"]) == {"checks", "downloads", "celery"}
    assert all(isinstance(n, int) for n in body["queues"].values())
    assert body["downloads_running"] == 0


def test_healthz_is_ok_when_database_and_broker_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_is_503_naming_the_broker_when_it_is_down(client):
    with unreachable_broker():
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] != "ok"


def test_the_migration_seeds_the_watchlist_tasks(db):
    from importlib import import_module

    from django.apps import apps

    PeriodicTask.objects.all().delete()
    migration = import_module("watchlist.migrations.0004_seed_beat_schedule")
    migration.seed(apps, None)
    migration.seed(apps, None)  # idempotent
    rows = {row.task: row for row in PeriodicTask.objects.all()}
    assert set(rows) == {
        "watchlist.tasks.dispatch_due_users_task",
        "watchlist.notify.tasks.flush_notifications_task",
        "watchlist.metadata.tasks.dispatch_airing_checks_task",
        "watchlist.metadata.tasks.dispatch_metadata_refresh_task",
    }
    assert rows["watchlist.tasks.dispatch_due_users_task"].interval.every == 60
    assert rows["watchlist.tasks.dispatch_due_users_task"].queue == "checks"
    # The reaper is the downloads app's own (test_downloads_tasks.py).
