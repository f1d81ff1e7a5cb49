"""The feed of downloaded episodes (RSS and Atom, at a secret, rotatable
URL) and its file endpoint: Range requests, web-server hand-off, and only
the key owner's files inside DOWNLOAD_DIR."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import feedparser
import pytest
from django.test import Client

from downloads.models import DownloadJob, JobStatus
from tests.factories import make_item
from watchlist.feedkeys import feed_key, rotate_feed_key
from watchlist.models import Episode, EpisodeState

pytestmark = pytest.mark.django_db

CONTENT = bytes(range(256)) * 4  # 1024 bytes, every offset tells which byte it is


@pytest.fixture
def library(settings, tmp_path: Path) -> Path:
    root = tmp_path / "library"
    root.mkdir()
    settings.DOWNLOAD_DIR = root
    settings.FEED_FILE_SERVING = "django"
    return root


def downloaded(user, root: Path, number: int, *, title: str = "Frieren", name: str | None = None, item=None):
    item = item or make_item(user, anime_title=title)
    episode = Episode.objects.create(
        item=item,
        number=number,
        url=f"https://media.example.org/{number}.mkv",
        state=EpisodeState.DOWNLOADED,
        resolution=1080,
    )
    path = root / user.get_username() / title / (name or f"{title} - S01E{number:02d} [1080p].mkv")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(CONTENT)
    job = DownloadJob.objects.create(
        owner=user,
        url=episode.url,
        destination=str(path),
        status=JobStatus.COMPLETED,
        finished_at=datetime(2026, 11, 20 + number % 5, 12, tzinfo=UTC),
        metadata={"item_id": str(item.pk), "episode_id": episode.pk, "episode": number},
    )
    return job, path, item


def test_rss_lists_downloaded_episodes_with_playable_enclosures(alice, library):
    job, path, item = downloaded(alice, library, 5)
    downloaded(alice, library, 6, item=item)
    key = feed_key(alice)
    response = Client().get(f"/feeds/{key}/episodes.rss")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    # Read as a feed reader reads it.
    feed = feedparser.parse(response.content)
    assert not feed.bozo and feed.version == "rss20"
    assert [e.title for e in feed.entries] == ["Frieren - episode 6", "Frieren - episode 5"]
    entry = feed.entries[1]
    [enclosure] = entry.enclosures
    assert enclosure.href == f"http://testserver/feeds/{key}/files/{job.pk}/{quote(path.name)}"
    assert enclosure.length == str(len(CONTENT))
    assert enclosure.type == "video/x-matroska"
    assert entry.id == f"urn:uuid:{job.pk}"
    # The enclosure plays: the URL serves the file.
    served = Client().get(enclosure.href.removeprefix("http://testserver"))
    assert served.status_code == 200 and b"".join(served.streaming_content) == CONTENT


def test_a_batch_job_gives_each_episode_its_entry_and_its_own_file(alice, library):
    item = make_item(alice, anime_title="Frieren")
    folder = library / "alice" / "Frieren"
    folder.mkdir(parents=True)
    entries = []
    for n in (1, 2, 3):
        path = folder / f"Frieren - S01E{n:02d} [1080p].mkv"
        path.write_bytes(b"episode %d" % n)
        entries.append({"episode": n, "destination": str(path), "size": path.stat().st_size, "sha256": "0" * 64})
    job = DownloadJob.objects.create(
        owner=alice, url="magnet:?xt=urn:btih:" + "a" * 40, backend="torrent", destination=entries[0]["destination"],
        status=JobStatus.COMPLETED, finished_at=datetime(2026, 11, 20, 12, tzinfo=UTC), episodes=[1, 2, 3],
        files=entries, metadata={"item_id": str(item.pk), "episode_id": None, "episode": 1, "episodes": [1, 2, 3]},
    )  # fmt: skip
    for n in (1, 2, 3):
        Episode.objects.create(item=item, number=n, url=job.url, state=EpisodeState.DOWNLOADED, download_job=job)
    job.metadata["episode_id"] = Episode.objects.get(item=item, number=1).pk
    job.save(update_fields=["metadata"])

    feed = feedparser.parse(Client().get(f"/feeds/{feed_key(alice)}/episodes.rss").content)

    assert [e.title for e in feed.entries] == [f"Frieren - episode {n}" for n in (1, 2, 3)]
    assert len({e.id for e in feed.entries}) == 3
    for n, entry in zip((1, 2, 3), feed.entries, strict=True):
        served = Client().get(entry.enclosures[0].href.removeprefix("http://testserver"))
        assert b"".join(served.streaming_content) == b"episode %d" % n
    # a name that is none of the job's files gets the job's first file, as a one-file job's URL does
    other = Client().get(f"/feeds/{feed_key(alice)}/files/{job.pk}/unknown.mkv")
    assert b"".join(other.streaming_content) == b"episode 1"


def test_atom_has_the_same_entries(alice, library):
    downloaded(alice, library, 5)
    response = Client().get(f"/feeds/{feed_key(alice)}/episodes.atom")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo and feed.version == "atom10"
    [entry] = feed.entries
    [enclosure] = entry.enclosures
    assert enclosure.length == str(len(CONTENT)) and enclosure.type == "video/x-matroska"


def test_only_the_key_owners_episodes_and_files_that_exist(alice, bob, library):
    downloaded(alice, library, 5)
    downloaded(bob, library, 7, title="Bob's show")
    _, gone, _ = downloaded(alice, library, 8, title="Gone")
    gone.unlink()
    html = Client().get(f"/feeds/{feed_key(alice)}/episodes.rss").content.decode()
    assert "Frieren - episode 5" in html and "Bob" not in html and "Gone" not in html


def test_an_unknown_or_rotated_key_is_404(alice, library):
    job, path, _ = downloaded(alice, library, 5)
    old = feed_key(alice)
    assert Client().get("/feeds/not-a-key/episodes.rss").status_code == 404
    rotate_feed_key(alice)
    assert Client().get(f"/feeds/{old}/episodes.rss").status_code == 404
    assert Client().get(f"/feeds/{old}/files/{job.pk}/{path.name}").status_code == 404
    assert Client().get(f"/feeds/{feed_key(alice)}/episodes.rss").status_code == 200


def test_another_users_file_is_404_even_with_a_valid_key(alice, bob, library):
    job, path, _ = downloaded(bob, library, 5)
    assert Client().get(f"/feeds/{feed_key(alice)}/files/{job.pk}/{path.name}").status_code == 404


def test_a_job_pointing_outside_the_users_folder_is_never_served(alice, bob, library, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    job, _, _ = downloaded(alice, library, 5)
    for outside in (str(secret), str(library / "alice" / ".." / "bob" / "x.mkv"), str(library / "alice")):
        DownloadJob.objects.filter(pk=job.pk).update(destination=outside)
        assert Client().get(f"/feeds/{feed_key(alice)}/files/{job.pk}/x.mkv").status_code == 404
    # A symlink in the user's folder that leads out is refused too.
    link = library / "alice" / "Frieren" / "link.mkv"
    link.symlink_to(secret)
    DownloadJob.objects.filter(pk=job.pk).update(destination=str(link))
    assert Client().get(f"/feeds/{feed_key(alice)}/files/{job.pk}/link.mkv").status_code == 404


def test_path_pieces_in_the_url_are_not_a_way_out(alice, library):
    job, _, _ = downloaded(alice, library, 5)
    key = feed_key(alice)
    for url in (f"/feeds/{key}/files/{job.pk}/..%2F..%2Fetc%2Fpasswd", f"/feeds/{key}/files/../../etc/passwd"):
        response = Client().get(url)
        # The name is cosmetic: the job decides which file, and it is the episode's.
        assert response.status_code in (200, 404)
        if response.status_code == 200:
            assert b"".join(response.streaming_content) == CONTENT


@pytest.fixture
def episode_file(alice, library) -> str:
    job, path, _ = downloaded(alice, library, 5)
    return f"/feeds/{feed_key(alice)}/files/{job.pk}/{path.name}"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_whole_file_advertises_ranges(episode_file):
    response = Client().get(episode_file)
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(len(CONTENT))
    assert response["Content-Type"] == "video/x-matroska"
    assert body(response) == CONTENT


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=100-", 100, 1023),
        ("bytes=-100", 924, 1023),
        ("bytes=1000-5000", 1000, 1023),  # clipped to the end
        ("bytes=-5000", 0, 1023),  # a suffix longer than the file is the file
        ("bytes=1023-1023", 1023, 1023),
    ],
)
def test_ranges_are_answered_with_206(episode_file, header, first, last):
    response = Client().get(episode_file, HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/{len(CONTENT)}"
    assert response["Content-Length"] == str(last - first + 1)
    assert body(response) == CONTENT[first : last + 1]


@pytest.mark.parametrize("header", ["bytes=1024-", "bytes=5000-6000", "bytes=-0"])
def test_unsatisfiable_ranges_are_416(episode_file, header):
    response = Client().get(episode_file, HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(CONTENT)}"


@pytest.mark.parametrize("header", ["bytes=0-1,5-6", "items=0-5", "bytes=9-2", "bytes=x-y", "bytes="])
def test_ranges_we_do_not_serve_get_the_whole_file(episode_file, header):
    response = Client().get(episode_file, HTTP_RANGE=header)
    assert response.status_code == 200 and body(response) == CONTENT


def test_if_range_sends_the_whole_file_when_it_changed(episode_file):
    etag = Client().get(episode_file)["ETag"]
    partial = Client().get(episode_file, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=etag)
    assert partial.status_code == 206 and body(partial) == CONTENT[:10]
    stale = Client().get(episode_file, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"old-version"')
    assert stale.status_code == 200 and body(stale) == CONTENT


def test_head_has_the_headers_and_no_body(episode_file):
    response = Client().head(episode_file, HTTP_RANGE="bytes=0-99")
    assert response.status_code == 206 and response["Content-Length"] == "100"
    assert body(response) == b""
    assert Client().post(episode_file).status_code == 405


def test_nginx_gets_the_file_by_x_accel_redirect(settings, alice, library):
    settings.FEED_FILE_SERVING = "x-accel-redirect"
    settings.FEED_ACCEL_PREFIX = "/protected-downloads/"
    job, path, _ = downloaded(alice, library, 5)
    response = Client().get(f"/feeds/{feed_key(alice)}/files/{job.pk}/{path.name}")
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == "/protected-downloads/alice/Frieren/Frieren%20-%20S01E05%20%5B1080p%5D.mkv"
    assert response["Content-Type"] == "video/x-matroska"


def test_apache_gets_the_file_by_x_sendfile(settings, alice, library):
    settings.FEED_FILE_SERVING = "x-sendfile"
    job, path, _ = downloaded(alice, library, 5)
    response = Client().get(f"/feeds/{feed_key(alice)}/files/{job.pk}/{path.name}")
    assert response.status_code == 200 and response.content == b""
    assert response["X-Sendfile"].endswith("/library/alice/Frieren/Frieren%20-%20S01E05%20%5B1080p%5D.mkv")


def test_api_gives_and_rotates_feed_urls(alice, alice_api, library):
    urls = alice_api.get("/api/feeds").json()
    key = feed_key(alice)
    assert urls == {
        "episodes_rss": f"http://testserver/feeds/{key}/episodes.rss",
        "episodes_atom": f"http://testserver/feeds/{key}/episodes.atom",
    }
    rotated = alice_api.post("/api/feeds/rotate").json()
    assert rotated["episodes_rss"] != urls["episodes_rss"]
    assert Client().get(urls["episodes_rss"].removeprefix("http://testserver")).status_code == 404
