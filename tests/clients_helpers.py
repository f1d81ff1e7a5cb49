"""Shared pieces of the torrent-client tests: the real daemons (one of each
kind per test module), the recording proxy in front of them, the client
row pointing at it, and torrents served by a loopback web seed."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from downloads.clients.models import TorrentClient
from tests.support.media_server import MediaServer
from tests.support.recording_proxy import RecordingProxy
from tests.support.torrent_daemons import STARTERS, Daemon
from tests.support.torrent_files import MadeTorrent, make_torrent

KINDS = ["qbittorrent", "transmission"]
_seeds = itertools.count(100)


@pytest.fixture(scope="module", params=KINDS)
def daemon(request, tmp_path_factory) -> Iterator[Daemon]:
    started = STARTERS[request.param](tmp_path_factory.mktemp(request.param))
    yield started
    started.stop()


@pytest.fixture
def proxy(daemon: Daemon) -> Iterator[RecordingProxy]:
    server = RecordingProxy(daemon.port).start()
    yield server
    server.stop()


@pytest.fixture
def client_settings(settings, download_dir):
    settings.TORRENT_CLIENT_POLL_SECONDS = 0.2
    settings.TORRENT_CLIENT_TIMEOUT_SECONDS = 5
    settings.TORRENT_CLIENT_RECOVER_SECONDS = 3
    settings.DOWNLOAD_PROGRESS_SECONDS = 0.2
    return settings


def make_client(daemon: Daemon, proxy: RecordingProxy, **fields) -> TorrentClient:
    client = TorrentClient(
        name=f"{daemon.kind} test",
        kind=daemon.kind,
        url=proxy.url,
        username=daemon.username,
        category="anime",
        save_path=str(daemon.save_path),
    )
    client.set_password(fields.pop("password", daemon.password))
    for name, value in fields.items():
        setattr(client, name, value)
    client.save()
    return client


def web_seeded(media: MediaServer, root: Path, name: str, size: int, *, rate: float | None = None) -> MadeTorrent:
    """A one-file torrent whose only source is a web seed on the loopback
    media server, and the URL of its .torrent file there."""
    seed = next(_seeds)
    path = f"/ws/{seed}.mkv"
    made = make_torrent(root / f"seed{seed}", {name: size}, web_seed=media.url(path), seed=seed)
    media.add(path, made.payload_path().read_bytes(), rate=rate)
    media.add(f"/t/{seed}.torrent", made.torrent, content_type="application/x-bittorrent")
    return made


def torrent_url(media: MediaServer, made: MadeTorrent) -> str:
    path = next(route for route, f in media.files.items() if f.body == made.torrent)
    return media.url(path)
