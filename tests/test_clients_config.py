"""Torrent client configuration without a daemon: path mappings, reading
magnets and .torrent files, the backend choice, the password at rest."""

from __future__ import annotations

import base64
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection

from downloads.clients import cipher, paths, source
from downloads.clients.base import ClientFile
from downloads.clients.choice import torrent_backend
from downloads.clients.job import wanted_files
from downloads.clients.models import TorrentClient
from downloads.errors import PermanentError
from tests.support import download_fixtures
from tests.support.torrent_files import make_torrent

media = download_fixtures.media


def test_path_mappings_are_parsed_one_pair_per_line():
    assert paths.parse("/downloads => /srv/torrents\n\n  /data/anime/ => /mnt/anime  ") == [
        ["/downloads", "/srv/torrents"],
        ["/data/anime", "/mnt/anime"],
    ]
    with pytest.raises(ValidationError, match="Line 2"):
        paths.parse("/a => /b\n/only-one-side")
    with pytest.raises(ValidationError, match="absolute"):
        paths.parse("downloads => /srv")


def test_the_longest_remote_prefix_maps_and_only_whole_folders_match():
    pairs = [["/downloads", "/srv/t"], ["/downloads/anime", "/mnt/anime"]]
    assert paths.to_local("/downloads/anime/Show/ep.mkv", pairs) == "/mnt/anime/Show/ep.mkv"
    assert paths.to_local("/downloads/other/ep.mkv", pairs) == "/srv/t/other/ep.mkv"
    assert paths.to_local("/downloads2/ep.mkv", pairs) == "/downloads2/ep.mkv"  # not under /downloads
    assert paths.to_local("/elsewhere/ep.mkv", []) == "/elsewhere/ep.mkv"


def test_a_magnet_names_its_infohash_in_hex_or_base32():
    digest = bytes(range(20))
    assert source.infohash_of_magnet(f"magnet:?xt=urn:btih:{digest.hex().upper()}&dn=x") == digest.hex()
    b32 = base64.b32encode(digest).decode()
    assert source.infohash_of_magnet(f"magnet:?dn=x&xt=urn:btih:{b32}") == digest.hex()
    with pytest.raises(PermanentError, match="infohash"):
        source.infohash_of_magnet("magnet:?dn=nothing")


def test_a_torrent_file_is_read_for_its_infohash_and_files(tmp_path):
    made = make_torrent(tmp_path, {"a.mkv": 40_000, "extras/a.nfo": 100}, name="Batch")
    read = source.read_torrent(made.torrent)
    assert read.infohash == made.infohash
    assert [(f.path, f.size) for f in read.files] == [("Batch/a.mkv", 40_000), ("Batch/extras/a.nfo", 100)]
    with pytest.raises(PermanentError, match="that can be read"):
        source.read_torrent(b"<html>not a torrent</html>")


def test_a_torrent_link_is_fetched_through_the_address_guard(media, settings, tmp_path):
    made = make_torrent(tmp_path, {"a.mkv": 1000})
    url = media.add("/a.torrent", made.torrent, content_type="application/x-bittorrent")
    settings.ALLOW_PRIVATE_SOURCES = False
    with pytest.raises(PermanentError, match="could not be fetched"):
        source.resolve(url)  # a loopback address, refused like any user URL
    assert media.requests_for("/a.torrent") == []
    settings.ALLOW_PRIVATE_SOURCES = True
    assert source.resolve(url).infohash == made.infohash


def test_the_file_imported_is_chosen_as_the_embedded_engine_chooses():
    files = [ClientFile(0, "B/sample.mkv", 5_000), ClientFile(1, "B/ep.mkv", 90_000), ClientFile(2, "B/x.nfo", 10**9)]
    assert [f.path for f in wanted_files(files)] == ["B/ep.mkv"]
    batch = [ClientFile(n - 1, f"B/Show - {n:02d} [1080p].mkv", 90_000 + n) for n in range(1, 13)]
    assert [f.index for f in wanted_files(batch, (5, 7))] == [4, 6]
    with pytest.raises(PermanentError, match="no video file"):
        wanted_files([ClientFile(0, "x.bin", 3)])


@pytest.mark.django_db
def test_torrents_go_to_the_enabled_client_else_to_the_built_in_engine():
    assert torrent_backend() == "torrent"
    client = TorrentClient.objects.create(name="qb", kind="qbittorrent", url="http://127.0.0.1:8080")
    assert torrent_backend() == "qbittorrent"
    client.enabled = False
    client.save()
    assert torrent_backend() == "torrent"
    TorrentClient.objects.create(name="tr", kind="transmission", url="http://127.0.0.1:9091")
    assert torrent_backend() == "transmission"


@pytest.mark.django_db
def test_only_one_client_can_be_enabled():
    TorrentClient.objects.create(name="qb", kind="qbittorrent", url="http://127.0.0.1:8080")
    with pytest.raises(IntegrityError):
        TorrentClient.objects.create(name="tr", kind="transmission", url="http://127.0.0.1:9091")


@pytest.mark.django_db
def test_the_password_is_stored_encrypted_and_rotated_with_the_notification_keys(settings):
    from cryptography.fernet import Fernet

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.NOTIFY_SECRET_KEYS = [old]
    client = TorrentClient(name="qb", kind="qbittorrent", url="http://127.0.0.1:8080")
    client.set_password("hunter2-secret")
    client.save()
    with connection.cursor() as cursor:
        cursor.execute("SELECT password_encrypted FROM downloads_torrentclient WHERE id = %s", [client.pk])
        stored = cursor.fetchone()[0]
    assert "hunter2" not in stored
    settings.NOTIFY_SECRET_KEYS = [new, old]
    out = io.StringIO()
    call_command("rotate_notify_keys", stdout=out)
    assert "re-encrypted 1 torrent client password(s)" in out.getvalue()
    settings.NOTIFY_SECRET_KEYS = [new]  # the old key is gone
    assert TorrentClient.objects.get(pk=client.pk).password() == "hunter2-secret"
    settings.NOTIFY_SECRET_KEYS = [Fernet.generate_key().decode()]  # the key is lost
    with pytest.raises(cipher.Undecryptable):
        TorrentClient.objects.get(pk=client.pk).password()


def test_a_transmission_address_is_read_from_what_staff_paste():
    from downloads.clients.transmission import rpc_address

    assert rpc_address("http://tr.lan:9091") == {
        "protocol": "http",
        "host": "tr.lan",
        "port": 9091,
        "path": "/transmission/rpc",
    }
    assert rpc_address("http://tr.lan:9091/transmission/web/")["path"] == "/transmission/rpc"
    assert rpc_address("https://box.example/custom/rpc") == {
        "protocol": "https",
        "host": "box.example",
        "port": 443,
        "path": "/custom/rpc",
    }
