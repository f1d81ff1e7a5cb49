"""A libtorrent seeder on 127.0.0.1 and a tiny HTTP tracker that points at it.

    with TorrentSeeder() as seeder:
        seeder.seed(made)                       # a MadeTorrent, payload on disk
        seeder.endpoint                         # "127.0.0.1:<port>" for x.pe / the tracker

The seeder's session goes through the project's `open_session`, so the
test-suite's audit sees it: DHT, local peer discovery, UPnP and NAT-PMP off,
listening on 127.0.0.1 only.

`LoopbackTracker` answers BEP 3 announces with a compact peer list of the
endpoints a test gives it (the seeder's, or a refused address): with DHT off
that is how the engine finds peers for a .torrent that names the tracker.
"""

from __future__ import annotations

import ipaddress
import struct
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import libtorrent as lt

from downloads.torrent.session import open_session
from tests.support.httpserver import LoopbackServer, Route, SeenRequest
from tests.support.torrent_files import MadeTorrent

LOOPBACK_ONLY = {
    "listen_interfaces": "127.0.0.1:0",
    "enable_dht": False,
    "enable_lsd": False,
    "enable_upnp": False,
    "enable_natpmp": False,
    # Two libtorrent sessions on one host share the address 127.0.0.1.
    "allow_multiple_connections_per_ip": True,
    "alert_mask": int(lt.alert.category_t.error_notification | lt.alert.category_t.status_notification),
}


# A session's destructor waits for its "stopped" announces, and libtorrent
# 2.1 waits the whole stop_tracker_timeout (5 s) even when the loopback
# tracker has answered: measured, 5.0 s per seeder against 0.0 s with 0
# (which skips those announces). No test reads a seeder's "stopped"; the
# engine's own sessions keep the default.
SEEDER_QUICK_EXIT = {"stop_tracker_timeout": 0}


class TorrentSeeder:
    def __init__(self, *, upload_rate: int = 0, **settings: object) -> None:
        self.session = open_session(
            {**LOOPBACK_ONLY, "upload_rate_limit": upload_rate, **SEEDER_QUICK_EXIT, **settings}
        )
        self.handles: dict[str, lt.torrent_handle] = {}
        self.upload_rate = upload_rate

    @property
    def port(self) -> int:
        deadline = time.monotonic() + 5
        while not self.session.listen_port() and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.session.listen_port()

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.port}"

    def seed(self, made: MadeTorrent, *, upload_rate: int | None = None) -> lt.torrent_handle:
        params = lt.add_torrent_params()
        params.ti = made.torrent_info()
        params.save_path = str(made.root)
        # The payload was just written by the test: no need to hash it again.
        params.flags = (
            (params.flags | lt.torrent_flags.seed_mode) & ~lt.torrent_flags.auto_managed & ~lt.torrent_flags.paused
        )
        handle = self.session.add_torrent(params)
        rate = self.upload_rate if upload_rate is None else upload_rate
        if rate:
            # Per torrent: the session's limits do not apply to peers on a
            # local network (libtorrent's local peer class), the test's are.
            handle.set_upload_limit(rate)
        self.handles[made.infohash] = handle
        return handle

    def leech(self, made: MadeTorrent, save_path: Path, *peers: str) -> lt.torrent_handle:
        """Download `made` into an empty `save_path` from these peers
        ("127.0.0.1:<port>"), as another user's client would: for tests of
        what the project's engine uploads. (The torrent's trackers are still
        announced to: a test wanting `peers` alone empties their peer lists.)"""
        params = lt.add_torrent_params()
        params.ti = made.torrent_info()
        params.save_path = str(save_path)
        params.flags = params.flags & ~lt.torrent_flags.auto_managed & ~lt.torrent_flags.paused
        handle = self.session.add_torrent(params)
        for peer in peers:
            host, _, port = peer.rpartition(":")
            handle.connect_peer((host, int(port)))
        self.handles[made.infohash] = handle
        return handle

    def offer(self, made: MadeTorrent, ports: set[int]) -> None:
        """Connect to the sessions listening on these loopback ports, as a
        seeder answers peers it hears of: the engine's own attempts can be
        held back by libtorrent's reconnect pause after one failed try."""
        handle = self.handles[made.infohash]
        for port in ports - {self.port}:
            handle.connect_peer(("127.0.0.1", port))

    def forget(self, made: MadeTorrent) -> None:
        """Stop serving `made` (the other sessions are left with the only copy)."""
        self.session.remove_torrent(self.handles.pop(made.infohash))

    def uploaded(self, made: MadeTorrent) -> int:
        return self.handles[made.infohash].status().all_time_upload

    def set_upload_rate(self, made: MadeTorrent, rate: int) -> None:
        self.handles[made.infohash].set_upload_limit(rate)

    def stop(self) -> None:
        for handle in self.handles.values():
            self.session.remove_torrent(handle)
        self.handles.clear()
        self.session.pause()
        del self.session

    def __enter__(self) -> TorrentSeeder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def compact_peer(endpoint: str) -> bytes:
    host, _, port = endpoint.rpartition(":")
    return ipaddress.IPv4Address(host).packed + struct.pack(">H", int(port))


class LoopbackTracker:
    """An HTTP tracker on the loopback server: /announce lists `peers`."""

    def __init__(self, server: LoopbackServer, peers: list[str] | None = None) -> None:
        self.server = server
        self.peers: list[str] = list(peers or [])
        self.announces: list[dict[str, list[str]]] = []
        self._lock = threading.Lock()
        server.routes["/announce"] = Route(handler=self._announce)

    @property
    def url(self) -> str:
        return self.server.url("/announce")

    def _announce(self, seen: SeenRequest) -> tuple[int, dict[str, str], bytes]:
        query = parse_qs(urlsplit(seen.path).query)
        # Like a real tracker, it does not hand a peer its own address: a
        # session connecting to itself is refused, and then holds up the
        # session's shutdown (measured: 1.7 s).
        own = f"127.0.0.1:{query.get('port', [''])[0]}"
        with self._lock:
            self.announces.append(query)
            peers = b"".join(compact_peer(p) for p in self.peers if p != own)
        body = lt.bencode({b"interval": 60, b"min interval": 5, b"peers": peers})
        return 200, {"Content-Type": "text/plain"}, body
