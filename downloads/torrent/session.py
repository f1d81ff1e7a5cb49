"""libtorrent sessions: the settings they run with, and the one place they are made.

Every session of the project (the engine's, and the seeders the test-suite
starts) is created by `open_session()`, so the settings that decide what
libtorrent may do on the network are visible in one function
(`session_settings()`), and a test can audit every session: libtorrent opens
its own sockets, which Python's socket guard does not see.

Auditing: when the environment names a file in TORRENT_SESSION_AUDIT_FILE,
each new session appends a JSON line with the settings it really runs with
(read back from libtorrent, not from what was asked). The test-suite sets it
for itself and for the worker processes it starts; in production it is unset
and costs nothing.
"""

from __future__ import annotations

import json
import os
import threading
from typing import Any

import libtorrent as lt

from downloads.conf import torrent_setting

AUDIT_ENV = "TORRENT_SESSION_AUDIT_FILE"
# Settings an audit records: what decides where libtorrent connects and listens.
AUDITED_SETTINGS = ("listen_interfaces", "enable_dht", "enable_lsd", "enable_upnp", "enable_natpmp")

_ENCRYPTION = {
    "enabled": lt.enc_policy.enabled,
    "forced": lt.enc_policy.forced,
    "disabled": lt.enc_policy.disabled,
}
# What the engine listens to: errors, state changes (finished, metadata,
# resume data), storage (moves, file errors), IP blocks (so refused peers
# are logged) and tracker errors. Not the per-piece or per-block chatter.
ALERT_MASK = (
    lt.alert.category_t.error_notification
    | lt.alert.category_t.status_notification
    | lt.alert.category_t.storage_notification
    | lt.alert.category_t.ip_block_notification
    | lt.alert.category_t.tracker_notification
)
# Memory. libtorrent 2.1 lets up to 100 MiB of received blocks wait for the
# disk, and a loopback or LAN peer fills that whatever the torrent's size:
# measured (bench/torrent_bench.py), the engine's heap grew by ~15 % of the
# bytes downloaded. With 1 MiB the socket reads simply wait for the disk;
# throughput on the loopback did not drop (it rose: less memory traffic).
MAX_QUEUED_DISK_BYTES = 1024 * 1024
# Per peer; the default (2 MiB) is for very fast single peers.
MAX_PEER_RECV_BUFFER_BYTES = 256 * 1024
# The kernel's receive buffer of each peer socket (SO_RCVBUF; Linux doubles
# it for its bookkeeping). Why: libtorrent empties a socket in one read,
# growing the peer's receive buffer in the heap to whatever the socket holds
# (max_peer_recv_buffer_size does not bound that read). Left to the kernel's
# autotuning, a fast peer's socket grows towards net.ipv4.tcp_rmem's maximum
# (32 MiB here) as the download goes on, so the heap grew with the torrent's
# size: 12-27 MiB read at once from one loopback peer at 1 GiB (strace), and
# an engine peak of 199 MiB RSS. With 1 MiB: 131 MiB, and no slower
# (bench/torrent_bench.py, bench/README.md). The cost is the TCP window: one
# peer 100 ms away is held to roughly 10-15 MiB/s, which a swarm of
# several peers does not notice.
RECV_SOCKET_BUFFER_BYTES = 1024 * 1024
# How long a closing session waits for its "stopped" announces. libtorrent
# 2.1 waits the whole time even when nothing is outstanding: with its default
# (5 s) each download worker's exit took 5.0 s (measured against a loopback
# tracker, which received no "stopped" at any setting), eating half of a
# container's usual 10 s stop grace. 1 s still lets a prompt tracker hear it.
STOP_TRACKER_TIMEOUT_SECONDS = 1


def session_settings() -> dict[str, Any]:
    """The engine's libtorrent settings, from the TORRENT_* settings."""
    upnp = bool(torrent_setting("TORRENT_UPNP"))
    encryption = _ENCRYPTION[torrent_setting("TORRENT_ENCRYPTION")]
    return {
        "listen_interfaces": str(torrent_setting("TORRENT_LISTEN_INTERFACES")),
        "max_retry_port_bind": int(torrent_setting("TORRENT_LISTEN_PORT_RETRIES")),
        "enable_dht": bool(torrent_setting("TORRENT_DHT")),
        "enable_lsd": bool(torrent_setting("TORRENT_LSD")),
        "enable_upnp": upnp,
        "enable_natpmp": upnp,
        "download_rate_limit": int(torrent_setting("TORRENT_DOWNLOAD_RATE_LIMIT")),
        "upload_rate_limit": int(torrent_setting("TORRENT_UPLOAD_RATE_LIMIT")),
        "in_enc_policy": int(encryption),
        "out_enc_policy": int(encryption),
        "alert_mask": int(ALERT_MASK),
        # Trackers are held to the address rules as peers are.
        "apply_ip_filter_to_trackers": True,
        "user_agent": f"watchlist libtorrent/{lt.__version__}",
        "max_queued_disk_bytes": MAX_QUEUED_DISK_BYTES,
        "max_peer_recv_buffer_size": MAX_PEER_RECV_BUFFER_BYTES,
        "recv_socket_buffer_size": RECV_SOCKET_BUFFER_BYTES,
        "stop_tracker_timeout": STOP_TRACKER_TIMEOUT_SECONDS,
    }


_audit_lock = threading.Lock()


# libtorrent's disk back-end, by name (its Python binding takes a name). The
# pread back-end is libtorrent 2.1's default here; it is named so that a
# wheel whose default is the memory-mapped one does not change it silently:
# that one maps the whole file when it reads or hashes it, and a 1 GiB
# download peaked at 800-1040 MiB of mapped file pages in the process's RSS
# (measured, with writes through mmap or pwrite alike).
DISK_IO = "pread_disk_io_constructor"


def open_session(settings: dict[str, Any]) -> lt.session:
    """A new libtorrent session with these settings (audited when asked)."""
    params = lt.session_params(settings)
    params.disk_io_constructor = DISK_IO
    session = lt.session(params)
    record_for_audit(session)
    return session


def effective_settings(session: lt.session) -> dict[str, Any]:
    applied = session.get_settings()
    return {name: applied.get(name) for name in AUDITED_SETTINGS}


def record_for_audit(session: lt.session, origin: str = "") -> None:
    path = os.environ.get(AUDIT_ENV)
    if not path:
        return
    line = {"pid": os.getpid(), "origin": origin or _caller(), **effective_settings(session)}
    with _audit_lock, open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(line) + "\n")


def _caller() -> str:
    import traceback

    # The first frame outside this module says who made the session.
    for frame in reversed(traceback.extract_stack()[:-2]):
        if not frame.filename.endswith("session.py"):
            return f"{os.path.basename(frame.filename)}:{frame.lineno}"
    return "?"
