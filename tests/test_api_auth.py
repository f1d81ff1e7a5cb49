"""Authentication: Bearer tokens, the token endpoint, session auth."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

PROTECTED = [
    ("get", "/api/watchlist"),
    ("post", "/api/watchlist"),
    ("get", "/api/watchlist/settings"),
    ("put", "/api/watchlist/settings"),
    ("get", "/api/watchlist/stats"),
    ("get", "/api/watchlist/00000000-0000-0000-0000-000000000000"),
    ("post", "/api/watchlist/00000000-0000-0000-0000-000000000000/pause"),
]


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_no_token_is_401_with_a_bearer_challenge(anon_api, method, path):
    response = getattr(anon_api, method)(path)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer not-a-real-token", "Bearer", "Bearer a b", "Token nope"])
def test_bad_token_is_401(db, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/watchlist")
    assert response.status_code == 401
    assert "WWW-Authenticate" in response


def test_bearer_and_token_keywords_both_work(alice):
    token = Token.objects.create(user=alice)
    for keyword in ("Bearer", "Token"):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"{keyword} {token.key}")
        assert client.get("/api/watchlist").status_code == 200


def test_token_endpoint_exchanges_credentials_for_the_users_token(anon_api, alice):
    response = anon_api.post("/api/auth/token", {"username": "alice", "password": "alice-pass-123"}, format="json")
    assert response.status_code == 200
    key = response.json()["token"]
    assert Token.objects.get(user=alice).key == key
    # The same token comes back on a second call.
    again = anon_api.post("/api/auth/token/", {"username": "alice", "password": "alice-pass-123"}, format="json")
    assert again.json()["token"] == key


def test_token_endpoint_refuses_a_wrong_password(anon_api, alice):
    response = anon_api.post("/api/auth/token", {"username": "alice", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert not Token.objects.filter(user=alice).exists()


def test_inactive_user_token_is_refused(alice):
    token = Token.objects.create(user=alice)
    alice.is_active = False
    alice.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.key}")
    assert client.get("/api/watchlist").status_code == 401


def test_session_auth_works_for_the_browser(client, alice):
    client.force_login(alice)
    assert client.get("/api/watchlist").status_code == 200


def test_session_auth_enforces_csrf_on_writes(alice):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    response = browser.post("/api/watchlist", {}, content_type="application/json")
    assert response.status_code == 403


def test_create_token_management_command(alice):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("drf_create_token", "alice", stdout=out)
    assert Token.objects.get(user=alice).key in out.getvalue()
