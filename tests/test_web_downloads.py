"""Dashboard: the downloads page (queue with live progress, history with
filters and pages), cancel and retry, and the item page's downloads."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from downloads.models import DownloadJob, JobStatus
from tests.factories import make_item
from watchlist.models import Episode
from watchlist.templatetags.watchlist_ui import speed
from watchlist.web.views_downloads import PAGE_SIZE

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def library(settings, tmp_path) -> Path:
    settings.DOWNLOAD_DIR = tmp_path / "library"
    return settings.DOWNLOAD_DIR


def make_job(owner, library: Path, *, item=None, episode: int = 1, **fields) -> DownloadJob:
    name = fields.pop("name", f"ep{uuid.uuid4().hex[:8]}")
    data = {
        "url": f"http://127.0.0.1/{name}.mkv",
        "destination": str(library / owner.username / "Show" / f"{name}.mkv"),
        "status": JobStatus.QUEUED,
    }
    if item is not None:
        data["metadata"] = {"item_id": str(item.pk), "episode": episode}
    data.update(fields)
    job = DownloadJob.objects.create(owner=owner, **data)
    if item is not None:
        Episode.objects.update_or_create(item=item, number=episode, defaults={"url": data["url"], "download_job": job})
    return job


def job_block(html: str, job: DownloadJob) -> str:
    start = html.index(f'id="job-{job.pk}"')
    return html[start : html.index("</article>", start)]


# --- The page -----------------------------------------------------------------


def test_empty_downloads_page_says_how_downloads_start(alice_web):
    response = alice_web.get("/downloads/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "No downloads yet" in html
    assert "every 1s" not in html  # nothing to poll


def test_running_job_shows_progress_speed_and_eta(alice_web, alice, library):
    item = make_item(alice, anime_title="Frieren")
    job = make_job(
        alice,
        library,
        item=item,
        episode=5,
        status=JobStatus.RUNNING,
        bytes_done=30 * 1024 * 1024,
        bytes_total=120 * 1024 * 1024,
        speed=3 * 1024 * 1024,
        started_at=timezone.now(),
        dispatched_at=timezone.now(),
    )
    html = alice_web.get("/downloads/").content.decode()
    block = job_block(html, job)
    assert f'<a href="/items/{item.pk}/">Frieren</a><span class="job__episode"> · Episode 5</span>' in block
    assert 'role="progressbar"' in block and 'aria-valuenow="25.0"' in block
    assert f'class="progress__fill progress__fill--25" id="fill-{job.pk}"' in block
    assert "25%" in block
    assert "30.0\xa0MB of 120.0\xa0MB" in block
    assert "3.0\xa0MB/s" in block
    assert "30 s left" in block  # 90 MB at 3 MB/s
    assert 'badge--job-running">Running<' in block
    assert f'hx-post="/downloads/{job.pk}/cancel/"' in block


def test_queue_polls_every_second_only_while_something_is_active(alice_web, alice, library):
    job = make_job(alice, library, status=JobStatus.RUNNING, bytes_done=5, bytes_total=10)
    html = alice_web.get("/downloads/").content.decode()
    active = html[html.index('id="active-downloads"') :].split(">", 1)[0]
    assert 'hx-trigger="every 1s, downloads-changed from:body"' in active
    assert f"shown={job.pk}" in active
    # The poll's answer: the fragment alone, still polling.
    poll = alice_web.get(f"/downloads/active/?shown={job.pk}", **HTMX)
    assert poll.status_code == 200
    fragment = poll.content.decode()
    assert '<div id="active-downloads"' in fragment
    assert "<html" not in fragment
    assert "every 1s" in fragment
    assert "HX-Trigger" not in poll
    # Once it completes, the answer slows the timer down and tells the history to reload.
    DownloadJob.objects.filter(pk=job.pk).update(status=JobStatus.COMPLETED, finished_at=timezone.now())
    poll = alice_web.get(f"/downloads/active/?shown={job.pk}", **HTMX)
    fragment = poll.content.decode()
    assert "every 1s" not in fragment
    assert 'hx-trigger="every 15s, downloads-changed from:body"' in fragment
    assert poll["HX-Trigger"] == "downloads-changed"
    assert "Nothing is downloading" in fragment


def test_progress_moves_between_polls(alice_web, alice, library):
    job = make_job(alice, library, status=JobStatus.RUNNING, bytes_done=0, bytes_total=1000, speed=100)
    widths = []
    for done in (100, 550, 1000):
        DownloadJob.objects.filter(pk=job.pk).update(bytes_done=done)
        fragment = alice_web.get("/downloads/active/", **HTMX).content.decode()
        widths.append(int(re.search(rf'progress__fill--(\d+)" id="fill-{job.pk}"', fragment).group(1)))
    assert widths == [10, 55, 100]


def test_unknown_size_shows_an_indeterminate_bar(alice_web, alice, library):
    job = make_job(alice, library, status=JobStatus.RUNNING, bytes_done=2048, bytes_total=None)
    block = job_block(alice_web.get("/downloads/").content.decode(), job)
    assert "progress--unknown" in block
    assert "aria-valuenow" not in block
    assert "2.0\xa0KB" in block


def test_waiting_and_retrying_jobs_say_why(alice_web, alice, library):
    waiting = make_job(alice, library)
    retrying = make_job(
        alice,
        library,
        dispatched_at=timezone.now(),
        next_attempt_at=timezone.now() + timedelta(minutes=2),
        attempts=1,
        error="the server answered 503",
    )
    html = alice_web.get("/downloads/").content.decode()
    assert "Waiting for a free slot" in job_block(html, waiting)
    block = job_block(html, retrying)
    assert re.search(r"Retrying <span data-countdown=[^>]+>in 1 min 5\d s</span> \(attempt 2 of 5\)", block), block
    assert "The server answered 503" in block


def test_history_lists_finished_jobs_with_filters(alice_web, alice, library):
    done = make_job(
        alice, library, status=JobStatus.COMPLETED, bytes_done=10, bytes_total=10, finished_at=timezone.now()
    )
    failed = make_job(alice, library, status=JobStatus.FAILED, error="the file is gone (404)", attempts=5)
    cancelled = make_job(alice, library, status=JobStatus.CANCELLED)
    html = alice_web.get("/downloads/").content.decode()
    history = html[html.index('id="history"') :]
    for job in (done, failed, cancelled):
        assert f'id="job-{job.pk}"' in history
    assert re.search(r'href="/downloads/"[^>]*>All <span class="tabs__count">3</span>', history)
    assert re.search(r'href="/downloads/\?status=failed"[^>]*>Failed <span class="tabs__count">1</span>', history)
    assert "The file is gone (404)" in job_block(history, failed)
    assert f'hx-post="/downloads/{failed.pk}/retry/"' in job_block(history, failed)
    assert f'hx-post="/downloads/{cancelled.pk}/retry/"' in job_block(history, cancelled)
    assert "/retry/" not in job_block(history, done) and "/cancel/" not in job_block(history, done)

    failed_only = alice_web.get("/downloads/?status=failed", HTTP_HX_TARGET="history", **HTMX)
    fragment = failed_only.content.decode()
    assert '<div id="history"' in fragment
    assert "<html" not in fragment
    assert f'id="job-{failed.pk}"' in fragment
    assert f'id="job-{done.pk}"' not in fragment and f'id="job-{cancelled.pk}"' not in fragment
    assert 'hx-get="/downloads/?status=failed"' in fragment  # reloads with its filter


def test_a_bad_status_filter_shows_everything(alice_web, alice, library):
    make_job(alice, library, status=JobStatus.COMPLETED)
    assert alice_web.get("/downloads/?status=running").status_code == 200


def test_history_is_paginated(alice_web, alice, library):
    for _ in range(PAGE_SIZE + 3):
        make_job(alice, library, status=JobStatus.COMPLETED)
    html = alice_web.get("/downloads/").content.decode()
    assert html.count('class="job job--completed"') == PAGE_SIZE
    assert "Page 1 of 2" in html
    assert 'href="/downloads/?page=2"' in html
    page2 = alice_web.get("/downloads/?page=2").content.decode()
    assert page2.count('class="job job--completed"') == 3


def test_only_the_owners_jobs_are_listed(alice_web, bob, library):
    other = make_job(bob, library, status=JobStatus.RUNNING, bytes_total=10)
    assert str(other.pk) not in alice_web.get("/downloads/").content.decode()
    assert str(other.pk) not in alice_web.get("/downloads/active/", **HTMX).content.decode()


def test_downloads_page_needs_a_session():
    response = Client().get("/downloads/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


# --- Cancel and retry ------------------------------------------------------------


def test_cancel_a_queued_job_with_htmx(alice_web, alice, library):
    job = make_job(alice, library)
    response = alice_web.post(f"/downloads/{job.pk}/cancel/", **HTMX)
    assert response.status_code == 204
    assert response["HX-Trigger"] == "downloads-changed"
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED and job.finished_at is not None


def test_cancel_a_running_job(alice_web, alice, library):
    job = make_job(alice, library, status=JobStatus.RUNNING)
    assert alice_web.post(f"/downloads/{job.pk}/cancel/", **HTMX).status_code == 204
    assert DownloadJob.objects.get(pk=job.pk).status == JobStatus.CANCELLED


def test_cancel_of_a_finished_job_is_refused(alice_web, alice, library):
    job = make_job(alice, library, status=JobStatus.COMPLETED)
    response = alice_web.post(f"/downloads/{job.pk}/cancel/", **HTMX)
    assert response.status_code == 409
    assert response["HX-Trigger"] == "downloads-changed"  # the page shows the real state
    assert DownloadJob.objects.get(pk=job.pk).status == JobStatus.COMPLETED
    # Without JavaScript: back to the page with a message.
    response = alice_web.post(f"/downloads/{job.pk}/cancel/", follow=True)
    assert "Only queued or running downloads can be cancelled; this one is completed." in response.content.decode()


@pytest.mark.parametrize(
    ("action", "status"), [("cancel", JobStatus.COMPLETED), ("cancel", JobStatus.FAILED), ("retry", JobStatus.RUNNING)]
)
def test_the_dashboard_and_the_api_refuse_in_the_same_words(alice_web, alice_api, alice, library, action, status):
    job = make_job(alice, library, status=status)
    api = alice_api.post(f"/api/downloads/{job.pk}/{action}")
    assert api.status_code == 409
    page = alice_web.post(f"/downloads/{job.pk}/{action}/", follow=True)
    assert [str(m) for m in page.context["messages"]] == [api.json()["detail"]]


@pytest.mark.parametrize("status", [JobStatus.FAILED, JobStatus.CANCELLED])
def test_retry_queues_a_failed_or_cancelled_job_again(alice_web, alice, library, status):
    job = make_job(alice, library, status=status, attempts=5, error="boom", finished_at=timezone.now())
    response = alice_web.post(f"/downloads/{job.pk}/retry/", {"next": "/downloads/?status=failed"})
    assert response.status_code == 302 and response["Location"] == "/downloads/?status=failed"
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error, job.finished_at) == (JobStatus.QUEUED, 0, "", None)


def test_retry_of_a_running_job_is_refused(alice_web, alice, library):
    job = make_job(alice, library, status=JobStatus.RUNNING)
    assert alice_web.post(f"/downloads/{job.pk}/retry/", **HTMX).status_code == 409
    assert DownloadJob.objects.get(pk=job.pk).status == JobStatus.RUNNING


def test_other_users_jobs_are_404_for_cancel_and_retry(bob_web, alice, library):
    queued = make_job(alice, library)
    failed = make_job(alice, library, status=JobStatus.FAILED)
    assert bob_web.post(f"/downloads/{queued.pk}/cancel/", **HTMX).status_code == 404
    assert bob_web.post(f"/downloads/{failed.pk}/retry/", **HTMX).status_code == 404
    assert DownloadJob.objects.get(pk=queued.pk).status == JobStatus.QUEUED
    assert DownloadJob.objects.get(pk=failed.pk).status == JobStatus.FAILED


def test_cancel_and_retry_need_post(alice_web, alice, library):
    job = make_job(alice, library)
    assert alice_web.get(f"/downloads/{job.pk}/cancel/").status_code == 405
    assert alice_web.get(f"/downloads/{job.pk}/retry/").status_code == 405


# --- Per item ----------------------------------------------------------------------


def test_item_page_shows_the_items_downloads_only(alice_web, alice, library):
    item = make_item(alice, anime_title="Frieren")
    other = make_item(alice, anime_title="Dungeon Meshi")
    running = make_job(alice, library, item=item, episode=3, status=JobStatus.RUNNING, bytes_done=1, bytes_total=4)
    done = make_job(alice, library, item=item, episode=2, status=JobStatus.COMPLETED)
    elsewhere = make_job(alice, library, item=other, episode=1, status=JobStatus.RUNNING)
    # Found through its episode alone too (the job's metadata names no item).
    keyed = make_job(alice, library, status=JobStatus.FAILED)
    Episode.objects.create(item=item, number=1, url=keyed.url, download_job=keyed)
    html = alice_web.get(f"/items/{item.pk}/").content.decode()
    section = html[html.index('id="downloads"') : html.index('id="checks"')]
    assert f'id="job-{running.pk}"' in section and f'id="job-{done.pk}"' in section
    assert f'id="job-{keyed.pk}"' in section
    assert f'id="job-{elsewhere.pk}"' not in section
    assert f"/downloads/active/?item={item.pk}&amp;shown={running.pk}" in section
    poll = alice_web.get(f"/downloads/active/?item={item.pk}", **HTMX).content.decode()
    assert f'id="job-{running.pk}"' in poll and f'id="job-{elsewhere.pk}"' not in poll


def test_item_scope_of_another_user_is_404(bob_web, alice):
    item = make_item(alice)
    assert bob_web.get(f"/downloads/?item={item.pk}").status_code == 404
    assert bob_web.get(f"/downloads/active/?item={item.pk}", **HTMX).status_code == 404


def test_job_of_a_deleted_item_keeps_a_label(alice_web, alice, library):
    item = make_item(alice)
    job = make_job(alice, library, item=item, episode=7, name="Frieren - S01E07", status=JobStatus.COMPLETED)
    item.delete()
    block = job_block(alice_web.get("/downloads/").content.decode(), job)
    assert "Frieren - S01E07" in block and "Episode 7" in block


def test_speed_filter():
    assert speed(0) == ""
    assert speed(1536) == "1.5\xa0KB/s"
