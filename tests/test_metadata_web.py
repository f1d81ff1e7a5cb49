"""Dashboard: finding a series by name on the Add page (AniList), choosing a
result to fill the form, and the pages this part adds keeping to the
strict Content-Security-Policy rules (no inline script or style)."""

from __future__ import annotations

import re

import pytest

from tests.metadata_helpers import linked_item
from tests.support.fake_anilist import media
from tests.test_web_items import field_block
from watchlist.models import WatchlistItem

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def catalogue(anilist):
    anilist.add(
        media(
            154587,
            "Frieren: Beyond Journey's End",
            romaji="Sousou no Frieren",
            native="葬送のフリーレン",
            episodes=28,
            status="FINISHED",
            description="An elf & her friends.",
            genres=["Adventure", "Fantasy"],
        ),
        media(20, None, romaji="Mushishi", episodes=26, status="FINISHED", season="FALL", year=2005),
    )
    return anilist


def test_the_add_page_has_the_anilist_search_without_javascript(catalogue, alice_web):
    page = alice_web.get("/items/new/").content.decode()
    assert 'name="aq"' in page and "Find a series by name" in page
    results = alice_web.get("/items/new/", {"aq": "frieren"}).content.decode()
    assert "1 result for “frieren” on AniList" in results
    assert "Frieren: Beyond Journey&#x27;s End" in results
    assert "Sousou no Frieren · 葬送のフリーレン" in results
    assert "TV · Fall 2023 · 28 episodes · Finished" in results
    assert '<img src="/api/metadata/posters/154587"' in results
    assert catalogue.cover_url(154587) not in results  # never hot-linked
    assert 'href="/items/new/?anilist_id=154587"' in results


def test_typing_swaps_only_the_results(catalogue, alice_web):
    response = alice_web.get("/items/anilist-search/", {"aq": "mushi"}, **HTMX)
    page = response.content.decode()
    assert "<html" not in page
    assert 'id="anilist-results"' in page
    assert "Mushishi" in page and "Frieren" not in page


def test_choosing_a_result_fills_the_form_from_the_series(catalogue, alice_web):
    alice_web.get("/items/new/", {"aq": "frieren"})
    page = alice_web.get("/items/new/", {"anilist_id": 154587}).content.decode()
    assert 'value="Frieren: Beyond Journey&#x27;s End"' in field_block(page, "anime_title")
    assert 'value="154587"' in field_block(page, "anilist_id")
    assert 'value="Adventure, Fantasy"' in field_block(page, "genres")
    assert "An elf &amp; her friends." in field_block(page, "synopsis")
    assert "Title, poster, synopsis and genres come from AniList" in page
    assert catalogue.operations() == ["Search"]  # the search result was enough


def test_saving_the_filled_form_links_the_item(catalogue, alice, alice_web):
    form = {
        "anime_title": "Frieren: Beyond Journey's End",
        "anime_url": "https://media.example.org/frieren/feed.xml",
        "provider_id": "feed",
        "quality_preference": "auto",
        "auto_download": "on",
        "anilist_id": "154587",
    }
    response = alice_web.post("/items/new/", form)
    assert response.status_code == 302
    item = WatchlistItem.objects.get(owner=alice)
    assert item.series.anilist_id == 154587
    page = alice_web.get(f"/items/{item.pk}/").content.decode()
    assert "On AniList" in page and "0 of 28" in page


def test_an_unknown_id_in_the_form_is_shown_beside_the_field(catalogue, alice_web):
    form = {"anime_url": "https://media.example.org/x.xml", "provider_id": "feed", "anilist_id": "3"}
    response = alice_web.post("/items/new/", form)
    assert response.status_code == 400
    assert "AniList has no anime with id 3." in field_block(response.content.decode(), "anilist_id")


def test_anilist_down_is_a_message_not_an_error(anilist, alice_web):
    anilist.stop()
    response = alice_web.get("/items/new/", {"aq": "frieren"})
    assert response.status_code == 200
    assert "AniList cannot be reached right now" in response.content.decode()


def test_the_edit_form_shows_and_can_clear_the_link(catalogue, alice, alice_web):
    item = linked_item(alice, catalogue, 20)
    page = alice_web.get(f"/items/{item.pk}/edit/").content.decode()
    assert 'value="20"' in field_block(page, "anilist_id")
    form = {
        "anime_title": item.anime_title,
        "anime_url": item.anime_url,
        "provider_id": "feed",
        "lang": item.lang,
        "quality_preference": "auto",
        "status": "active",
        "last_episode_downloaded": "0",
        "anilist_id": "",
    }
    assert alice_web.post(f"/items/{item.pk}/edit/", form).status_code == 302
    assert WatchlistItem.objects.get(pk=item.pk).series is None


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on* handler"),
    (re.compile(r"<style", re.I), "<style> element"),
]


def test_the_pages_of_this_part_have_no_inline_script_or_style(catalogue, alice, alice_web):
    item = linked_item(alice, catalogue, 154587)
    pages = [
        "/items/new/?aq=frieren",
        "/items/new/?anilist_id=20",
        f"/items/{item.pk}/",
        "/",
        "/calendar/",
        "/calendar/?view=list",
        "/settings/",
    ]
    for url in pages:
        html = alice_web.get(url).content.decode()
        for pattern, what in INLINE:
            assert not pattern.search(html), f"{what} on {url}"
    nav = alice_web.get("/").content.decode()
    assert 'href="/calendar/"' in nav
