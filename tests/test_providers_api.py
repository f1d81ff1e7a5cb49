"""GET /api/providers (watchlist/api/providers.py), tested through a URLconf
of its own so it does not depend on where the project mounts it."""

from __future__ import annotations

import pytest
from django.urls import path
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from watchlist.api.providers import ProvidersView
from watchlist.providers import all_providers

urlpatterns = [path("api/providers", ProvidersView.as_view(), name="providers")]


@pytest.fixture(autouse=True)
def _this_urlconf(settings):
    settings.ROOT_URLCONF = __name__


def test_lists_every_provider(alice_api: APIClient):
    response = alice_api.get("/api/providers")

    assert response.status_code == 200
    rows = response.json()
    assert [(r["id"], r["supports_search"], r["conditional_requests"]) for r in rows] == [
        ("directory", False, True),
        ("feed", False, True),
        ("torznab", False, False),  # searches once staff add an indexer
        ("ytdlp", False, False),
    ]
    assert rows[1]["name"] == "RSS/Atom feed"
    assert [row["id"] for row in rows] == sorted(all_providers())


def test_needs_authentication(anon_api: APIClient, db):
    assert anon_api.get("/api/providers").status_code == 401


def test_schema_describes_a_list_of_providers():
    schema = SchemaGenerator(patterns=urlpatterns).get_schema(request=None, public=True)

    operation = schema["paths"]["/api/providers"]["get"]
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert body["type"] == "array"
    component = body["items"]["$ref"].rsplit("/", 1)[1]
    fields = schema["components"]["schemas"][component]
    assert set(fields["required"]) == {"id", "name", "supports_search", "conditional_requests"}
    assert fields["properties"]["conditional_requests"]["type"] == "boolean"
