"""Start and kill real Celery worker processes against the test database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def shared_database_url() -> str:
    """The URL of the database pytest-django created, for other processes."""
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Worker:
    def __init__(self, env: dict[str, str], log: Path, concurrency: int = 2) -> None:
        self.log_path = log
        self.env = {**os.environ, **env}
        self.concurrency = concurrency
        self.process: subprocess.Popen | None = None

    def start(self) -> Worker:
        celery = Path(sys.executable).with_name("celery")
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                str(celery),
                "-A",
                "watchlist_project",
                "worker",
                "-Q",
                "downloads,checks",
                "-c",
                str(self.concurrency),
                "--pool",
                "prefork",
                "-l",
                "info",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"test-{os.getpid()}-{time.monotonic_ns()}@%h",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: a kill takes the pool children too
        )
        return self

    def kill(self) -> None:
        """SIGKILL the whole worker: main process and pool children, no cleanup."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        if getattr(self, "_log", None):
            self._log.close()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def worker_env(download_dir: Path, var_dir: Path) -> dict[str, str]:
    """Environment for worker processes that share this test's database,
    broker and download folder. Empties the broker database first, so that no
    message of another run reaches them."""
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    return {
        "DATABASE_URL": shared_database_url(),
        "REDIS_URL": os.environ["REDIS_URL"],
        "DOWNLOAD_DIR": str(download_dir),
        "ALLOW_PRIVATE_SOURCES": "true",
        "VAR_DIR": str(var_dir),
        "DEBUG": "true",
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
