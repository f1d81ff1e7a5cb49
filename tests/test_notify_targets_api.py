"""/api/notifications/targets: create, list, read, change, delete, test;
URLs stored encrypted and answered masked; each user sees only theirs."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.support.receivers import Answer
from watchlist.models import NotificationTarget
from watchlist.notify import cipher

pytestmark = pytest.mark.django_db

SECRET_URL = "json://user:hunter2secret@hooks.example.org/api/webhook/SECRETPATHTOKEN"


def create(api, **data):
    body = {"name": "Hooks", "url": SECRET_URL, **data}
    return api.post("/api/notifications/targets", body, format="json")


def test_create_answers_the_masked_url_only(alice_api, alice):
    response = create(alice_api, events=["download_completed", "new_episodes"])
    assert response.status_code == 201, response.json()
    body = response.json()
    assert "url" not in body
    assert body["url_masked"].startswith("json://user:****@hooks.example.org/api/")
    assert "hunter2secret" not in response.content.decode() and "SECRETPATHTOKEN" not in response.content.decode()
    assert body["events"] == ["new_episodes", "download_completed"]  # canonical order
    assert body["enabled"] is True and body["last_error"] == ""
    row = NotificationTarget.objects.get(pk=body["id"])
    assert row.owner == alice
    assert cipher.decrypt(row.url_encrypted) == SECRET_URL


def test_the_url_is_encrypted_in_the_database(alice_api):
    create(alice_api)
    with connection.cursor() as cursor:
        cursor.execute("SELECT url_encrypted, url_masked FROM watchlist_notificationtarget")
        stored = " ".join(cursor.fetchone())
    assert "hunter2secret" not in stored and "SECRETPATHTOKEN" not in stored


def test_default_events_are_all_of_them(alice_api):
    body = create(alice_api).json()
    assert body["events"] == [
        "new_episodes",
        "download_completed",
        "download_failed",
        "source_failing",
        "series_completed",
    ]


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"url": "json://127.0.0.1:6379/"}, "url", "127.0.0.1 is loopback"),
        ({"url": "gnome://"}, "url", "acts on the server itself"),
        ({"url": "nope"}, "url", "not an Apprise URL"),
        ({"events": ["everything"]}, "events", "not a valid choice"),
        ({"events": []}, "events", "may not be empty"),
        ({"name": ""}, "name", "may not be blank"),
        ({"colour": "red"}, "colour", "Unknown field"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(alice_api, data, field, words):
    response = create(alice_api, **data)
    assert response.status_code == 400
    assert words in str(response.json()[field])
    assert not NotificationTarget.objects.exists()


def test_names_are_unique_per_user(alice_api, bob_api):
    assert create(alice_api).status_code == 201
    assert "already have a target" in str(create(alice_api).json()["name"])
    assert create(bob_api).status_code == 201


def test_list_get_put_delete(alice_api):
    target_id = create(alice_api).json()["id"]
    listed = alice_api.get("/api/notifications/targets").json()
    assert [t["id"] for t in listed["results"]] == [target_id]
    assert alice_api.get(f"/api/notifications/targets/{target_id}").json()["name"] == "Hooks"
    changed = alice_api.put(
        f"/api/notifications/targets/{target_id}", {"name": "Renamed", "enabled": False}, format="json"
    )
    assert changed.status_code == 200
    assert changed.json()["name"] == "Renamed" and changed.json()["enabled"] is False
    # Changing fields without a URL keeps the stored one.
    assert cipher.decrypt(NotificationTarget.objects.get(pk=target_id).url_encrypted) == SECRET_URL
    new_url = alice_api.put(
        f"/api/notifications/targets/{target_id}", {"url": "ntfys://ntfy.sh/my-topic"}, format="json"
    )
    assert new_url.json()["url_masked"].startswith("ntfys://")
    assert alice_api.delete(f"/api/notifications/targets/{target_id}").status_code == 204
    assert not NotificationTarget.objects.exists()


def test_another_users_target_is_404(alice_api, bob_api):
    target_id = create(alice_api).json()["id"]
    assert bob_api.get(f"/api/notifications/targets/{target_id}").status_code == 404
    assert bob_api.put(f"/api/notifications/targets/{target_id}", {"name": "x"}, format="json").status_code == 404
    assert bob_api.delete(f"/api/notifications/targets/{target_id}").status_code == 404
    assert bob_api.post(f"/api/notifications/targets/{target_id}/test").status_code == 404
    assert bob_api.get("/api/notifications/targets").json()["results"] == []


def test_the_test_button_sends_now_and_reports(alice_api, receiver):
    target_id = create(alice_api, url=f"json://{receiver.netloc}/hook").json()["id"]
    response = alice_api.post(f"/api/notifications/targets/{target_id}/test")
    assert response.status_code == 200
    assert response.json()["ok"] is True and response.json()["error"] == ""
    assert response.json()["target"]["last_sent_at"]
    assert receiver.posted[0].json()["title"] == "Watchlist: test notification"


def test_a_failing_test_says_why_and_keeps_it_on_the_target(alice_api, receiver):
    receiver.answers = [Answer(404)]
    target_id = create(alice_api, url=f"json://{receiver.netloc}/hook").json()["id"]
    body = alice_api.post(f"/api/notifications/targets/{target_id}/test").json()
    assert body["ok"] is False
    assert "404" in body["error"] or "not found" in body["error"].lower()
    again = alice_api.get(f"/api/notifications/targets/{target_id}").json()
    assert again["last_error"] == body["error"] and again["last_error_at"]


def test_a_url_encrypted_with_a_lost_key_asks_for_it_again(alice_api, settings):
    target_id = create(alice_api).json()["id"]
    settings.SECRET_KEY = "another-secret-key-entirely"
    body = alice_api.post(f"/api/notifications/targets/{target_id}/test").json()
    assert body["ok"] is False and "enter it again" in body["error"]


def test_explicit_keys_rotate(alice_api, settings):
    from cryptography.fernet import Fernet

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.NOTIFY_SECRET_KEYS = [old]
    target_id = create(alice_api).json()["id"]
    settings.NOTIFY_SECRET_KEYS = [new, old]
    row = NotificationTarget.objects.get(pk=target_id)
    assert cipher.decrypt(row.url_encrypted) == SECRET_URL
    rotated = cipher.rotate(row.url_encrypted)
    settings.NOTIFY_SECRET_KEYS = [new]
    assert cipher.decrypt(rotated) == SECRET_URL
    with pytest.raises(cipher.Undecryptable):
        cipher.decrypt(row.url_encrypted)


def test_the_rotate_command_re_encrypts_with_the_first_key(alice_api, settings):
    from io import StringIO

    from cryptography.fernet import Fernet
    from django.core.management import call_command

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.NOTIFY_SECRET_KEYS = [old]
    target_id = create(alice_api).json()["id"]
    settings.NOTIFY_SECRET_KEYS = [new, old]
    out = StringIO()
    call_command("rotate_notify_keys", stdout=out)
    assert "re-encrypted 1 target URL(s)" in out.getvalue()
    settings.NOTIFY_SECRET_KEYS = [new]
    assert cipher.decrypt(NotificationTarget.objects.get(pk=target_id).url_encrypted) == SECRET_URL
