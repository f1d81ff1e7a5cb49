"""Every libtorrent session the test-suite creates stays on the loopback (a pytest plugin).

libtorrent opens its own sockets, in C++: the socket guard never sees them.
So the sessions themselves are audited. `downloads.torrent.session.open_session`
(the one place sessions are made, in project code and in the test seeders)
appends the settings each session really runs with to the file named by
TORRENT_SESSION_AUDIT_FILE; this plugin names a file for the run (worker
processes inherit the variable) and, after every test, checks the sessions
created meanwhile: DHT, local peer discovery, UPnP and NAT-PMP off, listening
on 127.0.0.1 (or [::1]) only. A test that made any other session fails.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

from downloads.torrent.session import AUDIT_ENV

LOOPBACK_HOSTS = {"127.0.0.1", "[::1]"}


def violations(record: dict[str, Any]) -> list[str]:
    """What is wrong with one audited session ([] when it is loopback-only)."""
    wrong = [name for name in ("enable_dht", "enable_lsd", "enable_upnp", "enable_natpmp") if record.get(name)]
    interfaces = [i.strip() for i in str(record.get("listen_interfaces") or "").split(",") if i.strip()]
    if not interfaces:
        wrong.append("listen_interfaces (none)")
    for interface in interfaces:
        host = interface.rsplit(":", 1)[0]
        if host not in LOOPBACK_HOSTS:
            wrong.append(f"listen_interfaces {interface}")
    return wrong


def audit_path() -> Path:
    return Path(os.environ[AUDIT_ENV])


def read_records(start: int = 0) -> tuple[list[dict[str, Any]], int]:
    path = audit_path()
    if not path.exists():
        return [], start
    with path.open("rb") as fh:
        fh.seek(start)
        data = fh.read()
    complete = data[: data.rfind(b"\n") + 1]  # a line being written is read next time
    records = [json.loads(line) for line in complete.decode().splitlines() if line.strip()]
    return records, start + len(complete)


_made_here: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    if not os.environ.get(AUDIT_ENV):
        handle, name = tempfile.mkstemp(prefix="torrent-sessions-", suffix=".jsonl")
        os.close(handle)
        os.environ[AUDIT_ENV] = name
        _made_here.append(name)


def pytest_unconfigure(config: pytest.Config) -> None:
    for name in _made_here:
        Path(name).unlink(missing_ok=True)


@pytest.fixture(autouse=True)
def _sessions_stay_on_loopback() -> Any:
    path = audit_path()
    start = path.stat().st_size if path.exists() else 0
    yield
    records, _ = read_records(start)
    bad = [(r, violations(r)) for r in records if violations(r)]
    if bad:
        shown = "; ".join(f"{r.get('origin')} (pid {r.get('pid')}): {', '.join(w)}" for r, w in bad)
        pytest.fail(f"libtorrent sessions not confined to the loopback: {shown}", pytrace=False)
