"""From the dashboard alone, in a real browser: staff add an indexer (a fake
Torznab server on 127.0.0.1) and test it; alice searches it from the Add page
(on submit, not while typing), adds a series from a grouped result without
any URL, and "Check now" finds its episodes."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.e2e.test_dashboard_browser import DESKTOP, Watcher, sign_in
from tests.support.fake_torznab import FakeRelease
from watchlist.indexers import keys
from watchlist.indexers.models import Indexer
from watchlist.models import Episode, WatchlistItem

pytestmark = pytest.mark.slow

RELEASES = [
    FakeRelease("[SubsPlease] Sousou no Frieren - 05 (1080p) [A0000005].mkv", seeders=120),
    FakeRelease("[SubsPlease] Sousou no Frieren - 06 (1080p) [A0000006].mkv", seeders=90),
    FakeRelease("[SubsPlease] Dandadan - 05 (1080p) [D0000005].mkv", seeders=300),
]


def test_staff_add_an_indexer_and_a_user_adds_a_series_without_a_url(
    browser, live_server, torznab, admin_user, alice, shoot
):
    from playwright.sync_api import expect

    nyaa = torznab.add_indexer("nyaa", RELEASES)
    base = live_server.url
    host = {urlsplit(base).hostname}

    staff = browser.new_context(viewport=DESKTOP).new_page()
    staff_watch = Watcher(staff, host)
    sign_in(staff, base, "admin")
    staff.click(".user-menu summary")
    staff.get_by_role("link", name="Indexers").click()
    staff.fill("#id_name", "Nyaa")
    staff.fill("#id_url", nyaa.url)
    staff.fill("#id_api_key", nyaa.api_key)
    staff.click("button:has-text('Add indexer')")
    expect(staff.locator(".messages, [role=status]").first).to_be_visible()
    row = staff.locator(".indexer").first
    expect(row).to_contain_text("Nyaa")
    assert nyaa.api_key not in staff.content()
    # htmx takes over the forms once the page has loaded; a click before that
    # is a plain post whose answer is a page-wide message, not the row swap.
    staff.wait_for_load_state("load")
    staff.wait_for_function("() => window.htmx !== undefined")
    row.get_by_role("button", name="Test").click()  # htmx swaps the row
    expect(staff.locator(".indexer").first).to_contain_text("Test passed: it answers.")
    expect(staff.locator(".indexer").first).to_contain_text("TV search (ep, q, season), search")
    shoot(staff, "desktop-40-indexers")
    assert keys.api_key(Indexer.objects.get()) == nyaa.api_key
    assert staff_watch.problems == []

    page = browser.new_context(viewport=DESKTOP).new_page()
    watch = Watcher(page, host)
    sign_in(page, base, "alice")
    page.goto(f"{base}/items/new/")
    page.fill("#search-q", "frieren")
    page.wait_for_timeout(800)
    assert nyaa.searches() == []  # indexers count queries: nothing is sent while typing
    page.press("#search-q", "Enter")
    results = page.locator("#provider-results")
    expect(results).to_contain_text("1 result for “frieren” at Indexers (Torznab)")
    expect(results).to_contain_text("2 releases · episodes 5-6 · 1080p · by SubsPlease")
    assert len(nyaa.searches()) == 1
    shoot(page, "desktop-41-indexer-search")
    results.get_by_role("link", name="Add Sousou no Frieren").click()
    expect(page.locator("#id_anime_title")).to_have_value("Sousou no Frieren")
    expect(page.locator("#id_provider_id")).to_have_value("torznab")
    expect(page.locator("#id_anime_url")).to_have_value("")
    page.uncheck("#id_auto_download")  # magnets are the torrent engine's to download
    page.click("button:has-text('Add to watchlist')")
    page.wait_for_url(f"{base}/")

    item = WatchlistItem.objects.get(owner=alice)
    assert (item.provider_id, item.anime_url) == ("torznab", "torznab:?q=sousou+no+frieren")
    page.goto(f"{base}/items/{item.pk}/")
    page.click("button:has-text('Check now')")
    expect(page.locator("#episodes")).to_contain_text("Episodes found 2")
    expect(page.locator("#indexer-searches")).to_contain_text("Nyaa")
    expect(page.locator("#indexer-searches")).to_contain_text("2 results")
    shoot(page, "desktop-42-torznab-item")
    assert sorted(Episode.objects.filter(item=item).values_list("number", flat=True)) == [5, 6]
    assert watch.problems == []
