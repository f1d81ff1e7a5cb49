"""Dashboard pages of everyday use: the selection bar, "Download all
missing", Wanted, the downloads page's bulk buttons, where files are and the
room left, stats over a range, "Test source", the account page, the staff's
Users and System pages."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from downloads.models import DownloadJob, JobStatus
from tests.check_helpers import every_episode, feed_item, serve_feed
from tests.factories import make_item
from watchlist.models import AccountSession, Episode, EpisodeState, ItemStatus, WatchlistItem, WatchlistSettings

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def loopback_sources(settings, tmp_path):
    settings.ALLOW_PRIVATE_SOURCES = True
    settings.DOWNLOAD_DIR = tmp_path / "library"


def messages_of(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in response.context["messages"]]


# --- the watchlist's selection bar ----------------------------------------------------


def test_every_card_has_a_named_box_of_the_selection_form(alice_web, alice):
    item = make_item(alice, anime_title="Frieren")
    html = alice_web.get("/").content.decode()
    assert '<form id="bulk-form"' in html
    assert re.search(
        rf'<input class="item__select" type="checkbox" name="ids" value="{item.pk}" form="bulk-form"[^>]*'
        r'aria-label="Select Frieren"',
        html,
    )


def test_selection_bar_pauses_sets_quality_and_auto_download(alice_web, alice):
    first, second, other = make_item(alice), make_item(alice), make_item(alice)
    ids = [str(first.pk), str(second.pk)]
    response = alice_web.post("/items/bulk/", {"action": "pause", "ids": ids, "next": "/?q=Series"}, follow=True)
    assert response.redirect_chain[-1][0] == "/?q=Series"
    assert messages_of(response) == [("success", "Paused 2 series.")]
    assert set(WatchlistItem.objects.filter(status="paused").values_list("pk", flat=True)) == {first.pk, second.pk}
    alice_web.post("/items/bulk/", {"action": "set_quality", "ids": ids, "quality_preference": "480p"})
    alice_web.post("/items/bulk/", {"action": "auto_off", "ids": ids})
    assert set(WatchlistItem.objects.filter(pk__in=ids).values_list("quality_preference", "auto_download")) == {
        ("480p", False)
    }
    other.refresh_from_db()
    assert (other.status, other.quality_preference, other.auto_download) == ("active", "auto", True)


def test_selection_bar_delete_asks_first(alice_web, alice):
    gone, kept = make_item(alice, anime_title="Gone"), make_item(alice, anime_title="Kept")
    page = alice_web.post("/items/bulk/", {"action": "delete", "ids": [str(gone.pk)]})
    assert page.status_code == 200 and "Delete 1 series?" in page.content.decode()
    assert WatchlistItem.objects.count() == 2  # only asked
    response = alice_web.post(
        "/items/bulk/", {"action": "delete", "ids": [str(gone.pk)], "confirm": "yes"}, follow=True
    )
    assert messages_of(response) == [("success", "Deleted 1 series.")]
    assert list(WatchlistItem.objects.values_list("anime_title", flat=True)) == ["Kept"]
    assert kept.pk


def test_selection_bar_with_nothing_or_anothers_item_changes_nothing(alice_web, alice, bob):
    theirs = make_item(bob)
    response = alice_web.post("/items/bulk/", {"action": "pause"}, follow=True)
    assert messages_of(response)[0][0] == "warning"
    response = alice_web.post("/items/bulk/", {"action": "pause", "ids": [str(theirs.pk)]}, follow=True)
    assert messages_of(response)[0][0] == "error" and "Nothing was changed" in messages_of(response)[0][1]
    theirs.refresh_from_db()
    assert theirs.status == ItemStatus.ACTIVE


# --- Download all missing, Wanted ---------------------------------------------------------


def _checked_item(alice, http_server, alice_web):
    item = feed_item(alice, serve_feed(http_server, "/f.xml", every_episode(1, 2, 3)), auto_download=False)
    alice_web.post(f"/items/{item.pk}/check/")
    Episode.objects.filter(item=item, number=3).update(state=EpisodeState.FAILED)
    return item


def test_item_page_downloads_all_missing(alice_web, alice, http_server):
    item = _checked_item(alice, http_server, alice_web)
    html = alice_web.get(f"/items/{item.pk}/").content.decode()
    assert "Download all missing (3)" in html
    response = alice_web.post(f"/items/{item.pk}/download-missing/", follow=True)
    assert messages_of(response) == [("success", f"{item.anime_title}: 3 episodes (1, 2, 3) queued for download.")]
    assert set(Episode.objects.filter(item=item).values_list("state", flat=True)) == {EpisodeState.QUEUED}
    assert DownloadJob.objects.filter(owner=alice, status=JobStatus.QUEUED).count() == 3
    assert "Download all missing" not in alice_web.get(f"/items/{item.pk}/").content.decode()


def test_wanted_lists_found_and_failed_episodes_per_series(alice_web, alice, bob, http_server):
    item = _checked_item(alice, http_server, alice_web)
    make_item(bob)
    html = alice_web.get("/wanted/").content.decode()
    assert item.anime_title in html and "3 episodes found but not downloaded" in html
    assert html.count('class="wanted__episode"') == 3
    assert ">Retry<" in html  # the failed one
    response = alice_web.post(f"/items/{item.pk}/download-missing/", {"number": "3", "next": "/wanted/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/wanted/"
    assert Episode.objects.get(item=item, number=3).state == EpisodeState.QUEUED
    assert Episode.objects.get(item=item, number=1).state == EpisodeState.NEW
    assert Client().get("/wanted/").status_code == 302  # signed-in users only


def test_wanted_is_empty_for_another_user(bob_web, alice, http_server, alice_web):
    _checked_item(alice, http_server, alice_web)
    assert "Nothing is waiting" in bob_web.get("/wanted/").content.decode()


# --- Downloads: bulk buttons, where files are, room left -------------------------------------


def _job(owner, status, n, root: Path) -> DownloadJob:
    folder = root / owner.username / "Frieren"
    return DownloadJob.objects.create(
        owner=owner,
        url=f"http://127.0.0.1:9/{n}.mkv",
        destination=str(folder / f"Frieren - S01E0{n}.mkv"),
        status=status,
        bytes_total=1000 * n,
        bytes_done=1000 * n,
        finished_at=None if status in (JobStatus.QUEUED, JobStatus.RUNNING) else timezone.now(),
    )


def test_downloads_page_says_where_files_are_and_the_room_left(alice_web, alice, settings):
    _job(alice, JobStatus.COMPLETED, 1, settings.DOWNLOAD_DIR)
    html = alice_web.get("/downloads/").content.decode()
    assert "In your folder:</span> Frieren/Frieren - S01E01.mkv" in html
    assert "Free on the download disk" in html
    assert "Your own folder on the server" in html  # not the server's path, for a user


def test_downloads_bulk_buttons(alice_web, alice, settings):
    root = settings.DOWNLOAD_DIR
    failed = _job(alice, JobStatus.FAILED, 1, root)
    queued = _job(alice, JobStatus.QUEUED, 2, root)
    done = _job(alice, JobStatus.COMPLETED, 3, root)
    html = alice_web.get("/downloads/").content.decode()
    assert "Retry all failed (1)" in html and "Cancel all queued (1)" in html and "Clear history (2)" in html

    response = alice_web.post("/downloads/bulk/", {"action": "cancel"}, follow=True)
    assert messages_of(response) == [("success", "Cancelled 1 queued download.")]
    queued.refresh_from_db()
    assert queued.status == JobStatus.CANCELLED

    response = alice_web.post("/downloads/bulk/", {"action": "retry"}, follow=True)
    failed.refresh_from_db()
    assert failed.status == JobStatus.QUEUED and "Queued 1 failed download again." in messages_of(response)[0][1]

    response = alice_web.post("/downloads/bulk/", {"action": "clear"}, follow=True)
    assert "Cleared 2 downloads from the history" in messages_of(response)[0][1]  # the completed and cancelled
    history = alice_web.get("/downloads/").content.decode()
    assert f'id="job-{done.pk}"' not in history and f'id="job-{queued.pk}"' not in history
    assert f'id="job-{failed.pk}"' in history  # queued again: not history
    done.refresh_from_db()
    assert done.status == JobStatus.COMPLETED  # the record and its file stay
    # A cleared job that runs again comes back once it ends.
    DownloadJob.objects.filter(pk=queued.pk).update(
        status=JobStatus.COMPLETED, finished_at=timezone.now() + timedelta(seconds=1)
    )
    assert f'id="job-{queued.pk}"' in alice_web.get("/downloads/").content.decode()


def test_staff_see_the_servers_folder(client, admin_user, settings):
    client.force_login(admin_user)
    html = client.get("/downloads/").content.decode()
    assert str(settings.DOWNLOAD_DIR / "admin") in html


# --- Stats over a range ---------------------------------------------------------------------


def test_stats_bytes_success_rate_and_disk_over_a_range(alice_web, alice, settings):
    root = settings.DOWNLOAD_DIR
    old = _job(alice, JobStatus.COMPLETED, 1, root)
    DownloadJob.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=20))
    _job(alice, JobStatus.COMPLETED, 2, root)
    _job(alice, JobStatus.COMPLETED, 3, root)
    _job(alice, JobStatus.FAILED, 4, root)
    folder = root / "alice" / "Frieren"
    folder.mkdir(parents=True)
    (folder / "a.mkv").write_bytes(b"x" * 5000)
    week = alice_web.get("/stats/?days=7").content.decode()
    assert "5.0\xa0KB" in week or "4.9\xa0KB" in week  # 2000 + 3000 bytes in the week
    assert "<strong>67%</strong>" in week  # 2 of 3 that ended
    month = alice_web.get("/stats/?days=30").content.decode()
    assert "<strong>75%</strong>" in month
    assert "Completed downloads per day, last 30 days" in month
    assert alice_web.get("/stats/?days=12").context["figures"].days == 30  # only 7, 30, 90


# --- Test source on the add form ------------------------------------------------------------


def test_test_source_button_shows_episodes_with_htmx(alice_web, http_server):
    url = serve_feed(http_server, "/p.xml", every_episode(1, 2, resolution=720))
    form = {
        "anime_title": "Frieren",
        "anime_url": url,
        "provider_id": "",
        "lang": "vostfr",
        "quality_preference": "auto",
    }
    html = alice_web.post("/items/preview/", form, **HTMX).content.decode()
    assert html.lstrip().startswith('<div id="source-preview"')
    assert "2 episodes (1-2)" in html and "720p" in html and "VOSTFR" in html
    assert not WatchlistItem.objects.exists()


def test_test_source_without_javascript_keeps_the_form(alice_web, http_server):
    url = http_server.url("/nothing.xml")
    form = {"anime_title": "Kept title", "anime_url": url, "provider_id": "feed", "quality_preference": "auto"}
    response = alice_web.post("/items/preview/", form)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Kept title"' in html
    assert "The source cannot be read:</strong> HTTP 404 Not Found" in html


def test_test_source_names_a_bad_address(alice_web):
    html = alice_web.post("/items/preview/", {"anime_url": "ftp://x"}, **HTMX).content.decode()
    assert "Cannot test this source yet" in html and "http" in html


# --- Your account ---------------------------------------------------------------------------


def _signed_in(user) -> Client:
    client = Client(HTTP_USER_AGENT=f"Browser of {user.username}")
    assert (
        client.post("/login/", {"username": user.username, "password": f"{user.username}-pass-123"}).status_code == 302
    )
    return client


def test_changing_the_password_signs_out_the_other_sessions(alice):
    here, elsewhere = _signed_in(alice), _signed_in(alice)
    assert AccountSession.objects.filter(user=alice).count() == 2
    response = here.post(
        "/account/",
        {
            "old_password": "alice-pass-123",
            "new_password1": "a-new-long-pass-987",
            "new_password2": "a-new-long-pass-987",
        },
        follow=True,
    )
    assert messages_of(response) == [("success", "Your password is changed. 1 other session signed out.")]
    assert here.get("/").status_code == 200  # this session stays
    assert elsewhere.get("/").status_code == 302  # the other one is signed out
    alice.refresh_from_db()
    assert alice.check_password("a-new-long-pass-987")


def test_a_wrong_old_password_changes_nothing(alice):
    client = _signed_in(alice)
    response = client.post(
        "/account/", {"old_password": "nope", "new_password1": "x-9f8e7d6c5b", "new_password2": "x-9f8e7d6c5b"}
    )
    assert response.status_code == 400
    alice.refresh_from_db()
    assert alice.check_password("alice-pass-123")


def test_sign_out_other_sessions_ends_recorded_and_older_sessions(alice, bob):
    here, elsewhere, bobs = _signed_in(alice), _signed_in(alice), _signed_in(bob)
    older = Client()
    older.force_login(alice)  # a session from before sign-ins were recorded
    html = here.get("/account/").content.decode()
    assert "Browser of alice" in html  # the other recorded session is listed
    response = here.post("/account/sign-out-others/", follow=True)
    assert messages_of(response) == [("success", "Signed out 2 other sessions.")]
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302 and older.get("/").status_code == 302
    assert bobs.get("/").status_code == 200  # nobody else's


# --- Users (staff) --------------------------------------------------------------------------


@pytest.fixture
def staff_web(db):
    User = get_user_model()
    staff = User.objects.create_user("sam", password="sam-pass-123", is_staff=True)
    client = Client()
    client.force_login(staff)
    return client


def test_only_staff_see_users_and_system(alice_web, staff_web):
    for url in ("/users/", "/system/"):
        assert alice_web.get(url).status_code == 403
        assert staff_web.get(url).status_code == 200
    assert alice_web.post("/users/", {"username": "x"}).status_code == 403
    assert alice_web.post(f"/users/{alice_web.session['_auth_user_id']}/staff/", {"staff": "on"}).status_code == 403


def test_staff_create_an_account_with_a_generated_password(staff_web):
    response = staff_web.post("/users/", {"username": "carol", "password": ""})
    html = response.content.decode()
    password = re.search(r'id="shown-password" class="mono" type="text" value="([^"]+)"', html).group(1)
    carol = get_user_model().objects.get(username="carol")
    assert carol.check_password(password) and not carol.is_staff
    assert WatchlistSettings.objects.filter(user=carol).exists()
    assert staff_web.post("/users/", {"username": "Carol"}).status_code == 400  # taken, whatever the case
    weak = staff_web.post("/users/", {"username": "dave", "password": "123"})
    assert weak.status_code == 400 and not get_user_model().objects.filter(username="dave").exists()


def test_disabling_signs_out_refuses_tokens_and_stops_the_schedule(staff_web, alice):
    signed_in = _signed_in(alice)
    token = Token.objects.create(user=alice)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token.key}")
    assert api.get("/api/watchlist").status_code == 200
    response = staff_web.post(f"/users/{alice.pk}/active/", {"active": "off"}, follow=True)
    assert "alice is disabled" in messages_of(response)[0][1]
    alice.refresh_from_db()
    assert not alice.is_active
    assert signed_in.get("/").status_code == 302
    assert api.get("/api/watchlist").status_code == 401
    assert WatchlistSettings.objects.get(user=alice).scheduler_enabled is False
    assert _login(alice) == 200  # the sign-in form refuses (re-shown)
    staff_web.post(f"/users/{alice.pk}/active/", {"active": "on"})
    alice.refresh_from_db()
    assert alice.is_active and WatchlistSettings.objects.get(user=alice).scheduler_enabled


def _login(user) -> int:
    return Client().post("/login/", {"username": user.username, "password": f"{user.username}-pass-123"}).status_code


def test_make_staff_and_reset_password(staff_web, alice):
    other = _signed_in(alice)
    staff_web.post(f"/users/{alice.pk}/staff/", {"staff": "on"})
    alice.refresh_from_db()
    assert alice.is_staff
    html = staff_web.post(f"/users/{alice.pk}/password/").content.decode()
    password = re.search(r'id="shown-password" class="mono" type="text" value="([^"]+)"', html).group(1)
    alice.refresh_from_db()
    assert alice.check_password(password)
    assert other.get("/").status_code == 302  # signed out
    assert not Session.objects.filter(session_key=other.session.session_key).exists()


def test_staff_cannot_lock_themselves_out_nor_touch_a_superuser(staff_web, admin_user):
    sam = get_user_model().objects.get(username="sam")
    response = staff_web.post(f"/users/{sam.pk}/active/", {"active": "off"}, follow=True)
    assert messages_of(response) == [("error", "You cannot disable your own account.")]
    response = staff_web.post(f"/users/{sam.pk}/staff/", {"staff": "off"}, follow=True)
    assert messages_of(response)[0][0] == "error"
    response = staff_web.post(f"/users/{admin_user.pk}/password/", follow=True)
    assert "only a superuser" in messages_of(response)[0][1]
    admin_user.refresh_from_db()
    assert admin_user.check_password("admin-pass-123")
    sam.refresh_from_db()
    assert sam.is_active and sam.is_staff


# --- System (staff) -------------------------------------------------------------------------


def test_system_page_shows_liveness_queues_disk_versions_and_errors(staff_web, alice, settings):
    from watchlist.heartbeats import stamp
    from watchlist.models import CheckRun, PendingCheck

    stamp("worker:celery@dl-1", {"queues": ["downloads"], "concurrency": 3})
    item = make_item(alice, anime_title="Broken feed")
    CheckRun.objects.create(item=item, error="HTTP 404 Not Found from media.example.org")
    PendingCheck.objects.create(item=make_item(alice, anime_title="Waiting one"), owner=alice)
    _job(alice, JobStatus.RUNNING, 1, settings.DOWNLOAD_DIR)
    html = staff_web.get("/system/").content.decode()
    assert "celery@dl-1" in html and ">Alive<" in html and "downloads" in html
    assert "Waiting one" in html and "1 running" in html
    assert str(settings.DOWNLOAD_DIR) in html and "Free" in html
    assert "Broken feed" in html and "HTTP 404 Not Found from media.example.org" in html
    assert "python" in html and "Django" in html
    for queue in ("checks", "downloads"):
        assert f"Queue “{queue}”" in html
