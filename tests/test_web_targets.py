"""Dashboard: notification targets (add, edit, test, delete, last error in
plain words), the digest option, and the bell's dropdown."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.factories import make_item
from tests.notify_helpers import make_target
from tests.support.receivers import Answer
from watchlist.models import DigestMode, Notification, NotificationTarget, WatchlistSettings
from watchlist.notify.events import emit
from watchlist.notify.kinds import EventKind

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_add_a_target_and_see_it_masked(alice_web, alice):
    response = alice_web.post(
        "/notifications/targets/",
        {
            "name": "Discord",
            "url": "discord://1234567890/SECRETWEBHOOKTOKEN",
            "events": ["download_completed", "download_failed"],
            "enabled": "on",
        },
    )
    assert response.status_code == 302
    target = NotificationTarget.objects.get(owner=alice)
    assert target.events == ["download_completed", "download_failed"]
    html = alice_web.get("/notifications/targets/").content.decode()
    assert "Discord" in html and target.url_masked in html
    assert "SECRETWEBHOOKTOKEN" not in html
    assert "Download completed" in html and "Download failed" in html


def test_a_refused_url_is_explained_next_to_the_field(alice_web):
    response = alice_web.post(
        "/notifications/targets/", {"name": "Redis", "url": "json://127.0.0.1:6379/", "events": ["new_episodes"]}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The server may not send notifications there: address 127.0.0.1 is loopback and not allowed." in html
    assert not NotificationTarget.objects.exists()


def test_at_least_one_event(alice_web):
    response = alice_web.post("/notifications/targets/", {"name": "x", "url": "ntfys://ntfy.sh/topic"})
    assert response.status_code == 400 and "Choose at least one kind of event." in response.content.decode()


def test_test_button_shows_the_outcome(alice_web, alice, receiver):
    target = make_target(alice, f"json://{receiver.netloc}/hook")
    ok = alice_web.post(f"/notifications/targets/{target.pk}/test/", **HTMX)
    assert ok.status_code == 200 and "Test sent." in ok.content.decode()
    receiver.answers = [Answer(500)]
    failed = alice_web.post(f"/notifications/targets/{target.pk}/test/", follow=True).content.decode()
    assert "The test to “Hooks” failed:" in failed
    page = alice_web.get("/notifications/targets/").content.decode()
    assert "Last message failed" in page and "500" in page


def test_edit_keeps_the_url_unless_a_new_one_is_given(alice_web, alice):
    target = make_target(alice, "ntfys://ntfy.sh/old-topic")
    assert alice_web.get(f"/notifications/targets/{target.pk}/edit/").status_code == 200
    response = alice_web.post(
        f"/notifications/targets/{target.pk}/edit/", {"name": "Phone", "url": "", "events": ["series_completed"]}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.name, target.events, target.enabled) == ("Phone", ["series_completed"], False)
    assert "old-topic" in target.url_masked or "o...c" in target.url_masked


def test_delete_and_other_users_targets(alice_web, bob_web, alice):
    target = make_target(alice, "ntfys://ntfy.sh/topic")
    assert bob_web.post(f"/notifications/targets/{target.pk}/delete/").status_code == 404
    assert bob_web.post(f"/notifications/targets/{target.pk}/test/").status_code == 404
    assert bob_web.get(f"/notifications/targets/{target.pk}/edit/").status_code == 404
    assert alice_web.post(f"/notifications/targets/{target.pk}/delete/").status_code == 302
    assert not NotificationTarget.objects.exists()


def test_digest_option(alice_web, alice):
    alice_web.post("/notifications/digest/", {"notification_digest": "daily"})
    assert WatchlistSettings.objects.get(user=alice).notification_digest == DigestMode.DAILY
    html = alice_web.get("/notifications/targets/").content.decode()
    checked = re.findall(r'<input type="radio" name="notification_digest" value="(\w+)"[^>]*checked', html)
    assert checked == ["daily"]


def test_pages_need_a_session():
    assert Client().get("/notifications/targets/").status_code == 302


def test_bell_dropdown_lists_the_latest_grouped(alice_web, alice):
    item = make_item(alice, anime_title="Frieren")
    for n in (5, 6, 7, 8):
        emit(EventKind.DOWNLOAD_COMPLETED, item, episodes=[n])
    page = alice_web.get("/").content.decode()
    assert 'aria-label="Notifications, 1 unread"' in page
    assert 'hx-get="/notifications/latest/"' in page and 'hx-trigger="toggle from:closest details"' in page
    latest = alice_web.get("/notifications/latest/", **HTMX).content.decode()
    assert "Frieren: episodes 5-8 downloaded." in latest
    assert f'href="/items/{item.pk}/"' in latest
    assert Notification.objects.count() == 1


def test_notifications_page_shows_the_group_size(alice_web, alice):
    item = make_item(alice, anime_title="Frieren")
    for n in (1, 2, 3):
        emit(EventKind.DOWNLOAD_COMPLETED, item, episodes=[n])
    html = alice_web.get("/notifications/").content.decode()
    assert "Frieren: episodes 1-3 downloaded." in html and "3 events" in html


def test_templates_add_no_inline_script_or_style(alice_web, alice):
    make_target(alice, "ntfys://ntfy.sh/topic")
    for url in ("/notifications/targets/", "/account/token/", "/notifications/latest/"):
        html = alice_web.get(url).content.decode()
        assert "style=" not in html
        assert " onclick=" not in html and " onchange=" not in html
        assert "<script>" not in html
