"""Dashboard: the watchlist, one item, add, edit, delete and the one-click
actions, through Django's test client."""

from __future__ import annotations

import re
import uuid

import pytest
from django.test import Client

from tests.factories import make_item
from watchlist.models import ItemStatus, WatchlistItem
from watchlist.web.labels import provider_name

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def field_block(html: str, name: str) -> str:
    """The markup of the form field whose input is called `name`: label,
    input, errors and help share one `<div class="field...">`."""
    for block in re.split(r'(?=<div class="field[ "])', html):
        if f'name="{name}"' in block:
            return block
    raise AssertionError(f"no field {name!r} in the page")


def add_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "anime_title": "Frieren",
        "anime_url": "https://media.example.org/frieren/feed.xml",
        "provider_id": "feed",
        "lang": "vostfr",
        "quality_preference": "1080p",
        "auto_download": "on",
        "last_episode_downloaded": "3",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def edit_form(item: WatchlistItem, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "anime_title": item.anime_title,
        "anime_url": item.anime_url,
        "provider_id": item.provider_id,
        "lang": item.lang,
        "quality_preference": item.quality_preference,
        "last_episode_downloaded": str(item.last_episode_downloaded),
        "status": item.status,
        "poster_image": item.poster_image,
        "synopsis": item.synopsis,
        "genres": ", ".join(item.genres),
    }
    if item.auto_download:
        data["auto_download"] = "on"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- The list -----------------------------------------------------------------


def test_list_shows_only_the_owners_items(alice_web, alice, bob):
    make_item(alice, anime_title="Frieren")
    make_item(bob, anime_title="Dungeon Meshi")
    response = alice_web.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Frieren" in html
    assert "Dungeon Meshi" not in html


def test_list_row_shows_provider_language_status_episode_and_last_checked(alice_web, alice):
    item = make_item(alice, anime_title="Frieren", lang="vostfr", last_episode_downloaded=7)
    html = alice_web.get("/").content.decode()
    card = html[html.index(f'id="item-{item.pk}"') :]
    assert provider_name("feed") in card
    assert "VOSTFR" in card
    assert 'class="badge badge--active"' in card
    assert "<dd>7</dd>" in card
    assert "Never" in card  # not checked yet
    assert 'role="switch" aria-checked="true"' in card


def test_empty_list_says_how_to_start(alice_web):
    html = alice_web.get("/").content.decode()
    assert "Your watchlist is empty" in html
    assert 'href="/items/new/"' in html


def test_status_filter_and_title_search(alice_web, alice):
    make_item(alice, anime_title="Frieren")
    paused = make_item(alice, anime_title="Mushishi")
    paused.status = ItemStatus.PAUSED
    paused.save()
    html = alice_web.get("/?status=paused").content.decode()
    assert "Mushishi" in html and "Frieren" not in html
    html = alice_web.get("/?q=frie").content.decode()
    assert "Frieren" in html and "Mushishi" not in html
    html = alice_web.get("/?q=zzz").content.decode()
    assert "No series match" in html


def test_unknown_status_filter_shows_everything(alice_web, alice):
    make_item(alice, anime_title="Frieren")
    assert "Frieren" in alice_web.get("/?status=bogus").content.decode()


def test_htmx_search_returns_only_the_results_fragment(alice_web, alice):
    make_item(alice, anime_title="Frieren")
    make_item(alice, anime_title="Mushishi")
    response = alice_web.get("/?q=mushi", **HTMX, HTTP_HX_TARGET="results")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "<html" not in html
    assert "Mushishi" in html and "Frieren" not in html
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(alice_web, alice):
    make_item(alice)
    response = alice_web.get("/", **HTMX, HTTP_HX_TARGET="results", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in response.content.decode()


def test_pagination(alice_web, alice):
    for n in range(25):
        make_item(alice, anime_title=f"Show {n:02d}")
    first = alice_web.get("/").content.decode()
    assert "Page 1 of 2" in first
    assert "Show 19" in first and "Show 20" not in first
    second = alice_web.get("/?page=2").content.decode()
    assert "Show 20" in second and "Show 24" in second and "Show 00" not in second
    # Out of range falls back to the last page rather than a 404.
    assert "Show 24" in alice_web.get("/?page=99").content.decode()


def test_pagination_links_keep_the_filters(alice_web, alice):
    for n in range(21):
        make_item(alice, anime_title=f"Show {n:02d}")
    html = alice_web.get("/?q=show&status=active").content.decode()
    assert "?q=show&amp;status=active&amp;page=2" in html


# --- Item page ------------------------------------------------------------------


def test_item_page_shows_the_details(alice_web, alice):
    item = make_item(
        alice,
        anime_title="Frieren",
        synopsis="An elf mage outlives her party.",
        genres=["Adventure", "Fantasy"],
        poster_image="https://img.example.org/frieren.jpg",
    )
    response = alice_web.get(f"/items/{item.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Frieren",
        "An elf mage outlives her party.",
        "Adventure",
        "Fantasy",
        item.anime_url,
        provider_name("feed"),
    ):
        assert text in html
    assert 'src="https://img.example.org/frieren.jpg"' in html


def test_another_users_item_is_404_everywhere(alice_web, bob):
    item = make_item(bob)
    for path in ("", "edit/", "delete/", "card/"):
        assert alice_web.get(f"/items/{item.pk}/{path}").status_code == 404, path
    assert "belongs to someone else" in alice_web.get(f"/items/{item.pk}/").content.decode()
    for path in ("edit/", "delete/", "pause/", "resume/", "auto-download/"):
        assert alice_web.post(f"/items/{item.pk}/{path}", {"auto_download": "off"}).status_code == 404, path
    item.refresh_from_db()
    assert item.status == ItemStatus.ACTIVE and item.auto_download


def test_unknown_item_is_404(alice_web):
    assert alice_web.get(f"/items/{uuid.uuid4()}/").status_code == 404


# --- Add ------------------------------------------------------------------------


def test_add_page_offers_the_registry_providers_and_detection(alice_web):
    html = alice_web.get("/items/new/").content.decode()
    block = field_block(html, "provider_id")
    assert "Detect from the URL" in block
    for provider_id in ("feed", "directory", "ytdlp"):
        assert f'value="{provider_id}"' in block
    # Limits come from the API serializer, not from a second copy here.
    assert 'maxlength="300"' in field_block(html, "anime_title")
    assert 'min="0"' in field_block(html, "last_episode_downloaded")
    assert 'name="status"' not in html


def test_add_creates_the_item_for_the_user(alice_web, alice):
    response = alice_web.post("/items/new/", add_form(lang="VOSTFR", genres="Adventure, Fantasy ,"))
    assert response.status_code == 302
    assert response["Location"] == "/"
    item = WatchlistItem.objects.get(owner=alice)
    assert item.anime_title == "Frieren"
    assert item.lang == "vostfr"  # the serializer's normalisation
    assert item.quality_preference == "1080p"
    assert item.auto_download is True
    assert item.last_episode_downloaded == 3
    assert item.genres == ["Adventure", "Fantasy"]
    assert (item.source.provider_id, item.source.url) == ("feed", item.anime_url)
    assert "is on your watchlist" in alice_web.get("/").content.decode()


def test_add_with_auto_download_unchecked(alice_web, alice):
    alice_web.post("/items/new/", add_form(auto_download=None))
    assert WatchlistItem.objects.get(owner=alice).auto_download is False


def test_add_detects_the_provider_from_the_url(alice_web, alice):
    response = alice_web.post("/items/new/", add_form(provider_id="", anime_url="https://media.example.org/x/rss.xml"))
    assert response.status_code == 302
    assert WatchlistItem.objects.get(owner=alice).provider_id == "feed"
    alice_web.post("/items/new/", add_form(provider_id="", anime_url="https://files.example.org/show/", lang="en"))
    assert WatchlistItem.objects.get(owner=alice, lang="en").provider_id == "directory"


def test_add_says_when_no_provider_recognises_the_url(alice_web, alice, monkeypatch):
    monkeypatch.setattr("watchlist.web.forms.detect_provider", lambda url: None)
    response = alice_web.post("/items/new/", add_form(provider_id=""))
    assert response.status_code == 400
    assert "No provider recognised this URL" in field_block(response.content.decode(), "provider_id")
    assert not WatchlistItem.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("anime_title", "", "This field is required."),
        ("anime_title", "x" * 301, "Ensure this field has no more than 300 characters."),
        ("anime_url", "ftp://media.example.org/feed.xml", "Enter a valid http:// or https:// URL."),
        ("anime_url", "not a url", "Enter a valid http:// or https:// URL."),
        ("anime_url", "", "This field is required."),
        ("last_episode_downloaded", "-1", "Ensure this value is greater than or equal to 0."),
        ("last_episode_downloaded", "two", "Enter a whole number."),
        ("poster_image", "javascript:alert(1)", "Enter a valid http:// or https:// URL."),
        ("provider_id", "nope", "Select a valid choice."),
        ("quality_preference", "4k", "Select a valid choice."),
    ],
)
def test_add_shows_each_error_beside_its_field(alice_web, field, value, message):
    response = alice_web.post("/items/new/", add_form(**{field: value}))
    assert response.status_code == 400
    html = response.content.decode()
    block = field_block(html, field)
    assert "field--invalid" in block
    assert message in block
    assert 'aria-invalid="true"' in block
    # The other inputs keep what the user typed.
    if field != "anime_title":
        assert 'value="Frieren"' in html
    assert not WatchlistItem.objects.exists()


def test_genre_rules_come_from_the_serializer(alice_web):
    response = alice_web.post("/items/new/", add_form(genres="x" * 61))
    assert response.status_code == 400
    assert "no more than 60 characters" in field_block(response.content.decode(), "genres")


def test_adding_a_duplicate_links_to_the_existing_item(alice_web, alice):
    existing = make_item(alice, anime_title="Frieren", anime_url="https://media.example.org/f.xml", lang="vostfr")
    response = alice_web.post("/items/new/", add_form(anime_title="Again", anime_url=existing.anime_url))
    assert response.status_code == 409
    html = response.content.decode()
    assert "You already track this source" in html
    assert f'href="/items/{existing.pk}/"' in html
    assert WatchlistItem.objects.filter(owner=alice).count() == 1


def test_the_same_source_is_not_a_duplicate_for_another_user(alice_web, alice, bob):
    make_item(bob, anime_url="https://media.example.org/f.xml", lang="vostfr")
    response = alice_web.post("/items/new/", add_form(anime_url="https://media.example.org/f.xml"))
    assert response.status_code == 302
    assert WatchlistItem.objects.filter(owner=alice).count() == 1


# --- Edit -----------------------------------------------------------------------


def test_edit_page_is_prefilled(alice_web, alice):
    item = make_item(alice, anime_title="Frieren", genres=["Adventure", "Fantasy"], last_episode_downloaded=4)
    html = alice_web.get(f"/items/{item.pk}/edit/").content.decode()
    assert 'value="Frieren"' in field_block(html, "anime_title")
    assert 'value="Adventure, Fantasy"' in field_block(html, "genres")
    assert 'value="4"' in field_block(html, "last_episode_downloaded")
    assert 'value="active" selected' in field_block(html, "status")
    assert 'value="feed" selected' in field_block(html, "provider_id")


def test_edit_saves_through_update_item(alice_web, alice):
    item = make_item(alice, anime_title="Frieren")
    old_source = item.source_id
    new_url = "https://files.example.org/frieren/"
    response = alice_web.post(
        f"/items/{item.pk}/edit/",
        edit_form(
            item, anime_title="Sousou no Frieren", anime_url=new_url, provider_id="directory", status="completed"
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/items/{item.pk}/"
    item.refresh_from_db()
    assert item.anime_title == "Sousou no Frieren"
    assert item.status == ItemStatus.COMPLETED
    # update_item moved the item to the source that matches its new identity.
    assert item.source_id != old_source
    assert (item.source.provider_id, item.source.url) == ("directory", new_url)


def test_edit_can_clear_optional_fields(alice_web, alice):
    item = make_item(alice, synopsis="Old text", genres=["A"], poster_image="https://img.example.org/p.jpg")
    alice_web.post(f"/items/{item.pk}/edit/", edit_form(item, synopsis="", genres="", poster_image=""))
    item.refresh_from_db()
    assert (item.synopsis, item.genres, item.poster_image) == ("", [], "")


def test_edit_errors_show_beside_the_field(alice_web, alice):
    item = make_item(alice)
    response = alice_web.post(f"/items/{item.pk}/edit/", edit_form(item, anime_url="file:///etc/passwd"))
    assert response.status_code == 400
    assert "Enter a valid http:// or https:// URL." in field_block(response.content.decode(), "anime_url")


def test_edit_into_a_duplicate_links_to_the_other_item(alice_web, alice):
    first = make_item(alice, anime_title="First", lang="en")
    second = make_item(alice, anime_title="Second", lang="en")
    response = alice_web.post(f"/items/{second.pk}/edit/", edit_form(second, anime_url=first.anime_url))
    assert response.status_code == 409
    assert f'href="/items/{first.pk}/"' in response.content.decode()
    second.refresh_from_db()
    assert second.anime_url != first.anime_url


# --- One-click actions -------------------------------------------------------


def test_pause_and_resume_without_htmx_redirect_back(alice_web, alice):
    item = make_item(alice)
    response = alice_web.post(f"/items/{item.pk}/pause/", {"next": "/?status=active"})
    assert response.status_code == 302
    assert response["Location"] == "/?status=active"
    item.refresh_from_db()
    assert item.status == ItemStatus.PAUSED
    response = alice_web.post(f"/items/{item.pk}/resume/")
    assert response["Location"] == f"/items/{item.pk}/"
    item.refresh_from_db()
    assert item.status == ItemStatus.ACTIVE


def test_next_must_stay_on_the_site(alice_web, alice):
    item = make_item(alice)
    response = alice_web.post(f"/items/{item.pk}/pause/", {"next": "https://evil.example.com/"})
    assert response["Location"] == f"/items/{item.pk}/"


def test_pause_with_htmx_returns_the_updated_card(alice_web, alice):
    item = make_item(alice)
    response = alice_web.post(f"/items/{item.pk}/pause/", **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<article class="item item--paused" id="item-{item.pk}"')
    assert "badge--paused" in html
    assert f"/items/{item.pk}/resume/" in html  # the button flipped
    html = alice_web.post(f"/items/{item.pk}/resume/", **HTMX).content.decode()
    assert "badge--active" in html and f"/items/{item.pk}/pause/" in html


def test_auto_download_switch(alice_web, alice):
    item = make_item(alice, auto_download=True)
    response = alice_web.post(f"/items/{item.pk}/auto-download/", {"auto_download": "off"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-checked="false"' in html
    assert 'name="auto_download" value="on"' in html  # the next click turns it back on
    item.refresh_from_db()
    assert item.auto_download is False
    # Asking for the state it already has changes nothing (no blind flip).
    alice_web.post(f"/items/{item.pk}/auto-download/", {"auto_download": "off"}, **HTMX)
    item.refresh_from_db()
    assert item.auto_download is False
    response = alice_web.post(f"/items/{item.pk}/auto-download/", {"auto_download": "on"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.auto_download is True


def test_auto_download_switch_rejects_junk(alice_web, alice):
    item = make_item(alice)
    assert alice_web.post(f"/items/{item.pk}/auto-download/", {"auto_download": "maybe"}).status_code == 400


@pytest.mark.parametrize("action", ["pause", "resume", "auto-download", "delete"])
def test_actions_refuse_get_where_they_change_state(alice_web, alice, action):
    item = make_item(alice)
    response = alice_web.get(f"/items/{item.pk}/{action}/")
    # Delete's GET is the confirmation page; the others have no GET at all.
    assert response.status_code == (200 if action == "delete" else 405)
    assert WatchlistItem.objects.filter(pk=item.pk, status=ItemStatus.ACTIVE).exists()


# --- Delete ---------------------------------------------------------------------


def test_delete_asks_for_confirmation_first(alice_web, alice):
    item = make_item(alice, anime_title="Frieren")
    response = alice_web.get(f"/items/{item.pk}/delete/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Delete “Frieren”?" in html
    assert 'method="post"' in html
    assert WatchlistItem.objects.filter(pk=item.pk).exists()


def test_delete_after_confirmation(alice_web, alice):
    item = make_item(alice, anime_title="Frieren")
    response = alice_web.post(f"/items/{item.pk}/delete/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not WatchlistItem.objects.filter(pk=item.pk).exists()
    assert "Deleted “Frieren”." in alice_web.get("/").content.decode()


def test_htmx_delete_confirms_inline_and_cancel_restores_the_card(alice_web, alice):
    item = make_item(alice, anime_title="Frieren")
    html = alice_web.get(f"/items/{item.pk}/delete/", **HTMX).content.decode()
    assert "item--confirm" in html and "<html" not in html
    assert f'hx-post="/items/{item.pk}/delete/"' in html
    assert f'hx-get="/items/{item.pk}/card/"' in html  # Cancel
    card = alice_web.get(f"/items/{item.pk}/card/", **HTMX).content.decode()
    assert card.lstrip().startswith('<article class="item item--active"')
    response = alice_web.post(f"/items/{item.pk}/delete/", **HTMX)
    assert response.status_code == 200
    assert "Deleted <strong>Frieren</strong>" in response.content.decode()
    assert not WatchlistItem.objects.filter(pk=item.pk).exists()


# --- Security -------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/items/new/", "/settings/", "/stats/", "/account/token/"])
def test_pages_need_a_signed_in_user(client, settings, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(settings.LOGIN_URL)
    assert f"next={path}" in response["Location"].replace("%2F", "/")


def test_item_actions_need_a_signed_in_user(client, alice, settings):
    item = make_item(alice)
    for path in (f"/items/{item.pk}/", f"/items/{item.pk}/edit/"):
        assert client.get(path)["Location"].startswith(settings.LOGIN_URL)
    response = client.post(f"/items/{item.pk}/pause/")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.ACTIVE


def test_csrf_is_enforced_on_item_forms_and_actions(alice):
    item = make_item(alice)
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post("/items/new/", add_form()).status_code == 403
    assert client.post(f"/items/{item.pk}/pause/", **HTMX).status_code == 403
    assert client.post(f"/items/{item.pk}/delete/").status_code == 403
    assert WatchlistItem.objects.filter(pk=item.pk, status=ItemStatus.ACTIVE).exists()
    # With the token the page hands out, it goes through.
    page = client.get("/items/new/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post("/items/new/", {**add_form(), "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_htmx_requests_carry_the_csrf_token_in_a_header(alice_web):
    # hx-get links and hx-post buttons outside a form rely on this header.
    html = alice_web.get("/").content.decode()
    assert re.search(r"hx-headers='\{\"X-CSRFToken\": \"[^\"]+\"\}'", html)


def test_titles_are_escaped(alice_web, alice):
    make_item(alice, anime_title="<script>alert(1)</script>")
    html = alice_web.get("/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_pages_load_nothing_from_the_internet(alice_web, alice):
    item = make_item(alice)
    for path in ("/", f"/items/{item.pk}/", "/items/new/", "/settings/", "/stats/", "/account/token/"):
        html = alice_web.get(path).content.decode()
        assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//', html), path
        assert "/static/django_htmx/htmx.min.js" in html
        assert "/static/watchlist/app.css" in html


def test_static_assets_are_served(alice_web):
    for path in ("/static/watchlist/app.css", "/static/watchlist/icon.svg", "/static/django_htmx/htmx.min.js"):
        response = alice_web.get(path)
        assert response.status_code == 200, path


def test_a_card_swapped_in_by_htmx_returns_no_js_posts_to_the_page_it_is_on(alice_web, alice):
    item = make_item(alice)
    html = alice_web.post(
        f"/items/{item.pk}/pause/", **HTMX, HTTP_HX_CURRENT_URL="http://testserver/?status=active&q=se"
    ).content.decode()
    assert 'name="next" value="/?status=active&amp;q=se"' in html
