"""PostgreSQL restarted in the middle of a run, on a cluster of the test's
own (tests/support/postgres_server.py; never the machine's server): while it
is down the web answers 503 with a plain message; once it is back the web
recovers by itself, the worker reconnects, the download that was running
resumes from its partial file and finishes with the right checksum, and a
user whose schedule came due during the outage is checked."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import requests

from tests.security.conftest import Child
from tests.support.celery_worker import ROOT
from tests.support.media_server import MediaServer, random_bytes
from tests.support.postgres_server import PrivatePostgres
from tests.support.processes import wait_for

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")]

EPISODE = random_bytes(8_000_000, seed=7)
RATE = 1_000_000  # bytes per second: the download runs about 8 s
ALICE_KEY = "a" * 40
BOB_KEY = "b" * 40

SETUP = """
import json
from django.contrib.auth import get_user_model
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from rest_framework.authtoken.models import Token
from watchlist.items import add_item
from watchlist.models import WatchlistSettings
args = json.loads(open(0).read())
every, _ = IntervalSchedule.objects.get_or_create(every=1, period="seconds")
PeriodicTask.objects.update(interval=every, expire_seconds=5)
User = get_user_model()
ids = {}
for name, key, url, hours in (("alice", args["alice_key"], args["alice_feed"], 100),
                              ("bob", args["bob_key"], args["bob_feed"], 1)):
    user = User.objects.create_user(name)
    Token.objects.create(user=user, key=key)
    WatchlistSettings.objects.update_or_create(user=user, defaults={"check_interval_hours": hours})
    item = add_item(user, {"anime_title": name.title(), "anime_url": url, "provider_id": "feed", "lang": ""})
    ids[name] = str(item.pk)
print(json.dumps(ids))
"""


def feed(url: str, title: str) -> str:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>'
        f"<item><title>[Grp] {title} - 01 [1080p].mkv</title><guid>{title}-1</guid>"
        f'<enclosure url="{url}" length="{len(EPISODE)}" type="video/x-matroska"/></item></channel></rss>'
    )


@pytest.fixture
def postgres() -> Iterator[PrivatePostgres]:
    server = PrivatePostgres().init()
    yield server
    server.destroy()


@pytest.fixture
def media() -> Iterator[MediaServer]:
    server = MediaServer().start()
    yield server
    server.stop()


def api(base: str, key: str, path: str) -> requests.Response:
    return requests.get(f"{base}{path}", headers={"Authorization": f"Bearer {key}"}, timeout=30)


def test_postgres_restarted_mid_run(tmp_path: Path, postgres: PrivatePostgres, media: MediaServer, http_server):
    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    library = tmp_path / "library"
    env = {
        **os.environ,
        "DATABASE_URL": postgres.url,
        "REDIS_URL": os.environ["REDIS_URL"],
        "SECRET_KEY": "outage-tests-only",
        "DEBUG": "false",
        "VAR_DIR": str(tmp_path / "var"),
        "DOWNLOAD_DIR": str(library),
        "ALLOW_PRIVATE_SOURCES": "true",
        "SOURCE_MIN_REFRESH_MINUTES": "0",
        "CHECK_INTERVAL_UNIT_SECONDS": "3",  # bob's "hour" lasts 3 s: he comes due during the outage
        "DOWNLOAD_HEARTBEAT_SECONDS": "1",
        "DOWNLOAD_STALE_SECONDS": "10",
        "DOWNLOAD_RETRY_BASE_SECONDS": "1",
        "LOG_LEVEL": "WARNING",
    }
    manage = [sys.executable, "manage.py"]
    done = subprocess.run([*manage, "migrate", "--noinput"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    episode_url = media.add("/alice/01.mkv", EPISODE, rate=RATE)
    args = {
        "alice_key": ALICE_KEY,
        "bob_key": BOB_KEY,
        "alice_feed": http_server.add("/alice.xml", feed(episode_url, "Alice"), content_type="application/rss+xml"),
        "bob_feed": http_server.add(
            "/bob.xml", feed(media.url("/bob/01.mkv"), "Bob"), content_type="application/rss+xml"
        ),
    }
    done = subprocess.run(
        [*manage, "shell", "-c", SETUP], cwd=ROOT, env=env, input=json.dumps(args), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    ids = json.loads(done.stdout.strip().splitlines()[-1])

    web = Child(
        [sys.executable, "-m", "gunicorn", "watchlist_project.wsgi", "--bind", "127.0.0.1:0", "--workers", "2",
         "--worker-class", "gthread", "--threads", "4"], env, tmp_path / "web.log",
    )  # fmt: skip
    worker = Child(
        [sys.executable, "-m", "celery", "-A", "watchlist_project", "worker", "-Q", "checks,downloads,celery",
         "-c", "3", "-l", "warning", "--without-gossip", "--without-mingle", "--without-heartbeat",
         "-n", f"outage-{os.getpid()}@%h"], env, tmp_path / "worker.log",
    )  # fmt: skip
    beat = Child(
        [sys.executable, "-m", "celery", "-A", "watchlist_project", "beat", "-l", "warning",
         "-s", str(tmp_path / "beat-schedule")], env, tmp_path / "beat.log",
    )  # fmt: skip

    def logs() -> str:
        return "\n".join(f"--- {c.log_path.name}\n{c.output()[-3000:]}" for c in (web, worker, beat))

    try:
        wait_for(lambda: "Listening at" in web.output(), 30, "gunicorn", logs)
        line = next(line for line in web.output().splitlines() if "Listening at" in line)
        base = line.split("Listening at: ")[1].split()[0]

        # alice's episode is found on schedule and downloads, slowly.
        def alice_job() -> dict:
            jobs = api(base, ALICE_KEY, "/api/downloads").json()["results"]
            return jobs[0] if jobs else {}

        wait_for(lambda: alice_job().get("bytes_done", 0) > 1_000_000, 60, "alice's download to run", logs)

        # --- the database goes away mid-download -------------------------------------
        postgres.stop()
        down_at = time.monotonic()
        answers = [api(base, ALICE_KEY, "/api/watchlist") for _ in range(3)]
        assert [r.status_code for r in answers] == [503] * 3, [r.text for r in answers]
        assert answers[0].json() == {"detail": "The database cannot be reached right now. Try again in a minute."}
        assert answers[0].headers["Retry-After"] == "30"
        health = requests.get(f"{base}/healthz", timeout=30)
        assert health.status_code == 503 and health.json()["database"] == "unavailable"
        time.sleep(max(0.0, 8 - (time.monotonic() - down_at)))  # bob comes due while it is down
        postgres.start()

        # --- back: everything recovers by itself ------------------------------------------
        wait_for(lambda: api(base, ALICE_KEY, "/api/watchlist").status_code == 200, 30, "the web to recover", logs)
        wait_for(lambda: alice_job().get("status") == "completed", 120, "alice's download to finish", logs)
        job = alice_job()
        assert job["checksum_sha256"] == hashlib.sha256(EPISODE).hexdigest()
        [path] = list(library.rglob("*.mkv"))
        assert path.read_bytes() == EPISODE
        assert not list(library.rglob("*.part"))
        resumed = [r for r in media.requests_for("/alice/01.mkv") if r.range_start]
        assert resumed, "the download started over instead of resuming its partial file"

        def bob_checked_after_outage() -> bool:
            last = api(base, BOB_KEY, f"/api/watchlist/{ids['bob']}").json().get("last_check")
            return bool(last) and last["error"] is None and time.monotonic() - down_at > 8

        wait_for(bob_checked_after_outage, 60, "bob's due check after the outage", logs)
        checks = api(base, BOB_KEY, f"/api/watchlist/{ids['bob']}").json()
        assert checks["last_checked_at"]
    finally:
        for child in (web, worker, beat):
            child.stop()
