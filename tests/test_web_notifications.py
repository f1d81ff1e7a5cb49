"""Dashboard: the unread badge in the header, the notifications page, and
marking one or all as read (htmx and plain posts)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import make_item
from watchlist.models import Notification

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
Kind = Notification.Kind


def notify(user, message: str, *, kind: str = Kind.NEW_EPISODES, item=None, ago: int = 0, read: bool = False):
    when = timezone.now() - timedelta(minutes=ago)
    return Notification.objects.create(
        user=user, kind=kind, message=message, item=item, created_at=when, read_at=when if read else None
    )


def bell(html: str) -> str:
    start = html.index('id="bell"')
    return html[start : html.index("</a>", start)]


def test_header_badge_counts_unread_only(alice_web, alice, bob):
    notify(alice, "one")
    notify(alice, "two")
    notify(alice, "old", read=True)
    notify(bob, "not alice's")
    badge = bell(alice_web.get("/").content.decode())
    assert 'aria-label="Notifications, 2 unread"' in badge
    assert '<span class="bell__count" aria-hidden="true">2</span>' in badge


def test_no_badge_without_unread(alice_web, alice):
    notify(alice, "old", read=True)
    badge = bell(alice_web.get("/").content.decode())
    assert "bell__count" not in badge
    assert 'aria-label="Notifications"' in badge


def test_badge_caps_at_99(alice_web, alice):
    Notification.objects.bulk_create([Notification(user=alice, kind=Kind.ERROR, message=f"n{i}") for i in range(120)])
    assert ">99+</span>" in bell(alice_web.get("/").content.decode())


def test_page_lists_newest_first_with_links_to_items(alice_web, alice):
    item = make_item(alice, anime_title="Frieren")
    notify(alice, "Frieren: new episodes 5, 6.", item=item, ago=10)
    notify(alice, "Frieren: episode 5 downloaded.", kind=Kind.DOWNLOAD_FINISHED, item=item, ago=5)
    notify(alice, "Frieren: the check failed: the server answered 503", kind=Kind.ERROR, ago=1, read=True)
    response = alice_web.get("/notifications/")
    assert response.status_code == 200
    html = response.content.decode()
    order = [html.index(m) for m in ("the check failed", "episode 5 downloaded", "new episodes 5, 6")]
    assert order == sorted(order)
    assert f'href="/items/{item.pk}/"' in html
    assert html.count("notice--unread") == 2
    assert html.count(">Mark as read<") == 2
    assert 'class="notice notice--error"' in html


def test_unread_filter(alice_web, alice):
    notify(alice, "fresh")
    notify(alice, "seen", read=True)
    html = alice_web.get("/notifications/?show=unread").content.decode()
    assert "fresh" in html and "seen" not in html


def test_empty_page(alice_web):
    html = alice_web.get("/notifications/").content.decode()
    assert "No notifications yet" in html
    assert re.search(r'<button type="submit" class="btn" disabled>', html)  # mark all: nothing to mark


def test_mark_one_as_read_with_htmx_updates_the_row_and_the_badge(alice_web, alice):
    first = notify(alice, "one")
    notify(alice, "two")
    response = alice_web.post(f"/notifications/{first.pk}/read/", **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li class="notice notice--new_episodes" id="notice-{first.pk}">')
    assert "Mark as read" not in html.split("</li>")[0]
    oob = bell(html)
    assert 'hx-swap-oob="true"' in oob and ">1</span>" in oob
    first.refresh_from_db()
    assert first.read_at is not None


def test_marking_twice_keeps_the_first_time(alice_web, alice):
    first = notify(alice, "one")
    alice_web.post(f"/notifications/{first.pk}/read/")
    read_at = Notification.objects.get(pk=first.pk).read_at
    response = alice_web.post(f"/notifications/{first.pk}/read/", {"next": "/notifications/?show=unread"})
    assert response.status_code == 302 and response["Location"] == "/notifications/?show=unread"
    assert Notification.objects.get(pk=first.pk).read_at == read_at


def test_mark_all_as_read(alice_web, alice, bob):
    notify(alice, "one")
    notify(alice, "two")
    bobs = notify(bob, "bob's")
    response = alice_web.post("/notifications/read-all/", **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<div id="notifications"' in html and "<html" not in html
    assert "notice--unread" not in html
    assert "bell__count" not in bell(html) and 'hx-swap-oob="true"' in bell(html)
    assert not Notification.objects.filter(user=alice, read_at=None).exists()
    assert Notification.objects.get(pk=bobs.pk).read_at is None


def test_mark_all_without_javascript(alice_web, alice):
    notify(alice, "one")
    response = alice_web.post("/notifications/read-all/", follow=True)
    assert "Marked 1 notification as read." in response.content.decode()


def test_another_users_notification_is_404(bob_web, alice):
    theirs = notify(alice, "Frieren: episode 5 downloaded.")
    assert bob_web.post(f"/notifications/{theirs.pk}/read/", **HTMX).status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    html = bob_web.get("/notifications/").content.decode()
    assert "Frieren" not in html and "bell__count" not in bell(html)


def test_notifications_need_a_session_and_post():
    response = Client().get("/notifications/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_mark_read_needs_post(alice_web, alice):
    n = notify(alice, "one")
    assert alice_web.get(f"/notifications/{n.pk}/read/").status_code == 405
    assert alice_web.get("/notifications/read-all/").status_code == 405


def test_the_badge_costs_one_query(alice_web, alice):
    notify(alice, "one")
    with CaptureQueriesContext(connection) as queries:
        alice_web.get("/account/token/")
    assert sum("watchlist_notification" in q["sql"] for q in queries.captured_queries) == 1
