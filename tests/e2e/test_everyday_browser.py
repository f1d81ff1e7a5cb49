"""Everyday use in a real browser: "Test source" before saving, a new series
checked right after it is added with its card following the check without
a reload, tab counts following pause, the selection bar, Wanted, the account
page, and the staff's Users and System pages.

The test process plays the worker where a check is queued
(`checkqueue.run_next()`, what a worker's token runs): what is under test is
the page following the check, not Celery."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.check_helpers import every_episode, serve_feed
from tests.e2e.test_dashboard_browser import DESKTOP, Watcher, card, sign_in
from tests.factories import make_item
from watchlist import checkqueue
from watchlist.models import Episode, EpisodeState, ItemStatus, WatchlistItem

pytestmark = pytest.mark.slow


def test_everyday_flow(browser, live_server, http_server, alice, admin_user, settings, shoot):
    from playwright.sync_api import expect

    settings.ALLOW_PRIVATE_SOURCES = True
    feed = serve_feed(http_server, "/frieren.xml", every_episode(1, 2, resolution=720))
    base = live_server.url
    page = browser.new_context(viewport=DESKTOP).new_page()
    watcher = Watcher(page, {urlsplit(base).hostname, urlsplit(feed).hostname})
    sign_in(page, base, "alice")

    # Test source before saving: a 404 in plain words, then what the feed gives.
    page.goto(f"{base}/items/new/")
    page.fill("#id_anime_title", "Frieren")
    page.fill("#id_anime_url", http_server.url("/missing.xml"))
    page.select_option("#id_provider_id", "feed")
    page.fill("#id_lang", "vostfr")
    page.get_by_role("button", name="Test source").click()
    expect(page.locator("#source-preview")).to_contain_text("The source cannot be read: HTTP 404 Not Found")
    page.fill("#id_anime_url", feed)
    page.get_by_role("button", name="Test source").click()
    expect(page.locator("#source-preview")).to_contain_text("2 episodes (1-2)")
    expect(page.locator("#source-preview")).to_contain_text("720p")
    shoot(page, "everyday-01-test-source")
    assert not WatchlistItem.objects.exists()  # only tested

    # Add: not a green banner, the card says it is being checked...
    page.uncheck("#id_auto_download")
    page.get_by_role("button", name="Add to watchlist").click()
    page.wait_for_url(f"{base}/")
    expect(page.locator(".message--info")).to_contain_text("Its source is being checked now")
    item = WatchlistItem.objects.get(owner=alice)
    expect(card(page, item)).to_contain_text("Checking its source…")
    page.evaluate("window.__noReload = true")
    # ...and follows the check when a worker has run it, without a reload.
    checkqueue.run_next()
    expect(card(page, item).locator(".item__result")).to_contain_text("2 new episodes", timeout=10_000)
    assert page.evaluate("window.__noReload") is True
    expect(page.locator("#live-checks")).not_to_have_attribute("hx-trigger", "every 2s")
    shoot(page, "everyday-02-checked")

    # Tab counts follow pause.
    expect(page.locator("#count-paused")).to_have_text("0")
    card(page, item).get_by_role("button", name="Pause").click()
    expect(page.locator("#count-paused")).to_have_text("1")
    expect(page.locator("#count-active")).to_have_text("0")
    card(page, item).get_by_role("button", name="Resume").click()
    expect(page.locator("#count-paused")).to_have_text("0")

    # The selection bar.
    dungeon = make_item(alice, anime_title="Dungeon Meshi")
    odd = make_item(alice, anime_title="Odd Taxi")
    page.reload()
    page.get_by_label("Select Dungeon Meshi").check()
    page.get_by_label("Select Odd Taxi").check()
    expect(page.locator("#bulk-count")).to_have_text("2 series selected.")
    page.locator("#bulk-form").get_by_role("button", name="Auto-download off").click()
    expect(page.locator(".message--success")).to_contain_text("Automatic download is off for 2 series.")
    assert not WatchlistItem.objects.filter(pk__in=[dungeon.pk, odd.pk], auto_download=True).exists()
    page.get_by_label("Select all on this page").check()
    expect(page.locator("#bulk-count")).to_have_text("3 series selected.")
    shoot(page, "everyday-03-selection")
    page.locator("#bulk-form").get_by_role("button", name="Pause").click()
    expect(page.locator(".message--success")).to_contain_text("Paused 3 series.")
    expect(page.locator("#count-paused")).to_have_text("3")
    assert set(WatchlistItem.objects.values_list("status", flat=True)) == {ItemStatus.PAUSED}

    # Wanted: the two episodes found but not downloaded.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Wanted").click()
    expect(page.locator(".wanted__episode")).to_have_count(2)
    shoot(page, "everyday-04-wanted")
    page.get_by_role("button", name="Download all 2 of Frieren").click()
    expect(page.locator(".message--success")).to_contain_text("2 episodes (1, 2) queued for download")
    assert set(Episode.objects.values_list("state", flat=True)) == {EpisodeState.QUEUED}

    # The account page.
    page.click("summary[aria-label^='Account menu']")
    page.get_by_role("link", name="Your account").click()
    page.fill("#id_old_password", "alice-pass-123")
    page.fill("#id_new_password1", "another-long-pass-42")
    page.fill("#id_new_password2", "another-long-pass-42")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator(".message--success")).to_contain_text("Your password is changed.")
    shoot(page, "everyday-05-account")

    # Staff: Users and System.
    staff = browser.new_context(viewport=DESKTOP).new_page()
    staff_watcher = Watcher(staff, {urlsplit(base).hostname})
    sign_in(staff, base, "admin")
    staff.click("summary[aria-label^='Account menu']")
    staff.get_by_role("link", name="Users").click()
    staff.fill("#id_username", "carol")
    staff.get_by_role("button", name="Create account").click()
    expect(staff.locator("#shown-password")).to_be_visible()
    staff.get_by_role("button", name="Disable alice").click()
    expect(staff.locator(".message--success")).to_contain_text("alice is disabled")
    shoot(staff, "everyday-06-users")
    staff.click("summary[aria-label^='Account menu']")
    staff.get_by_role("link", name="System").click()
    expect(staff.get_by_role("heading", name="Running parts")).to_be_visible()
    expect(staff.locator("body")).to_contain_text("Free")
    shoot(staff, "everyday-07-system")

    # alice was signed out when she was disabled.
    page.goto(f"{base}/")
    page.wait_for_url(f"{base}/login/?next=/")
    assert watcher.problems == [] and staff_watcher.problems == []
