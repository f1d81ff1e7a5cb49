"""Keys in download links never reach the people shown them: the indexer's
API key in a Prowlarr/Jackett download link, a private tracker's passkey."""

from __future__ import annotations

import pytest
from django.urls import reverse

from downloads.net.secrets import mask_url_secrets
from tests.release_feeds import feed_item, store_results
from watchlist.checker import check_item
from watchlist.models import Release, ReleaseDecision

KEY = "s3cr3tK3y0123456789"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            f"http://prowlarr.lan/api/v1/indexer/3/download?apikey={KEY}&link=abc",
            "http://prowlarr.lan/api/v1/indexer/3/download?apikey=REDACTED&link=abc",
        ),
        (
            f"https://tracker.example/dl/5.torrent?passkey={KEY}",
            "https://tracker.example/dl/5.torrent?passkey=REDACTED",
        ),
        (f"https://user:{KEY}@host.example/a.mkv", "https://user:REDACTED@host.example/a.mkv"),
        ("https://nyaa.example/download/1.torrent", "https://nyaa.example/download/1.torrent"),
        ("magnet:?xt=urn:btih:" + "a" * 40 + "&dn=Frieren", "magnet:?xt=urn:btih:" + "a" * 40 + "&dn=Frieren"),
    ],
)
def test_credentials_in_a_link_are_masked_and_plain_links_kept_exactly(url, shown):
    assert mask_url_secrets(url) == shown


def test_a_trackers_passkey_inside_a_magnet_is_masked():
    magnet = "magnet:?xt=urn:btih:" + "b" * 40 + f"&tr=https%3A%2F%2Ft.example%2Fannounce%3Fpasskey%3D{KEY}"
    assert KEY not in mask_url_secrets(magnet)
    assert "urn:btih:" + "b" * 40 in mask_url_secrets(magnet)


@pytest.fixture
def keyed_item(alice, settings, tmp_path):
    settings.DOWNLOAD_DIR = tmp_path
    item = feed_item(alice, "https://indexer.example.org/api?q=frieren", anime_title="Sousou no Frieren")
    store_results(item.source, [{"name": "[SubsPlease] Sousou no Frieren - 05 (1080p) [AAAA0001].mkv", "seeders": 9}])
    Release.objects.filter(source=item.source).update(
        url=f"http://prowlarr.lan/api/v1/indexer/3/download?apikey={KEY}&file=Frieren05"
    )
    check_item(item)
    return item


@pytest.mark.django_db
def test_the_api_and_dashboard_never_show_an_indexer_key(alice_api, alice_web, keyed_item):
    releases = alice_api.get(f"/api/watchlist/{keyed_item.pk}/releases")
    assert releases.status_code == 200 and releases.json()
    assert KEY not in releases.content.decode()
    assert "apikey=REDACTED" in releases.content.decode()

    decision = ReleaseDecision.objects.filter(item=keyed_item).first()
    picked = alice_api.post(f"/api/watchlist/{keyed_item.pk}/releases/{decision.pk}/pick")
    assert picked.status_code == 200, picked.content
    job_id = picked.json()["job_id"]
    assert job_id

    job = alice_api.get(f"/api/downloads/{job_id}")
    assert job.status_code == 200
    assert KEY not in job.content.decode() and "REDACTED" in job.json()["url"]
    listing = alice_api.get("/api/downloads")
    assert KEY not in listing.content.decode()

    page = alice_web.get(reverse("web:item", args=[keyed_item.pk]))
    assert page.status_code == 200
    assert KEY not in page.content.decode()
