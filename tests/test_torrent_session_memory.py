"""What keeps the engine's memory flat in the torrent's size
(downloads/torrent/session.py; figures in bench/README.md).

Two causes of growth were found with bench/torrent_bench.py: each peer
socket's kernel receive buffer autotuned up to tens of MiB, which libtorrent
then read into the heap in one go; and the memory-mapped disk back-end, which
maps the whole file into the process while it reads and hashes it.
"""

from __future__ import annotations

import time
from pathlib import Path

import libtorrent as lt

from downloads.torrent.engine import Engine
from downloads.torrent.session import RECV_SOCKET_BUFFER_BYTES, open_session, session_settings
from tests.support.torrent_files import make_torrent
from tests.support.torrent_seeder import TorrentSeeder

MiB = 1024 * 1024


def rss_file_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("RssFile:"):
            return int(line.split()[1])
    raise AssertionError("no RssFile in /proc/self/status")


def test_the_engine_bounds_each_peer_socket_receive_buffer():
    engine = Engine(session_settings())
    try:
        # Read back from libtorrent: 0 would leave the kernel's autotuning
        # (up to net.ipv4.tcp_rmem's maximum) in charge.
        applied = engine.session.get_settings()["recv_socket_buffer_size"]
    finally:
        engine.close()
    assert applied == RECV_SOCKET_BUFFER_BYTES
    assert 0 < applied <= 4 * MiB


def test_a_download_does_not_map_its_file_into_the_process(tmp_path):
    size = 64 * MiB
    made = make_torrent(tmp_path / "seed", {"Show - 01.mkv": size}, piece_length=MiB)
    seeder = TorrentSeeder()
    session = open_session(session_settings())
    try:
        seeder.seed(made)
        before = rss_file_kib()
        params = lt.add_torrent_params()
        params.ti = made.torrent_info()
        params.save_path = str(tmp_path / "download")
        handle = session.add_torrent(params)
        handle.connect_peer(("127.0.0.1", seeder.port))
        peak = before
        deadline = time.monotonic() + 120
        while not handle.status().is_seeding:
            assert time.monotonic() < deadline, "the download did not finish"
            peak = max(peak, rss_file_kib())
            time.sleep(0.02)
        peak = max(peak, rss_file_kib())
    finally:
        seeder.stop()
        del session
    # With the memory-mapped back-end the file's pages (written, read back
    # and hashed by both sessions here) show up in RssFile: +127 MiB measured
    # for this 64 MiB payload. With pread/pwrite they stay in the page cache.
    assert (peak - before) * 1024 < size // 4, f"RssFile grew by {(peak - before) // 1024} MiB"
    assert (tmp_path / "download" / "Show - 01.mkv").stat().st_size == size
