"""Torrents in the embedded mode scripts/run starts (SQLite, the filesystem
broker, `manage.py runservice`): a nyaa-style feed (a .torrent link and its
nyaa:infoHash) found by the schedule, and a magnet feed added and checked
through the running web's API, both downloaded by the embedded worker's
engine from a libtorrent seeder on 127.0.0.1 into the library, named by
DOWNLOAD_NAME_TEMPLATE."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from pathlib import Path

import pytest
import requests

from tests.check_helpers import Rel
from tests.support.embedded import EmbeddedService, embedded_env, manage
from tests.support.torrent_audit import audit_path, read_records, violations
from tests.support.torrent_files import make_torrent
from tests.support.torrent_seeder import TorrentSeeder
from tests.torrent_helpers import nyaa_rss

pytestmark = pytest.mark.slow

# A template other than the default, so the names prove it was read.
SIZE, RATE = 4_000_000, 1_000_000
TEMPLATE = "{title}/Season {season:02d}/{title} {season}x{episode:02d}{resolution_tag}{ext}"

SETUP = """
import json
from django.contrib.auth import get_user_model
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from rest_framework.authtoken.models import Token
from watchlist.items import add_item
from watchlist.models import WatchlistSettings
every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period="seconds")
PeriodicTask.objects.filter(task="watchlist.tasks.dispatch_due_users_task").update(interval=every_second)
User = get_user_model()
carol = User.objects.create_user("carol", password="carol-pass-123")
WatchlistSettings.objects.filter(user=carol).update(check_interval_hours=1)
add_item(carol, {"anime_title": "Frieren: Beyond Journey's End", "anime_url": "NYAA_URL",
                 "provider_id": "feed", "lang": "vostfr"})
# Dave checks by hand only: his episode comes from "Check now", not the schedule.
dave = User.objects.create_user("dave", password="dave-pass-123")
WatchlistSettings.objects.filter(user=dave).update(scheduler_enabled=False)
print(json.dumps({"token": Token.objects.create(user=dave).key}))
"""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def jobs(database: Path) -> list[dict]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10) as db:
        db.row_factory = sqlite3.Row
        rows = db.execute(
            "SELECT u.username, j.backend, j.status, j.url, j.destination, j.checksum_sha256, j.infohash, j.error"
            " FROM downloads_downloadjob j JOIN auth_user u ON u.id = j.owner_id ORDER BY u.username"
        ).fetchall()
    return [dict(row) for row in rows]


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_runservice_downloads_a_nyaa_feed_and_a_magnet_feed_with_the_torrent_backend(
    tmp_path, http_server, seeder, tracker
):
    nyaa_rel, magnet_rel = Rel(5, title="Frieren"), Rel(3, title="Mushishi")
    nyaa_torrent = make_torrent(tmp_path / "seed", {nyaa_rel.name: SIZE + 5}, trackers=[tracker.url], seed=5)
    magnet_torrent = make_torrent(tmp_path / "seed", {magnet_rel.name: SIZE + 3}, seed=3)
    # A few seconds each, so both engines write their progress to SQLite
    # once a second while checks, beat and the web write and read too.
    seeder.seed(nyaa_torrent, upload_rate=RATE)
    seeder.seed(magnet_torrent, upload_rate=RATE)
    link = http_server.add("/download/5.torrent", nyaa_torrent.torrent, content_type="application/x-bittorrent")
    nyaa_feed = http_server.add(
        "/nyaa.xml",
        nyaa_rss([{"title": nyaa_rel.name, "link": link, "infohash": nyaa_torrent.infohash, "seeders": 1}]),
        content_type="application/rss+xml",
    )
    magnet = magnet_torrent.magnet(peers=[seeder.endpoint])
    magnet_feed = http_server.add(
        "/magnets.xml", nyaa_rss([{"title": magnet_rel.name, "link": magnet}]), content_type="application/rss+xml"
    )

    library = tmp_path / "library"
    env = embedded_env(
        tmp_path,
        library,
        DOWNLOAD_NAME_TEMPLATE=TEMPLATE,
        # The tracker, the .torrent and the seeder are all on 127.0.0.1.
        ALLOW_PRIVATE_SOURCES="true",
        MAX_PARALLEL_DOWNLOADS="2",
        # Seeding off: the files move from the incomplete folder to the library.
        TORRENT_SEED_RATIO="0",
        TORRENT_RESUME_SAVE_SECONDS="1",
        TORRENT_METADATA_TIMEOUT_SECONDS="30",
    )
    manage(env, "migrate", "--noinput")
    token = json.loads(manage(env, "shell", "-c", SETUP.replace("NYAA_URL", nyaa_feed)).splitlines()[-1])["token"]
    database = tmp_path / "var" / "db.sqlite3"

    nyaa_file = (
        library / "carol" / "Frieren - Beyond Journey's End" / "Season 01"
        / "Frieren - Beyond Journey's End 1x05 [1080p].mkv"
    )  # fmt: skip
    magnet_file = library / "dave" / "Mushishi" / "Season 01" / "Mushishi 1x03 [1080p].mkv"
    audit_start = audit_path().stat().st_size
    with EmbeddedService(env, tmp_path / "runservice.log") as service:
        api = requests.Session()
        api.headers["Authorization"] = f"Bearer {token}"
        service.wait_until(lambda: _answers(service.url("/healthz")), 90, "the web server")
        created = api.post(
            service.url("/api/watchlist"),
            json={"anime_title": "Mushishi", "anime_url": magnet_feed, "provider_id": "feed", "lang": "vostfr"},
            timeout=30,
        )
        assert created.status_code == 201, created.text
        checked = api.post(service.url(f"/api/watchlist/{created.json()['id']}/check"), timeout=60)
        assert checked.status_code == 200, checked.text
        assert checked.json()["queued"] == [3]

        # Generous: three processes start on a loaded machine; the wait ends
        # as soon as both jobs are done.
        def both_completed() -> bool:
            # The downloads page's API, read while the engines write.
            listed = api.get(service.url("/api/downloads"), timeout=30)
            assert listed.status_code == 200, listed.text
            seen.append(listed.json())
            return len(rows := jobs(database)) == 2 and all(r["status"] == "completed" for r in rows)

        seen: list = []
        service.wait_until(both_completed, 180, "both torrents to complete")
    assert service.stop() == 0, service.output()[-3000:]
    # Web, beat, the checks and two engines wrote one SQLite file at once.
    assert "database is locked" not in service.output()

    carol_job, dave_job = jobs(database)
    assert (carol_job["username"], carol_job["backend"], carol_job["url"]) == ("carol", "torrent", link)
    assert (dave_job["username"], dave_job["backend"], dave_job["url"]) == ("dave", "torrent", magnet)
    assert carol_job["infohash"] == nyaa_torrent.infohash
    assert dave_job["infohash"] == magnet_torrent.infohash
    assert files_under(library) == sorted(str(p.relative_to(library)) for p in (nyaa_file, magnet_file))
    assert sha256(nyaa_file) == carol_job["checksum_sha256"] == nyaa_torrent.files[0].sha256
    assert sha256(magnet_file) == dave_job["checksum_sha256"] == magnet_torrent.files[0].sha256
    assert (carol_job["destination"], dave_job["destination"]) == (str(nyaa_file), str(magnet_file))
    # Nothing half-done is left behind: no partial file, no resume data.
    assert files_under(library / ".incomplete") == []
    assert files_under(tmp_path / "var" / "torrents" / "resume") == []

    # The stack's own engine sessions were audited (the per-test audit fails
    # the test if any broke the loopback rule), not only the seeder's.
    made, _ = read_records(audit_start)
    engines = [r for r in made if r["origin"].startswith("engine.py")]
    assert engines, made
    assert [violations(r) for r in engines] == [[] for _ in engines]


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=5).status_code == 200
    except requests.ConnectionError:
        return False


def seeding_states(database: Path) -> dict[str, dict]:
    """Each job's destination file name -> its seeding as the engine wrote it."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10) as db:
        rows = db.execute("SELECT destination, status, backend_state FROM downloads_downloadjob").fetchall()
    return {
        Path(destination).name: json.loads(state).get("seeding") or {}
        for destination, status, state in rows
        if status == "completed"
    }


def test_runservice_keeps_seeding_past_the_autoscaler_and_records_the_upload(tmp_path, http_server, seeder, tracker):
    releases = [Rel(5, title="Frieren"), Rel(6, title="Frieren")]
    made = {
        rel.episode: make_torrent(
            tmp_path / "seed", {rel.name: 2_000_000 + rel.episode}, trackers=[tracker.url], seed=60 + rel.episode
        )
        for rel in releases
    }
    entries = []
    for rel in releases:
        # Two seconds each: both downloads run at once, in two pool processes.
        seeder.seed(made[rel.episode], upload_rate=RATE)
        link = http_server.add(f"/download/{rel.episode}.torrent", made[rel.episode].torrent)
        entries.append({"title": rel.name, "link": link, "infohash": made[rel.episode].infohash})
    feed = http_server.add("/nyaa.xml", nyaa_rss(entries), content_type="application/rss+xml")
    library = tmp_path / "library"
    env = embedded_env(
        tmp_path,
        library,
        ALLOW_PRIVATE_SOURCES="true",
        MAX_PARALLEL_DOWNLOADS="2",
        TORRENT_SEED_RATIO="1",
        TORRENT_SEED_MINUTES="60",
        # Celery's autoscaler ends idle pool processes this long after it
        # last grew the pool (30 s by default): here, at once.
        AUTOSCALE_KEEPALIVE="1",
    )
    manage(env, "migrate", "--noinput")
    manage(env, "shell", "-c", SETUP.replace("NYAA_URL", feed))
    database = tmp_path / "var" / "db.sqlite3"
    names = [f"Frieren - Beyond Journey's End - S01E0{rel.episode} [1080p].mkv" for rel in releases]

    with EmbeddedService(env, tmp_path / "runservice.log") as service:
        service.wait_until(
            lambda: sorted(n for n, s in seeding_states(database).items() if s.get("active")) == names,
            180,
            "both torrents completed and seeding",
        )
        # Well past the keepalive: the pool would have shrunk by now.
        time.sleep(6)
        # The engines alone have the torrents now; another user's client
        # fetches both from whichever engine holds each.
        engines = sorted({int(a["port"][0]) for a in tracker.announces} - {seeder.port})
        assert len(engines) == 2, (engines, service.output()[-3000:])
        tracker.peers = []
        with TorrentSeeder() as other_user:
            for rel in releases:
                seeder.forget(made[rel.episode])
                other_user.leech(made[rel.episode], tmp_path / "leech", *(f"127.0.0.1:{p}" for p in engines))
            # Ratio 1: each engine stops seeding once it uploaded the file,
            # and says so on the job.
            service.wait_until(
                lambda: all(
                    not s.get("active") and s.get("uploaded_bytes", 0) >= 2_000_000
                    for s in seeding_states(database).values()
                ),
                60,
                "both uploads recorded and the seeding ended at ratio 1",
            )
            for rel in releases:
                assert other_user.handles[made[rel.episode].infohash].status().is_seeding
    assert service.stop() == 0, service.output()[-3000:]
    assert "not scaling down while pool processes" in service.output()
    assert "database is locked" not in service.output()
    assert [s["ratio"] >= 1 for s in seeding_states(database).values()] == [True, True]
