"""Dashboard: searching a provider from the "Add a series" page, and the
"Add" links that pre-fill the add form. The searching providers are defined
here and answer from the query alone: no network."""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterator
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from downloads.net import FetchError
from tests.test_web_items import field_block
from watchlist.providers import all_providers
from watchlist.providers.base import EpisodeInfo, Provider, SearchResult
from watchlist.providers.registry import BUILTIN_PROVIDERS

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
SEARCHING = "tests.test_web_search:SearchingProvider"


class SearchingProvider(Provider):
    id = "testsearch"
    name = "Test Search"
    supports_search = True
    # Tests set this to make search() raise instead of answering.
    fails_with: ClassVar[Exception | None] = None
    searches: ClassVar[int] = 0  # calls to search(), across instances

    def can_handle(self, url: str) -> bool:
        return url.startswith("https://search.test/")

    def list_episodes(self, source: object) -> list[EpisodeInfo]:
        return []

    def search(self, query: str) -> list[SearchResult]:
        SearchingProvider.searches += 1
        if self.fails_with is not None:
            raise self.fails_with
        # More than the view shows, to check the limit.
        results = [
            SearchResult(
                title=f"{query} {n}",
                url=f"https://search.test/{n}",
                poster_image=f"https://img.search.test/{n}.jpg",
                synopsis=f"The story of {query} & friends, part {n}.",
                genres=["Adventure", "Fantasy"],
            )
            for n in range(1, 31)
        ]
        # A poster URL that must never reach an <img src>.
        results[1] = SearchResult(title=f"{query} 2", url="https://search.test/2", poster_image="javascript:alert(1)")
        return results


class OtherSearchingProvider(SearchingProvider):
    id = "othersearch"
    name = "Another Search"


@pytest.fixture(autouse=True)
def _fresh_registry() -> Iterator[None]:
    # The registry is built once per process: rebuild it around each test so
    # a provider added here never leaks into another test.
    all_providers.cache_clear()
    yield
    all_providers.cache_clear()
    SearchingProvider.fails_with = None
    SearchingProvider.searches = 0


@pytest.fixture
def searching(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(BUILTIN_PROVIDERS, "testsearch", SEARCHING)
    all_providers.cache_clear()


def add_links(page: str) -> list[dict[str, list[str]]]:
    hrefs = re.findall(r'href="(/items/new/\?[^"]*)"', page)
    return [parse_qs(urlsplit(html_lib.unescape(href)).query) for href in hrefs]


# --- The search box -------------------------------------------------------------


def test_no_search_box_when_no_provider_can_search(alice_web: Client) -> None:
    page = alice_web.get("/items/new/").content.decode()
    assert "provider-search" not in page
    assert 'name="q"' not in page


def test_search_box_shown_when_a_provider_can_search(alice_web: Client, searching: None) -> None:
    page = alice_web.get("/items/new/").content.decode()
    assert 'hx-get="/items/search/"' in page
    assert 'hx-trigger="input changed delay:400ms, submit"' in page
    assert 'hx-target="#provider-results"' in page
    # One searching provider: no select, the provider rides along hidden.
    assert '<input type="hidden" name="provider" value="testsearch">' in page
    assert '<select id="search-provider"' not in page


def test_select_of_providers_when_several_can_search(
    alice_web: Client, searching: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(BUILTIN_PROVIDERS, "othersearch", "tests.test_web_search:OtherSearchingProvider")
    all_providers.cache_clear()
    page = alice_web.get("/items/new/").content.decode()
    select = page[page.index('<select id="search-provider"') : page.index("</select>", page.index("search-provider"))]
    assert '<option value="othersearch">Another Search</option>' in select
    assert '<option value="testsearch">Test Search</option>' in select
    assert "feed" not in select  # built-ins cannot search


# --- Results --------------------------------------------------------------------


def test_htmx_search_renders_results_partial_with_add_links(alice_web: Client, searching: None) -> None:
    response = alice_web.get("/items/search/", {"provider": "testsearch", "q": "Frieren"}, **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page
    assert 'id="provider-results"' in page
    assert "Frieren 1" in page
    assert "The story of Frieren &amp; friends, part 1." in page
    assert "<li>Adventure</li>" in page
    assert '<img src="https://img.search.test/1.jpg"' in page
    assert "javascript:" not in page
    links = add_links(page)
    assert len(links) == 20  # 30 found, 20 shown
    assert links[0] == {
        "anime_title": ["Frieren 1"],
        "anime_url": ["https://search.test/1"],
        "provider_id": ["testsearch"],
        "poster_image": ["https://img.search.test/1.jpg"],
        "synopsis": ["The story of Frieren & friends, part 1."],
        "genres": ["Adventure, Fantasy"],
    }
    # The unsafe poster and the empty fields stay out of the link.
    assert links[1] == {
        "anime_title": ["Frieren 2"],
        "anime_url": ["https://search.test/2"],
        "provider_id": ["testsearch"],
    }


def test_plain_search_renders_the_whole_add_page_with_results(alice_web: Client, searching: None) -> None:
    response = alice_web.get("/items/search/", {"provider": "testsearch", "q": "Frieren"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" in page
    assert "Add a series" in page
    assert "Frieren 1" in page
    assert 'value="Frieren"' in page  # the search box keeps the query


def test_add_page_without_js_searches_from_its_own_query(alice_web: Client, searching: None) -> None:
    page = alice_web.get("/items/new/", {"provider": "testsearch", "q": "Mushishi"}).content.decode()
    assert "Mushishi 1" in page
    assert len(add_links(page)) == 20
    # The search query does not leak into the form's fields.
    assert 'name="anime_title"' in page
    assert 'value="Mushishi"' not in field_block(page, "anime_title")


def test_add_link_prefills_the_form(alice_web: Client, searching: None) -> None:
    page = alice_web.get("/items/search/", {"provider": "testsearch", "q": "Frieren"}, **HTMX).content.decode()
    href = html_lib.unescape(re.search(r'href="(/items/new/\?[^"]*)"', page).group(1))
    form = alice_web.get(href).content.decode()
    assert 'value="Frieren 1"' in field_block(form, "anime_title")
    assert 'value="https://search.test/1"' in field_block(form, "anime_url")
    assert '<option value="testsearch" selected>' in field_block(form, "provider_id")
    assert 'value="https://img.search.test/1.jpg"' in field_block(form, "poster_image")
    assert "The story of Frieren &amp; friends, part 1." in field_block(form, "synopsis")
    assert 'value="Adventure, Fantasy"' in field_block(form, "genres")
    assert "<details" in form and "form__more" in form and " open>" in form


def test_add_page_ignores_unknown_query_fields(alice_web: Client) -> None:
    page = alice_web.get("/items/new/", {"anime_title": "Mushishi", "owner": "bob", "auto_download": "false"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="Mushishi"' in field_block(html, "anime_title")
    assert "bob" not in html
    # Check boxes keep their defaults whatever the link says.
    assert "checked" in field_block(html, "auto_download")


def test_empty_query_renders_nothing(alice_web: Client, searching: None) -> None:
    response = alice_web.get("/items/search/", {"provider": "testsearch", "q": "  "}, **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="provider-results"' in page
    assert "<li" not in page
    assert "alert" not in page


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (FetchError("connection refused"), "Test Search could not be reached"),
        (NotImplementedError("search is not wired up"), "Test Search cannot search after all"),
        (RuntimeError("plug-in bug"), "Searching Test Search failed"),
    ],
)
def test_search_failure_is_a_friendly_message(alice_web: Client, searching: None, error: Exception, words: str) -> None:
    SearchingProvider.fails_with = error
    response = alice_web.get("/items/search/", {"provider": "testsearch", "q": "Frieren"}, **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert words in page
    assert 'class="alert alert--error"' in page
    assert str(error) not in page  # the details go to the log, not the page


def test_unknown_provider_is_a_400(alice_web: Client, searching: None) -> None:
    response = alice_web.get("/items/search/", {"provider": "nope", "q": "Frieren"}, **HTMX)
    assert response.status_code == 400
    assert "Choose a provider that can search." in response.content.decode()


def test_provider_that_cannot_search_is_a_400(alice_web: Client, searching: None) -> None:
    response = alice_web.get("/items/search/", {"provider": "feed", "q": "Frieren"}, **HTMX)
    assert response.status_code == 400
    assert "Choose a provider that can search." in response.content.decode()


def test_search_requires_sign_in(client: Client, searching: None) -> None:
    response = client.get("/items/search/", {"provider": "testsearch", "q": "Frieren"}, **HTMX)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_search_is_get_only(alice_web: Client, searching: None) -> None:
    assert alice_web.post("/items/search/", {"provider": "testsearch", "q": "x"}).status_code == 405


def test_failed_save_does_not_search_again(alice_web: Client, searching: None) -> None:
    response = alice_web.post("/items/new/?provider=testsearch&q=Frieren", {"anime_title": ""})
    assert response.status_code == 400
    assert "provider-search" in response.content.decode()  # the box is still there
    assert SearchingProvider.searches == 0
