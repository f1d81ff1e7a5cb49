"""Dashboard: the schedule card on the settings page: start/stop, the next
run with its countdown, and the warning when beat or a worker is missing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from watchlist.liveness import DISPATCHER_TASK
from watchlist.models import Heartbeat, WatchlistSettings

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def card(html: str) -> str:
    start = html.index('id="scheduler"')
    return html[start : html.index("</section>", start)]


def machinery(*, beat: bool, worker: bool) -> None:
    """What beat and a worker leave in the database when they run."""
    now = timezone.now()
    long_ago = now - timedelta(hours=2)
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.MINUTES)
    PeriodicTask.objects.update_or_create(
        task=DISPATCHER_TASK,
        defaults={
            "name": "dispatch",
            "interval": every_minute,
            "enabled": True,
            "last_run_at": now if beat else long_ago,
        },
    )
    Heartbeat.objects.update_or_create(name=Heartbeat.DISPATCHER, defaults={"seen_at": now if worker else long_ago})


def test_schedule_on_shows_next_run_with_a_live_countdown(alice_web, alice):
    machinery(beat=True, worker=True)
    at = timezone.now() + timedelta(hours=2, minutes=5, seconds=30)
    WatchlistSettings.objects.filter(user=alice).update(scheduler_enabled=True, next_check_at=at)
    html = card(alice_web.get("/settings/").content.decode())
    assert 'badge--active">On<' in html
    assert timezone.localtime(at).strftime("%H:%M") in html
    assert re.search(r'<span class="countdown" data-countdown="[^"]+">in 2 h 05 min</span>', html)
    assert "Stop schedule" in html
    assert 'hx-trigger="every 30s"' in html  # re-reads the time the dispatcher moved
    assert "nothing runs it" not in html


def test_an_overdue_run_says_due_now(alice_web, alice):
    machinery(beat=True, worker=True)
    WatchlistSettings.objects.filter(user=alice).update(next_check_at=timezone.now() - timedelta(seconds=30))
    assert ">due now</span>" in card(alice_web.get("/settings/").content.decode())


def test_schedule_off(alice_web, alice):
    WatchlistSettings.objects.filter(user=alice).update(scheduler_enabled=False)
    html = card(alice_web.get("/settings/").content.decode())
    assert 'badge--paused">Off<' in html
    assert "Schedule off" in html and "data-countdown" not in html
    assert "Start schedule" in html
    assert "nothing runs it" not in html  # a stopped schedule needs nothing running


@pytest.mark.parametrize(
    ("beat", "worker", "missing"),
    [(False, False, ["Celery beat", "A worker"]), (False, True, ["Celery beat"]), (True, False, ["A worker"])],
)
def test_warning_when_beat_or_worker_is_not_alive(alice_web, alice, beat, worker, missing):
    machinery(beat=beat, worker=worker)
    html = card(alice_web.get("/settings/").content.decode())
    assert "Your schedule is on, but nothing runs it." in html
    assert 'role="alert"' in html
    for name in missing:
        assert name in html
    assert "last seen" in html
    for name in {"Celery beat", "A worker"} - set(missing):
        assert name not in html


def test_warning_when_nothing_was_ever_seen(alice_web):
    html = card(alice_web.get("/settings/").content.decode())
    assert "nothing runs it" in html and "never seen" in html


def test_stop_and_start_with_htmx(alice_web, alice):
    machinery(beat=True, worker=True)
    response = alice_web.post("/settings/scheduler/stop/", **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<section") and "<html" not in html
    assert "Start schedule" in html
    assert WatchlistSettings.objects.get(user=alice).scheduler_enabled is False
    WatchlistSettings.objects.filter(user=alice).update(next_check_at=None)
    html = alice_web.post("/settings/scheduler/start/", **HTMX).content.decode()
    row = WatchlistSettings.objects.get(user=alice)
    assert row.scheduler_enabled is True and row.next_check_at is not None  # due at once
    assert "Stop schedule" in html and "due now" in html


def test_start_and_stop_without_javascript(alice_web, alice):
    response = alice_web.post("/settings/scheduler/stop/", follow=True)
    assert response.redirect_chain[-1][0] == "/settings/"
    assert "Your schedule is off." in response.content.decode()
    response = alice_web.post("/settings/scheduler/start/", follow=True)
    assert "Your schedule is on." in response.content.decode()


def test_a_shorter_interval_moves_the_next_run(alice_web, alice):
    machinery(beat=True, worker=True)
    WatchlistSettings.objects.filter(user=alice).update(
        check_interval_hours=24, next_check_at=timezone.now() + timedelta(hours=20)
    )
    form = {"check_interval_hours": "2", "max_concurrent_auto_downloads": "2", "auto_download_enabled": "on"}
    alice_web.post("/settings/", form)
    html = card(alice_web.get("/settings/").content.decode())
    assert re.search(r'data-countdown="[^"]+">in (1 h 59|2 h 00) min</span>', html), html


def test_scheduler_card_alone_and_post_only(alice_web):
    response = alice_web.get("/settings/scheduler/", **HTMX)
    assert response.status_code == 200 and "<html" not in response.content.decode()
    assert alice_web.get("/settings/scheduler/start/").status_code == 405
    assert alice_web.get("/settings/scheduler/stop/").status_code == 405


def test_scheduler_actions_are_per_user(alice_web, alice, bob):
    alice_web.post("/settings/scheduler/stop/")
    assert WatchlistSettings.objects.get(user=bob).scheduler_enabled is True


def test_scheduler_needs_a_session():
    for path in ("/settings/scheduler/", "/settings/scheduler/start/"):
        response = Client().post(path) if path.endswith("start/") else Client().get(path)
        assert response.status_code == 302 and response["Location"].startswith("/login/")
