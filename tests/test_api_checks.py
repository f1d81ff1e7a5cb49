"""The check endpoints, the item's last_check, and the address guard at
item creation."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from downloads.models import DownloadJob
from tests.check_helpers import every_episode, feed_item, serve_feed
from tests.factories import item_data, make_item
from tests.support.broker import drain
from watchlist.models import CheckRun, Episode, ItemStatus, WatchlistItem, WatchlistSettings
from watchlist.tasks import check_item_task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def loopback_allowed(settings):
    settings.ALLOW_PRIVATE_SOURCES = True
    settings.HTTP_TIMEOUT_SECONDS = 5


@pytest.fixture
def eager_tasks(settings):
    """Run Celery tasks inline when sent, so a test sees what they do
    without a broker or a worker. (The Celery app reads the live Django
    settings, so the override reaches it.)"""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert check_item_task.app.conf.task_always_eager


# --- POST /api/watchlist/{id}/check ------------------------------------------


@pytest.mark.parametrize("suffix", ["", "/"])
def test_check_runs_now_and_answers_with_the_result(alice, alice_api, http_server, suffix):
    item = feed_item(alice, serve_feed(http_server, "/frieren.xml", every_episode(1, 2, 3)), last_episode_downloaded=1)

    response = alice_api.post(f"/api/watchlist/{item.pk}/check{suffix}")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["item_id"] == str(item.pk)
    assert body["anime_title"] == item.anime_title
    assert [e["episode"] for e in body["new_episodes"]] == [2, 3]
    assert set(body["new_episodes"][0]) == {"episode", "season", "title", "url", "resolution", "version", "language"}
    # auto_download is on (item and user default): both are queued for download.
    assert body["queued"] == [2, 3]
    assert DownloadJob.objects.filter(owner=alice).count() == 2
    assert body["error"] is None
    assert body["source_status"] == "fetched"
    assert body["checked_at"]
    assert Episode.objects.filter(item=item).count() == 2
    assert CheckRun.objects.filter(item=item).count() == 1


def test_a_failing_source_is_a_200_with_the_error(alice, alice_api, http_server):
    item = feed_item(alice, http_server.url("/gone.xml"))

    response = alice_api.post(f"/api/watchlist/{item.pk}/check")

    assert response.status_code == 200
    assert "404" in response.json()["error"]
    assert response.json()["new_episodes"] == []


def test_check_of_another_users_item_is_404_and_checks_nothing(alice, bob_api, http_server):
    item = feed_item(alice, serve_feed(http_server, "/frieren.xml", every_episode(1)))

    assert bob_api.post(f"/api/watchlist/{item.pk}/check").status_code == 404
    assert bob_api.post(f"/api/watchlist/{uuid.uuid4()}/check").status_code == 404
    assert http_server.requests_for("/frieren.xml") == []
    assert not CheckRun.objects.exists()


def test_the_check_endpoints_need_a_token(alice, anon_api):
    item = make_item(alice)

    for path in (f"/api/watchlist/{item.pk}/check", "/api/watchlist/check-all"):
        response = anon_api.post(path)
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_check_only_accepts_post(alice, alice_api):
    item = make_item(alice)
    assert alice_api.get(f"/api/watchlist/{item.pk}/check").status_code == 405
    assert alice_api.get("/api/watchlist/check-all").status_code == 405


# --- last_check on the item ---------------------------------------------------


def test_the_item_shows_its_last_check(alice, alice_api, http_server, settings):
    settings.SOURCE_MIN_REFRESH_MINUTES = 0
    item = feed_item(alice, serve_feed(http_server, "/frieren.xml", every_episode(1, 2)))
    assert alice_api.get(f"/api/watchlist/{item.pk}").json()["last_check"] is None

    alice_api.post(f"/api/watchlist/{item.pk}/check")
    http_server.add("/frieren.xml", "gone", status=404)
    alice_api.post(f"/api/watchlist/{item.pk}/check")

    shown = alice_api.get(f"/api/watchlist/{item.pk}").json()
    latest = CheckRun.objects.filter(item=item).order_by("-started_at").first()
    assert shown["last_check"]["new_episode_numbers"] == []
    assert "404" in shown["last_check"]["error"]
    assert shown["last_check"]["source_status"] == "error"
    assert shown["last_check"]["checked_at"] == latest.started_at.isoformat().replace("+00:00", "Z")
    assert shown["last_checked_at"] == shown["last_check"]["checked_at"]


def test_the_list_shows_each_items_last_check_without_a_query_per_item(alice, alice_api, django_assert_max_num_queries):
    items = [make_item(alice) for _ in range(6)]
    for n, item in enumerate(items[:4]):
        for age in (3, 1):  # an older and a newer check: the newer one is shown
            CheckRun.objects.create(
                item=item, started_at=timezone.now() - timedelta(hours=age), new_episode_numbers=[n, age]
            )

    with django_assert_max_num_queries(8):
        body = alice_api.get("/api/watchlist").json()

    shown = {row["id"]: row["last_check"] for row in body["results"]}
    for n, item in enumerate(items):
        expected = [n, 1] if n < 4 else None
        assert (shown[str(item.pk)] or {}).get("new_episode_numbers") == expected


# --- POST /api/watchlist/check-all -------------------------------------------


def make_due_and_not_due(owner) -> dict[str, WatchlistItem]:
    items = {name: make_item(owner, anime_title=name) for name in ("never", "old", "recent", "paused", "archived")}
    now = timezone.now()
    WatchlistItem.objects.filter(pk=items["old"].pk).update(last_checked_at=now - timedelta(hours=7))
    WatchlistItem.objects.filter(pk=items["recent"].pk).update(last_checked_at=now - timedelta(hours=1))
    WatchlistItem.objects.filter(pk=items["paused"].pk).update(status=ItemStatus.PAUSED)
    WatchlistItem.objects.filter(pk=items["archived"].pk).update(status=ItemStatus.ARCHIVED)
    return items


@pytest.mark.parametrize("suffix", ["", "/"])
def test_check_all_queues_the_due_items_after_commit(alice, bob, alice_api, django_capture_on_commit_callbacks, suffix):
    items = make_due_and_not_due(alice)
    make_item(bob)  # bob's items are not alice's to check

    drain("checks")
    with django_capture_on_commit_callbacks() as sent:
        response = alice_api.post(f"/api/watchlist/check-all{suffix}")
        assert drain("checks") == []  # nothing is sent before the transaction commits
    for callback in sent:
        callback()

    assert response.status_code == 202
    body = response.json()
    assert sorted(body["queued"]) == sorted([str(items["never"].pk), str(items["old"].pk)])
    assert body["count"] == 2
    # One token per queued check (checkqueue.py: tokens name no item).
    assert drain("checks") == [("watchlist.tasks.run_queued_check_task", [])] * 2


@pytest.mark.parametrize("value", ["true", "True", "1"])
def test_check_all_with_force_queues_every_active_item(alice, alice_api, django_capture_on_commit_callbacks, value):
    items = make_due_and_not_due(alice)

    with django_capture_on_commit_callbacks():
        body = alice_api.post(f"/api/watchlist/check-all?force={value}").json()

    assert sorted(body["queued"]) == sorted(str(items[name].pk) for name in ("never", "old", "recent"))


def test_check_all_with_force_false_is_the_plain_check_all(alice, alice_api, django_capture_on_commit_callbacks):
    make_due_and_not_due(alice)
    with django_capture_on_commit_callbacks():
        assert alice_api.post("/api/watchlist/check-all?force=false").json()["count"] == 2


def test_check_all_includes_completed_items_when_the_settings_say_so(
    alice, alice_api, django_capture_on_commit_callbacks
):
    item = make_item(alice)
    WatchlistItem.objects.filter(pk=item.pk).update(status=ItemStatus.COMPLETED)
    with django_capture_on_commit_callbacks():
        assert alice_api.post("/api/watchlist/check-all").json()["count"] == 0
        WatchlistSettings.objects.filter(user=alice).update(include_completed_anime=True)
        assert alice_api.post("/api/watchlist/check-all").json()["queued"] == [str(item.pk)]


@pytest.mark.parametrize("value", ["maybe", "2", "yes please"])
def test_check_all_with_a_bad_force_value_is_400(alice_api, value):
    response = alice_api.post(f"/api/watchlist/check-all?force={value}")
    assert response.status_code == 400
    assert "force" in response.json()


def test_check_all_with_nothing_due_queues_nothing(alice_api):
    assert alice_api.post("/api/watchlist/check-all").json() == {"queued": [], "count": 0, "already_queued": []}


def test_the_queued_checks_run_and_are_recorded(
    alice, alice_api, http_server, eager_tasks, django_capture_on_commit_callbacks
):
    url = serve_feed(http_server, "/frieren.xml", every_episode(1, 2))
    first, second = feed_item(alice, url), feed_item(alice, url, lang="vf")

    with django_capture_on_commit_callbacks(execute=True):
        response = alice_api.post("/api/watchlist/check-all")

    assert response.json()["count"] == 2
    assert CheckRun.objects.filter(item__in=[first, second], error="").count() == 2
    assert Episode.objects.filter(item=first).count() == 2
    # The two items have different sources (lang is part of a source).
    assert len(http_server.requests_for("/frieren.xml")) == 2


# --- the tasks ------------------------------------------------------------


def test_the_task_leaves_quietly_when_the_item_is_gone_or_paused(alice, http_server):
    assert check_item_task(str(uuid.uuid4())) is None
    item = feed_item(alice, serve_feed(http_server, "/frieren.xml", every_episode(1)))
    WatchlistItem.objects.filter(pk=item.pk).update(status=ItemStatus.PAUSED)

    assert check_item_task(str(item.pk)) is None
    assert not CheckRun.objects.exists()


def test_the_task_checks_the_item(alice, http_server):
    item = feed_item(alice, serve_feed(http_server, "/frieren.xml", every_episode(1)))

    assert check_item_task(str(item.pk)) == {"item_id": str(item.pk), "new": 1, "error": None}


def test_the_check_task_is_published_on_the_checks_queue():
    from downloads.celery_config import CHECK_QUEUE, DOWNLOAD_QUEUE

    drain(CHECK_QUEUE)
    drain(DOWNLOAD_QUEUE)  # messages other tests published without a worker to take them
    item_id = str(uuid.uuid4())
    check_item_task.delay(item_id)
    assert drain(CHECK_QUEUE) == [("watchlist.tasks.check_item_task", [item_id])]
    assert drain(DOWNLOAD_QUEUE) == []


# --- the address guard at item creation --------------------------------------


def test_an_item_whose_host_resolves_to_a_refused_address_is_400(alice_api, settings, fake_dns):
    settings.ALLOW_PRIVATE_SOURCES = False
    settings.PRIVATE_SOURCE_ALLOWLIST = []
    fake_dns.add("nas.example.test", "10.0.0.5")

    for url in ("http://127.0.0.1:8000/feed.xml", "http://nas.example.test/feed.xml"):
        response = alice_api.post("/api/watchlist", item_data(anime_url=url), format="json")
        assert response.status_code == 400, url
        assert "anime_url" in response.json()
        assert "not allowed" in response.json()["anime_url"][0]
    assert not WatchlistItem.objects.exists()


def test_an_update_to_a_refused_address_is_400(alice, alice_api, settings):
    settings.ALLOW_PRIVATE_SOURCES = False
    item = make_item(alice)

    response = alice_api.put(f"/api/watchlist/{item.pk}", {"anime_url": "http://10.1.2.3/feed.xml"}, format="json")

    assert response.status_code == 400
    assert "anime_url" in response.json()


def test_a_host_that_does_not_resolve_is_accepted_at_creation(alice_api, settings):
    settings.ALLOW_PRIVATE_SOURCES = False
    url = "https://not-registered.example.test/feed.xml"  # the socket guard answers NXDOMAIN

    response = alice_api.post("/api/watchlist", item_data(anime_url=url), format="json")

    assert response.status_code == 201, response.content


def test_a_private_address_is_accepted_when_the_administrator_allows_it(alice_api, settings):
    settings.ALLOW_PRIVATE_SOURCES = True
    response = alice_api.post("/api/watchlist", item_data(anime_url="http://192.168.1.20/feed.xml"), format="json")
    assert response.status_code == 201
