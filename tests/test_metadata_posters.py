"""Posters: fetched once through the guarded client, kept in our storage,
served from our URL (never hot-linked), images only, size-bounded, and
still served with AniList unreachable."""

from __future__ import annotations

import pytest

from tests.metadata_helpers import linked_item
from tests.support.fake_anilist import JPEG, PNG, media
from watchlist.metadata.models import Series
from watchlist.metadata.posters import store_poster
from watchlist.metadata.series import series_for_anilist_id

pytestmark = pytest.mark.django_db


def poster_bytes(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_poster_is_fetched_once_and_then_served_from_our_storage(anilist, alice_api, settings):
    anilist.add(media(1, "Frieren"))
    series_for_anilist_id(1)

    first = alice_api.get("/api/metadata/posters/1")
    assert first.status_code == 200
    assert first["Content-Type"] == "image/jpeg"
    assert first["X-Content-Type-Options"] == "nosniff"
    assert poster_bytes(first) == JPEG
    stored = Series.objects.get(anilist_id=1)
    assert (settings.MEDIA_ROOT / stored.poster_file).read_bytes() == JPEG

    anilist.stop()  # offline from here on: the copy is enough
    second = alice_api.get("/api/metadata/posters/1")
    assert second.status_code == 200 and poster_bytes(second) == JPEG
    assert anilist.cover_gets == ["/covers/1.jpg"]


def test_png_posters_keep_their_type(anilist, alice_api):
    anilist.add(media(2))
    anilist.covers["/covers/2.jpg"] = ("image/png", PNG)
    series_for_anilist_id(2)
    response = alice_api.get("/api/metadata/posters/2")
    assert response["Content-Type"] == "image/png"
    assert Series.objects.get(anilist_id=2).poster_file.endswith(".png")


@pytest.mark.parametrize(
    ("content_type", "body", "reason"),
    [
        ("text/html", b"<html>hi</html>", "not an image"),
        ("image/svg+xml", b"<svg onload='alert(1)'/>", "not an image"),
        ("image/jpeg", b"<html>not really</html>", "not a JPG"),
        ("image/png", JPEG, "not a PNG"),
        ("image/jpeg", b"\xff\xd8\xff" + b"\x00" * 5000, "larger than"),
    ],
)
def test_only_images_within_the_size_bound_are_kept(anilist, alice_api, settings, content_type, body, reason):
    settings.POSTER_MAX_BYTES = 4096
    anilist.add(media(3))
    anilist.covers["/covers/3.jpg"] = (content_type, body)
    series = series_for_anilist_id(3)

    assert store_poster(series) is False
    series.refresh_from_db()
    assert reason in series.poster_error and series.poster_file == ""
    assert alice_api.get("/api/metadata/posters/3").status_code == 404
    # A failure is not retried on every page view.
    assert anilist.cover_gets == ["/covers/3.jpg"]


def test_a_new_cover_replaces_the_stored_copy(anilist, settings):
    anilist.add(media(4))
    series = series_for_anilist_id(4)
    assert store_poster(series)
    old = settings.MEDIA_ROOT / series.poster_file
    series.cover_url = anilist.cover_url(4) + "?v=2"
    series.save()
    anilist.covers["/covers/4.jpg?v=2"] = ("image/png", PNG)
    assert store_poster(series)
    assert not old.exists()
    assert (settings.MEDIA_ROOT / series.poster_file).read_bytes() == PNG


def test_posters_need_a_signed_in_user_and_a_known_series(anilist, anon_api, alice_api):
    anilist.add(media(5))
    series_for_anilist_id(5)
    assert anon_api.get("/api/metadata/posters/5").status_code == 401
    assert alice_api.get("/api/metadata/posters/999").status_code == 404
    assert anilist.cover_gets == []


def test_pages_load_posters_from_this_server_never_from_anilist(anilist, alice, alice_web):
    anilist.add(media(6, "Mushishi"))
    item = linked_item(alice, anilist, 6)
    assert item.poster_image == ""
    cover = anilist.cover_url(6)
    for page in ("/", f"/items/{item.pk}/"):
        html = alice_web.get(page).content.decode()
        assert '<img src="/api/metadata/posters/6"' in html
        assert cover not in html


def test_a_poster_url_of_the_users_own_is_shown_as_before(anilist, alice, alice_web):
    anilist.add(media(7))
    item = linked_item(alice, anilist, 7, poster_image="https://img.example.org/mine.jpg")
    assert '<img src="https://img.example.org/mine.jpg"' in alice_web.get(f"/items/{item.pk}/").content.decode()
