"""The checks queue is fair and de-duplicated (watchlist/checkqueue.py), a
check-all while the broker is down is a 503, "Check now" runs one at a time
per user, and its answer never reveals another user's fetch of a shared
source."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.check_helpers import every_episode, feed_item, serve_feed
from tests.factories import make_item
from tests.support.broker import drain, unreachable_broker
from watchlist import checkqueue
from watchlist.models import CheckRun, ItemStatus, PendingCheck

pytestmark = pytest.mark.django_db

TOKEN = ("watchlist.tasks.run_queued_check_task", [])


@pytest.fixture(autouse=True)
def _setup(settings):
    settings.ALLOW_PRIVATE_SOURCES = True
    settings.CHECK_MAX_RUNNING_PER_USER = 2
    drain("checks")
    cache.clear()
    yield
    drain("checks")


@pytest.fixture
def mallory(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("mallory", password="mallory-pass-123")


def test_check_all_twenty_times_queues_each_item_once(alice, alice_api, django_capture_on_commit_callbacks):
    items = [make_item(alice) for _ in range(5)]
    with django_capture_on_commit_callbacks(execute=True):
        first = alice_api.post("/api/watchlist/check-all?force=true").json()
        later = [alice_api.post("/api/watchlist/check-all?force=true").json() for _ in range(19)]
    assert first["count"] == 5
    assert all(body["count"] == 0 and len(body["already_queued"]) == 5 for body in later)
    assert PendingCheck.objects.count() == 5
    assert drain("checks") == [TOKEN] * 5  # not 100
    assert {str(p) for p in PendingCheck.objects.values_list("item_id", flat=True)} == {str(i.pk) for i in items}


def test_a_burst_does_not_sit_in_front_of_another_users_check(alice, mallory):
    burst = [make_item(mallory) for _ in range(30)]
    checkqueue.request_checks([item.pk for item in burst])  # first, and thirty of them
    mine = make_item(alice)
    checkqueue.request_checks([mine.pk])  # last

    claimed = [checkqueue.claim_next() for _ in range(4)]
    owners = [row.owner_id if row else None for row in claimed]
    # The oldest check first, then alice's single one (she runs nothing),
    # then mallory again up to her limit of two running, then nothing:
    # mallory's other 27 wait while two of hers run.
    assert owners == [mallory.pk, alice.pk, mallory.pk, None]
    assert claimed[1].item_id == mine.pk


def test_a_finished_check_lets_the_next_one_run_and_passes_a_token_on(alice, mallory):
    checkqueue.request_checks([make_item(mallory).pk for _ in range(3)])
    drain("checks")
    first, _second = checkqueue.claim_next(), checkqueue.claim_next()
    assert checkqueue.claim_next() is None  # at her limit
    checkqueue.finish(first)
    assert drain("checks") == [TOKEN]  # a check waits: the finished one hands its worker on
    third = checkqueue.claim_next()
    assert third is not None and third.owner_id == mallory.pk
    assert not PendingCheck.objects.filter(item_id=first.item_id).exists()


def test_an_item_asked_for_while_running_runs_once_more(alice):
    item = make_item(alice)
    checkqueue.request_checks([item.pk])
    row = checkqueue.claim_next()
    assert checkqueue.request_checks([item.pk]).already == [str(item.pk)]
    checkqueue.finish(row)
    again = PendingCheck.objects.get(item_id=item.pk)
    assert again.claimed_until is None and not again.again


def test_the_sweep_frees_dead_workers_checks_and_resends_lost_tokens(alice):
    item = make_item(alice)
    checkqueue.request_checks([item.pk])
    checkqueue.claim_next()
    drain("checks")
    later = timezone.now() + checkqueue.LEASE + timedelta(seconds=1)
    PendingCheck.objects.filter(item_id=item.pk).update(requested_at=later - timedelta(minutes=5))
    assert checkqueue.sweep(later) == 1
    assert PendingCheck.objects.get(item_id=item.pk).claimed_until is None
    assert drain("checks") == [TOKEN]


def test_a_token_runs_the_real_check(alice, http_server):
    item = feed_item(alice, serve_feed(http_server, "/feed.xml", every_episode(1, 2)))
    paused = make_item(alice, status=ItemStatus.PAUSED)
    checkqueue.request_checks([item.pk, paused.pk])
    outcomes = [checkqueue.run_next(), checkqueue.run_next(), checkqueue.run_next()]
    # The paused one is dropped unchecked; then nothing waits.
    assert [outcome for outcome in outcomes if outcome] == [{"item_id": str(item.pk), "new": 2, "error": None}]
    assert outcomes[2] is None
    assert not PendingCheck.objects.exists()
    assert CheckRun.objects.filter(item=item).count() == 1


@pytest.mark.django_db(transaction=True)  # as in production: no transaction around the request
def test_check_all_while_the_broker_is_down_is_503_and_queues_nothing(alice, alice_api, alice_web):
    make_item(alice)
    with unreachable_broker():
        response = alice_api.post("/api/watchlist/check-all?force=true")
        page = alice_web.post("/items/check-all/", follow=True)
    assert response.status_code == 503
    assert response.json()["detail"] == checkqueue.UNAVAILABLE_MESSAGE
    assert checkqueue.UNAVAILABLE_MESSAGE in page.content.decode()
    assert not PendingCheck.objects.exists()  # nothing left that no message will run


def test_scheduled_checks_survive_a_broker_outage_for_the_sweep(alice):
    from watchlist.tasks import check_users_task

    item = make_item(alice)
    with unreachable_broker():
        assert check_users_task([alice.pk]) == 1
    assert PendingCheck.objects.filter(item_id=item.pk).exists()
    assert checkqueue.sweep(timezone.now() + timedelta(minutes=2)) == 1
    assert drain("checks") == [TOKEN]


# --- "Check now" -------------------------------------------------------------------------


def test_a_second_check_now_while_one_runs_is_refused_at_once(alice, alice_api, alice_web, http_server):
    item = feed_item(alice, serve_feed(http_server, "/feed.xml", every_episode(1)))
    cache.add(f"manual-check:{alice.pk}:0", "held by a running check", 60)
    response = alice_api.post(f"/api/watchlist/{item.pk}/check")
    assert response.status_code == 429
    assert response["Retry-After"] == "5"
    assert "still running" in response.json()["detail"]
    card = alice_web.post(f"/items/{item.pk}/check/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET=f"item-{item.pk}")
    assert "still running" in card.content.decode()
    assert not http_server.requests_for("/feed.xml")
    cache.delete(f"manual-check:{alice.pk}:0")
    assert alice_api.post(f"/api/watchlist/{item.pk}/check").status_code == 200


def test_check_now_does_not_reveal_another_users_fetch(alice, bob, alice_api, bob_api, http_server):
    url = serve_feed(http_server, "/shared.xml", every_episode(1, 2))
    alice_item = feed_item(alice, url)
    assert alice_api.post(f"/api/watchlist/{alice_item.pk}/check").json()["source_status"] == "fetched"
    asked = len(http_server.requests_for("/shared.xml"))

    # bob adds the same source minutes later: the shared copy is fresh, but
    # answering "fresh" (no request, instantly) would tell him alice tracks it.
    bob_item = feed_item(bob, url)
    body = bob_api.post(f"/api/watchlist/{bob_item.pk}/check").json()
    assert body["source_status"] in ("fetched", "not_modified")
    assert len(http_server.requests_for("/shared.xml")) == asked + 1  # his own (conditional) request
    assert [e["episode"] for e in body["new_episodes"]] == [1, 2]

    # His own fetch is his to reuse; alice's next check still answers from hers.
    assert bob_api.post(f"/api/watchlist/{bob_item.pk}/check").json()["source_status"] == "fresh"
    assert len(http_server.requests_for("/shared.xml")) == asked + 1
