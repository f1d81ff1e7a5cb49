"""The embedded mode a new user starts with scripts/run: SQLite, the
filesystem broker and `manage.py runservice` (web, worker and beat in one
foreground command). A feed gains an episode on the loopback server; the
schedule downloads it with no other setup, and Ctrl-C stops everything."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import requests

from tests.check_helpers import every_episode, rss
from tests.support.embedded import free_port

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow

SETUP = """
from django.contrib.auth import get_user_model
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from watchlist.items import add_item
from watchlist.models import WatchlistSettings
every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period="seconds")
PeriodicTask.objects.filter(task="watchlist.tasks.dispatch_due_users_task").update(interval=every_second)
user = get_user_model().objects.create_user("carol", password="carol-pass-123")
WatchlistSettings.objects.filter(user=user).update(check_interval_hours=1)
add_item(user, {"anime_title": "Mushishi", "anime_url": "FEED_URL", "provider_id": "feed", "lang": "vostfr"})
"""


def _children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _comm(pid: int) -> str:
    return Path(f"/proc/{pid}/comm").read_text().strip()


def _memory_kib(pid: int) -> dict[str, int]:
    rows = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]
    return {line.split(":")[0]: int(line.split()[1]) for line in rows}


def test_runservice_downloads_on_schedule_with_sqlite_and_no_broker_server(tmp_path, http_server):
    releases = every_episode(1, resolution=720, title="Mushishi")
    http_server.add("/feed.xml", rss(http_server, releases), content_type="application/rss+xml")
    http_server.add("/files/" + quote(releases[0].name), b"mushishi-episode-1", content_type="video/x-matroska")
    library = tmp_path / "library"
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL", "CI")} | {
        "VAR_DIR": str(tmp_path / "var"),
        "SECRET_KEY": "embedded-e2e-only",
        "DOWNLOAD_DIR": str(library),
        "PRIVATE_SOURCE_ALLOWLIST": f"127.0.0.1:{http_server.port}",
        "CHECK_INTERVAL_UNIT_SECONDS": "3",
        "SOURCE_MIN_REFRESH_MINUTES": "0",
        "MAX_PARALLEL_DOWNLOADS": "1",
    }
    manage = [sys.executable, "manage.py"]
    for argv in (["migrate", "--noinput"], ["shell", "-c", SETUP.replace("FEED_URL", http_server.url("/feed.xml"))]):
        done = subprocess.run([*manage, *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "var" / "db.sqlite3").exists()

    port = free_port()
    log = (tmp_path / "runservice.log").open("wb")
    service = subprocess.Popen(
        [*manage, "runservice", "--bind", f"127.0.0.1:{port}", "--web-workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    target = library / "carol" / "Mushishi" / "Mushishi - S01E01 [720p].mkv"
    try:
        # Generous: three processes start, migrate-free, on a loaded machine;
        # the wait ends as soon as the file is there.
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and not target.exists():
            assert service.poll() is None, (tmp_path / "runservice.log").read_text()
            time.sleep(0.5)
        assert target.exists(), (tmp_path / "runservice.log").read_text()[-5000:]
        assert target.read_bytes() == b"mushishi-episode-1"
        health = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=10)
        assert health.json() == {"status": "ok", "database": "ok", "broker": "ok"}
        # The parts are forked from the supervisor (processes.py, which
        # preloaded what they all use), not started as interpreters of their
        # own: each is its child, named after its part, and the supervisor's
        # memory is mostly shared with them (PSS well under RSS).
        supervisor = Path(f"/proc/{service.pid}/cmdline").read_bytes().split(b"\0")
        assert supervisor[1].endswith(b"watchlist_project/processes.py"), supervisor
        parts = {_comm(pid): pid for pid in _children(service.pid)}
        assert set(parts) == {"wl:web", "wl:worker", "wl:beat"}, parts
        for pid in parts.values():
            assert Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[1] == supervisor[1]
        memory = _memory_kib(service.pid)
        assert memory["Pss"] < 0.6 * memory["Rss"], memory
    finally:
        # What Ctrl-C in the terminal does: SIGINT to the foreground group.
        os.killpg(service.pid, signal.SIGINT)
        code = service.wait(timeout=60)
        log.close()
    output = (tmp_path / "runservice.log").read_text()
    assert code == 0, output[-3000:]
    # Beat runs as a part of its own (forked from the supervisor, not from
    # the threaded worker): the episode came on schedule, and Ctrl-C stopped
    # every part.
    for name in ("web", "worker", "beat"):
        assert f"[runservice] {name} stopped" in output
    assert "beat: Starting" in output
