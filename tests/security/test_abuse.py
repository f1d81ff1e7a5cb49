"""One user abuses the service while another uses it, against real
processes (gunicorn with two workers, a Celery worker): hostile sources
(trickling, endless, a gzip bomb, a redirect loop, absurdly deep and broken
XML), a flood of "Check now", password guessing behind a proxy with forged
X-Forwarded-For, and check-all bursts. Each abuse ends in a clear error
for the abuser; alice's requests and checks keep their normal latency.
"""

from __future__ import annotations

import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from rest_framework.authtoken.models import Token

from downloads.models import DownloadJob, JobStatus
from tests.check_helpers import every_episode, feed_item, serve_feed
from tests.factories import make_item
from tests.support.processes import needs_shared_services, wait_for
from watchlist.models import CheckRun, PendingCheck

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True), needs_shared_services]

ALICE_ADDRESS = "198.51.100.7"
MALLORY_ADDRESS = "203.0.113.66"
DEADLINE = 4  # HTTP_TOTAL_TIMEOUT_SECONDS of the processes (conftest)


class Client:
    """A user's API client, arriving through the (trusted) proxy from ``address``."""

    def __init__(self, base: str, token: str, address: str) -> None:
        self.base = base
        self.headers = {"Authorization": f"Bearer {token}", "X-Forwarded-For": address}

    def timed(self, method: str, path: str, **kwargs) -> tuple[requests.Response, float]:
        started = time.monotonic()
        response = requests.request(method, f"{self.base}{path}", headers=self.headers, timeout=60, **kwargs)
        return response, time.monotonic() - started


def latencies(client: Client, path: str, n: int = 8, method: str = "GET") -> list[float]:
    out = []
    for _ in range(n):
        response, seconds = client.timed(method, path)
        assert response.status_code in (200, 202), response.text
        out.append(seconds)
    return out


def evil_feed(hostile, name: str) -> str:
    # A well-formed feed whose one episode is an endless file on the hostile server.
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Evil</title>'
        f"<item><title>[Grp] {name} - 01 [1080p] [VOSTFR].mkv</title><guid>{name}-1</guid>"
        f'<enclosure url="{hostile.url(f"/endless/{name}-01.mkv")}" type="video/x-matroska"/></item>'
        "</channel></rss>"
    )


def test_one_users_abuse_stays_bounded_for_everyone_else(service, hostile, http_server):
    User = get_user_model()
    alice = User.objects.create_user("alice")
    # The service's own hasher: the test settings' fast one is unknown to it.
    alice.password = PBKDF2PasswordHasher().encode("alice-pass-123", PBKDF2PasswordHasher().salt())
    alice.save(update_fields=["password"])
    mallory = User.objects.create_user("mallory", password="mallory-pass-123")
    alice_api = Client(service.base, Token.objects.create(user=alice).key, ALICE_ADDRESS)
    mallory_api = Client(service.base, Token.objects.create(user=mallory).key, MALLORY_ADDRESS)

    alice_item = feed_item(alice, serve_feed(http_server, "/alice.xml", every_episode(1)), auto_download=False)
    hostile_paths = {
        "trickle": "/trickle/1",
        "trickle-headers": "/trickle-headers",
        "gzip-bomb": "/gzip-bomb",
        "loop": "/loop",
        "deep": "/deep.xml",
        "malformed": "/malformed.xml",
    }
    evil = {name: feed_item(mallory, hostile.url(path), auto_download=False) for name, path in hostile_paths.items()}
    endless_feed = http_server.add("/evil.xml", evil_feed(hostile, "Evil"), content_type="application/rss+xml")
    endless = feed_item(mallory, endless_feed, anime_title="Evil")

    # --- alice's normal pace ------------------------------------------------------
    baseline = statistics.median(latencies(alice_api, "/api/watchlist"))
    check_baseline = statistics.median(latencies(alice_api, f"/api/watchlist/{alice_item.pk}/check", 4, "POST"))
    normal = max(1.0, 5 * baseline)
    normal_check = max(1.5, 5 * check_baseline)

    # --- 1. a flood of "Check now" on trickling sources ---------------------------
    stop = threading.Event()
    alice_seen: list[float] = []
    alice_checks: list[float] = []

    def alice_meanwhile() -> None:
        while not stop.is_set():
            alice_seen.extend(latencies(alice_api, "/api/watchlist", 1))
            alice_checks.extend(latencies(alice_api, f"/api/watchlist/{alice_item.pk}/check", 1, "POST"))

    watcher = threading.Thread(target=alice_meanwhile)
    watcher.start()
    targets = [evil["trickle"], evil["trickle-headers"]] * 4
    with ThreadPoolExecutor(len(targets)) as pool:
        flood = list(pool.map(lambda item: mallory_api.timed("POST", f"/api/watchlist/{item.pk}/check"), targets))
    time.sleep(1)
    stop.set()
    watcher.join()

    codes = [response.status_code for response, _ in flood]
    assert codes.count(200) >= 1 and set(codes) <= {200, 429}, codes  # one at a time; the rest refused at once
    for response, seconds in flood:
        if response.status_code == 200:
            assert f"within {DEADLINE} seconds" in response.json()["error"]
            assert seconds < DEADLINE + 3  # the deadline, not the source, decides
        else:
            assert seconds < 2 and response.headers["Retry-After"] == "5"
    assert alice_seen and max(alice_seen) < normal, (baseline, alice_seen)
    assert alice_checks and max(alice_checks) < normal_check, (check_baseline, alice_checks)

    # --- 2. password guessing with forged X-Forwarded-For ---------------------------
    guesses = [
        requests.post(
            f"{service.base}/api/auth/token",
            json={"username": "alice", "password": f"guess-{n}"},
            headers={"X-Forwarded-For": f"10.9.{n}.1, {MALLORY_ADDRESS}"},  # the left part is the client's own words
            timeout=10,
        ).status_code
        for n in range(30)
    ]
    assert guesses.index(429) <= 5 and guesses[-1] == 429, guesses
    own = requests.post(
        f"{service.base}/api/auth/token",
        json={"username": "alice", "password": "alice-pass-123"},
        headers={"X-Forwarded-For": ALICE_ADDRESS},
        timeout=10,
    )
    assert own.status_code == 200 and own.json()["token"] == alice_api.headers["Authorization"].split()[1]

    # --- 3. check-all bursts over slow sources, hostile ones included ---------------
    for n in range(12):
        make_item(mallory, anime_url=hostile.url(f"/trickle/{n + 10}"), provider_id="feed")
    mallory_items = 12 + len(evil) + 1
    for _ in range(20):
        response, _ = mallory_api.timed("POST", "/api/watchlist/check-all?force=true")
        assert response.status_code == 202
    assert PendingCheck.objects.filter(owner=mallory).count() <= mallory_items  # queued once each, not 20 times

    before = CheckRun.objects.filter(item=alice_item).count()
    asked = time.monotonic()
    response, _ = alice_api.timed("POST", "/api/watchlist/check-all?force=true")
    assert response.json()["count"] == 1
    wait_for(lambda: CheckRun.objects.filter(item=alice_item).count() > before, 30, "alice's check", service.logs)
    waited = time.monotonic() - asked
    assert waited < 3, f"alice's queued check waited {waited:.1f} s behind mallory's burst"
    running = PendingCheck.objects.filter(owner=mallory, claimed_until__isnull=False).count()
    assert running <= 2  # CHECK_MAX_RUNNING_PER_USER

    # Every hostile source ends in its own plain error, none in a crash.
    def error_of(item) -> str:
        run = CheckRun.objects.filter(item=item).order_by("-started_at").first()
        return run.error if run else ""

    expected = {
        "trickle": f"did not answer in full within {DEADLINE} seconds",
        "trickle-headers": f"did not answer in full within {DEADLINE} seconds",
        "gzip-bomb": "is larger than",
        "loop": "too many redirects",
        "deep": "nests elements more than 64 levels deep",
        "malformed": "is not well-formed XML",
    }
    wait_for(lambda: all(error_of(evil[name]) for name in expected), 90, "the hostile sources' checks", service.logs)
    for name, words in expected.items():
        assert words in error_of(evil[name]), (name, error_of(evil[name]))

    # The endless episode is cut at DOWNLOAD_MAX_BYTES, its partial file removed.
    wait_for(lambda: DownloadJob.objects.filter(owner=mallory).exists(), 60, "the endless download", service.logs)
    wait_for(
        lambda: DownloadJob.objects.filter(owner=mallory, status=JobStatus.FAILED).exists(),
        60,
        "the endless download to fail",
        service.logs,
    )
    job = DownloadJob.objects.get(owner=mallory)
    assert "DOWNLOAD_MAX_BYTES" in job.error
    assert not list(service.library.rglob("*.part"))
    assert endless.pk

    # Through it all, alice's pages kept their pace.
    assert max(latencies(alice_api, "/api/watchlist", 5)) < normal
