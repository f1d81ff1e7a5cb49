"""The test-side torrent maker builds what libtorrent reads back."""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qs, urlsplit

import libtorrent as lt

from tests.support.torrent_files import make_torrent


def test_single_file_torrent_matches_its_payload(tmp_path):
    made = make_torrent(tmp_path, {"Show - 01.mkv": 100_000}, web_seed="http://127.0.0.1:9/Show%20-%2001.mkv")

    info = made.torrent_info()
    assert info.num_files() == 1
    assert info.name() == "Show - 01.mkv"
    assert str(info.info_hashes().v1) == made.infohash
    assert lt.bdecode(made.torrent)[b"url-list"] in (
        b"http://127.0.0.1:9/Show%20-%2001.mkv",
        [b"http://127.0.0.1:9/Show%20-%2001.mkv"],
    )
    payload = made.payload_path().read_bytes()
    assert len(payload) == 100_000
    assert hashlib.sha256(payload).hexdigest() == made.files[0].sha256


def test_batch_torrent_keeps_file_order_and_distinct_bytes(tmp_path):
    made = make_torrent(tmp_path, {"Show - 01.mkv": 40_000, "Show - 02.mkv": 40_000}, name="Show Batch")

    layout = made.torrent_info().layout()
    assert [layout.file_path(i).replace("\\", "/") for i in range(layout.num_files())] == [
        "Show Batch/Show - 01.mkv",
        "Show Batch/Show - 02.mkv",
    ]
    assert made.file("- 01.mkv").sha256 != made.file("- 02.mkv").sha256


def test_magnet_names_the_infohash_trackers_and_peers(tmp_path):
    made = make_torrent(tmp_path, {"a.mkv": 10}, trackers=["http://127.0.0.1:1/announce"])

    query = parse_qs(urlsplit(made.magnet(peers=["127.0.0.1:7000"])).query)
    assert query["xt"] == [f"urn:btih:{made.infohash}"]
    assert query["tr"] == ["http://127.0.0.1:1/announce"]
    assert query["x.pe"] == ["127.0.0.1:7000"]
    params = lt.parse_magnet_uri(made.magnet())
    assert str(params.info_hashes.v1) == made.infohash


def test_same_seed_same_bytes(tmp_path):
    a = make_torrent(tmp_path / "a", {"x.mkv": 5000}, seed=3)
    b = make_torrent(tmp_path / "b", {"x.mkv": 5000}, seed=3)
    assert a.infohash == b.infohash
