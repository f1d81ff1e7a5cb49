"""The network rule for torrents in tests: every libtorrent session the
test-suite creates (the engine in this process and in the worker processes
tests start, and the seeders) has DHT, local peer discovery, UPnP and NAT-PMP
off and listens on 127.0.0.1 only.

The per-test check lives in tests/support/torrent_audit.py (it fails any test
that made another kind of session); this test proves the audit sees sessions
at all and that every session recorded so far in this run obeys the rule.
"""

from __future__ import annotations

import re
from pathlib import Path

from downloads.torrent.engine import Engine
from downloads.torrent.session import session_settings
from tests.support.torrent_audit import audit_path, read_records, violations
from tests.support.torrent_seeder import TorrentSeeder

ROOT = Path(__file__).resolve().parents[1]


def test_every_libtorrent_session_of_the_test_suite_stays_on_the_loopback():
    start = audit_path().stat().st_size if audit_path().exists() else 0
    engine = Engine(session_settings())  # the project's engine, with the test settings
    seeder = TorrentSeeder()
    try:
        new, _ = read_records(start)
    finally:
        seeder.stop()
        engine.close()

    # Both sessions were seen, with what libtorrent really runs with.
    assert len(new) == 2, new
    for record in new:
        assert record["enable_dht"] is False
        assert record["enable_lsd"] is False
        assert record["enable_upnp"] is False
        assert record["enable_natpmp"] is False
        assert record["listen_interfaces"].startswith("127.0.0.1:")
    # And every session made so far in this run, worker processes included.
    everything, _ = read_records(0)
    assert [r for r in everything if violations(r)] == []


def test_the_audit_flags_what_breaks_the_rule():
    ok = {"enable_dht": False, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False}
    assert violations({**ok, "listen_interfaces": "127.0.0.1:0"}) == []
    assert violations({**ok, "listen_interfaces": "0.0.0.0:6881,[::]:6881"}) == [
        "listen_interfaces 0.0.0.0:6881",
        "listen_interfaces [::]:6881",
    ]
    assert violations({**ok, "enable_dht": True, "listen_interfaces": "127.0.0.1:0"}) == ["enable_dht"]


def test_sessions_are_only_made_where_the_audit_sees_them():
    # A session made with libtorrent directly would escape the audit.
    direct = re.compile(r"\b(?:lt|libtorrent)\.session\(")
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("downloads", "watchlist", "tests", "bench")
        for path in (ROOT / folder).rglob("*.py")
        if direct.search(path.read_text(encoding="utf-8")) and path.name != "session.py"
    ]
    assert offenders == []
