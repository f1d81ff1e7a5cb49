"""The whole service as separate processes, started with the commands that
docker-compose.yml gives its services (migrate, gunicorn, a worker per
queue, beat) against the test PostgreSQL database and the real Redis: there
is no Docker engine here, so the file's commands are what is tested.
Nothing here calls the API to make a check happen: beat's dispatcher does.

One "hour" of check_interval_hours lasts CHECK_INTERVAL_UNIT_SECONDS in the
child processes (a test-only setting), and the dispatcher's beat entry is
set to every second, so schedules come round in seconds.
"""

from __future__ import annotations

import ast
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
import yaml
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from rest_framework.authtoken.models import Token

from tests.check_helpers import Rel, every_episode, feed_item, serve_feed
from tests.support.celery_worker import ROOT, shared_database_url
from tests.support.processes import needs_shared_services, wait_for
from tests.support.redis_server import PrivateRedis
from watchlist import schedule
from watchlist.beat import DISPATCHER_TASK, seed_beat_entries
from watchlist.models import CheckRun, Episode, EpisodeState, PendingCheck, WatchlistSettings

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    needs_shared_services,
]

UNIT_SECONDS = 4  # one "hour" of check interval, in the child processes


# The checks worker's line (log level INFO) at the end of each dispatcher run, with its report.
DISPATCHER_RUN = re.compile(r"dispatch_due_users_task\[[0-9a-f-]+\] succeeded in [^:]+: (\{[^}\n]*\})")


def dispatcher_runs(service: dict) -> list[dict]:
    """The reports of the dispatcher runs so far, oldest first."""
    log = service["processes"]["worker-checks"].log_path.read_text(errors="replace")
    return [ast.literal_eval(report) for report in DISPATCHER_RUN.findall(log)]


def file_path(rel: Rel) -> str:
    return "/files/" + quote(rel.name)  # where check_helpers.rss links each release


class Process:
    def __init__(self, argv: list[str], env: dict[str, str], log: Path) -> None:
        self._log = log.open("ab")
        self.log_path = log
        self.popen = subprocess.Popen(
            argv,
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def signal(self, sig: int) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, sig)
            self.popen.wait(timeout=20)

    def stop(self) -> None:
        try:
            self.signal(signal.SIGTERM)
        except subprocess.TimeoutExpired:
            self.signal(signal.SIGKILL)
        self._log.close()


def compose_commands() -> dict[str, list[str]]:
    """Each service's command from docker-compose.yml, ready to run here:
    the executables from this virtualenv, `$$` unescaped as compose does, and
    the web server bound to a free loopback port instead of 0.0.0.0:8000."""
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    commands = {}
    for name in ("migrate", "web", "worker-checks", "worker-downloads", "beat"):
        argv = [part.replace("$$", "$") for part in services[name]["command"]]
        if argv[0] in ("python", "celery", "gunicorn"):
            argv = [sys.executable, *(["-m", argv[0]] if argv[0] != "python" else []), *argv[1:]]
        if "--bind" in argv:
            argv[argv.index("--bind") + 1] = "127.0.0.1:0"
        commands[name] = argv
    return commands


@pytest.fixture
def broker_url(request: pytest.FixtureRequest) -> str:
    """The broker the service's processes use: the test's own Redis when it
    asks for `private_redis` (tests that stop the broker), else the shared
    one, emptied."""
    import redis

    if "private_redis" in request.fixturenames:
        return request.getfixturevalue("private_redis").url
    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    return os.environ["REDIS_URL"]


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(tmp_path / "redis").start()
    yield server
    server.stop()


@pytest.fixture
def service(tmp_path: Path, http_server, broker_url: str) -> Iterator[dict]:
    library = tmp_path / "library"
    env = {
        "DATABASE_URL": shared_database_url(),
        "REDIS_URL": broker_url,
        "SECRET_KEY": "e2e-only",
        "VAR_DIR": str(tmp_path / "var"),
        "DOWNLOAD_DIR": str(library),
        "MAX_PARALLEL_DOWNLOADS": "2",
        "PRIVATE_SOURCE_ALLOWLIST": f"127.0.0.1:{http_server.port}",
        "SOURCE_MIN_REFRESH_MINUTES": "0",
        "CHECK_INTERVAL_UNIT_SECONDS": str(UNIT_SECONDS),
        "LOG_LEVEL": "INFO",
        # As in the image, the project's executables are on PATH (the
        # downloads worker's command runs `celery` through `sh -c`).
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    # The dispatcher every second instead of every minute.
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period="seconds")
    seed_beat_entries(IntervalSchedule, PeriodicTask)
    PeriodicTask.objects.filter(task=DISPATCHER_TASK).update(interval=every_second, expire_seconds=5)

    commands = compose_commands()
    migrate = subprocess.run(commands["migrate"], cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True)
    assert migrate.returncode == 0, migrate.stdout + migrate.stderr
    processes: dict[str, Process] = {}

    def start(name: str) -> Process:
        processes[name] = Process(commands[name], env, tmp_path / f"{name}.log")
        return processes[name]

    for name in ("web", "worker-checks", "worker-downloads", "beat"):
        start(name)

    def logs() -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-2000:]}" for path in sorted(tmp_path.glob("*.log"))
        )

    yield {"library": library, "logs": logs, "start": start, "processes": processes}
    for process in processes.values():
        process.stop()


def test_episodes_are_downloaded_on_schedule_with_no_api_call(alice, http_server, service):
    logs = service["logs"]
    releases = every_episode(1, resolution=1080)
    url = serve_feed(http_server, "/feed.xml", releases, etag='"v1"')
    http_server.add(file_path(releases[0]), b"episode-1-bytes", content_type="video/x-matroska")
    item = feed_item(alice, url, anime_title="Frieren")
    WatchlistSettings.objects.filter(user=alice).update(check_interval_hours=1)

    def downloaded(n: int) -> bool:
        return Episode.objects.filter(item=item, number=n, state=EpisodeState.DOWNLOADED).exists()

    wait_for(lambda: downloaded(1), 60, "episode 1 downloaded on schedule", logs)
    path = service["library"] / "alice" / "Frieren" / "Frieren - S01E01 [1080p].mkv"
    assert path.read_bytes() == b"episode-1-bytes"

    # The feed gains an episode; the next scheduled check finds and fetches it.
    releases = every_episode(1, 2, resolution=1080)
    serve_feed(http_server, "/feed.xml", releases, etag='"v2"')
    http_server.add(file_path(releases[-1]), b"episode-2-bytes", content_type="video/x-matroska")
    wait_for(lambda: downloaded(2), 60, "episode 2 downloaded on schedule", logs)
    item.refresh_from_db()
    assert item.last_episode_downloaded == 2

    # Stopping the user's schedule stops the checks; starting resumes them.
    schedule.stop(WatchlistSettings.objects.get(user=alice))
    # A check the dispatcher sent just before the stop may still run: the
    # count is taken once two dispatcher runs have ended since the stop and
    # nothing waits or runs in the checks queue for the item.
    runs = len(dispatcher_runs(service))
    wait_for(
        lambda: len(dispatcher_runs(service)) >= runs + 2 and not PendingCheck.objects.filter(item=item).exists(),
        30,
        "the dispatcher to run after the stop",
        logs,
    )
    stopped_at = CheckRun.objects.filter(item=item).count()
    # The item falls due again one interval after its last check; the
    # dispatcher keeps running past that and sends nothing.
    last = CheckRun.objects.filter(item=item).latest("started_at").started_at
    wait_for(lambda: timezone.now() > last + timedelta(seconds=UNIT_SECONDS * 1.2), 30, "the item to fall due")
    runs = len(dispatcher_runs(service))
    wait_for(lambda: len(dispatcher_runs(service)) >= runs + 2, 30, "the dispatcher to run while the item is due", logs)
    assert all(run["dispatched"] == 0 for run in dispatcher_runs(service)[runs:])
    assert CheckRun.objects.filter(item=item).count() == stopped_at
    schedule.start(WatchlistSettings.objects.get(user=alice))
    wait_for(lambda: CheckRun.objects.filter(item=item).count() > stopped_at, 30, "checks resumed", logs)


def test_beat_killed_and_restarted_checks_no_user_twice_for_one_due_time(alice, http_server, service):
    logs = service["logs"]
    url = serve_feed(http_server, "/feed.xml", every_episode(1), etag='"v1"')
    item = feed_item(alice, url, last_episode_downloaded=1)
    WatchlistSettings.objects.filter(user=alice).update(check_interval_hours=1)
    wait_for(lambda: CheckRun.objects.filter(item=item).exists(), 60, "a first scheduled check", logs)

    service["processes"]["beat"].signal(signal.SIGKILL)
    service["start"]("beat")
    started = time.monotonic()
    time.sleep(UNIT_SECONDS * 4)
    window = time.monotonic() - started
    runs = list(CheckRun.objects.filter(item=item).order_by("started_at").values_list("started_at", flat=True))
    # One check per due time: never more than one per interval (plus the
    # one already counted at the start of the window).
    assert len(runs) <= window / UNIT_SECONDS + 2, runs
    assert len(runs) >= 2, logs()


def test_checks_resume_after_redis_restarts(alice, http_server, private_redis, service):
    # The broker here is a Redis of this test's own: stopping the machine's
    # shared one would break every other test and run using it.
    logs = service["logs"]
    url = serve_feed(http_server, "/feed.xml", every_episode(1), etag='"v1"')
    item = feed_item(alice, url, last_episode_downloaded=1)
    WatchlistSettings.objects.filter(user=alice).update(check_interval_hours=1)
    wait_for(lambda: CheckRun.objects.filter(item=item).exists(), 60, "a first scheduled check", logs)

    private_redis.stop()
    try:
        time.sleep(UNIT_SECONDS * 2)
        before = CheckRun.objects.filter(item=item).count()
    finally:
        private_redis.start()
        wait_for(private_redis.alive, 20, "redis", logs)
    wait_for(lambda: CheckRun.objects.filter(item=item).count() > before, 90, "checks after Redis restarted", logs)


def test_web_process_serves_health_and_api(alice, service):
    # gunicorn binds to a free port; read it from its log.
    logs = service["logs"]
    log_path = service["processes"]["web"].log_path
    wait_for(lambda: "Listening at" in log_path.read_text(errors="replace"), 30, "gunicorn to listen", logs)
    line = next(line for line in log_path.read_text().splitlines() if "Listening at" in line)
    base = line.split("Listening at: ", 1)[1].split(" ", 1)[0]
    # "Listening at" is the arbiter's line; its worker may still be loading
    # the app (seen past 10 s on a loaded machine): ask until it answers.
    answers: list[requests.Response] = []

    def healthy() -> bool:
        try:
            answers.append(requests.get(f"{base}/healthz", timeout=10))
        except requests.RequestException:
            return False
        return answers[-1].status_code == 200

    wait_for(healthy, 60, "the web worker to answer /healthz", logs)
    health = answers[-1]
    assert health.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    token = Token.objects.create(user=alice).key
    status = requests.get(
        f"{base}/api/watchlist/scheduler/status", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert status.status_code == 200
    wait_for(
        lambda: requests.get(
            f"{base}/api/watchlist/scheduler/status", headers={"Authorization": f"Bearer {token}"}, timeout=10
        ).json()["beat_alive"],
        30,
        "beat to be seen alive",
        logs,
    )
