"""Shared fixtures: named users (alice, bob, an admin), their API clients,
and a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.support.httpserver import LoopbackServer

# Fixtures shared by several test modules, registered once here rather than
# re-bound by name in each module that uses them.
pytest_plugins = [
    "tests.support.socket_guard",
    "tests.support.torrent_audit",
    "tests.support.download_fixtures",
    "tests.torrent_helpers",
    "tests.metadata_helpers",
    "tests.indexer_helpers",
    "tests.notify_helpers",
]

IN_CI = os.environ.get("CI") == "true"


def _readers_take_no_table_locks(sender: object, connection: object, **kwargs: object) -> None:
    # The SQLite test database lives in memory with a cache its connections
    # share, where a reader's table lock fails a writer on another thread at
    # once ("database table is locked") instead of letting it wait, as the
    # product's file database (WAL, a busy timeout) does: a test polling a
    # row while a thread of the code writes it could fail the write. Readers
    # of the shared cache that read uncommitted rows take no table locks.
    # The pragma changes nothing outside a shared cache.
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA read_uncommitted = 1")


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings
    from django.db.backends.signals import connection_created

    connection_created.connect(_readers_take_no_table_locks, dispatch_uid="tests-sqlite-read-uncommitted")

    # Real password hashing costs ~0.5 s per user on this hardware; tests
    # create hundreds of users and are not about hash strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # CI must exercise the real services: a missing DATABASE_URL/REDIS_URL
    # there is a broken pipeline, not a reason to fall back or skip.
    if IN_CI:
        if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
            pytest.exit("CI=true but DATABASE_URL does not point at PostgreSQL", returncode=3)
        if not os.environ.get("REDIS_URL", "").startswith("redis://"):
            pytest.exit("CI=true but REDIS_URL does not point at Redis", returncode=3)


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The real Redis for tests that need one; skipped locally without it."""
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("REDIS_URL is not set (CI sets it; run .ci/run or export REDIS_URL)")
    return url


def _make_user(username: str, *, staff: bool = False):
    User = get_user_model()
    user = User.objects.create_user(username=username, password=f"{username}-pass-123", is_staff=staff)
    if staff:
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
    return user


@pytest.fixture
def alice(db):
    return _make_user("alice")


@pytest.fixture
def bob(db):
    return _make_user("bob")


@pytest.fixture
def admin_user(db):
    return _make_user("admin", staff=True)


def _client_for(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.key}")
    return client


@pytest.fixture
def alice_api(alice) -> APIClient:
    return _client_for(alice)


@pytest.fixture
def bob_api(bob) -> APIClient:
    return _client_for(bob)


@pytest.fixture
def admin_api(admin_user) -> APIClient:
    return _client_for(admin_user)


def _browser_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice_web(alice) -> Client:
    """alice signed in to the dashboard."""
    return _browser_for(alice)


@pytest.fixture
def bob_web(bob) -> Client:
    return _browser_for(bob)


@pytest.fixture
def anon_api() -> APIClient:
    return APIClient()


@pytest.fixture
def http_server() -> Iterator[LoopbackServer]:
    server = LoopbackServer().start()
    yield server
    server.stop()


@pytest.fixture
def beat_entries(db):
    """The periodic tasks the migration seeds. Tests that flush the database
    (transactional ones) remove migration data, so tests that need these rows
    ask for them instead of counting on the migration having run last."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    from downloads.beat import seed_reaper
    from watchlist.beat import seed_beat_entries

    seed_beat_entries(IntervalSchedule, PeriodicTask)
    seed_reaper(IntervalSchedule, PeriodicTask)


@pytest.fixture(autouse=True)
def _default_language_after_each_test() -> Iterator[None]:
    """A request in French leaves French active in the thread (the locale
    middleware activates a language and never deactivates it), so a later
    test calling code directly would read French messages."""
    yield
    from django.utils import translation

    translation.deactivate()
