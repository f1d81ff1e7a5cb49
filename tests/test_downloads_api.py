"""REST API for downloads: scoping, filters, pagination, cancel, retry, schema."""

from __future__ import annotations

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from downloads import manager
from downloads.models import DownloadJob, JobStatus

URL = "http://127.0.0.1:1/ep.mkv"


def make(owner, root, name, status=JobStatus.QUEUED, **fields) -> DownloadJob:
    job, _ = manager.enqueue(owner, URL, "http", root / owner.username / f"{name}.mkv")
    DownloadJob.objects.filter(pk=job.pk).update(status=status, **fields)
    return DownloadJob.objects.get(pk=job.pk)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/downloads"),
        ("get", "/api/downloads/00000000-0000-0000-0000-000000000000"),
        ("post", "/api/downloads/00000000-0000-0000-0000-000000000000/cancel"),
        ("post", "/api/downloads/00000000-0000-0000-0000-000000000000/retry"),
    ],
)
def test_anonymous_gets_401_with_a_bearer_challenge(anon_api, method, path):
    response = getattr(anon_api, method)(path)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_list_shows_only_my_jobs(alice_api, alice, bob, download_dir, sent):
    mine = make(alice, download_dir, "a1")
    make(bob, download_dir, "b1")
    response = alice_api.get("/api/downloads")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(mine.pk)]


def test_job_fields(alice_api, alice, download_dir, sent):
    job = make(
        alice,
        download_dir,
        "a1",
        JobStatus.RUNNING,
        bytes_done=250,
        bytes_total=1000,
        speed=100,
        attempts=1,
        started_at=timezone.now(),
    )
    body = alice_api.get(f"/api/downloads/{job.pk}").json()
    assert body["status"] == "running"
    assert body["bytes_done"] == 250 and body["bytes_total"] == 1000 and body["speed"] == 100
    assert body["progress"] == 25.0 and body["eta_seconds"] == 8
    assert body["attempts"] == 1 and body["error"] == ""
    # The path inside alice's own folder, not the server's absolute path.
    assert job.destination.endswith("/alice/a1.mkv")
    assert body["destination"] == "a1.mkv"
    for name in ("created_at", "started_at", "finished_at", "url", "backend", "max_attempts", "checksum_sha256"):
        assert name in body
    assert "claim_token" not in body and "backend_state" not in body and "owner" not in body


def test_unknown_size_means_null_progress(alice_api, alice, download_dir, sent):
    job = make(alice, download_dir, "a1", JobStatus.RUNNING, bytes_done=10, speed=5)
    body = alice_api.get(f"/api/downloads/{job.pk}").json()
    assert body["progress"] is None and body["eta_seconds"] is None


def test_filter_by_status(alice_api, alice, download_dir, sent):
    failed = make(alice, download_dir, "f", JobStatus.FAILED, error="The file was not found on the server (HTTP 404).")
    running = make(alice, download_dir, "r", JobStatus.RUNNING)
    make(alice, download_dir, "c", JobStatus.COMPLETED)
    ids = lambda response: {row["id"] for row in response.json()["results"]}  # noqa: E731
    assert ids(alice_api.get("/api/downloads?status=failed")) == {str(failed.pk)}
    assert ids(alice_api.get("/api/downloads?status=failed&status=running")) == {str(failed.pk), str(running.pk)}
    assert alice_api.get("/api/downloads?status=failed").json()["results"][0]["error"].startswith("The file")
    assert alice_api.get("/api/downloads?status=bogus").status_code == 400


def test_pagination(alice_api, alice, download_dir, sent):
    for i in range(5):
        make(alice, download_dir, f"e{i}")
    first = alice_api.get("/api/downloads?page_size=2").json()
    assert first["count"] == 5 and len(first["results"]) == 2 and first["next"]
    last = alice_api.get("/api/downloads?page_size=2&page=3").json()
    assert len(last["results"]) == 1 and last["next"] is None


def test_trailing_slash_variants(alice_api, alice, download_dir, sent):
    job = make(alice, download_dir, "a1")
    assert alice_api.get("/api/downloads/").status_code == 200
    assert alice_api.get(f"/api/downloads/{job.pk}/").status_code == 200
    assert alice_api.post(f"/api/downloads/{job.pk}/cancel/").status_code == 200


def test_another_users_job_is_404_everywhere(bob_api, alice, download_dir, sent):
    job = make(alice, download_dir, "a1", JobStatus.FAILED)
    assert bob_api.get(f"/api/downloads/{job.pk}").status_code == 404
    assert bob_api.post(f"/api/downloads/{job.pk}/retry").status_code == 404
    assert bob_api.post(f"/api/downloads/{job.pk}/cancel").status_code == 404
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED


def test_cancel(alice_api, alice, download_dir, sent):
    job = make(alice, download_dir, "a1")
    response = alice_api.post(f"/api/downloads/{job.pk}/cancel")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    again = alice_api.post(f"/api/downloads/{job.pk}/cancel")
    assert again.status_code == 409 and "cancelled" in again.json()["detail"]


def test_retry(alice_api, alice, download_dir, sent, django_capture_on_commit_callbacks):
    job = make(alice, download_dir, "a1", JobStatus.FAILED, attempts=5, error="Gave up.", dispatched_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_api.post(f"/api/downloads/{job.pk}/retry")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "queued" and body["attempts"] == 0 and body["error"] == ""
    assert str(job.pk) in sent.ids()
    assert alice_api.post(f"/api/downloads/{job.pk}/retry").status_code == 409


def test_get_is_the_only_read_method(alice_api, alice, download_dir, sent):
    job = make(alice, download_dir, "a1")
    assert alice_api.delete(f"/api/downloads/{job.pk}").status_code == 405
    assert alice_api.post("/api/downloads", {"url": URL}).status_code == 405
    assert alice_api.get(f"/api/downloads/{job.pk}/cancel").status_code == 405


def test_schema_is_valid_and_lists_each_route_once(settings):
    generator = SchemaGenerator()
    schema = generator.get_schema(request=None, public=True)
    validate_schema(schema)
    paths = schema["paths"]
    assert set(paths) >= {
        "/api/downloads",
        "/api/downloads/{id}",
        "/api/downloads/{id}/cancel",
        "/api/downloads/{id}/retry",
    }
    assert not any(p.endswith("/") and p.rstrip("/") in paths for p in paths)
    cancel = paths["/api/downloads/{id}/cancel"]["post"]
    assert "requestBody" not in cancel
    assert set(cancel["responses"]) >= {"200", "409"}
    listing = paths["/api/downloads"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {"status", "page", "page_size"}


# --- admin ----------------------------------------------------------------------


def test_admin_list_and_actions(client, admin_user, alice, download_dir, sent):
    client.force_login(admin_user)
    queued = make(alice, download_dir, "q")
    failed = make(alice, download_dir, "f", JobStatus.FAILED)
    page = client.get("/admin/downloads/downloadjob/?status__exact=queued&q=alice")
    assert page.status_code == 200 and str(queued.pk)[:8].encode() in page.content
    assert client.get(f"/admin/downloads/downloadjob/{queued.pk}/change/").status_code == 200

    client.post("/admin/downloads/downloadjob/", {"action": "cancel_jobs", "_selected_action": [str(queued.pk)]})
    client.post("/admin/downloads/downloadjob/", {"action": "retry_jobs", "_selected_action": [str(failed.pk)]})
    queued.refresh_from_db()
    failed.refresh_from_db()
    assert queued.status == JobStatus.CANCELLED
    assert failed.status == JobStatus.QUEUED
