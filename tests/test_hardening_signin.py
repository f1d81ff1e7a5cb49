"""Password guessing is limited once, for the dashboard's sign-in form and
the API's token endpoint together, per client address and per username,
counted in the shared cache (Redis with REDIS_URL, a locked file cache in
the embedded mode), with the client address taken from REMOTE_ADDR unless
TRUSTED_PROXY_COUNT proxies are trusted."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.support.celery_worker import ROOT
from watchlist import signin_lockout
from watchlist_project.cache import LockingFileBasedCache
from watchlist_project.security import client_address

pytestmark = pytest.mark.django_db

PASSWORD = "alice-pass-123"


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()  # SharedRedisCache: only the cache's own keys
    yield
    cache.clear()


def token(client: APIClient, username: str, password: str, ip: str = "10.0.0.1", **headers):
    return client.post(
        "/api/auth/token", {"username": username, "password": password}, format="json", REMOTE_ADDR=ip, **headers
    )


def sign_in(username: str, password: str, ip: str = "10.0.0.1"):
    return Client().post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_a_locked_out_user_gets_no_token(alice, anon_api):
    for _ in range(signin_lockout.LIMIT):
        assert token(anon_api, "alice", "wrong").status_code == 400
    response = token(anon_api, "alice", PASSWORD)
    assert response.status_code == 429
    assert 250 <= int(response["Retry-After"]) <= 300
    assert "Too many failed sign-in attempts" in response.json()["detail"]
    assert not Token.objects.filter(user=alice).exists()


def test_the_form_and_the_token_endpoint_share_one_lockout(alice, anon_api):
    for _ in range(3):
        sign_in("alice", "wrong")
    for _ in range(2):
        token(anon_api, "alice", "wrong")
    # Five failures between them: both doors are closed.
    assert token(anon_api, "alice", PASSWORD).status_code == 429
    assert sign_in("alice", PASSWORD).status_code == 429


def test_rotating_x_forwarded_for_does_not_buy_more_guesses(alice, anon_api):
    codes = [token(anon_api, "alice", "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(30)]
    # The throttle (10/min per address) or the lockout stops it early: the
    # header is the client's own words, not its address.
    assert codes.index(429) <= signin_lockout.LIMIT
    assert codes[-1] == 429
    assert token(anon_api, "alice", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429


def test_one_address_trying_many_usernames_is_stopped(alice, bob, anon_api):
    for n in range(signin_lockout.ADDRESS_LIMIT):
        sign_in(f"nobody-{n}", "guess", ip="10.0.0.7")
    # Every account is closed to that address now, even with the right password...
    assert sign_in("bob", "bob-pass-123", ip="10.0.0.7").status_code == 429
    # ...and open to everyone else.
    assert sign_in("bob", "bob-pass-123", ip="10.0.0.8").status_code == 302


def test_one_username_guessed_from_many_addresses_is_stopped(alice):
    for n in range(signin_lockout.USERNAME_LIMIT):
        sign_in("alice", "wrong", ip=f"10.1.{n // 250}.{n % 250}")
    assert sign_in("alice", PASSWORD, ip="10.9.9.9").status_code == 429


def test_the_client_address_behind_trusted_proxies(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request) == "10.0.0.2"  # nobody trusted: the socket's peer
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request) == "203.0.113.5"  # what our proxy saw; 6.6.6.6 is the client's claim
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request) == "6.6.6.6"
    settings.TRUSTED_PROXY_COUNT = 3  # fewer entries than proxies: nothing to believe
    assert client_address(request) == "10.0.0.2"
    junk = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-address")
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(junk) == "10.0.0.2"


def test_behind_one_trusted_proxy_clients_are_told_apart(settings, alice, anon_api):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(signin_lockout.LIMIT):
        token(anon_api, "alice", "wrong", ip="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert token(anon_api, "alice", PASSWORD, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    other = token(anon_api, "alice", PASSWORD, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert other.status_code == 200


# --- the shared cache ---------------------------------------------------------------


def test_the_cache_is_the_shared_one(settings):
    backend = settings.CACHES["default"]["BACKEND"]
    if os.environ.get("REDIS_URL"):
        assert backend == "watchlist_project.cache.SharedRedisCache"
        assert settings.CACHES["default"]["LOCATION"] == os.environ["REDIS_URL"]
    else:
        assert backend == "watchlist_project.cache.LockingFileBasedCache"


def test_failures_counted_by_another_process_lock_this_one(alice, tmp_path):
    """Counts are not per process: a web process that is not this one records
    the failures, and this one refuses the sixth attempt."""
    script = (
        "from django.test import RequestFactory\n"
        "from watchlist import signin_lockout\n"
        "request = RequestFactory().post('/login/', REMOTE_ADDR='10.0.0.1')\n"
        "for _ in range(signin_lockout.LIMIT):\n"
        "    signin_lockout.record_failure(request, 'alice')\n"
    )
    env = {**os.environ, "SECRET_KEY": "x", "VAR_DIR": os.environ.get("VAR_DIR", str(ROOT / "var" / "test"))}
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert sign_in("alice", PASSWORD).status_code == 429


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis")
def test_clearing_the_redis_cache_leaves_the_broker_alone():
    import redis

    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    client.rpush("hardening-test-queue", b"a message")
    cache.set("some-key", 1)
    try:
        cache.clear()
        assert cache.get("some-key") is None
        assert client.llen("hardening-test-queue") == 1  # FLUSHDB would have dropped it
    finally:
        client.delete("hardening-test-queue")


_COUNTER = """
import sys
from django.conf import settings
settings.configure()
from watchlist_project.cache import LockingFileBasedCache
store = LockingFileBasedCache(sys.argv[1], {})
store.add("n", 0)
for _ in range(int(sys.argv[2])):
    store.incr("n")
"""


def test_the_file_cache_counts_every_increment_across_processes(tmp_path):
    """The embedded mode's web processes share a file cache: four processes
    counting at once lose no count (Django's own file cache would)."""
    location = str(tmp_path / "cache")
    counters = [
        subprocess.Popen([sys.executable, "-c", _COUNTER, location, "40"], cwd=ROOT, stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    for counter in counters:
        _, err = counter.communicate(timeout=60)
        assert counter.returncode == 0, err.decode()
    assert LockingFileBasedCache(location, {}).get("n") == 160
