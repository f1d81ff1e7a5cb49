"""A PostgreSQL cluster of a test's own, on a free loopback port, made with
the machine's initdb/pg_ctl in a temporary folder. Tests that stop and
restart the database use this one; the machine's server (DATABASE_URL)
serves every other test and other runs at the same time, and is never
touched."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.support.redis_server import free_port


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        pytest.skip(f"no PostgreSQL {name} under /usr/lib/postgresql/*/bin")
    return found[-1]


class PrivatePostgres:
    def __init__(self) -> None:
        # Not the test's tmp_path: PostgreSQL refuses to run as root, and the
        # postgres user must be able to reach its folder.
        self.folder = Path(tempfile.mkdtemp(prefix="watchlist-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/watchlist"

    def _run(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess:
        command = list(argv)
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=check, timeout=120)

    def init(self) -> PrivatePostgres:
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run(_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8")
        self.start()
        self._run(_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "watchlist")
        return self

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(_bin("pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w", "start")

    def stop(self) -> None:
        # fast: every connection is dropped at once, as in a crash or restart.
        self._run(_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    def ready(self) -> bool:
        done = self._run(_bin("pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), check=False)
        return done.returncode == 0

    def destroy(self) -> None:
        self.stop()
        deadline = time.monotonic() + 10
        while self.ready() and time.monotonic() < deadline:
            time.sleep(0.1)
        shutil.rmtree(self.folder, ignore_errors=True)
