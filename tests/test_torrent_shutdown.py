"""How long the engine holds up a worker's shutdown (downloads/torrent/session.py).

libtorrent 2.1's session destructor waits the whole `stop_tracker_timeout`
for "stopped" announces, even when no announce is outstanding; with its
default (5 s) every download worker's exit took 5 s more than it needed.
"""

from __future__ import annotations

import time

import libtorrent as lt

from downloads.torrent.engine import Engine
from downloads.torrent.session import STOP_TRACKER_TIMEOUT_SECONDS, session_settings
from tests.support.torrent_files import make_torrent


def test_the_engine_closes_promptly_after_announcing_to_a_tracker(tmp_path, settings, tracker, seeder):
    settings.ALLOW_PRIVATE_SOURCES = True  # the tracker is on 127.0.0.1
    made = make_torrent(tmp_path / "seed", {"Show - 01.mkv": 256 * 1024}, trackers=[tracker.url])
    seeder.seed(made)
    engine = Engine(session_settings())
    try:
        assert engine.session.get_settings()["stop_tracker_timeout"] == STOP_TRACKER_TIMEOUT_SECONDS
        params = lt.add_torrent_params()
        params.ti = made.torrent_info()
        params.save_path = str(tmp_path / "download")
        engine.session.add_torrent(params)
        # The seeder announced first; wait for the engine's own announce.
        deadline = time.monotonic() + 30
        while len(tracker.announces) < 2:
            assert time.monotonic() < deadline, "the engine never announced"
            time.sleep(0.05)
    finally:
        started = time.monotonic()
        engine.close()
        took = time.monotonic() - started
    # 5.0 s with libtorrent's default, measured the same way.
    assert took < STOP_TRACKER_TIMEOUT_SECONDS + 2.0, f"closing took {took:.1f} s"
