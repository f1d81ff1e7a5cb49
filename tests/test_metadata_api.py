"""The metadata API: search AniList, one series, and adding an item by
AniList id (POST /api/watchlist with anilist_id)."""

from __future__ import annotations

import pytest

from tests.support.fake_anilist import media
from watchlist.metadata.models import Series
from watchlist.models import WatchlistItem

pytestmark = pytest.mark.django_db

FEED = "https://media.example.org/frieren/feed.xml"


@pytest.fixture
def frieren(anilist):
    anilist.add(
        media(
            154587,
            "Frieren: Beyond Journey's End",
            romaji="Sousou no Frieren",
            native="葬送のフリーレン",
            synonyms=["Frieren"],
            episodes=28,
            status="FINISHED",
            genres=["Adventure", "Drama", "Fantasy"],
            description="An elf's journey.<br>After the end.",
        )
    )
    return anilist


def test_search_answers_with_the_series_and_our_poster_url(frieren, alice_api):
    response = alice_api.get("/api/metadata/search", {"q": "sousou"})
    assert response.status_code == 200
    data = response.json()
    assert data["query"] == "sousou"
    [result] = data["results"]
    assert result["anilist_id"] == 154587
    assert (result["title_english"], result["title_romaji"], result["title_native"]) == (
        "Frieren: Beyond Journey's End",
        "Sousou no Frieren",
        "葬送のフリーレン",
    )
    assert result["synonyms"] == ["Frieren"]
    assert (result["format"], result["status"], result["episodes"]) == ("TV", "FINISHED", 28)
    assert (result["season"], result["season_year"]) == ("FALL", 2023)
    assert result["genres"] == ["Adventure", "Drama", "Fantasy"]
    assert result["synopsis"] == "An elf's journey.\nAfter the end."
    assert result["poster_url"] == "http://testserver/api/metadata/posters/154587"
    assert result["next_airing"] is None


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "x" * 101}])
def test_search_needs_a_query(frieren, alice_api, params):
    response = alice_api.get("/api/metadata/search", params)
    assert response.status_code == 400
    assert "q" in response.json()
    assert frieren.posts == []


def test_search_with_anilist_down_is_a_503_with_retry_after(anilist, alice_api):
    anilist.rate_limited_next(retry_after=42)
    response = alice_api.get("/api/metadata/search", {"q": "frieren"})
    assert response.status_code == 503
    assert response["Retry-After"] == "42"
    assert "busy" in response.json()["detail"]


def test_search_needs_a_token(anon_api):
    assert anon_api.get("/api/metadata/search", {"q": "x"}).status_code == 401


def test_adding_by_anilist_id_fills_the_item_from_the_series(frieren, alice_api):
    response = alice_api.post(
        "/api/watchlist", {"anilist_id": 154587, "anime_url": FEED, "provider_id": "feed"}, format="json"
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["anime_title"] == "Frieren: Beyond Journey's End"
    assert data["synopsis"] == "An elf's journey.\nAfter the end."
    assert data["genres"] == ["Adventure", "Drama", "Fantasy"]
    assert data["poster_image"] == frieren.cover_url(154587)
    assert data["poster_url"] == "http://testserver/api/metadata/posters/154587"
    assert data["anilist_id"] == 154587
    assert (data["episodes_total"], data["episodes_have"]) == (28, 0)
    assert data["series"]["title_romaji"] == "Sousou no Frieren"
    assert data["series"]["first_absolute_episode"] == 1
    assert WatchlistItem.objects.get().series.anilist_id == 154587


def test_what_the_request_gives_wins_over_the_series(frieren, alice_api):
    body = {
        "anilist_id": 154587,
        "anime_url": FEED,
        "provider_id": "feed",
        "anime_title": "Frieren (VOSTFR)",
        "genres": ["Mine"],
    }
    data = alice_api.post("/api/watchlist", body, format="json").json()
    assert (data["anime_title"], data["genres"]) == ("Frieren (VOSTFR)", ["Mine"])


def test_two_users_adding_one_series_share_its_record_and_one_request(frieren, alice_api, bob_api):
    for client in (alice_api, bob_api):
        assert (
            client.post(
                "/api/watchlist", {"anilist_id": 154587, "anime_url": FEED, "provider_id": "feed"}, format="json"
            ).status_code
            == 201
        )
    assert Series.objects.count() == 1
    assert frieren.operations() == ["Series"]


def test_an_unknown_anilist_id_is_a_400_naming_the_field(frieren, alice_api):
    response = alice_api.post(
        "/api/watchlist", {"anilist_id": 1, "anime_url": FEED, "provider_id": "feed"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"anilist_id": ["AniList has no anime with id 1."]}


@pytest.mark.parametrize("value", [0, -5, "abc", True, 2**31])
def test_a_bad_anilist_id_is_a_400(anilist, alice_api, value):
    response = alice_api.post(
        "/api/watchlist", {"anilist_id": value, "anime_url": FEED, "provider_id": "feed"}, format="json"
    )
    assert response.status_code == 400
    assert "anilist_id" in response.json()
    assert anilist.posts == []


def test_with_anilist_down_the_item_is_added_and_filled_in_later(anilist, alice_api):
    anilist.stop()
    no_title = alice_api.post(
        "/api/watchlist", {"anilist_id": 99, "anime_url": FEED, "provider_id": "feed"}, format="json"
    )
    assert no_title.status_code == 400
    assert no_title.json() == {"anime_title": ["This field is required."]}
    response = alice_api.post(
        "/api/watchlist",
        {"anilist_id": 99, "anime_url": FEED, "provider_id": "feed", "anime_title": "Later"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["anilist_id"] == 99
    assert response.json()["series"]["status"] == ""
    assert Series.objects.get(anilist_id=99).fetched_at is None


def test_put_links_and_unlinks_an_item(frieren, alice_api):
    item_id = alice_api.post(
        "/api/watchlist", {"anime_title": "F", "anime_url": FEED, "provider_id": "feed"}, format="json"
    ).json()["id"]
    linked = alice_api.put(f"/api/watchlist/{item_id}", {"anilist_id": 154587}, format="json").json()
    assert linked["anilist_id"] == 154587
    assert linked["anime_title"] == "F"  # an edit does not overwrite what the user chose
    unlinked = alice_api.put(f"/api/watchlist/{item_id}", {"anilist_id": None}, format="json").json()
    assert (unlinked["anilist_id"], unlinked["series"], unlinked["episodes_total"]) == (None, None, None)


def test_one_series_with_its_upcoming_airings(anilist, alice_api, time_machine):
    from tests.metadata_helpers import T0, epoch

    time_machine.move_to(T0, tick=False)
    anilist.add(media(5, "Weekly", schedule=[(3, epoch(T0) + 3600), (4, epoch(T0) + 7 * 86400 + 3600)]))
    data = alice_api.get("/api/metadata/series/5").json()
    assert data["next_airing"] == {"episode": 3, "airing_at": "2026-11-26T13:00:00Z"}
    assert [a["episode"] for a in data["upcoming"]] == [3, 4]
    assert alice_api.get("/api/metadata/series/6").status_code == 404
    anilist.stop()
    assert alice_api.get("/api/metadata/series/5").status_code == 200  # stored: no request
    unavailable = alice_api.get("/api/metadata/series/7")
    assert unavailable.status_code == 503 and "Retry-After" in unavailable


def test_a_missing_title_is_named_beside_the_other_errors(anilist, alice_api):
    response = alice_api.post("/api/watchlist", {"anime_url": "ftp://nope", "provider_id": "feed"}, format="json")
    assert response.status_code == 400
    assert response.json()["anime_title"] == ["This field is required."]
    assert "anime_url" in response.json()
