"""The indexers API (staff write, everyone reads, keys never answered) and
torznab items through the watchlist API (no anime_url, 409 on the same
search twice)."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from tests.indexer_helpers import make_indexer
from tests.support.fake_torznab import Failure, FakeRelease
from watchlist.indexers import keys
from watchlist.indexers.models import Indexer
from watchlist.models import Source, WatchlistItem

pytestmark = pytest.mark.django_db

FRIEREN = [FakeRelease("[SubsPlease] Sousou no Frieren - 05 (1080p).mkv")]


def _body(fake, **extra):
    return {"name": "Nyaa", "url": fake.url, "api_key": fake.api_key, "categories": [5070], **extra}


# --- who may do what ------------------------------------------------------------


def test_staff_add_an_indexer_and_its_key_is_never_answered(torznab, admin_api):
    nyaa = torznab.add_indexer("nyaa", FRIEREN)

    response = admin_api.post("/api/indexers", _body(nyaa), format="json")

    assert response.status_code == 201, response.content
    assert nyaa.api_key not in response.content.decode()
    data = response.json()
    assert data["has_api_key"] is True and "api_key" not in data
    assert (data["categories"], data["priority"], data["enabled"]) == ([5070], 25, True)
    indexer = Indexer.objects.get()
    assert nyaa.api_key not in indexer.api_key_encrypted
    assert keys.api_key(indexer) == nyaa.api_key
    with connection.cursor() as cursor:  # nowhere in the row as plain text
        cursor.execute("SELECT * FROM watchlist_indexer")
        assert nyaa.api_key not in json.dumps(cursor.fetchall(), default=str)


def test_every_user_lists_indexers_without_keys(torznab, alice_api, admin_api):
    nyaa = torznab.add_indexer("nyaa", FRIEREN)
    make_indexer(nyaa, name="Nyaa")

    for client in (alice_api, admin_api):
        response = client.get("/api/indexers")
        assert response.status_code == 200
        assert nyaa.api_key not in response.content.decode()
        assert [row["name"] for row in response.json()] == ["Nyaa"]
        assert client.get(f"/api/indexers/{Indexer.objects.get().pk}").status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [("post", "/api/indexers"), ("put", "/api/indexers/{pk}"), ("delete", "/api/indexers/{pk}"),
     ("post", "/api/indexers/{pk}/test")],
)  # fmt: skip
def test_others_than_staff_get_403(torznab, alice_api, method, path):
    nyaa = torznab.add_indexer("nyaa", FRIEREN)
    indexer = make_indexer(nyaa)
    response = getattr(alice_api, method)(path.format(pk=indexer.pk), _body(nyaa, name="Mine"), format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Only staff can add, change, delete or test indexers."
    assert Indexer.objects.get().name == "nyaa" and not nyaa.seen


def test_anonymous_gets_401(anon_api, db):
    assert anon_api.get("/api/indexers").status_code == 401
    assert anon_api.post("/api/indexers", {}, format="json").status_code == 401


def test_a_key_pasted_in_the_url_is_moved_to_the_key(torznab, admin_api):
    nyaa = torznab.add_indexer("nyaa", FRIEREN)
    body = _body(nyaa, url=f"{nyaa.url}?apikey={nyaa.api_key}")
    del body["api_key"]

    data = admin_api.post("/api/indexers", body, format="json").json()

    assert data["url"] == nyaa.url and data["has_api_key"] is True
    assert keys.api_key(Indexer.objects.get()) == nyaa.api_key


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"url": "ftp://indexer.example.org/api"}, "url", "Enter a valid http:// or https:// URL."),
        ({"priority": 0}, "priority", "Ensure this value is greater than or equal to 1."),
        ({"priority": 51}, "priority", "Ensure this value is less than or equal to 50."),
        ({"categories": ["anime"]}, "categories", None),
        ({"name": ""}, "name", "This field may not be blank."),
        ({"secret": 1}, "secret", "Unknown field."),
    ],
)
def test_bad_input_is_a_400_naming_the_field(torznab, admin_api, change, field, message):
    nyaa = torznab.add_indexer("nyaa", FRIEREN)
    response = admin_api.post("/api/indexers", _body(nyaa, **change), format="json")
    assert response.status_code == 400
    assert field in response.json()
    if message:
        assert message in json.dumps(response.json())


def test_an_address_the_guard_refuses_is_a_400_that_says_what_to_do(admin_api, settings):
    settings.ALLOW_PRIVATE_SOURCES = False
    settings.PRIVATE_SOURCE_ALLOWLIST = []
    response = admin_api.post(
        "/api/indexers", {"name": "LAN", "url": "http://192.168.1.20:9696/1/api?apikey=s3cr3tk3y"}, format="json"
    )
    assert response.status_code == 400
    (message,) = response.json()["url"]
    assert "PRIVATE_SOURCE_ALLOWLIST" in message and "s3cr3tk3y" not in message


def test_duplicate_name(torznab, admin_api):
    nyaa = torznab.add_indexer("nyaa", FRIEREN)
    make_indexer(nyaa, name="Nyaa")
    response = admin_api.post("/api/indexers", _body(nyaa), format="json")
    assert response.status_code == 400 and "name" in response.json()


def test_update_keeps_the_key_unless_given_and_delete(torznab, admin_api):
    nyaa = torznab.add_indexer("nyaa", FRIEREN)
    pk = admin_api.post("/api/indexers", _body(nyaa), format="json").json()["id"]

    response = admin_api.put(f"/api/indexers/{pk}", {"priority": 3, "enabled": False}, format="json")
    assert response.status_code == 200 and response.json()["priority"] == 3
    assert keys.api_key(Indexer.objects.get()) == nyaa.api_key

    admin_api.put(f"/api/indexers/{pk}", {"api_key": "another-key"}, format="json")
    assert keys.api_key(Indexer.objects.get()) == "another-key"

    assert admin_api.delete(f"/api/indexers/{pk}").status_code == 204
    assert not Indexer.objects.exists()


def test_test_endpoint_says_why_in_plain_words(torznab, admin_api):
    nyaa = torznab.add_indexer("nyaa", FRIEREN)
    good = make_indexer(nyaa)
    bad = make_indexer(nyaa, name="wrong key", api_key="nope")

    ok = admin_api.post(f"/api/indexers/{good.pk}/test").json()
    failed = admin_api.post(f"/api/indexers/{bad.pk}/test").json()

    assert ok["ok"] is True and ok["error"] == ""
    assert ok["indexer"]["searches"] == "TV search (ep, q, season), search"
    assert ok["indexer"]["state"] == "answering"
    assert failed == {
        **failed,
        "ok": False,
        "error": "the indexer refused the API key (HTTP 401, code 100: Invalid API Key)",
    }
    assert failed["indexer"]["state"].startswith("failing: the indexer refused the API key")


def test_the_provider_searches_once_an_indexer_is_there(torznab, alice_api):
    def torznab_row():
        return next(r for r in alice_api.get("/api/providers").json() if r["id"] == "torznab")

    assert torznab_row()["supports_search"] is False
    make_indexer(torznab.add_indexer("nyaa", FRIEREN))
    assert torznab_row()["supports_search"] is True


# --- torznab items through the watchlist API ----------------------------------


def test_a_torznab_item_needs_no_url(torznab, alice_api):
    make_indexer(torznab.add_indexer("nyaa", FRIEREN))

    response = alice_api.post(
        "/api/watchlist", {"anime_title": "Sousou no Frieren", "provider_id": "torznab"}, format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["anime_url"] == "torznab:?q=sousou+no+frieren"
    source = Source.objects.get()
    assert (source.provider_id, source.url) == ("torznab", "torznab:?q=sousou+no+frieren")


def test_the_same_search_twice_is_a_409_and_another_season_is_not(torznab, alice_api, bob_api):
    make_indexer(torznab.add_indexer("nyaa", FRIEREN))
    body = {"anime_title": "Sousou no Frieren", "provider_id": "torznab"}
    first = alice_api.post("/api/watchlist", body, format="json").json()

    again = alice_api.post("/api/watchlist", {**body, "anime_title": "sousou  no FRIEREN"}, format="json")
    assert again.status_code == 409 and again.json()["id"] == first["id"]

    season2 = alice_api.post("/api/watchlist", {**body, "season": 2}, format="json")
    assert season2.status_code == 201
    assert season2.json()["anime_url"] == "torznab:?q=sousou+no+frieren&season=2"

    theirs = bob_api.post("/api/watchlist", body, format="json")  # another user: the same shared source
    assert theirs.status_code == 201
    assert (
        WatchlistItem.objects.get(pk=theirs.json()["id"]).source_id
        == WatchlistItem.objects.get(pk=first["id"]).source_id
    )


def test_torznab_items_without_indexers_or_with_a_url(alice_api, torznab):
    body = {"anime_title": "Frieren", "provider_id": "torznab"}
    response = alice_api.post("/api/watchlist", body, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "provider_id": ["No indexer is enabled; an administrator adds Torznab indexers (Prowlarr, Jackett)."]
    }
    make_indexer(torznab.add_indexer("nyaa", FRIEREN))
    response = alice_api.post("/api/watchlist", {**body, "anime_url": "https://nyaa.example.org/rss"}, format="json")
    assert response.status_code == 400 and "anime_url" in response.json()
    response = alice_api.post("/api/watchlist", {**body, "anime_url": "torznab:?q=frieren&x=1"}, format="json")
    assert response.json() == {"anime_url": ["unknown part 'x' in a torznab search address (it takes q and season)."]}


def test_other_providers_still_need_their_url(alice_api):
    response = alice_api.post("/api/watchlist", {"anime_title": "Frieren", "provider_id": "feed"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"anime_url": ["This field is required."]}
    response = alice_api.post(
        "/api/watchlist",
        {"anime_title": "Frieren", "provider_id": "feed", "anime_url": "torznab:?q=frieren"},
        format="json",
    )
    assert response.json() == {"anime_url": ["A torznab: search address goes with provider_id torznab (the indexers)."]}
    response = alice_api.post("/api/watchlist", {"provider_id": "feed"}, format="json")
    assert set(response.json()) == {"anime_title", "anime_url"}


def test_renaming_a_torznab_item_moves_it_to_its_new_search(torznab, alice_api):
    make_indexer(torznab.add_indexer("nyaa", FRIEREN))
    item = alice_api.post("/api/watchlist", {"anime_title": "Frieren", "provider_id": "torznab"}, format="json").json()

    renamed = alice_api.put(
        f"/api/watchlist/{item['id']}", {"anime_title": "Sousou no Frieren", "season": 1}, format="json"
    )

    assert renamed.json()["anime_url"] == "torznab:?q=sousou+no+frieren&season=1"
    assert WatchlistItem.objects.get().source.url == "torznab:?q=sousou+no+frieren&season=1"


def test_item_searches_endpoint(torznab, alice_api, bob_api):
    from watchlist.checker import check_item

    make_indexer(torznab.add_indexer("nyaa", FRIEREN), priority=1)
    make_indexer(torznab.add_indexer("down", FRIEREN, failure=Failure(401, "100", "Invalid API Key")), priority=2)
    created = alice_api.post(
        "/api/watchlist",
        {"anime_title": "Sousou no Frieren", "provider_id": "torznab", "auto_download": False},
        format="json",
    ).json()
    check_item(WatchlistItem.objects.get(pk=created["id"]))

    rows = alice_api.get(f"/api/watchlist/{created['id']}/indexers").json()

    assert [(r["indexer"], r["mode"], r["q"], r["results"], r["error"]) for r in rows] == [
        ("nyaa", "tvsearch", "Sousou no Frieren", 1, ""),
        (
            "down",
            "tvsearch",
            "Sousou no Frieren",
            0,
            "the indexer refused the API key (HTTP 401, code 100: Invalid API Key)",
        ),
    ]
    assert bob_api.get(f"/api/watchlist/{created['id']}/indexers").status_code == 404


def test_search_endpoint_groups_by_series(torznab, alice_api):
    make_indexer(
        torznab.add_indexer(
            "nyaa",
            [
                FakeRelease("[SubsPlease] Sousou no Frieren - 05 (1080p).mkv", seeders=100),
                FakeRelease("[SubsPlease] Sousou no Frieren - 06 (720p).mkv", seeders=10),
                FakeRelease("[Erai-raws] Sousou no Frieren 2nd Season - 01 [1080p].mkv"),
            ],
        )
    )
    response = alice_api.get("/api/indexers/search", {"q": "frieren"})
    assert response.status_code == 200
    groups = response.json()["results"]
    assert [(g["title"], g["season"], g["release_count"]) for g in groups] == [
        ("Sousou no Frieren", None, 2),
        ("Sousou no Frieren", 2, 1),
    ]
    assert groups[0]["summary"] == "2 releases · episodes 5-6 · 1080p, 720p · by SubsPlease"
    assert groups[1]["add"] == {"anime_title": "Sousou no Frieren", "provider_id": "torznab", "season": 2}
    assert alice_api.get("/api/indexers/search").status_code == 400


def test_a_torznab_address_can_be_given(torznab, alice_api):
    make_indexer(torznab.add_indexer("nyaa", FRIEREN))
    response = alice_api.post(
        "/api/watchlist",
        {"anime_title": "Frieren", "provider_id": "torznab", "anime_url": "torznab:?q=Sousou%20no%20Frieren&season=1"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["anime_url"] == "torznab:?q=sousou+no+frieren&season=1"


def test_test_source_before_adding_a_torznab_item(torznab, alice_api):
    nyaa = torznab.add_indexer(
        "nyaa",
        [*FRIEREN, FakeRelease("[SubsPlease] Sousou no Frieren - 06 (720p).mkv"), FakeRelease("[X] Dandadan - 01.mkv")],
    )
    make_indexer(nyaa)

    response = alice_api.post(
        "/api/watchlist/preview",
        {"provider_id": "torznab", "anime_title": "Sousou no Frieren", "title_aliases": ["Frieren"]},
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["ok"] is True and body["provider_id"] == "torznab"
    assert [e["episode"] for e in body["episodes"]] == [5, 6]
    assert sorted(s["q"] for s in nyaa.searches()) == ["Frieren", "Sousou no Frieren"]
    assert not Source.objects.exists() and not WatchlistItem.objects.exists()
    missing = alice_api.post("/api/watchlist/preview", {"provider_id": "torznab"}, format="json")
    assert missing.status_code == 400 and "anime_title" in missing.json()
