"""The embedded mode (`manage.py runservice`: SQLite, the filesystem broker,
web, worker and beat as separate processes) started for a test on a temp
VAR_DIR, and stopped the way Ctrl-C stops it.

    env = embedded_env(tmp_path, library, DOWNLOAD_NAME_TEMPLATE="...")
    manage(env, "migrate", "--noinput")
    with EmbeddedService(env, tmp_path / "runservice.log") as service:
        service.url("/healthz")
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MANAGE = [sys.executable, "manage.py"]
# The test network rule for the engines the stack's workers make (as in
# pyproject.toml's pytest env): no DHT, no local discovery, no port mapping,
# listening on 127.0.0.1 only.
LOOPBACK_TORRENTS = {
    "TORRENT_DHT": "false",
    "TORRENT_LSD": "false",
    "TORRENT_UPNP": "false",
    "TORRENT_LISTEN_INTERFACES": "127.0.0.1:0",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def embedded_env(tmp_path: Path, library: Path, **extra: str) -> dict[str, str]:
    """The environment of an embedded stack of its own: no PostgreSQL, no
    Redis (SQLite and the filesystem broker under VAR_DIR), the library in
    `library`. The test-suite's session audit file is inherited from this
    process's environment; the torrent network rule is set here too, so that
    a run without pytest's env still keeps every engine the stack makes on
    the loopback."""
    inherited = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL", "CI")}
    return inherited | {
        "VAR_DIR": str(tmp_path / "var"),
        "SECRET_KEY": "embedded-e2e-only",
        "DOWNLOAD_DIR": str(library),
        "CHECK_INTERVAL_UNIT_SECONDS": "3",
        "SOURCE_MIN_REFRESH_MINUTES": "0",
        **LOOPBACK_TORRENTS,
        **extra,
    }


def manage(env: dict[str, str], *argv: str, timeout: float = 120) -> str:
    """Run one manage.py command against the stack's database; its stdout."""
    done = subprocess.run([*MANAGE, *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


class EmbeddedService:
    """`manage.py runservice` in its own process group, as scripts/run starts it."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.env = env
        self.log_path = log_path
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.exit_code: int | None = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def start(self) -> EmbeddedService:
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [*MANAGE, "runservice", "--bind", f"127.0.0.1:{self.port}", "--web-workers", "1"],
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def wait_until(self, condition: Callable[[], bool], seconds: float, what: str) -> None:
        """Poll `condition` until true; fail with the service's log if the
        service died or the time ran out."""
        deadline = time.monotonic() + seconds
        while not condition():
            assert self.process is not None and self.process.poll() is None, self.output()[-5000:]
            assert time.monotonic() < deadline, f"timed out waiting for {what}\n" + self.output()[-8000:]
            time.sleep(0.5)

    def stop(self) -> int:
        """What Ctrl-C in the terminal does: SIGINT to the foreground group."""
        if self.process is not None and self.exit_code is None:
            os.killpg(self.process.pid, signal.SIGINT)
            self.exit_code = self.process.wait(timeout=60)
            self._log.close()
        return self.exit_code if self.exit_code is not None else -1

    def __enter__(self) -> EmbeddedService:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
