"""Staff manage the torrent client on the dashboard and in the admin; the
password never comes back; “Test” asks the real daemon."""

from __future__ import annotations

import pytest
from django.test import Client

from downloads.clients.models import TorrentClient
from tests.clients_helpers import daemon

__all__ = ["daemon"]

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def admin_web(admin_user) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


def form(**overrides) -> dict:
    data = {
        "name": "Home qBittorrent",
        "kind": "qbittorrent",
        "url": "http://127.0.0.1:1",
        "username": "admin",
        "password": "s3cret-pass",
        "category": "anime",
        "save_path": "/downloads",
        "path_mappings_text": "/downloads => /srv/torrents",
        "enabled": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_only_staff_see_the_torrent_clients_page(alice_web, admin_web):
    assert alice_web.get("/torrent-clients/").status_code == 403
    assert alice_web.post("/torrent-clients/", form()).status_code == 403
    page = admin_web.get("/torrent-clients/")
    assert page.status_code == 200
    assert "No torrent client yet" in page.content.decode()
    assert "the built-in engine" in page.content.decode()


def test_staff_add_a_client_whose_password_is_never_shown_back(admin_web):
    response = admin_web.post("/torrent-clients/", form())
    assert response.status_code == 302
    client = TorrentClient.objects.get()
    assert client.password() == "s3cret-pass" and "s3cret" not in client.password_encrypted
    assert client.path_mappings == [["/downloads", "/srv/torrents"]]
    page = admin_web.get("/torrent-clients/").content.decode()
    assert "Home qBittorrent" in page and "“Home qBittorrent”" in page  # the active client is named
    assert "s3cret-pass" not in page
    edit = admin_web.get(f"/torrent-clients/{client.pk}/edit/").content.decode()
    assert "s3cret-pass" not in edit and "A password is stored" in edit
    assert "/downloads =&gt; /srv/torrents" in edit
    # Saving with an empty password keeps the stored one.
    assert admin_web.post(f"/torrent-clients/{client.pk}/edit/", form(password="", category="tv")).status_code == 302
    client.refresh_from_db()
    assert client.password() == "s3cret-pass" and client.category == "tv"


def test_bad_input_is_a_400_naming_the_field(admin_web):
    response = admin_web.post("/torrent-clients/", form(path_mappings_text="/downloads /srv"))
    assert response.status_code == 400
    assert "Line 1" in response.content.decode()
    response = admin_web.post("/torrent-clients/", form(kind="deluge"))
    assert response.status_code == 400 and "deluge" in response.content.decode()
    assert TorrentClient.objects.count() == 0


def test_a_second_enabled_client_is_refused_in_words(admin_web):
    admin_web.post("/torrent-clients/", form())
    response = admin_web.post("/torrent-clients/", form(name="Seedbox", kind="transmission"))
    assert response.status_code == 400
    assert "“Home qBittorrent” is enabled; turn it off first" in response.content.decode()
    off = form(name="Seedbox", kind="transmission", enabled=None)
    assert admin_web.post("/torrent-clients/", off).status_code == 302
    assert TorrentClient.objects.filter(enabled=True).count() == 1


def test_the_admin_uses_the_same_form(admin_web):
    response = admin_web.post("/admin/downloads/torrentclient/add/", form())
    assert response.status_code == 302, response.content.decode()[:2000]
    client = TorrentClient.objects.get()
    assert client.password() == "s3cret-pass"
    change = admin_web.get(f"/admin/downloads/torrentclient/{client.pk}/change/").content.decode()
    assert "s3cret-pass" not in change and client.password_encrypted not in change


def test_test_asks_the_real_client_and_checks_the_save_path_here(admin_web, daemon, tmp_path):
    remote = str(tmp_path / "seen-by-the-client")  # no such folder here
    fields = {"kind": daemon.kind, "url": daemon.url, "password": daemon.password, "save_path": remote}
    admin_web.post("/torrent-clients/", form(**fields, path_mappings_text=""))
    client = TorrentClient.objects.get()
    answer = admin_web.post(f"/torrent-clients/{client.pk}/test/", **HTMX).content.decode()
    assert "Test passed: it answers" in answer
    assert f"{remote} is not a folder on this server" in answer and "remote path mapping" in answer
    here = tmp_path / "torrents"
    here.mkdir()
    admin_web.post(f"/torrent-clients/{client.pk}/edit/", form(**fields, path_mappings_text=f"{remote} => {here}"))
    answer = admin_web.post(f"/torrent-clients/{client.pk}/test/", **HTMX).content.decode()
    assert f"Its save path is {here} on this server." in answer
    admin_web.post(f"/torrent-clients/{client.pk}/edit/", form(**{**fields, "password": "wrong"}))
    answer = admin_web.post(f"/torrent-clients/{client.pk}/test/", **HTMX).content.decode()
    assert "refused the user name or password" in answer and "wrong" not in answer.split("refused")[0][-40:]


# --- the API --------------------------------------------------------------------


def api_body(**overrides) -> dict:
    body = {
        "name": "Seedbox",
        "kind": "transmission",
        "url": "http://127.0.0.1:9091",
        "username": "me",
        "password": "pa55word",
        "path_mappings": [["/downloads", "/srv/torrents"]],
    }
    body.update(overrides)
    return body


def test_the_api_is_for_staff_and_never_answers_the_password(alice_api, admin_api):
    assert alice_api.get("/api/torrent-clients").status_code == 403
    assert alice_api.post("/api/torrent-clients", api_body(), format="json").status_code == 403
    created = admin_api.post("/api/torrent-clients", api_body(), format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert "password" not in body and body["has_password"] is True and body["enabled"] is True
    assert body["path_mappings"] == [["/downloads", "/srv/torrents"]]
    client = TorrentClient.objects.get()
    assert client.password() == "pa55word"
    assert "pa55word" not in admin_api.get("/api/torrent-clients").content.decode()
    changed = admin_api.patch(f"/api/torrent-clients/{client.pk}", {"category": "tv"}, format="json")
    assert changed.status_code == 200 and changed.json()["category"] == "tv"
    assert TorrentClient.objects.get().password() == "pa55word"  # kept
    assert alice_api.delete(f"/api/torrent-clients/{client.pk}").status_code == 403
    assert admin_api.delete(f"/api/torrent-clients/{client.pk}").status_code == 204


def test_api_errors_are_400s_naming_the_field(admin_api):
    bad = admin_api.post("/api/torrent-clients", api_body(url="not a url"), format="json")
    assert bad.status_code == 400 and "url" in bad.json()
    bad = admin_api.post("/api/torrent-clients", api_body(path_mappings=[["relative", "/srv"]]), format="json")
    assert bad.status_code == 400 and "absolute" in str(bad.json()["path_mappings"])
    assert admin_api.post("/api/torrent-clients", api_body(), format="json").status_code == 201
    second = admin_api.post("/api/torrent-clients", api_body(name="Other", kind="qbittorrent"), format="json")
    assert second.status_code == 400 and "turn it off first" in str(second.json()["enabled"])


def test_container_and_lan_names_are_addresses_too(admin_web):
    for given, kept in (
        ("http://qbittorrent:8080", "http://qbittorrent:8080"),
        ("transmission:9091", "http://transmission:9091"),
        ("https://seedbox.example/qbt/", "https://seedbox.example/qbt/"),
    ):
        TorrentClient.objects.all().delete()
        assert admin_web.post("/torrent-clients/", form(url=given)).status_code == 302, given
        assert TorrentClient.objects.get().url == kept
    for bad in ("ftp://box:21", "http://a b", "http://box:port"):
        response = admin_web.post("/torrent-clients/", form(name="Bad", url=bad, enabled=None))
        assert response.status_code == 400, bad
