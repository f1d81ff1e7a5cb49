"""What a request may cost: bodies over DATA_UPLOAD_MAX_MEMORY_SIZE are 413
(JSON included), every text field has a length, deeply nested JSON is a 400
(on the unauthenticated token endpoint too), a NUL in the dashboard's search
is no 500 on PostgreSQL, and a PUT of read-only fields is a 400 naming them."""

from __future__ import annotations

import io
import json

import pytest
from django.db import IntegrityError, transaction

from tests.factories import item_data, make_item
from watchlist import limits
from watchlist.models import WatchlistItem
from watchlist_project.request_limits import LimitedJSONParser, RequestTooLarge

pytestmark = pytest.mark.django_db

MiB = 1024 * 1024


@pytest.fixture(autouse=True)
def _loopback(settings):
    settings.ALLOW_PRIVATE_SOURCES = True


def test_a_json_body_over_the_limit_is_413_with_a_clear_message(alice_api):
    body = json.dumps({**item_data(), "synopsis": "x" * (2 * MiB)})
    response = alice_api.post("/api/watchlist", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is larger than the 1 MiB this server accepts."}
    assert not WatchlistItem.objects.exists()


def test_a_body_without_a_length_is_cut_at_the_limit_too():
    # What reaches the parser when no Content-Length was sent (chunked).
    with pytest.raises(RequestTooLarge):
        LimitedJSONParser().parse(io.BytesIO(b'"' + b"x" * (2 * MiB) + b'"'), parser_context={})


def test_a_dashboard_form_over_the_limit_is_413(alice_web):
    response = alice_web.post("/items/new/", {"synopsis": "x" * (2 * MiB)})
    assert response.status_code == 413


def test_text_fields_have_lengths(alice_api):
    too_long = alice_api.post(
        "/api/watchlist", {**item_data(), "synopsis": "x" * (limits.SYNOPSIS_MAX_LENGTH + 1)}, format="json"
    )
    assert too_long.status_code == 400
    assert "synopsis" in too_long.json()
    many_genres = alice_api.post(
        "/api/watchlist", {**item_data(), "genres": ["g"] * (limits.GENRES_MAX_COUNT + 1)}, format="json"
    )
    assert many_genres.status_code == 400 and "genres" in many_genres.json()
    fits = alice_api.post(
        "/api/watchlist", {**item_data(), "synopsis": "x" * limits.SYNOPSIS_MAX_LENGTH}, format="json"
    )
    assert fits.status_code == 201


def test_the_database_refuses_an_over_long_synopsis_too(alice):
    item = make_item(alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        WatchlistItem.objects.filter(pk=item.pk).update(synopsis="x" * (limits.SYNOPSIS_MAX_LENGTH + 1))


DEEP = "[" * 50_000 + "]" * 50_000


@pytest.mark.parametrize("path", ["/api/auth/token", "/api/watchlist"])
def test_deeply_nested_json_is_a_400(alice_api, anon_api, path):
    client = anon_api if "auth" in path else alice_api
    response = client.post(path, DEEP, content_type="application/json")
    assert response.status_code == 400
    assert "nested deeper than" in response.json()["detail"]


def test_json_nested_a_little_is_still_parsed(alice_api):
    # Strings holding brackets are not nesting.
    response = alice_api.post("/api/watchlist", {**item_data(), "synopsis": "[[[[" * 100}, format="json")
    assert response.status_code == 201


def test_a_nul_in_the_dashboard_search_is_an_empty_result(alice_web, alice):
    make_item(alice, anime_title="Frieren")
    response = alice_web.get("/?q=%00")
    assert response.status_code == 200
    assert "Frieren" not in response.content.decode().split('id="results"', 1)[-1]
    assert alice_web.get("/?q=Fri%00ren").status_code == 200


def test_put_with_read_only_fields_is_400_naming_them(alice, alice_api):
    item = make_item(alice)
    response = alice_api.put(
        f"/api/watchlist/{item.pk}",
        {"created_at": "2020-01-01T00:00:00Z", "id": "x", "auto_download": False},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"created_at": ["This field is read-only."], "id": ["This field is read-only."]}
    item.refresh_from_db()
    assert item.auto_download is True  # nothing of it applied
    unknown = alice_api.put(f"/api/watchlist/{item.pk}", {"auto_donwload": False}, format="json")
    assert unknown.json() == {"auto_donwload": ["Unknown field."]}
