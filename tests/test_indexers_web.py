"""The dashboard side of indexers: staff manage them, the Add page searches
them (results grouped by series, "Add" pre-fills a torznab item), an AniList
choice offers them as the source, and a torznab item's page says what each
indexer answered."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.indexer_helpers import make_indexer, torznab_item
from tests.support.fake_anilist import media
from tests.support.fake_torznab import Failure, FakeRelease
from watchlist.checker import check_item
from watchlist.indexers import keys
from watchlist.indexers.models import Indexer
from watchlist.models import WatchlistItem

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
RESULTS = [
    FakeRelease("[SubsPlease] Sousou no Frieren - 05 (1080p).mkv", seeders=120),
    FakeRelease("[SubsPlease] Sousou no Frieren - 06 (1080p).mkv", seeders=80),
    FakeRelease("[Erai-raws] Sousou no Frieren 2nd Season - 01 [1080p].mkv", seeders=30),
    FakeRelease("[Judas] Frieren Movie [1080p].mkv", seeders=4),
]
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an on* handler"),
    (re.compile(r"<style", re.I), "a <style> element"),
]


@pytest.fixture
def admin_web(admin_user) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


def _no_inline(html: str) -> None:
    for pattern, what in INLINE:
        assert pattern.search(html) is None, what


# --- staff pages ----------------------------------------------------------------


def test_only_staff_see_the_indexers_page(alice_web, admin_web):
    assert alice_web.get("/indexers/").status_code == 403
    assert alice_web.post("/indexers/", {"name": "x"}).status_code == 403
    page = admin_web.get("/indexers/")
    assert page.status_code == 200
    assert "No indexers yet" in page.content.decode()
    assert 'href="/indexers/"' in admin_web.get("/").content.decode()  # in the staff's menu
    assert 'href="/indexers/"' not in alice_web.get("/").content.decode()


def test_staff_add_test_edit_and_delete_an_indexer(torznab, admin_web):
    nyaa = torznab.add_indexer("nyaa", RESULTS)
    form = {
        "name": "Nyaa",
        "url": nyaa.url,
        "api_key": nyaa.api_key,
        "categories": "5070",
        "priority": "10",
        "enabled": "on",
    }

    response = admin_web.post("/indexers/", form, follow=True)

    html = response.content.decode()
    assert "Indexer “Nyaa” added." in html and nyaa.api_key not in html
    indexer = Indexer.objects.get()
    assert (indexer.priority, indexer.categories, keys.api_key(indexer)) == (10, [5070], nyaa.api_key)
    _no_inline(html)

    tested = admin_web.post(f"/indexers/{indexer.pk}/test/", **HTMX).content.decode()
    assert "Test passed: it answers." in tested and "TV search (ep, q, season), search" in tested

    edit = admin_web.get(f"/indexers/{indexer.pk}/edit/").content.decode()
    assert nyaa.api_key not in edit and "An API key is stored; leave empty to keep it." in edit
    _no_inline(edit)
    admin_web.post(f"/indexers/{indexer.pk}/edit/", {**form, "api_key": "", "priority": "3"})
    indexer.refresh_from_db()
    assert indexer.priority == 3 and keys.api_key(indexer) == nyaa.api_key

    admin_web.post(f"/indexers/{indexer.pk}/delete/")
    assert not Indexer.objects.exists()


def test_a_failing_test_and_bad_input_in_plain_words(torznab, admin_web):
    nyaa = torznab.add_indexer("nyaa", RESULTS)
    bad = admin_web.post("/indexers/", {"name": "Nyaa", "url": "ftp://x/api", "priority": "99"})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "Enter a valid http:// or https:// URL." in html and "Ensure this value is less than or equal to 50." in html

    indexer = make_indexer(nyaa, api_key="wrong")
    tested = admin_web.post(f"/indexers/{indexer.pk}/test/", follow=True).content.decode()
    assert "failed the test: the indexer refused the API key (HTTP 401, code 100: Invalid API Key)" in tested
    page = admin_web.get("/indexers/").content.decode()
    assert "Failing: the indexer refused the API key" in page


# --- the Add page -----------------------------------------------------------------


def test_no_indexer_no_search_box(alice_web):
    assert 'id="provider-results"' not in alice_web.get("/items/new/").content.decode()


def test_the_add_page_searches_the_indexers_grouped_by_series(torznab, alice_web):
    make_indexer(torznab.add_indexer("nyaa", RESULTS))
    make_indexer(torznab.add_indexer("down", RESULTS, failure=Failure(429, "429", "Query limit reached")))

    page = alice_web.get("/items/new/").content.decode()
    assert 'id="provider-results"' in page
    assert 'hx-trigger="submit"' in page  # indexers count searches: not on every key stroke
    _no_inline(page)

    results = alice_web.get("/items/search/", {"provider": "torznab", "q": "frieren"}, **HTMX).content.decode()

    assert "<html" not in results
    assert "Some of Indexers (Torznab) gave nothing:" in results
    assert "down: rate limited by the indexer (HTTP 429, code 429: Query limit reached)" in results
    assert "3 results for “frieren” at Indexers (Torznab)" in results
    assert "2 releases · episodes 5-6 · 1080p · by SubsPlease" in results
    assert "[SubsPlease] Sousou no Frieren - 05 (1080p).mkv" in results
    adds = re.findall(r'href="(/items/new/\?[^"]+)"', results)
    assert adds[0] == "/items/new/?anime_title=Sousou+no+Frieren&amp;provider_id=torznab"
    assert adds[1] == "/items/new/?anime_title=Sousou+no+Frieren&amp;provider_id=torznab&amp;season=2"
    _no_inline(results)


def test_add_prefills_a_torznab_item_that_saves_without_a_url(torznab, alice, alice_web):
    make_indexer(torznab.add_indexer("nyaa", RESULTS))
    form = alice_web.get("/items/new/", {"anime_title": "Sousou no Frieren", "provider_id": "torznab", "season": "2"})
    html = form.content.decode()
    assert 'value="Sousou no Frieren"' in html
    assert '<option value="torznab" selected>Indexers (Torznab)</option>' in html
    assert 'name="season" value="2"' in html

    response = alice_web.post(
        "/items/new/",
        {"anime_title": "Sousou no Frieren", "provider_id": "torznab", "season": "2", "quality_preference": "auto"},
    )
    assert response.status_code == 302
    item = WatchlistItem.objects.get(owner=alice)
    assert (item.provider_id, item.anime_url, item.season) == ("torznab", "torznab:?q=sousou+no+frieren&season=2", 2)

    again = alice_web.post(
        "/items/new/",
        {"anime_title": "sousou no frieren", "provider_id": "torznab", "season": "2", "quality_preference": "auto"},
    )
    assert again.status_code == 409 and "You already track this source" in again.content.decode()


def test_an_anilist_choice_offers_the_indexers(torznab, anilist, alice_web):
    anilist.add(media(154587, "Frieren: Beyond Journey's End", romaji="Sousou no Frieren"))
    make_indexer(torznab.add_indexer("nyaa", RESULTS))

    page = alice_web.get("/items/new/", {"anilist_id": "154587"}).content.decode()

    assert "Search my indexers" in page
    (link,) = [href for href in re.findall(r'href="([^"]+)"', page) if "provider=torznab" in href]
    target = link.replace("&amp;", "&")
    assert target == "/items/new/?anilist_id=154587&provider_id=torznab&provider=torznab&q=Sousou%20no%20Frieren"
    chosen = alice_web.get(target).content.decode()
    assert '<option value="torznab" selected>Indexers (Torznab)</option>' in chosen
    assert "2 releases · episodes 5-6" in chosen  # the indexers' results for its title, on the same page
    assert 'name="anilist_id" value="154587"' in chosen


# --- a torznab item's page --------------------------------------------------------


def test_the_item_page_says_what_each_indexer_answered(torznab, alice, alice_web):
    make_indexer(torznab.add_indexer("nyaa", RESULTS), priority=1)
    make_indexer(torznab.add_indexer("down", RESULTS, failure=Failure(401, "100", "Invalid API Key")), priority=2)
    item = torznab_item(alice, "Sousou no Frieren", auto_download=False)
    check_item(item)

    page = alice_web.get(f"/items/{item.pk}/").content.decode()

    assert "On your indexers, as “Sousou no Frieren”" in page
    assert "torznab:?q=" not in page  # no pretend link
    assert "3 results," in page
    assert "The indexer refused the API key (HTTP 401, code 100: Invalid API Key)" in page
    _no_inline(page)


# --- the admin ------------------------------------------------------------------


def test_the_admin_adds_an_indexer_through_the_same_rules(torznab, admin_web):
    nyaa = torznab.add_indexer("nyaa", RESULTS)
    form = {
        "name": "Nyaa",
        "url": f"{nyaa.url}?apikey={nyaa.api_key}",  # the key pasted with the URL
        "api_key": "",
        "categories_text": "5070, 5000",
        "enabled": "on",
        "priority": "25",
    }
    response = admin_web.post("/admin/watchlist/indexer/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    indexer = Indexer.objects.get()
    assert (indexer.url, indexer.categories, keys.api_key(indexer)) == (nyaa.url, [5070, 5000], nyaa.api_key)

    change = admin_web.get(f"/admin/watchlist/indexer/{indexer.pk}/change/").content.decode()
    assert nyaa.api_key not in change and nyaa.api_key not in indexer.api_key_encrypted

    bad = admin_web.post("/admin/watchlist/indexer/add/", {**form, "name": "Other", "priority": "70"})
    assert bad.status_code == 200 and "Ensure this value is less than or equal to 50." in bad.content.decode()

    admin_web.post("/admin/watchlist/indexer/", {"action": "test_now", "_selected_action": [indexer.pk]}, follow=True)
    indexer.refresh_from_db()
    assert indexer.caps_fetched_at is not None and indexer.last_ok_at is not None


def test_an_indexer_that_could_not_even_search_is_on_the_item_page(torznab, alice, alice_web):
    make_indexer(torznab.add_indexer("nyaa", RESULTS), priority=1)
    make_indexer(
        torznab.add_indexer("locked", RESULTS, caps_failure=Failure(403, "101", "Account suspended")), priority=2
    )
    item = torznab_item(alice, "Sousou no Frieren", auto_download=False)
    check_item(item)

    page = alice_web.get(f"/items/{item.pk}/").content.decode()

    assert "Failing: the indexer refused the API key (HTTP 403, code 101: Account suspended)" in page
