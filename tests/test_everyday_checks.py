"""Checking people can trust: a new series checked right after it is added
(queued, not in the request), no green banner for a source that gives
nothing, times that agree (next check after "Check now", a new user's "Last
run", beat judged by its heartbeat), the watchlist following its checks and
its tab counts, and the check history in plain words."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from tests.check_helpers import every_episode, feed_item, serve_feed
from tests.factories import item_data, make_item
from tests.support.broker import drain
from watchlist import checkqueue, schedule
from watchlist.beat import DISPATCHER_TASK
from watchlist.heartbeats import BEAT, _Stamper, beat_tick
from watchlist.liveness import liveness
from watchlist.models import CheckRun, Heartbeat, ItemStatus, PendingCheck, SourceStatus, WatchlistSettings
from watchlist.templatetags.watchlist_ui import clock
from watchlist.web.check_history import history_lines

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def loopback_sources(settings, tmp_path):
    settings.ALLOW_PRIVATE_SOURCES = True
    settings.DOWNLOAD_DIR = tmp_path / "library"


def card_of(html: str, item) -> str:
    start = html.index(f'id="item-{item.pk}"')
    return html[start : html.index("</article>", start)]


# --- a new item is checked right after it is added ------------------------------


def test_an_item_added_by_the_api_is_queued_for_a_check_not_checked_in_the_request(
    alice, alice_api, http_server, django_capture_on_commit_callbacks
):
    url = serve_feed(http_server, "/frieren.xml", every_episode(1, 2))
    drain("checks")
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_api.post("/api/watchlist", item_data(anime_url=url, provider_id="feed"), format="json")
    assert response.status_code == 201
    item_id = response.json()["id"]
    assert http_server.requests_for("/frieren.xml") == []  # not fetched in the request
    assert PendingCheck.objects.filter(item_id=item_id, claimed_until__isnull=True).exists()
    assert [name for name, _ in drain("checks")] == ["watchlist.tasks.run_queued_check_task"]
    # The worker's side: the token's check runs it.
    checkqueue.run_next()
    run = CheckRun.objects.get(item_id=item_id)
    assert run.new_episodes == 2 and run.error == ""
    assert not PendingCheck.objects.exists()


def test_an_item_added_paused_is_not_checked(alice_api, http_server):
    url = serve_feed(http_server, "/paused.xml", every_episode(1))
    body = item_data(anime_url=url, provider_id="feed", status="paused")
    assert alice_api.post("/api/watchlist", body, format="json").status_code == 201
    assert not PendingCheck.objects.exists()


def test_adding_on_the_dashboard_does_not_greet_a_404_with_a_green_banner(alice_web, alice, http_server):
    url = http_server.url("/gone/feed.xml")
    response = alice_web.post(
        "/items/new/",
        {"anime_title": "Gone", "anime_url": url, "provider_id": "feed", "quality_preference": "auto"},
    )
    assert response.status_code == 302
    page = alice_web.get("/")
    messages = [(m.level_tag, str(m)) for m in page.context["messages"]]
    assert messages == [("info", "“Gone” is on your watchlist. Its source is being checked now.")]
    item = alice.watchlist_items.get()
    html = page.content.decode()
    assert "Checking its source…" in card_of(html, item)
    # The queued check runs: the card the page polls for turns red.
    checkqueue.run_next()
    live = alice_web.get(f"/items/live/?id={item.pk}").content.decode()
    assert "item__result--error" in live and "HTTP 404 Not Found" in live
    assert 'hx-swap-oob="true"' in live
    assert 'hx-trigger="every 2s"' not in live  # nothing left to wait for: the polling stops


def test_check_now_of_a_source_that_lists_nothing_is_a_warning_not_green(alice_web, alice, http_server):
    empty = http_server.add("/empty/", "<html><body><h1>Nothing here</h1></body></html>")
    item = make_item(alice, anime_url=empty, provider_id="directory")
    response = alice_web.post(f"/items/{item.pk}/check/", follow=True)
    [message] = list(response.context["messages"])
    assert message.level_tag == "warning"
    assert "lists no episode of this series" in str(message)
    html = alice_web.post(f"/items/{item.pk}/check/", **HTMX).content.decode()
    assert "item__result--warning" in html


def test_check_now_with_episodes_stays_green(alice_web, alice, http_server):
    item = feed_item(alice, serve_feed(http_server, "/ok.xml", every_episode(1, 2)), last_episode_downloaded=2)
    response = alice_web.post(f"/items/{item.pk}/check/", follow=True)
    [message] = list(response.context["messages"])
    assert (message.level_tag, str(message)) == ("success", f"{item.anime_title}: No new episodes.")


# --- times that agree -------------------------------------------------------------


def _next_check_text(html: str, item) -> str:
    card = card_of(html, item)
    return re.search(r'class="next-check">.*?</div>', card, re.S).group(0)


def test_after_check_now_the_next_check_is_now_plus_the_interval(alice_web, alice, http_server):
    item = feed_item(alice, serve_feed(http_server, "/t.xml", every_episode(1)))
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        # The user's schedule ran 5 minutes ago: its next run is in 5 h 55.
        WatchlistSettings.objects.filter(user=alice).update(
            check_interval_hours=6, next_check_at=start + timedelta(hours=5, minutes=55)
        )
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        now = timezone.now()
        alice_web.post(f"/items/{item.pk}/check/")
        row = WatchlistSettings.objects.get(user=alice)
        # That run would have found nothing due (checked 3 h 55 before it),
        # so the schedule now counts from this check.
        assert row.next_check_at == now + timedelta(hours=6)
        html = alice_web.get("/").content.decode()
        assert "in 6 h 00 min" in _next_check_text(html, item)
        status = alice_web.get("/api/watchlist/scheduler/status").json()
        assert status["next_run"].startswith((now + timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M"))


def test_check_now_keeps_a_run_that_still_has_work(alice_web, alice, http_server):
    checked = feed_item(alice, serve_feed(http_server, "/a.xml", every_episode(1)))
    other = make_item(alice)  # never checked: due at the next run
    at = timezone.now() + timedelta(hours=1)
    WatchlistSettings.objects.filter(user=alice).update(next_check_at=at)
    alice_web.post(f"/items/{checked.pk}/check/")
    assert WatchlistSettings.objects.get(user=alice).next_check_at == at
    assert other.last_checked_at is None


def test_the_card_counts_the_schedulers_slack(alice_web, alice, http_server):
    """A run takes items checked a little less than an interval before it:
    the card names that run, not the one after (the old 12 h on 6 h)."""
    item = feed_item(alice, serve_feed(http_server, "/s.xml", every_episode(1)))
    now = timezone.now()
    CheckRun.objects.create(item=item, started_at=now)
    type(item).objects.filter(pk=item.pk).update(last_checked_at=now - timedelta(minutes=10))
    at = now + timedelta(hours=5, minutes=45)  # 5 h 55 after the check: within the 10 % slack
    WatchlistSettings.objects.filter(user=alice).update(check_interval_hours=6, next_check_at=at)
    html = alice_web.get("/").content.decode()
    assert "in 5 h 4" in _next_check_text(html, item)


def test_a_new_users_last_run_says_never(alice, bob, alice_web):
    make_item(bob)
    now = timezone.now()
    WatchlistSettings.objects.filter(user__in=[alice, bob]).update(next_check_at=now - timedelta(seconds=1))
    from unittest import mock

    with mock.patch.object(schedule, "_publish"):  # the broker's part is tested in test_schedule.py
        assert schedule.dispatch_due_users(now).dispatched == 2
    rows = {row.user_id: row for row in WatchlistSettings.objects.all()}
    assert rows[alice.pk].last_run_at is None  # nothing to check yet: still "never"
    assert rows[alice.pk].next_check_at > now  # but the schedule moved on
    assert rows[bob.pk].last_run_at == now
    card = alice_web.get("/settings/").content.decode()
    assert re.search(r"<dt>Last run</dt><dd>\s*Never\s*</dd>", card)


def test_beat_is_judged_by_its_heartbeat_without_flapping(db):
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.MINUTES)
    start = timezone.now()
    # django-celery-beat saves last_run_at every 3 minutes: it lags by up to 3 min.
    PeriodicTask.objects.create(name="d", task=DISPATCHER_TASK, interval=every_minute, last_run_at=start)
    seen = []
    for second in range(0, 600, 10):  # beat alive for 10 minutes, ticking
        with time_machine.travel(start + timedelta(seconds=second), tick=False):
            Heartbeat.objects.update_or_create(name=BEAT, defaults={"seen_at": timezone.now()})
            if second % 180 == 0:
                PeriodicTask.objects.filter(name="d").update(last_run_at=timezone.now())
            seen.append(liveness()["beat_alive"])
    assert all(seen)
    with time_machine.travel(start + timedelta(seconds=600 + 65), tick=False):
        assert liveness()["beat_alive"] is False  # stopped: said within a minute


def test_without_a_heartbeat_last_run_at_is_read_with_room_to_spare(db):
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.MINUTES)
    now = timezone.now()
    PeriodicTask.objects.create(
        name="d", task=DISPATCHER_TASK, interval=every_minute, last_run_at=now - timedelta(minutes=3, seconds=30)
    )
    assert liveness()["beat_alive"] is True  # between two of its 3-minute saves
    PeriodicTask.objects.filter(name="d").update(last_run_at=now - timedelta(minutes=6))
    assert liveness()["beat_alive"] is False


def test_beats_tick_stamps_the_heartbeat_at_most_every_ten_seconds(transactional_db, tmp_path):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        beat_tick()
    _wait_for(lambda: Heartbeat.objects.filter(name=BEAT).exists())
    first = Heartbeat.objects.get(name=BEAT).seen_at
    stamper = _Stamper("test", 10)
    calls = []
    stamper._write = lambda name, detail: (calls.append(name), stamper._running.release())
    for _ in range(5):
        stamper("x", {})
    assert calls == ["x"]  # throttled: one write for five ticks within 10 s
    assert first is not None


def _wait_for(condition, timeout: float = 5.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


# --- the watchlist follows its checks and its counts -----------------------------------


def test_the_list_polls_while_its_checks_run(alice_web, alice):
    waiting, idle = make_item(alice), make_item(alice)
    PendingCheck.objects.create(item=waiting, owner=alice)
    html = alice_web.get("/").content.decode()
    assert f"/items/live/?id={waiting.pk}" in html and 'hx-trigger="every 2s"' in html
    assert "Checking its source…" in card_of(html, waiting)
    assert "Checking its source…" not in card_of(html, idle)
    # Still running: the poller comes back with the same id and no card.
    live = alice_web.get(f"/items/live/?id={waiting.pk}").content.decode()
    assert 'hx-trigger="every 2s"' in live and "<article" not in live
    # Done: its card comes out of band with the check's outcome.
    PendingCheck.objects.all().delete()
    CheckRun.objects.create(item=waiting, new_episodes=2, new_episode_numbers=[3, 4], queued_episode_numbers=[3, 4])
    response = alice_web.get(f"/items/live/?id={waiting.pk}")
    live = response.content.decode()
    assert "2 new episodes, 2 queued" in card_of(live, waiting)
    assert response["HX-Trigger"] == "watchlist-changed"
    assert 'hx-trigger="every 2s"' not in live


def test_the_live_poll_shows_nothing_of_other_users(alice_web, bob):
    theirs = make_item(bob)
    PendingCheck.objects.create(item=theirs, owner=bob)
    live = alice_web.get(f"/items/live/?id={theirs.pk}").content.decode()
    assert str(theirs.pk) not in live and theirs.anime_title not in live


def test_pause_resume_and_delete_tell_the_tabs_to_recount(alice_web, alice):
    item = make_item(alice)
    make_item(alice)
    html = alice_web.get("/").content.decode()
    assert 'hx-trigger="watchlist-changed from:body"' in html
    response = alice_web.post(f"/items/{item.pk}/pause/", **HTMX)
    assert response["HX-Trigger"] == "watchlist-changed"
    counts = alice_web.get("/items/counts/").content.decode()
    assert re.search(r'id="count-paused" hx-swap-oob="true">1<', counts)
    assert re.search(r'id="count-active" hx-swap-oob="true">1<', counts)
    assert alice_web.post(f"/items/{item.pk}/resume/", **HTMX)["HX-Trigger"] == "watchlist-changed"
    assert alice_web.post(f"/items/{item.pk}/delete/", **HTMX)["HX-Trigger"] == "watchlist-changed"
    counts = alice_web.get("/items/counts/").content.decode()
    assert re.search(r'id="count-all" hx-swap-oob="true">1<', counts)


# --- the check history in plain words --------------------------------------------------------


def test_check_history_says_since_when_the_source_is_unchanged(alice_web, alice):
    item = make_item(alice)
    now = timezone.now()
    read = now - timedelta(hours=3)
    CheckRun.objects.create(
        item=item, started_at=read, source_status=SourceStatus.FETCHED, new_episodes=1, new_episode_numbers=[5]
    )
    CheckRun.objects.create(item=item, started_at=now - timedelta(hours=2), source_status=SourceStatus.NOT_MODIFIED)
    CheckRun.objects.create(item=item, started_at=now - timedelta(hours=1), source_status=SourceStatus.FRESH)
    html = alice_web.get(f"/items/{item.pk}/").content.decode()
    section = html[html.index('id="checks"') :]
    assert "No new episodes" in section
    assert re.search(rf"Source unchanged since <time[^>]*>{clock(read)}</time>", section)
    assert "Source read anew (it had changed)" in section
    assert "Fetched (changed)" not in section and "Revalidated (304)" not in section


def test_history_lines_use_the_read_before_the_window():
    now = timezone.now()
    earlier = now - timedelta(days=2)
    run = CheckRun(started_at=now, source_status=SourceStatus.NOT_MODIFIED)
    [line] = history_lines([run], read_before=earlier)
    assert (line.source, line.since) == ("Source unchanged since", earlier)
    [line] = history_lines([CheckRun(started_at=now, error="HTTP 404 Not Found from x", source_status="error")])
    assert (line.level, line.outcome) == ("error", "HTTP 404 Not Found from x")


def test_a_paused_reason_shows_on_the_card_and_goes_on_resume(alice_web, alice):
    item = make_item(alice, status=ItemStatus.PAUSED, paused_reason="provider 'animesama' does not exist here")
    assert "Provider &#x27;animesama&#x27; does not exist here" in card_of(alice_web.get("/").content.decode(), item)
    alice_web.post(f"/items/{item.pk}/resume/")
    item.refresh_from_db()
    assert (item.status, item.paused_reason) == (ItemStatus.ACTIVE, "")
