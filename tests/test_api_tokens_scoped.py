"""Named API tokens with a scope: created (shown once), listed, revoked;
stored hashed; read-only tokens cannot change anything, feeds tokens can
only read feed URLs; the account's own token keeps working."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection
from rest_framework.test import APIClient

from tests.factories import item_data
from watchlist import tokens
from watchlist.models import ApiToken, TokenScope

pytestmark = pytest.mark.django_db


def bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def new_token(api, name="script", scope="read"):
    response = api.post("/api/tokens", {"name": name, "scope": scope}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_a_token_is_shown_once_and_stored_hashed(alice_api, alice):
    body = new_token(alice_api)
    plain = body["token"]
    assert plain.startswith("wlt_") and len(plain) >= 48
    assert body["scope"] == "read" and body["shown"] == f"{plain[:12]}…"
    row = ApiToken.objects.get(pk=body["id"])
    assert row.digest == hashlib.sha256(plain.encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM watchlist_apitoken")
        assert plain not in " ".join(str(v) for v in cursor.fetchone())
    listed = alice_api.get("/api/tokens").json()["results"]
    assert [t["name"] for t in listed] == ["script"]
    assert "token" not in listed[0] and plain not in str(listed)


def test_read_only_token_reads_but_gets_403_on_every_change(alice_api):
    plain = new_token(alice_api, scope="read")["token"]
    client = bearer(plain)
    assert client.get("/api/watchlist").status_code == 200
    assert client.get("/api/watchlist/settings").status_code == 200
    refused = [
        client.post("/api/watchlist", item_data(), format="json"),
        client.put("/api/watchlist/settings", {"check_interval_hours": 3}, format="json"),
        client.post("/api/watchlist/check-all"),
        client.post("/api/tokens", {"name": "escalate", "scope": "full"}, format="json"),
        client.post("/api/watchlist/scheduler/stop"),
        client.delete("/api/tokens/1"),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused)
    assert "cannot change anything" in refused[0].json()["detail"]


def test_feeds_token_reads_feed_urls_only(alice_api):
    plain = new_token(alice_api, scope="feeds")["token"]
    client = bearer(plain)
    assert client.get("/api/feeds").status_code == 200
    assert client.get("/api/watchlist").status_code == 403
    assert client.get("/api/notifications/targets").status_code == 403
    assert client.get("/api/tokens").status_code == 403
    assert client.post("/api/feeds/rotate").status_code == 403


def test_full_named_token_can_change_things(alice_api, alice):
    client = bearer(new_token(alice_api, scope="full")["token"])
    assert client.post("/api/watchlist", item_data(), format="json").status_code == 201
    assert alice.watchlist_items.count() == 1


def test_last_used_is_recorded(alice_api):
    body = new_token(alice_api)
    assert body["last_used_at"] is None
    bearer(body["token"]).get("/api/watchlist")
    assert ApiToken.objects.get(pk=body["id"]).last_used_at is not None


def test_revoked_tokens_stop_working_at_once(alice_api):
    body = new_token(alice_api)
    client = bearer(body["token"])
    assert client.get("/api/watchlist").status_code == 200
    assert alice_api.delete(f"/api/tokens/{body['id']}").status_code == 204
    response = client.get("/api/watchlist")
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_or_truncated_token_is_401(alice_api):
    plain = new_token(alice_api)["token"]
    for guess in (plain[:-1] + ("A" if plain[-1] != "A" else "B"), plain[:20], "wlt_", "wlt_" + "x" * 300):
        assert bearer(guess).get("/api/watchlist").status_code == 401


def test_a_token_of_an_inactive_user_is_refused(alice_api, alice):
    plain = new_token(alice_api)["token"]
    alice.is_active = False
    alice.save()
    assert bearer(plain).get("/api/watchlist").status_code == 401


def test_tokens_are_per_user(alice_api, bob_api):
    body = new_token(alice_api)
    assert bob_api.get("/api/tokens").json()["results"] == []
    assert bob_api.delete(f"/api/tokens/{body['id']}").status_code == 404
    assert bearer(body["token"]).get("/api/watchlist").status_code == 200


def test_bad_input_names_the_field(alice_api):
    new_token(alice_api, name="dup")
    assert "already have a token" in str(alice_api.post("/api/tokens", {"name": "dup"}, format="json").json()["name"])
    assert "scope" in alice_api.post("/api/tokens", {"name": "x", "scope": "root"}, format="json").json()
    assert "name" in alice_api.post("/api/tokens", {"scope": "read"}, format="json").json()


def test_the_accounts_own_token_keeps_working_next_to_named_ones(alice_api):
    new_token(alice_api)
    assert alice_api.post("/api/watchlist", item_data(), format="json").status_code == 201


def test_lookup_compares_in_constant_time(alice, monkeypatch):
    row, plain = tokens.create_token(alice, "x", TokenScope.READ)
    compared = []
    real = tokens.hmac.compare_digest

    def spy(a, b):
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(tokens.hmac, "compare_digest", spy)
    assert tokens.find_token(plain) == row
    assert compared == [(row.digest, hashlib.sha256(plain.encode()).hexdigest())]


def test_dashboard_creates_shows_once_and_revokes(alice_web, alice):
    response = alice_web.post("/account/tokens/create/", {"name": "backup script", "scope": "read"})
    assert response.status_code == 201
    html = response.content.decode()
    row = ApiToken.objects.get(user=alice)
    plain_start = f"wlt_{row.prefix}"
    assert "shown this once" in html and plain_start in html
    page = alice_web.get("/account/token/").content.decode()
    assert "backup script" in page and "Read only" in page
    # Only the prefix is on the page from now on.
    assert page.count(plain_start) == 1 and f'value="{plain_start}' not in page
    assert alice_web.post(f"/account/tokens/{row.pk}/revoke/").status_code == 302
    assert not ApiToken.objects.exists()


def test_dashboard_refuses_a_duplicate_name_with_400(alice_web, alice):
    tokens.create_token(alice, "dup", TokenScope.READ)
    response = alice_web.post("/account/tokens/create/", {"name": "dup", "scope": "read"})
    assert response.status_code == 400 and "already have a token" in response.content.decode()
