"""Adding a series by name in a real browser: alice searches AniList (a fake
on 127.0.0.1) from the Add page, chooses a result, adds its source, sees the
poster (served by this server), "0 of 28" and the next episode, and finds it
on her calendar."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from tests.e2e.test_dashboard_browser import DESKTOP, PHONE, Watcher, sign_in
from tests.metadata_helpers import epoch
from tests.support.fake_anilist import PNG, media
from watchlist.models import WatchlistItem

pytestmark = pytest.mark.slow


def test_add_by_name_then_the_calendar(browser, live_server, anilist, alice, settings, shoot):
    from playwright.sync_api import expect

    airs = timezone.now() + timedelta(days=1, hours=2)
    anilist.add(
        media(
            154587,
            "Frieren: Beyond Journey's End",
            romaji="Sousou no Frieren",
            native="葬送のフリーレン",
            episodes=28,
            description="The adventure is over, but life goes on for an elf.",
            schedule=[(5, epoch(airs)), (6, epoch(airs + timedelta(days=7)))],
        ),
        media(2, "Frieren Specials", format="SPECIAL", episodes=6),
    )
    anilist.covers["/covers/154587.jpg"] = ("image/png", PNG)
    base = live_server.url
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    # Every request stays on 127.0.0.1 (the live server; nothing else is
    # asked by the browser: the poster comes from the live server too).
    watcher = Watcher(page, {urlsplit(base).hostname})
    sign_in(page, base, "alice")

    page.goto(f"{base}/items/new/")
    page.fill("#anilist-q", "frieren")  # htmx searches as one types
    results = page.locator("#anilist-results")
    expect(results).to_contain_text("2 results for “frieren” on AniList")
    expect(results).to_contain_text("TV · Fall 2023 · 28 episodes · Airing")
    shoot(page, "desktop-20-anilist-search")
    page.get_by_role("link", name="Choose Frieren: Beyond Journey's End").click()
    expect(page.locator("#id_anime_title")).to_have_value("Frieren: Beyond Journey's End")
    expect(page.locator(".anilist-chosen")).to_contain_text("Title, poster, synopsis and genres come from AniList")
    page.fill("#id_anime_url", "https://media.example.org/frieren/feed.xml")
    page.select_option("#id_provider_id", "feed")
    shoot(page, "desktop-21-anilist-chosen")
    page.click("button:has-text('Add to watchlist')")
    page.wait_for_url(f"{base}/")

    item = WatchlistItem.objects.get(owner=alice)
    card = page.locator(f"#item-{item.pk}")
    expect(card).to_contain_text("0 of 28")
    expect(card).to_contain_text("Episode 5 airs")
    poster = card.locator(".poster img")
    expect(poster).to_have_attribute("src", "/api/metadata/posters/154587")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=poster.element_handle())
    shoot(page, "desktop-22-list-with-anilist")
    # Each poster the pages showed (two search results) fetched once, by the server.
    assert sorted(anilist.cover_gets) == ["/covers/154587.jpg", "/covers/2.jpg"]

    page.goto(f"{base}/calendar/?view=list")
    expect(page.locator(".calendar-list")).to_contain_text("Frieren: Beyond Journey's End")
    expect(page.locator(".calendar-list")).to_contain_text("Episode 5/28")
    shoot(page, "desktop-23-calendar-list")
    page.goto(f"{base}/calendar/?week={airs.date().isoformat()}")
    expect(page.locator(".calendar-day--today, .calendar-day").filter(has_text="Frieren")).to_have_count(1)
    shoot(page, "desktop-24-calendar-week")
    page.set_viewport_size(PHONE)
    shoot(page, "phone-20-calendar-week")
    assert watcher.problems == []
    context.close()
