"""Dashboard: "Check now" on a row and on the item page, "Next check", and
the item page's episodes, check history and per-episode download button.
Checks read a real feed from the loopback server."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from downloads.models import DownloadJob
from tests.check_helpers import every_episode, feed_item, serve_feed
from tests.factories import make_item
from watchlist.checker import CheckResult
from watchlist.models import CheckRun, Episode, EpisodeState, ItemStatus, SourceStatus, WatchlistSettings
from watchlist.templatetags.watchlist_ui import duration_text
from watchlist.web.views_checks import result_text

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def loopback_sources(settings, tmp_path):
    settings.ALLOW_PRIVATE_SOURCES = True  # the feeds live on 127.0.0.1
    settings.DOWNLOAD_DIR = tmp_path / "library"


def card_of(html: str, item) -> str:
    start = html.index(f'id="item-{item.pk}"')
    return html[start : html.index("</article>", start)]


# --- Check now on a row ---------------------------------------------------------


def test_check_now_swaps_the_card_with_what_it_found(alice_web, alice, http_server):
    url = serve_feed(http_server, "/frieren.xml", every_episode(1, 2, 3))
    item = feed_item(alice, url, last_episode_downloaded=1, auto_download=False)
    response = alice_web.post(f"/items/{item.pk}/check/", **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<article class="item item--active" id="item-{item.pk}"')
    assert '<p class="item__result" role="status">' in html
    assert "2 new episodes" in html
    assert "queued" not in re.search(r'item__result".*?</p>', html, re.S).group(0)
    assert "just now" in html  # "Last checked" moved
    assert len(http_server.requests_for("/frieren.xml")) == 1
    assert sorted(Episode.objects.filter(item=item).values_list("number", flat=True)) == [2, 3]
    assert CheckRun.objects.get(item=item).new_episodes == 2


def test_check_now_with_auto_download_queues_the_new_episodes(alice_web, alice, http_server):
    url = serve_feed(http_server, "/frieren.xml", every_episode(1, 2, 3))
    item = feed_item(alice, url, last_episode_downloaded=1, auto_download=True)
    html = alice_web.post(f"/items/{item.pk}/check/", **HTMX).content.decode()
    assert "2 new episodes, 2 queued" in html
    assert DownloadJob.objects.filter(owner=alice).count() == 2


def test_check_now_says_when_nothing_is_new(alice_web, alice, http_server):
    item = feed_item(alice, serve_feed(http_server, "/frieren.xml", every_episode(1)), last_episode_downloaded=1)
    html = alice_web.post(f"/items/{item.pk}/check/", **HTMX).content.decode()
    assert "No new episodes" in html


def test_check_now_shows_a_failing_source_in_plain_words(alice_web, alice, http_server):
    http_server.add("/gone.xml", "not here", status=404)
    item = feed_item(alice, http_server.url("/gone.xml"))
    response = alice_web.post(f"/items/{item.pk}/check/", **HTMX)
    assert response.status_code == 200  # the check ran; its source failed
    html = response.content.decode()
    result = re.search(r'<p class="item__result item__result--error" role="status">.*?</p>', html, re.S)
    assert result, html
    text = re.sub(r"<[^>]+>", "", result.group(0))
    assert "Check failed:" in text
    assert "404" in text
    assert "Traceback" not in html
    assert CheckRun.objects.get(item=item).error


def test_the_result_text_counts_new_and_queued():
    def result(new: int, queued: int, error: str | None = None) -> CheckResult:
        return CheckResult(
            item_id=None,  # type: ignore[arg-type]
            anime_title="x",
            checked_at=timezone.now(),
            new_episodes=[{"episode": n} for n in range(new)],
            queued=list(range(queued)),
            error=error,
        )

    assert result_text(result(2, 2)) == "2 new episodes, 2 queued"
    assert result_text(result(1, 0)) == "1 new episode"
    assert result_text(result(0, 0)) == "No new episodes"
    assert result_text(result(0, 0, "the server answered 500")) == "Check failed: the server answered 500"


def test_check_now_without_javascript_redirects_with_a_message(alice_web, alice, http_server):
    item = feed_item(alice, serve_feed(http_server, "/frieren.xml", every_episode(1, 2)), auto_download=False)
    response = alice_web.post(f"/items/{item.pk}/check/", {"next": "/?status=active"}, follow=True)
    assert response.redirect_chain[-1][0] == "/?status=active"
    assert f"{item.anime_title}: 2 new episodes." in response.content.decode()


def test_check_now_on_the_item_page_comes_back_to_it(alice_web, alice, http_server):
    item = feed_item(alice, serve_feed(http_server, "/frieren.xml", every_episode(1)), auto_download=False)
    response = alice_web.post(f"/items/{item.pk}/check/")
    assert response.status_code == 302
    assert response["Location"] == f"/items/{item.pk}/"


def test_check_now_on_another_users_item_is_404_and_fetches_nothing(bob_web, alice, http_server):
    item = feed_item(alice, serve_feed(http_server, "/frieren.xml", every_episode(1)))
    assert bob_web.post(f"/items/{item.pk}/check/", **HTMX).status_code == 404
    assert http_server.requests_for("/frieren.xml") == []
    assert not CheckRun.objects.exists()


def test_check_now_needs_post_and_a_session(alice_web, alice):
    item = make_item(alice)
    assert alice_web.get(f"/items/{item.pk}/check/").status_code == 405
    response = Client().post(f"/items/{item.pk}/check/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_every_row_has_a_check_now_button(alice_web, alice):
    item = make_item(alice)
    card = card_of(alice_web.get("/").content.decode(), item)
    assert f'hx-post="/items/{item.pk}/check/"' in card
    assert "Check now" in card


# --- Next check -------------------------------------------------------------------


def test_next_check_is_the_schedules_time_with_a_countdown(alice_web, alice):
    at = timezone.now() + timedelta(minutes=42, seconds=30)
    WatchlistSettings.objects.filter(user=alice).update(scheduler_enabled=True, next_check_at=at)
    item = make_item(alice)
    card = card_of(alice_web.get("/").content.decode(), item)
    assert "Next check" in card
    assert re.search(r'<span class="countdown" data-countdown="[^"]+">in 42 min \d\d s</span>', card), card
    assert timezone.localtime(at).strftime("%H:%M") in card


def test_next_check_says_schedule_off(alice_web, alice):
    WatchlistSettings.objects.filter(user=alice).update(scheduler_enabled=False)
    item = make_item(alice)
    card = card_of(alice_web.get("/").content.decode(), item)
    assert "Schedule off" in card
    assert "data-countdown" not in card


def test_next_check_of_paused_and_archived_items(alice_web, alice):
    paused = make_item(alice, status=ItemStatus.PAUSED)
    archived = make_item(alice, status=ItemStatus.ARCHIVED)
    html = alice_web.get("/").content.decode()
    assert '<span class="muted">Paused</span>' in card_of(html, paused)
    assert "Not checked" in card_of(html, archived)


def test_an_item_checked_just_now_waits_for_a_later_run(alice_web, alice):
    """The next dispatch skips an item checked within the interval; the line
    names the run that will really check it."""
    now = timezone.now()
    WatchlistSettings.objects.filter(user=alice).update(
        check_interval_hours=6, scheduler_enabled=True, next_check_at=now + timedelta(hours=1)
    )
    item = make_item(alice)
    type(item).objects.filter(pk=item.pk).update(last_checked_at=now)
    card = card_of(alice_web.get("/").content.decode(), item)
    assert re.search(r'data-countdown="[^"]+">in (6 h 59|7 h 00) min<', card), card


def test_the_list_reads_the_schedule_once(alice_web, alice, django_assert_max_num_queries):
    for _ in range(5):
        make_item(alice)
    alice_web.get("/")  # warm: session, settings row
    with django_assert_max_num_queries(12):
        alice_web.get("/")


def test_the_countdown_format_matches_app_js():
    assert duration_text(5) == "5 s"
    assert duration_text(65) == "1 min 05 s"
    assert duration_text(3 * 3600 + 5 * 60) == "3 h 05 min"
    assert duration_text(2 * 86400 + 4 * 3600) == "2 d 4 h"
    assert duration_text(-3) == "0 s"


# --- Item page: episodes, history, per-episode download -------------------------


def test_item_page_lists_episodes_with_their_state(alice_web, alice, http_server):
    item = feed_item(alice, serve_feed(http_server, "/frieren.xml", every_episode(1, 2, 3)), auto_download=False)
    alice_web.post(f"/items/{item.pk}/check/")
    Episode.objects.filter(item=item, number=2).update(state=EpisodeState.DOWNLOADED)
    Episode.objects.filter(item=item, number=3).update(state=EpisodeState.FAILED)
    html = alice_web.get(f"/items/{item.pk}/").content.decode()
    assert 'id="episodes"' in html
    rows = {n: html[html.index(f'id="episode-{n}"') :].split("</li>", 1)[0] for n in (1, 2, 3)}
    assert 'badge--ep-new">New<' in rows[1]
    assert f"/items/{item.pk}/episodes/1/download/" in rows[1]
    assert 'badge--ep-downloaded">Downloaded<' in rows[2]
    assert "/download/" not in rows[2]  # nothing to download again
    assert 'badge--ep-failed">Failed<' in rows[3]
    assert "Try again" in rows[3]


def test_item_page_shows_the_check_history_in_plain_words(alice_web, alice):
    item = make_item(alice)
    now = timezone.now()
    CheckRun.objects.create(
        item=item,
        started_at=now - timedelta(hours=2),
        duration_ms=840,
        new_episodes=2,
        new_episode_numbers=[4, 5],
        queued_episode_numbers=[4, 5],
        source_status=SourceStatus.FETCHED,
    )
    CheckRun.objects.create(
        item=item,
        started_at=now - timedelta(hours=1),
        duration_ms=1500,
        error="the server answered 503 (Service Unavailable)",
        source_status=SourceStatus.ERROR,
    )
    for n in range(25):
        CheckRun.objects.create(item=item, started_at=now - timedelta(days=3, minutes=n), source_status="fresh")
    html = alice_web.get(f"/items/{item.pk}/").content.decode()
    section = html[html.index('id="checks"') :]
    assert section.count('<li class="check-run') == 20  # the last 20 only
    assert "The server answered 503 (Service Unavailable)" in section
    assert "2 new episodes (4, 5), 2 queued" in section
    assert "840 ms" in section and "1.5 s" in section
    assert section.index("503") < section.index("(4, 5)")  # newest first


def test_download_button_queues_the_episode(alice_web, alice, http_server):
    item = feed_item(alice, serve_feed(http_server, "/frieren.xml", every_episode(1, 2)), auto_download=False)
    alice_web.post(f"/items/{item.pk}/check/")
    response = alice_web.post(f"/items/{item.pk}/episodes/2/download/", **HTMX)
    assert response.status_code == 200
    assert response["HX-Trigger"] == "downloads-changed"
    html = response.content.decode()
    assert html.lstrip().startswith('<li class="episode" id="episode-2">')
    assert 'badge--ep-queued">Queued<' in html
    assert Episode.objects.get(item=item, number=2).state == EpisodeState.QUEUED
    job = DownloadJob.objects.get(owner=alice)
    assert job.metadata["item_id"] == str(item.pk) and job.metadata["episode"] == 2
    # A second click queues nothing more.
    alice_web.post(f"/items/{item.pk}/episodes/2/download/", **HTMX)
    assert DownloadJob.objects.count() == 1


def test_download_button_without_javascript(alice_web, alice, http_server):
    item = feed_item(alice, serve_feed(http_server, "/frieren.xml", every_episode(1)), auto_download=False)
    alice_web.post(f"/items/{item.pk}/check/")
    response = alice_web.post(f"/items/{item.pk}/episodes/1/download/", follow=True)
    assert response.redirect_chain[-1][0] == f"/items/{item.pk}/#episodes"
    assert "Episode 1 is queued for download." in response.content.decode()


def test_download_of_another_users_episode_is_404(bob_web, alice, http_server):
    item = feed_item(alice, serve_feed(http_server, "/frieren.xml", every_episode(1)), auto_download=False)
    Episode.objects.create(item=item, number=1, url="http://127.0.0.1/1.mkv")
    assert bob_web.post(f"/items/{item.pk}/episodes/1/download/", **HTMX).status_code == 404
    assert not DownloadJob.objects.exists()


def test_download_of_an_unknown_episode_is_404(alice_web, alice):
    item = make_item(alice)
    assert alice_web.post(f"/items/{item.pk}/episodes/9/download/").status_code == 404


def test_item_page_without_episodes_or_checks_says_so(alice_web, alice):
    item = make_item(alice, last_episode_downloaded=4)
    html = alice_web.get(f"/items/{item.pk}/").content.decode()
    assert "No episodes recorded yet. Episodes after number 4" in html
    assert "Never checked." in html
    assert "Nothing is downloading for this series." in html


def test_check_all_queues_every_active_series_for_the_workers(
    alice_web, alice, bob, django_capture_on_commit_callbacks
):
    from tests.factories import make_item
    from tests.support.broker import drain
    from watchlist.models import PendingCheck

    drain("checks")
    mine = [make_item(alice), make_item(alice)]
    make_item(alice, status="paused")
    make_item(bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_web.post("/items/check-all/", follow=True)
    assert response.status_code == 200
    assert "Checking 2 series in the background" in response.content.decode()
    tokens = [name for name, args in drain("checks") if name == "watchlist.tasks.run_queued_check_task"]
    assert len(tokens) == 2
    waiting = sorted(str(pk) for pk in PendingCheck.objects.values_list("item_id", flat=True))
    assert waiting == sorted(str(item.pk) for item in mine)


def test_check_all_button_is_on_the_watchlist(alice_web, alice):
    from tests.factories import make_item

    make_item(alice)
    assert 'action="/items/check-all/"' in alice_web.get("/").content.decode()
