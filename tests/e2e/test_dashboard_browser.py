"""The dashboard in a real browser: alice signs in, adds a feed, uses every
action on it, changes her settings and deletes it; bob sees none of it.
Each page is photographed at desktop and phone widths (see conftest)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.factories import make_item
from watchlist.models import ItemStatus, WatchlistItem, WatchlistSettings

pytestmark = pytest.mark.slow

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
PASSWORD = "{}-pass-123"  # tests/conftest.py

FEED = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Frieren</title>
<item><title>[Group] Frieren - 01 [1080p].mkv</title>
<enclosure url="/frieren/01.mkv" length="1000" type="video/x-matroska"/></item>
</channel></rss>"""

POSTER = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 300">
<defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#3b82f6"/>
<stop offset="1" stop-color="#0f766e"/></linearGradient></defs>
<rect width="200" height="300" fill="url(#g)"/><circle cx="100" cy="120" r="48" fill="#fde68a"/>
<rect x="20" y="230" width="160" height="16" rx="8" fill="#fff" opacity=".8"/></svg>"""


class Watcher:
    """Fails the test on console errors, server errors and any request that
    leaves the loopback servers (the dashboard must work offline)."""

    def __init__(self, page: Any, allowed_hosts: set[str], tolerated: tuple[str, ...] = ()) -> None:
        self.problems: list[str] = []
        self.tolerated = tolerated
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        page.on("response", self._response)
        page.route("**/*", lambda route: self._route(route, allowed_hosts))

    def _console(self, message: Any) -> None:
        if message.type == "error" and not any(t in message.text for t in self.tolerated):
            self.problems.append(f"console: {message.text}")

    def _response(self, response: Any) -> None:
        if response.status >= 500:
            self.problems.append(f"{response.status} from {response.url}")

    def _route(self, route: Any, allowed_hosts: set[str]) -> None:
        host = urlsplit(route.request.url).hostname
        if host in allowed_hosts:
            route.continue_()
        else:
            self.problems.append(f"request off the LAN: {route.request.url}")
            route.abort()


def sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD.format(username))
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{base}/")


def card(page: Any, item: WatchlistItem) -> Any:
    return page.locator(f"#item-{item.pk}")


def test_dashboard_flow(browser, live_server, http_server, alice, bob, settings, shoot):
    from playwright.sync_api import expect

    settings.ALLOW_PRIVATE_SOURCES = True  # the feed lives on 127.0.0.1
    feed_url = http_server.add("/frieren/feed.xml", FEED, content_type="application/rss+xml")
    poster_url = http_server.add("/poster.svg", POSTER, content_type="image/svg+xml")
    base = live_server.url
    hosts = {urlsplit(base).hostname, urlsplit(feed_url).hostname}
    # A poster whose host is down must show the placeholder, not a broken image.
    dead_poster = "http://127.0.0.1:9/gone.jpg"

    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    watcher = Watcher(page, hosts, tolerated=("Failed to load resource",))

    # Sign in; the empty list says how to start.
    page.goto(f"{base}/login/")
    shoot(page, "desktop-01-login")
    sign_in(page, base, "alice")
    expect(page.get_by_role("heading", name="Your watchlist is empty")).to_be_visible()
    shoot(page, "desktop-02-empty")

    # Add: first with mistakes (errors beside the fields), then properly.
    page.get_by_role("link", name="Add your first series").click()
    page.wait_for_url(f"{base}/items/new/")
    shoot(page, "desktop-03-add")
    page.fill("#id_anime_url", "ftp://nope")
    page.click("button:has-text('Add to watchlist')")
    expect(page.locator(".field--invalid").filter(has=page.locator("#id_anime_url"))).to_contain_text(
        "Enter a valid http:// or https:// URL."
    )
    expect(page.locator(".field--invalid").filter(has=page.locator("#id_anime_title"))).to_contain_text("required")
    shoot(page, "desktop-04-add-errors")
    page.fill("#id_anime_title", "Frieren: Beyond Journey's End")
    page.fill("#id_anime_url", feed_url)
    page.select_option("#id_provider_id", "feed")
    page.fill("#id_lang", "vostfr")
    page.select_option("#id_quality_preference", "1080p")
    page.fill("#id_last_episode_downloaded", "2")
    page.click("summary:has-text('Poster, synopsis and genres')")
    page.fill("#id_poster_image", poster_url)
    page.fill("#id_genres", "Adventure, Drama, Fantasy")
    page.fill("#id_synopsis", "After the party defeats the Demon King, the elf mage Frieren outlives them all.")
    page.click("button:has-text('Add to watchlist')")
    page.wait_for_url(f"{base}/")
    item = WatchlistItem.objects.get(owner=alice)
    assert (item.provider_id, item.anime_url, item.lang, item.last_episode_downloaded) == (
        "feed",
        feed_url,
        "vostfr",
        2,
    )
    # Not green yet: its source is being checked (the card follows the check).
    expect(page.locator(".message--info")).to_contain_text("is on your watchlist")
    expect(card(page, item)).to_contain_text("Frieren: Beyond Journey's End")

    # A few more rows so the list looks like a list (one with a dead poster).
    make_item(alice, anime_title="Dungeon Meshi", lang="en", provider_id="directory", last_episode_downloaded=11)
    make_item(alice, anime_title="Mushishi", status=ItemStatus.PAUSED, auto_download=False, poster_image=dead_poster)
    make_item(alice, anime_title="Odd Taxi", status=ItemStatus.COMPLETED, last_episode_downloaded=13)
    page.goto(f"{base}/")
    shoot(page, "desktop-05-list")

    # Auto-download switch, pause and resume: the card updates in place.
    switch = card(page, item).get_by_role("switch")
    expect(switch).to_have_attribute("aria-checked", "true")
    switch.click()
    expect(card(page, item).get_by_role("switch")).to_have_attribute("aria-checked", "false")
    item.refresh_from_db()
    assert item.auto_download is False
    card(page, item).get_by_role("button", name="Pause").click()
    expect(card(page, item).locator(".badge")).to_have_text("Paused")
    assert WatchlistItem.objects.get(pk=item.pk).status == ItemStatus.PAUSED
    shoot(page, "desktop-06-list-after-pause")
    card(page, item).get_by_role("button", name="Resume").click()
    expect(card(page, item).locator(".badge")).to_have_text("Active")
    assert WatchlistItem.objects.get(pk=item.pk).status == ItemStatus.ACTIVE
    assert page.url == f"{base}/"  # no full page load happened

    # Live search and status tabs swap the results only.
    page.fill("#search", "mush")
    expect(page.locator(".results__count")).to_contain_text("1 series matching “mush”")
    expect(page.locator(".item")).to_have_count(1)
    page.wait_for_url(re.compile(r"[?&]q=mush"))
    page.fill("#search", "")
    page.click("label[for='status-completed']")
    expect(page.locator(".item")).to_have_count(1)
    expect(page.locator(".item")).to_contain_text("Odd Taxi")
    shoot(page, "desktop-07-filtered")
    page.click("label[for='status-all']")
    expect(page.locator(".item")).to_have_count(4)

    # Item page, then edit.
    card(page, item).get_by_role("link", name="Frieren: Beyond Journey's End").click()
    page.wait_for_url(f"{base}/items/{item.pk}/")
    expect(page.locator("h1")).to_have_text("Frieren: Beyond Journey's End")
    shoot(page, "desktop-08-item")
    page.get_by_role("link", name="Edit").click()
    expect(page.locator("#id_anime_title")).to_have_value("Frieren: Beyond Journey's End")
    shoot(page, "desktop-09-edit")
    page.fill("#id_anime_title", "Sousou no Frieren")
    page.fill("#id_last_episode_downloaded", "5")
    page.click("button:has-text('Save changes')")
    page.wait_for_url(f"{base}/items/{item.pk}/")
    expect(page.locator("h1")).to_have_text("Sousou no Frieren")
    item.refresh_from_db()
    assert (item.anime_title, item.last_episode_downloaded) == ("Sousou no Frieren", 5)

    # Settings: an out-of-range value is refused beside its field, then saved.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    page.wait_for_url(f"{base}/settings/")
    shoot(page, "desktop-10-settings")
    page.fill("#id_check_interval_hours", "200")
    page.click("button:has-text('Save settings')")
    expect(page.locator(".field--invalid")).to_contain_text("less than or equal to 168")
    shoot(page, "desktop-11-settings-error")
    page.fill("#id_check_interval_hours", "12")
    page.click("button:has-text('Save settings')")
    expect(page.locator(".message--success")).to_contain_text("Settings saved.")
    assert WatchlistSettings.objects.get(user=alice).check_interval_hours == 12

    # Stats and the API token.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Stats").click()
    expect(page.locator(".chart")).to_be_visible()
    shoot(page, "desktop-12-stats")
    page.goto(f"{base}/account/token/")
    page.click("button:has-text('Create a token')")
    expect(page.locator("pre.code")).to_contain_text("Authorization: Bearer ")
    shoot(page, "desktop-13-token")

    # Delete: the inline confirmation first, then the real thing.
    page.goto(f"{base}/")
    card(page, item).get_by_role("link", name="Delete").click()
    expect(card(page, item)).to_contain_text("This cannot be undone")
    shoot(page, "desktop-14-delete-confirm")
    card(page, item).get_by_role("button", name="Delete").click()
    expect(page.locator(".item--gone")).to_contain_text("Deleted Sousou no Frieren")
    assert not WatchlistItem.objects.filter(pk=item.pk).exists()

    # The same pages in the dark scheme (colours only; one look is enough).
    dark = browser.new_context(viewport=DESKTOP, color_scheme="dark", storage_state=context.storage_state())
    dark_page = dark.new_page()
    Watcher(dark_page, hosts, tolerated=("Failed to load resource",))
    dark_page.goto(f"{base}/")
    shoot(dark_page, "desktop-15-list-dark")
    dark.close()

    # Sign out; bob sees none of alice's items and gets 404 for hers.
    page.get_by_label(re.compile("Account menu")).click()
    page.click("button:has-text('Sign out')")
    page.wait_for_url(f"{base}/login/")
    sign_in(page, base, "bob")
    expect(page.get_by_role("heading", name="Your watchlist is empty")).to_be_visible()
    other = WatchlistItem.objects.filter(owner=alice).first()
    assert page.goto(f"{base}/items/{other.pk}/").status == 404
    expect(page.get_by_role("heading", name="Nothing here")).to_be_visible()
    shoot(page, "desktop-16-bob-404")
    context.close()
    assert watcher.problems == []


def test_phone_layout(browser, live_server, http_server, alice, settings, shoot):
    """Every page at 390px: nothing wider than the screen, buttons reachable."""
    from playwright.sync_api import expect

    poster_url = http_server.add("/poster.svg", POSTER, content_type="image/svg+xml")
    base = live_server.url
    item = make_item(
        alice,
        anime_title="Frieren: Beyond Journey's End",
        poster_image=poster_url,
        genres=["Adventure", "Drama", "Fantasy"],
        synopsis="After the party defeats the Demon King, the elf mage Frieren outlives them all.",
        last_episode_downloaded=5,
    )
    make_item(alice, anime_title="Dungeon Meshi", lang="en", provider_id="directory", auto_download=False)
    make_item(alice, anime_title="Mushishi", status=ItemStatus.PAUSED)
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    watcher = Watcher(page, {urlsplit(base).hostname, urlsplit(poster_url).hostname})

    page.goto(f"{base}/login/")
    shoot(page, "phone-01-login")
    sign_in(page, base, "alice")
    pages = [
        ("phone-02-list", "/"),
        ("phone-03-add", "/items/new/"),
        ("phone-04-item", f"/items/{item.pk}/"),
        ("phone-05-edit", f"/items/{item.pk}/edit/"),
        ("phone-06-delete", f"/items/{item.pk}/delete/"),
        ("phone-07-settings", "/settings/"),
        ("phone-08-stats", "/stats/"),
        ("phone-09-token", "/account/token/"),
    ]
    too_wide = {}
    for name, path in pages:
        response = page.goto(f"{base}{path}")
        assert response.status == 200, path
        shoot(page, name)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            too_wide[path] = overflow
    assert too_wide == {}, "pages wider than the phone (px)"

    # The row's buttons fit and work by touch.
    page.goto(f"{base}/")
    row = card(page, item)
    row.get_by_role("button", name="Pause").tap()
    expect(row.locator(".badge")).to_have_text("Paused")
    row.get_by_role("link", name="Delete").tap()
    expect(row).to_contain_text("This cannot be undone")
    shoot(page, "phone-10-delete-inline")
    page.click("label[for='status-paused']")
    expect(page.locator(".item")).to_have_count(2)

    page.get_by_label(re.compile("Account menu")).tap()
    expect(page.get_by_role("link", name="API token")).to_be_visible()
    shoot(page, "phone-11-menu")
    context.close()
    assert watcher.problems == []
