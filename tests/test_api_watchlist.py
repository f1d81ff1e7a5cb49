"""The watchlist endpoints of the original API document."""

from __future__ import annotations

import uuid

import pytest

from tests.factories import item_data, make_item
from watchlist.models import Source, WatchlistItem

pytestmark = pytest.mark.django_db

ITEM_FIELDS = {
    "id",
    "anime_title",
    "anime_url",
    "provider_id",
    "lang",
    "auto_download",
    "quality_preference",
    "poster_image",
    "synopsis",
    "genres",
    "status",
    "last_episode_downloaded",
    "last_checked_at",
    "created_at",
    "updated_at",
}


def test_create_returns_201_with_the_item_and_seed_defaults(alice_api, alice):
    payload = {
        "anime_title": "Frieren",
        "anime_url": "https://media.example.org/frieren/feed.xml",
        "provider_id": "feed",
        "lang": "vostfr",
        "genres": ["Adventure", "Fantasy"],
        "synopsis": "An elf mage outlives her party.",
    }
    response = alice_api.post("/api/watchlist", payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) >= ITEM_FIELDS
    assert body["anime_title"] == "Frieren"
    assert body["genres"] == ["Adventure", "Fantasy"]
    assert body["auto_download"] is True
    assert body["quality_preference"] == "auto"
    assert body["status"] == "active"
    assert body["last_episode_downloaded"] == 0
    item = WatchlistItem.objects.get(pk=body["id"])
    assert item.owner == alice
    assert (item.source.provider_id, item.source.url, item.source.lang) == ("feed", payload["anime_url"], "vostfr")


@pytest.mark.parametrize("path", ["/api/watchlist", "/api/watchlist/"])
def test_create_and_list_work_with_and_without_trailing_slash(alice_api, path):
    response = alice_api.post(path, item_data(), format="json")
    assert response.status_code == 201
    listed = alice_api.get(path)
    assert listed.status_code == 200
    assert listed.json()["count"] == 1


def test_two_users_tracking_one_series_share_one_source(alice_api, bob_api):
    data = item_data()
    assert alice_api.post("/api/watchlist", data, format="json").status_code == 201
    assert bob_api.post("/api/watchlist", data, format="json").status_code == 201
    assert Source.objects.count() == 1
    assert Source.objects.get().items.count() == 2


def test_adding_the_same_url_and_lang_twice_is_409_with_the_existing_id(alice_api):
    data = item_data()
    first = alice_api.post("/api/watchlist", data, format="json").json()
    again = alice_api.post("/api/watchlist", {**data, "anime_title": "Other name"}, format="json")
    assert again.status_code == 409
    assert again.json()["id"] == first["id"]
    assert WatchlistItem.objects.count() == 1


def test_same_url_in_another_language_is_a_separate_item(alice_api):
    data = item_data(lang="vostfr")
    assert alice_api.post("/api/watchlist", data, format="json").status_code == 201
    assert alice_api.post("/api/watchlist", {**data, "lang": "vf"}, format="json").status_code == 201


@pytest.mark.parametrize(
    ("overrides", "bad_field"),
    [
        ({"quality_preference": "4k"}, "quality_preference"),
        ({"status": "deleted"}, "status"),
        ({"last_episode_downloaded": -1}, "last_episode_downloaded"),
        ({"anime_url": "ftp://media.example.org/x"}, "anime_url"),
        ({"anime_url": "file:///etc/passwd"}, "anime_url"),
        ({"anime_url": "not a url"}, "anime_url"),
        ({"provider_id": "animesama"}, "provider_id"),
        ({"auto_donwload": False}, "auto_donwload"),
        ({"genres": "Action"}, "genres"),
        ({"anime_title": ""}, "anime_title"),
        ({"poster_image": "javascript:alert(1)"}, "poster_image"),
    ],
)
def test_bad_input_is_400_naming_the_field(alice_api, overrides, bad_field):
    response = alice_api.post("/api/watchlist", item_data(**overrides), format="json")
    assert response.status_code == 400
    assert bad_field in response.json()
    assert WatchlistItem.objects.count() == 0


@pytest.mark.parametrize("missing", ["anime_title", "anime_url", "provider_id"])
def test_missing_required_field_is_400(alice_api, missing):
    data = item_data()
    del data[missing]
    response = alice_api.post("/api/watchlist", data, format="json")
    assert response.status_code == 400
    assert missing in response.json()


def test_malformed_json_is_400_not_500(alice_api):
    response = alice_api.generic("POST", "/api/watchlist", "{not json", content_type="application/json")
    assert response.status_code == 400


def test_list_shows_only_the_users_own_items(alice_api, alice, bob):
    mine = make_item(alice)
    make_item(bob)
    body = alice_api.get("/api/watchlist").json()
    assert [row["id"] for row in body["results"]] == [str(mine.pk)]


def test_list_filters_by_status_provider_and_title(alice_api, alice):
    active = make_item(alice, anime_title="Dungeon Meshi")
    paused = make_item(alice, anime_title="Mushishi", status="paused", provider_id="directory")
    make_item(alice, anime_title="Monster", status="completed")

    def ids(query: str) -> set[str]:
        response = alice_api.get(f"/api/watchlist?{query}")
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    assert ids("status=active") == {str(active.pk)}
    assert ids("status=paused") == {str(paused.pk)}
    assert ids("provider_id=directory") == {str(paused.pk)}
    assert ids("search=meshi") == {str(active.pk)}


def test_unknown_status_filter_is_400(alice_api):
    response = alice_api.get("/api/watchlist?status=bogus")
    assert response.status_code == 400
    assert "status" in response.json()


def test_list_is_paginated_with_a_capped_page_size(alice_api, alice, settings):
    for _ in range(7):
        make_item(alice)
    first = alice_api.get("/api/watchlist?page_size=3").json()
    assert first["count"] == 7
    assert len(first["results"]) == 3
    assert first["next"] is not None
    last = alice_api.get("/api/watchlist?page_size=3&page=3").json()
    assert len(last["results"]) == 1
    assert last["next"] is None
    assert alice_api.get("/api/watchlist?page=99").status_code == 404
    # Asking for more than the maximum gets the maximum, not everything.
    from watchlist.api.pagination import WatchlistPagination

    assert WatchlistPagination.max_page_size == settings.API_MAX_PAGE_SIZE
    huge = alice_api.get(f"/api/watchlist?page_size={settings.API_MAX_PAGE_SIZE * 10}").json()
    assert len(huge["results"]) == 7


def test_get_one_item(alice_api, alice):
    item = make_item(alice)
    response = alice_api.get(f"/api/watchlist/{item.pk}")
    assert response.status_code == 200
    assert response.json()["id"] == str(item.pk)


def test_another_users_item_is_404_like_a_missing_one(alice_api, bob):
    theirs = make_item(bob)
    missing = alice_api.get(f"/api/watchlist/{uuid.uuid4()}")
    other = alice_api.get(f"/api/watchlist/{theirs.pk}")
    assert missing.status_code == other.status_code == 404
    assert missing.json() == other.json()
    assert alice_api.put(f"/api/watchlist/{theirs.pk}", {"status": "paused"}, format="json").status_code == 404
    assert alice_api.delete(f"/api/watchlist/{theirs.pk}").status_code == 404
    assert alice_api.post(f"/api/watchlist/{theirs.pk}/pause").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "active"


def test_put_updates_only_the_given_fields(alice_api, alice):
    item = make_item(alice, synopsis="kept", genres=["Drama"])
    response = alice_api.put(
        f"/api/watchlist/{item.pk}/",
        {"auto_download": False, "status": "paused", "last_episode_downloaded": 12, "quality_preference": "720p"},
        format="json",
    )
    assert response.status_code == 200, response.content
    item.refresh_from_db()
    assert (item.auto_download, item.status, item.last_episode_downloaded, item.quality_preference) == (
        False,
        "paused",
        12,
        "720p",
    )
    assert item.synopsis == "kept"
    assert item.genres == ["Drama"]


def test_put_with_a_new_url_moves_the_item_to_another_source(alice_api, alice):
    item = make_item(alice)
    new_url = "https://mirror.example.org/series/feed.xml"
    response = alice_api.put(f"/api/watchlist/{item.pk}", {"anime_url": new_url}, format="json")
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.source.url == new_url


def test_put_onto_another_tracked_url_is_409(alice_api, alice):
    first = make_item(alice)
    second = make_item(alice)
    response = alice_api.put(
        f"/api/watchlist/{second.pk}", {"anime_url": first.anime_url, "lang": first.lang}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["id"] == str(first.pk)


@pytest.mark.parametrize(
    ("payload", "bad_field"),
    [
        ({"last_episode_downloaded": -3}, "last_episode_downloaded"),
        ({"status": "gone"}, "status"),
        ({"nonsense": 1}, "nonsense"),
        ({"auto_download": "maybe"}, "auto_download"),
    ],
)
def test_put_bad_input_is_400(alice_api, alice, payload, bad_field):
    item = make_item(alice)
    response = alice_api.put(f"/api/watchlist/{item.pk}", payload, format="json")
    assert response.status_code == 400
    assert bad_field in response.json()


def test_delete(alice_api, alice):
    item = make_item(alice)
    assert alice_api.delete(f"/api/watchlist/{item.pk}").status_code == 204
    assert not WatchlistItem.objects.filter(pk=item.pk).exists()
    assert alice_api.get(f"/api/watchlist/{item.pk}").status_code == 404


def test_pause_and_resume(alice_api, alice):
    item = make_item(alice)
    paused = alice_api.post(f"/api/watchlist/{item.pk}/pause")
    assert paused.status_code == 200
    assert paused.json()["status"] == "paused"
    item.refresh_from_db()
    assert item.status == "paused"
    resumed = alice_api.post(f"/api/watchlist/{item.pk}/resume/")
    assert resumed.json()["status"] == "active"
    item.refresh_from_db()
    assert item.status == "active"


def test_stats_has_exactly_the_documented_fields(alice_api, alice, bob):
    make_item(alice, provider_id="feed")
    make_item(alice, provider_id="feed", status="paused", auto_download=False)
    make_item(alice, provider_id="directory", status="completed")
    make_item(alice, provider_id="ytdlp", status="archived")
    make_item(bob, provider_id="ytdlp")
    body = alice_api.get("/api/watchlist/stats").json()
    assert body == {
        "total": 4,
        "active": 1,
        "paused": 1,
        "completed": 1,
        "archived": 1,
        "auto_download_enabled": 3,
        "providers": {"directory": 1, "feed": 2, "ytdlp": 1},
    }


@pytest.mark.parametrize("path", ["/api/watchlist/settings", "/api/watchlist/stats"])
def test_settings_and_stats_are_never_taken_for_an_item_id(alice_api, alice, path):
    make_item(alice)
    assert alice_api.get(path).status_code == 200
    assert alice_api.get(path + "/").status_code == 200
    # Only the settings route accepts PUT; neither accepts DELETE like an item does.
    assert alice_api.delete(path).status_code == 405
    assert WatchlistItem.objects.count() == 1


LONG_TITLE = "The Very Long Title Of A Series That Goes On And On Because Light Novels Explain The Whole Plot Here"


# The last search is longer than a search may be: both cut it at the same length.
@pytest.mark.parametrize("words", ["meshi", "  Dungeon  ", f"{LONG_TITLE} Z"])
def test_the_api_and_the_dashboard_find_the_same_items(alice_api, alice_web, alice, words):
    from urllib.parse import urlencode

    expected = {
        str(make_item(alice, anime_title="Dungeon Meshi").pk),
        str(make_item(alice, anime_title=LONG_TITLE, status="paused").pk),
        str(make_item(alice, anime_title="Mushishi").pk),
    }
    api = alice_api.get(f"/api/watchlist?{urlencode({'search': words})}")
    page = alice_web.get(f"/?{urlencode({'q': words})}")

    found = {row["id"] for row in api.json()["results"]}
    assert found == {str(item.pk) for item in page.context["items"]}
    assert found and found <= expected
