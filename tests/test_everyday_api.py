"""The API points of everyday use: the Bearer scheme in any case, `null`
meaning empty, bulk actions on items and downloads (all or nothing, each bad
entry named), the source test before adding, and the staff status."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from downloads.models import DownloadJob, JobStatus
from tests.check_helpers import Rel, every_episode, serve_feed
from tests.factories import item_data, make_item
from tests.support.broker import unreachable_broker
from watchlist.models import ItemStatus, ReleaseRules, WatchlistItem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def loopback_sources(settings):
    settings.ALLOW_PRIVATE_SOURCES = True


# --- Authorization scheme ----------------------------------------------------


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER", "token"])
def test_the_bearer_scheme_is_case_insensitive(alice, scheme):
    token, _ = Token.objects.get_or_create(user=alice)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{scheme} {token.key}")
    assert client.get("/api/watchlist").status_code == 200


def test_a_wrong_token_in_lower_case_is_still_refused(alice):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="bearer not-a-token")
    assert client.get("/api/watchlist").status_code == 401


# --- null means empty ----------------------------------------------------------


def test_null_optional_fields_mean_empty_on_create(alice_api):
    body = {**item_data(), "poster_image": None, "synopsis": None, "genres": None, "title_aliases": None}
    response = alice_api.post("/api/watchlist", body, format="json")
    assert response.status_code == 201, response.json()
    item = WatchlistItem.objects.get(pk=response.json()["id"])
    assert (item.poster_image, item.synopsis, item.genres, item.title_aliases) == ("", "", [], [])


def test_null_clears_a_field_on_update(alice, alice_api):
    item = make_item(alice, synopsis="A mage.", genres=["Fantasy"], poster_image="https://img.example.org/p.jpg")
    response = alice_api.put(
        f"/api/watchlist/{item.pk}", {"synopsis": None, "genres": None, "poster_image": None}, format="json"
    )
    assert response.status_code == 200, response.json()
    item.refresh_from_db()
    assert (item.synopsis, item.genres, item.poster_image) == ("", [], "")


def test_null_for_a_required_field_is_still_a_400(alice_api):
    response = alice_api.post("/api/watchlist", {**item_data(), "anime_url": None}, format="json")
    assert response.status_code == 400
    assert "anime_url" in response.json()


# --- POST /api/watchlist/bulk ----------------------------------------------------


def test_bulk_pause_resume_quality_and_auto_download(alice, alice_api):
    first, second, third = (make_item(alice) for _ in range(3))
    ids = [str(first.pk), str(second.pk)]

    response = alice_api.post("/api/watchlist/bulk", {"action": "pause", "ids": ids}, format="json")
    assert response.status_code == 200
    assert response.json() == {"action": "pause", "count": 2, "ids": ids}
    assert set(WatchlistItem.objects.filter(status=ItemStatus.PAUSED).values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }
    third.refresh_from_db()
    assert third.status == ItemStatus.ACTIVE

    alice_api.post("/api/watchlist/bulk", {"action": "resume", "ids": ids[:1]}, format="json")
    first.refresh_from_db()
    assert first.status == ItemStatus.ACTIVE

    body = {"action": "set_quality", "ids": ids, "quality_preference": "720p"}
    assert alice_api.post("/api/watchlist/bulk", body, format="json").status_code == 200
    body = {"action": "set_auto_download", "ids": ids, "auto_download": False}
    assert alice_api.post("/api/watchlist/bulk", body, format="json").status_code == 200
    assert list(WatchlistItem.objects.filter(pk__in=ids).values_list("quality_preference", "auto_download")) == [
        ("720p", False),
        ("720p", False),
    ]


def test_bulk_delete(alice, alice_api):
    keep, gone = make_item(alice), make_item(alice)
    response = alice_api.post("/api/watchlist/bulk", {"action": "delete", "ids": [str(gone.pk)]}, format="json")
    assert response.status_code == 200
    assert list(WatchlistItem.objects.values_list("pk", flat=True)) == [keep.pk]


def test_bulk_is_all_or_nothing_and_names_each_bad_entry(alice, bob, alice_api):
    mine = make_item(alice)
    theirs = make_item(bob)
    ids = [str(mine.pk), str(theirs.pk), "not-an-id", str(uuid.uuid4())]
    response = alice_api.post("/api/watchlist/bulk", {"action": "pause", "ids": ids}, format="json")
    assert response.status_code == 400
    errors = response.json()["ids"]
    assert set(errors) == {"1", "2", "3"}  # by position; bob's item is no item of alice's
    assert "not an item id" in errors["2"][0]
    assert "No item" in errors["1"][0]
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, theirs.status) == (ItemStatus.ACTIVE, ItemStatus.ACTIVE)  # nothing changed


def test_bulk_refuses_missing_options_and_unknown_fields(alice, alice_api):
    item = make_item(alice)
    ids = [str(item.pk)]
    response = alice_api.post("/api/watchlist/bulk", {"action": "set_quality", "ids": ids}, format="json")
    assert response.status_code == 400 and "quality_preference" in response.json()
    response = alice_api.post("/api/watchlist/bulk", {"action": "explode", "ids": []}, format="json")
    assert response.status_code == 400 and set(response.json()) == {"action", "ids"}
    response = alice_api.post("/api/watchlist/bulk", {"action": "pause", "ids": ids, "force": 1}, format="json")
    assert response.status_code == 400 and response.json() == {"force": ["Unknown field."]}
    response = alice_api.post("/api/watchlist/bulk", {"action": "set_auto_download", "ids": ids}, format="json")
    assert response.status_code == 400 and "auto_download" in response.json()


# --- POST /api/downloads/bulk ------------------------------------------------------


def _job(owner, status: JobStatus, n: int, tmp_path: Path) -> DownloadJob:
    return DownloadJob.objects.create(
        owner=owner,
        url=f"http://127.0.0.1:9/file-{n}.mkv",
        destination=str(tmp_path / f"{owner.username}/file-{n}.mkv"),
        status=status,
        finished_at=None if status in (JobStatus.QUEUED, JobStatus.RUNNING) else "2026-11-28T10:00:00Z",
    )


def test_downloads_bulk_cancel_retry_clear(alice, alice_api, tmp_path, settings):
    settings.DOWNLOAD_DIR = tmp_path
    queued = [_job(alice, JobStatus.QUEUED, n, tmp_path) for n in range(2)]
    failed = _job(alice, JobStatus.FAILED, 3, tmp_path)
    done = _job(alice, JobStatus.COMPLETED, 4, tmp_path)

    response = alice_api.post("/api/downloads/bulk", {"action": "cancel", "all": True}, format="json")
    assert response.status_code == 200 and response.json()["count"] == 2
    assert {j.status for j in DownloadJob.objects.filter(pk__in=[j.pk for j in queued])} == {JobStatus.CANCELLED}

    response = alice_api.post("/api/downloads/bulk", {"action": "retry", "ids": [str(failed.pk)]}, format="json")
    assert response.status_code == 200, response.json()
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (JobStatus.QUEUED, 0)

    response = alice_api.post("/api/downloads/bulk", {"action": "clear", "all": True}, format="json")
    assert response.status_code == 200
    assert response.json()["count"] == 3  # the completed one and the two cancelled; the queued one is not finished
    listed = {row["id"] for row in alice_api.get("/api/downloads").json()["results"]}
    assert listed == {str(failed.pk)}
    everything = alice_api.get("/api/downloads?include_cleared=true").json()["results"]
    assert str(done.pk) in {row["id"] for row in everything}
    assert alice_api.get(f"/api/downloads/{done.pk}").status_code == 200  # still readable by id


def test_downloads_bulk_is_all_or_nothing(alice, bob, alice_api, tmp_path, settings):
    settings.DOWNLOAD_DIR = tmp_path
    queued = _job(alice, JobStatus.QUEUED, 1, tmp_path)
    finished = _job(alice, JobStatus.COMPLETED, 2, tmp_path)
    bobs = _job(bob, JobStatus.QUEUED, 3, tmp_path)
    ids = [str(queued.pk), str(finished.pk), str(bobs.pk)]
    response = alice_api.post("/api/downloads/bulk", {"action": "cancel", "ids": ids}, format="json")
    assert response.status_code == 400
    errors = response.json()["ids"]
    assert set(errors) == {"1", "2"}
    assert "completed" in errors["1"][0]
    queued.refresh_from_db()
    assert queued.status == JobStatus.QUEUED  # nothing changed


@pytest.mark.parametrize(("action", "status"), [("cancel", JobStatus.COMPLETED), ("retry", JobStatus.RUNNING)])
def test_bulk_and_single_actions_refuse_in_the_same_words(alice, alice_api, tmp_path, action, status):
    job = _job(alice, status, 1, tmp_path)
    single = alice_api.post(f"/api/downloads/{job.pk}/{action}")
    bulk = alice_api.post("/api/downloads/bulk", {"action": action, "ids": [str(job.pk)]}, format="json")
    assert (single.status_code, bulk.status_code) == (409, 400)
    assert bulk.json()["ids"] == {"0": [single.json()["detail"]]}


def test_downloads_bulk_retry_answers_503_while_the_broker_is_down(alice, alice_api, tmp_path, settings):
    settings.DOWNLOAD_DIR = tmp_path
    failed = _job(alice, JobStatus.FAILED, 1, tmp_path)
    with unreachable_broker():
        response = alice_api.post("/api/downloads/bulk", {"action": "retry", "all": True}, format="json")
    assert response.status_code == 503
    failed.refresh_from_db()
    assert failed.status == JobStatus.FAILED


def test_downloads_bulk_refuses_ids_and_all_together(alice, alice_api, tmp_path, settings):
    settings.DOWNLOAD_DIR = tmp_path
    job = _job(alice, JobStatus.QUEUED, 1, tmp_path)
    body = {"action": "cancel", "ids": [str(job.pk)], "all": True}
    assert alice_api.post("/api/downloads/bulk", body, format="json").status_code == 400


# --- POST /api/watchlist/preview ---------------------------------------------------------


def test_preview_shows_what_the_item_would_get(alice, alice_api, http_server):
    releases = [
        *every_episode(1, 2, 3, resolution=1080),
        *every_episode(1, 2, 3, resolution=720),
        Rel(2, resolution=1080, lang="VOSTA"),
        Rel(1, title="Dandadan"),
    ]
    url = serve_feed(http_server, "/group.xml", releases)
    body = {
        "anime_url": url,
        "anime_title": "Frieren",
        "lang": "vostfr",
        "quality_preference": "720p",
        "last_episode_downloaded": 1,
    }
    response = alice_api.post("/api/watchlist/preview", body, format="json")
    assert response.status_code == 200, response.json()
    preview = response.json()
    assert preview["ok"] is True and preview["error"] is None
    assert preview["provider_id"] == "feed"  # detected from the URL
    assert [(e["episode"], e["resolution"], e["language"]) for e in preview["episodes"]] == [
        (2, 720, "vostfr"),
        (3, 720, "vostfr"),
    ]
    assert preview["episode_span"] == "2-3"
    assert (preview["resolutions"], preview["languages"]) == ([720], ["vostfr"])
    reasons = " | ".join(row["reason"] for row in preview["not_taken"])
    assert "another series: Dandadan" in reasons
    assert "not after the last one you have" in reasons
    assert preview["releases_listed"] == len(releases)
    # Nothing was stored: no source, no release, no item.
    assert not WatchlistItem.objects.exists()
    from watchlist.models import Release, Source

    assert not Source.objects.exists() and not Release.objects.exists()


def test_preview_applies_the_users_release_rules(alice, alice_api, http_server):
    ReleaseRules.objects.create(owner=alice, blocked_groups=["Grp"])
    url = serve_feed(http_server, "/blocked.xml", every_episode(1, 2))
    preview = alice_api.post("/api/watchlist/preview", {"anime_url": url}, format="json").json()
    assert preview["ok"] is True and preview["episodes"] == []
    assert all("Grp" in row["reason"] for row in preview["not_taken"])


def test_preview_of_a_404_says_so_in_plain_words(alice_api, http_server):
    url = http_server.url("/missing.xml")
    preview = alice_api.post("/api/watchlist/preview", {"anime_url": url, "provider_id": "feed"}, format="json").json()
    assert preview["ok"] is False
    assert preview["error"].startswith("HTTP 404 Not Found")
    assert preview["episodes"] == []


def test_preview_refuses_bad_input_by_field(alice_api, settings):
    settings.ALLOW_PRIVATE_SOURCES = False
    response = alice_api.post("/api/watchlist/preview", {"anime_url": "http://127.0.0.1:9/feed.xml"}, format="json")
    assert response.status_code == 400 and "anime_url" in response.json()
    response = alice_api.post(
        "/api/watchlist/preview", {"anime_url": "https://example.org/f.xml", "provider_id": "nope"}, format="json"
    )
    assert response.status_code == 400 and "provider_id" in response.json()


def test_one_preview_at_a_time_per_user(alice, alice_api, http_server):
    from django.core.cache import cache

    cache.set(f"source-preview:{alice.pk}", "another", 30)  # a test of alice's still running
    try:
        url = serve_feed(http_server, "/busy.xml", every_episode(1))
        response = alice_api.post("/api/watchlist/preview", {"anime_url": url}, format="json")
        assert response.status_code == 429 and response["Retry-After"]
        assert http_server.requests_for("/busy.xml") == []
    finally:
        cache.delete(f"source-preview:{alice.pk}")


# --- GET /api/system/status -----------------------------------------------------------------


def test_system_status_for_staff(admin_api, alice_api, alice, tmp_path, settings):
    settings.DOWNLOAD_DIR = tmp_path
    from watchlist.heartbeats import stamp
    from watchlist.models import CheckRun

    stamp("worker:celery@box", {"queues": ["checks"], "concurrency": 4})
    item = make_item(alice, anime_title="Broken")
    CheckRun.objects.create(item=item, error="HTTP 404 Not Found from example.org")
    assert alice_api.get("/api/system/status").status_code == 403
    body = admin_api.get("/api/system/status").json()
    assert body["workers"][0]["name"] == "celery@box" and body["workers"][0]["alive"] is True
    assert body["workers"][0]["queues"] == ["checks"]
    assert body["disk"]["free"] > 0 and body["disk"]["path"] == str(tmp_path)
    assert body["versions"]["python"] and body["versions"]["Django"]
    assert body["versions"]["database"].startswith(("PostgreSQL", "SQLite"))
    assert body["errors"][0]["what"] == "Broken" and body["errors"][0]["kind"] == "check"
    assert {"checks_running", "checks_waiting", "downloads_running", "downloads_queued"} <= set(body)
