"""Dashboard: signing in (rate-limited) and out, the header, and the API
token page."""

from __future__ import annotations

import re
import time

import pytest
from django.core.cache import cache
from django.shortcuts import resolve_url
from django.test import Client
from rest_framework.authtoken.models import Token

from watchlist import signin_lockout as ratelimit

pytestmark = pytest.mark.django_db

PASSWORD = "alice-pass-123"  # tests/conftest.py: "<username>-pass-123"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Attempt counters live in the cache; one test's failures must not lock
    # the next test out.
    cache.clear()
    yield
    cache.clear()


def sign_in(client: Client, username: str, password: str, ip: str = "10.0.0.1", **extra):
    return client.post("/login/", {"username": username, "password": password, **extra}, REMOTE_ADDR=ip)


# --- Sign in / out ------------------------------------------------------------


def test_login_page_renders_with_a_csrf_token(client):
    response = client.get("/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'name="username"' in html and 'name="password"' in html


def test_login_url_setting_points_at_the_dashboard_sign_in(settings):
    # settings.py must say LOGIN_URL = "/login/" (or "web:login") so that
    # @login_required sends people here rather than to the admin's page.
    assert resolve_url(settings.LOGIN_URL) == "/login/"


def test_sign_in_goes_home_or_to_next(client, alice):
    response = sign_in(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    client.logout()
    response = sign_in(client, "alice", PASSWORD, next="/stats/")
    assert response["Location"] == "/stats/"


def test_sign_in_ignores_a_next_that_leaves_the_site(client, alice):
    response = sign_in(client, "alice", PASSWORD, next="https://evil.example.com/")
    assert response["Location"] == "/"


def test_signed_in_user_visiting_login_goes_home(alice_web):
    response = alice_web.get("/login/")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_wrong_password_is_an_error_on_the_page(client, alice):
    response = sign_in(client, "alice", "wrong")
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_out_is_a_post_and_goes_to_the_login_page(alice_web):
    assert alice_web.get("/logout/").status_code == 405
    response = alice_web.post("/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert alice_web.get("/").status_code == 302


def test_csrf_is_enforced_on_sign_in_and_sign_out(alice):
    client = Client(enforce_csrf_checks=True)
    assert sign_in(client, "alice", PASSWORD).status_code == 403
    client.force_login(alice)
    assert client.post("/logout/").status_code == 403
    assert client.get("/").status_code == 200  # still signed in


# --- Rate limit -------------------------------------------------------------------


def test_five_failures_lock_that_username_from_that_address(client, alice):
    for _ in range(ratelimit.LIMIT):
        assert sign_in(client, "alice", "wrong").status_code == 200
    # Locked: even the right password is refused, without being checked.
    response = sign_in(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert 250 <= int(response["Retry-After"]) <= 300
    assert "Too many failed sign-in attempts. Try again in 5 minutes." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_address_and_per_username(client, alice, bob):
    for _ in range(ratelimit.LIMIT):
        sign_in(client, "alice", "wrong", ip="10.0.0.1")
    assert sign_in(client, "alice", PASSWORD, ip="10.0.0.1").status_code == 429
    # The same user from elsewhere, and another user from here, are not locked.
    assert sign_in(Client(), "alice", PASSWORD, ip="10.0.0.2").status_code == 302
    assert sign_in(Client(), "bob", "bob-pass-123", ip="10.0.0.1").status_code == 302
    # Usernames are compared case-insensitively, so "ALICE" is the same lock.
    assert sign_in(Client(), "ALICE", PASSWORD, ip="10.0.0.1").status_code == 429


def test_the_lock_ends_with_its_window(client, alice, monkeypatch):
    for _ in range(ratelimit.LIMIT):
        sign_in(client, "alice", "wrong")
    assert sign_in(client, "alice", PASSWORD).status_code == 429
    later = time.time() + ratelimit.WINDOW_SECONDS + 1
    # The cache's expiry and the limiter both read time.time().
    monkeypatch.setattr(time, "time", lambda: later)
    assert sign_in(client, "alice", PASSWORD).status_code == 302


def test_a_successful_sign_in_resets_the_count(client, alice):
    for _ in range(ratelimit.LIMIT - 1):
        sign_in(client, "alice", "wrong")
    assert sign_in(client, "alice", PASSWORD).status_code == 302
    client.logout()
    for _ in range(ratelimit.LIMIT - 1):
        sign_in(client, "alice", "wrong")
    assert sign_in(client, "alice", PASSWORD).status_code == 302


def test_the_retry_message_counts_down(client, alice, monkeypatch):
    for _ in range(ratelimit.LIMIT):
        sign_in(client, "alice", "wrong")
    later = time.time() + ratelimit.WINDOW_SECONDS - 50
    monkeypatch.setattr(time, "time", lambda: later)
    html = sign_in(client, "alice", PASSWORD).content.decode()
    assert "Try again in 1 minute." in html


def test_an_empty_password_neither_counts_nor_resets(client, alice):
    for _ in range(ratelimit.LIMIT - 1):
        sign_in(client, "alice", "wrong")
    sign_in(client, "alice", "")  # a form error, not a guess
    sign_in(client, "alice", "wrong")
    assert sign_in(client, "alice", PASSWORD).status_code == 429


# --- Header ---------------------------------------------------------------------


def test_header_links(alice_web):
    html = alice_web.get("/").content.decode()
    for href in ('href="/"', 'href="/items/new/"', 'href="/stats/"', 'href="/settings/"', 'href="/account/token/"'):
        assert href in html
    assert 'href="/api/docs/"' in html
    assert 'href="/admin/"' not in html
    assert 'action="/logout/"' in html


def test_staff_see_the_admin_link(admin_user):
    client = Client()
    client.force_login(admin_user)
    assert 'href="/admin/"' in client.get("/").content.decode()


# --- API token ------------------------------------------------------------------


def test_token_page_without_a_token_offers_to_create_one(alice_web):
    html = alice_web.get("/account/token/").content.decode()
    assert "No token yet" in html
    assert 'action="/account/token/create/"' in html


def test_create_show_regenerate_and_revoke_the_token(alice_web, alice, bob):
    bob_token = Token.objects.create(user=bob)
    response = alice_web.post("/account/token/create/")
    assert response.status_code == 302
    token = Token.objects.get(user=alice)
    html = alice_web.get("/account/token/").content.decode()
    assert token.key in html
    assert f'curl -H "Authorization: Bearer {token.key}" http://testserver/api/watchlist' in html
    assert bob_token.key not in html

    # A second "create" keeps the same token.
    alice_web.post("/account/token/create/")
    assert Token.objects.get(user=alice).key == token.key

    alice_web.post("/account/token/regenerate/")
    new = Token.objects.get(user=alice)
    assert new.key != token.key

    response = alice_web.post("/account/token/revoke/")
    assert response.status_code == 302
    assert not Token.objects.filter(user=alice).exists()
    assert Token.objects.filter(pk=bob_token.pk).exists()
    assert "Token revoked" in alice_web.get("/account/token/").content.decode()


def test_the_shown_token_works_on_the_api(alice_web, alice):
    alice_web.post("/account/token/create/")
    html = alice_web.get("/account/token/").content.decode()
    key = re.search(r"Bearer ([0-9a-f]{40})", html).group(1)
    api = Client()
    assert api.get("/api/watchlist", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    alice_web.post("/account/token/revoke/")
    assert api.get("/api/watchlist", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_token_actions_are_post_only_and_csrf_protected(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    for action in ("create", "regenerate", "revoke"):
        assert client.get(f"/account/token/{action}/").status_code == 405
        assert client.post(f"/account/token/{action}/").status_code == 403
    assert not Token.objects.filter(user=alice).exists()


def test_token_pages_need_a_signed_in_user(client, settings):
    assert client.get("/account/token/")["Location"].startswith(settings.LOGIN_URL)
    response = client.post("/account/token/create/")
    assert response.status_code == 302
    assert not Token.objects.exists()
