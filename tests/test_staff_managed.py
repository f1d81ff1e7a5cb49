"""The staff-managed pages (indexers, torrent clients) share one flow: a
signed-in user who is not staff can neither see, edit, delete nor test
another's service; signed-out visitors are sent to sign in; GET cannot
delete."""

from __future__ import annotations

import pytest
from django.test import Client

from downloads.clients.models import TorrentClient
from watchlist.indexers.models import Indexer

pytestmark = pytest.mark.django_db


@pytest.fixture
def services() -> dict[str, int]:
    indexer = Indexer.objects.create(name="Nyaa", url="http://127.0.0.1:9/api")
    client = TorrentClient.objects.create(name="Home", kind="qbittorrent", url="http://127.0.0.1:9")
    return {"indexers": indexer.pk, "torrent-clients": client.pk}


@pytest.mark.parametrize("page", ["indexers", "torrent-clients"])
def test_only_staff_edit_delete_or_test(page, services, alice_web):
    pk = services[page]
    assert alice_web.get(f"/{page}/{pk}/edit/").status_code == 403
    assert alice_web.post(f"/{page}/{pk}/edit/", {"name": "Mine now"}).status_code == 403
    assert alice_web.post(f"/{page}/{pk}/test/").status_code == 403
    assert alice_web.post(f"/{page}/{pk}/delete/").status_code == 403
    assert Indexer.objects.filter(name="Nyaa").exists() and TorrentClient.objects.filter(name="Home").exists()


@pytest.mark.parametrize("page", ["indexers", "torrent-clients"])
def test_signed_out_visitors_sign_in_first_and_get_cannot_delete(page, services, admin_user):
    pk = services[page]
    response = Client().post(f"/{page}/{pk}/delete/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    staff = Client()
    staff.force_login(admin_user)
    assert staff.get(f"/{page}/{pk}/delete/").status_code == 405
    assert staff.post(f"/{page}/{pk}/delete/").status_code == 302
    assert not Indexer.objects.filter(pk=pk).exists() if page == "indexers" else not TorrentClient.objects.exists()


def test_staff_get_a_404_for_a_service_that_is_gone(admin_user):
    staff = Client()
    staff.force_login(admin_user)
    assert staff.post("/indexers/999999/test/").status_code == 404
    assert staff.get("/torrent-clients/999999/edit/").status_code == 404
