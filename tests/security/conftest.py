"""The service as real processes for the abuse tests: gunicorn (two workers,
as `runservice` starts it: threads per worker) and a Celery worker on the
checks and downloads queues, against the test database and Redis, with the
hostile-source server and an ordinary feed server on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.support.celery_worker import ROOT, worker_env
from tests.support.hostile_server import HostileServer
from tests.support.processes import wait_for
from watchlist.management.commands.runservice import WEB_THREADS


class Child:
    def __init__(self, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.log_path = log
        self._log = log.open("ab")
        self.popen = subprocess.Popen(
            argv,
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(timeout=10)
        self._log.close()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")


@dataclass
class Service:
    base: str
    library: Path
    web: Child
    worker: Child

    def logs(self) -> str:
        return f"--- web\n{self.web.output()[-4000:]}\n--- worker\n{self.worker.output()[-6000:]}"


@pytest.fixture(scope="module")
def hostile() -> Iterator[HostileServer]:
    server = HostileServer(trickle_interval=1.0, bomb_size=64 << 20, deep_levels=100_000).start()
    yield server
    server.stop()


@pytest.fixture
def service(tmp_path: Path, hostile: HostileServer, http_server) -> Iterator[Service]:
    library = tmp_path / "library"
    env = {
        **worker_env(library, tmp_path / "var"),
        "DEBUG": "false",
        "SECRET_KEY": "security-tests-only",
        "HTTP_TIMEOUT_SECONDS": "20",  # each trickled byte comes well inside it...
        "HTTP_TOTAL_TIMEOUT_SECONDS": "4",  # ...so only the overall deadline stops a fetch
        "SOURCE_MIN_REFRESH_MINUTES": "0",
        "CHECK_MAX_RUNNING_PER_USER": "2",
        "DOWNLOAD_MAX_BYTES": str(8 << 20),
        "TRUSTED_PROXY_COUNT": "1",  # the tests play the proxy: the last X-Forwarded-For entry is the client
        "LOG_LEVEL": "WARNING",
    }
    web = Child(
        [sys.executable, "-m", "gunicorn", "watchlist_project.wsgi", "--bind", "127.0.0.1:0", "--workers", "2",
         "--worker-class", "gthread", "--threads", str(WEB_THREADS), "--timeout", "120"],
        env, tmp_path / "web.log",
    )  # fmt: skip
    worker = Child(
        [sys.executable, "-m", "celery", "-A", "watchlist_project", "worker", "-Q", "checks,downloads", "-c", "3",
         "--pool", "prefork", "-l", "warning", "--without-gossip", "--without-mingle", "--without-heartbeat",
         "-n", f"security-{os.getpid()}-{time.monotonic_ns()}@%h"],
        env, tmp_path / "worker.log",
    )  # fmt: skip
    try:
        wait_for(lambda: "Listening at" in web.output(), 30, "gunicorn to listen", web.output)
        line = next(line for line in web.output().splitlines() if "Listening at" in line)
        base = line.split("Listening at: ", 1)[1].split(" ", 1)[0]
        wait_for(lambda: _up(base), 30, "the web to answer", web.output)
        yield Service(base=base, library=library, web=web, worker=worker)
    finally:
        web.stop()
        worker.stop()


def _up(base: str) -> bool:
    try:
        return requests.get(f"{base}/healthz", timeout=2).status_code in (200, 503)
    except requests.RequestException:
        return False
