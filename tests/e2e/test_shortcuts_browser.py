"""Keyboard shortcuts in a real browser: "?" opens the help that lists them,
"/" goes to the search box, "a" and "g <letter>" open pages, and none of
them fires while typing in a field."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.e2e.test_dashboard_browser import DESKTOP, PASSWORD, Watcher, sign_in
from tests.factories import make_item

pytestmark = pytest.mark.slow


def test_keyboard_shortcuts(browser, live_server, alice):
    from playwright.sync_api import expect

    make_item(alice, anime_title="Frieren")
    base = live_server.url
    page = browser.new_context(viewport=DESKTOP).new_page()
    watcher = Watcher(page, {urlsplit(base).hostname})
    sign_in(page, base, "alice")

    # "?" opens the help, which names every shortcut; Escape closes it.
    help_dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(help_dialog).to_be_hidden()
    page.keyboard.press("Shift+?")
    expect(help_dialog).to_be_visible()
    for text in ("Search the watchlist", "Add a series", "Go to downloads", "Go to wanted (missing) episodes"):
        expect(help_dialog).to_contain_text(text)
    page.keyboard.press("g")  # a modal help swallows shortcuts
    page.keyboard.press("d")
    page.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()
    assert page.url == f"{base}/"

    # Two-key sequences open pages.
    page.keyboard.press("g")
    page.keyboard.press("d")
    page.wait_for_url(f"{base}/downloads/")
    page.keyboard.press("g")
    page.keyboard.press("m")
    page.wait_for_url(f"{base}/wanted/")

    # "/" from another page: the watchlist with its search box focused.
    page.keyboard.press("/")
    page.wait_for_url(f"{base}/#search")
    expect(page.locator("#search")).to_be_focused()

    # Typing in a field is typing: "a", "g d" and "?" land in the box.
    page.keyboard.type("ag d?")
    expect(page.locator("#search")).to_have_value("ag d?")
    assert urlsplit(page.url).path == "/"
    expect(help_dialog).to_be_hidden()

    # Out of the field, "a" opens the add page; the menu's entry opens the help.
    page.locator("#search").blur()
    page.keyboard.press("a")
    page.wait_for_url(f"{base}/items/new/")
    page.locator("details.user-menu summary").click()
    page.get_by_role("button", name="Keyboard shortcuts").click()
    expect(help_dialog).to_be_visible()
    help_dialog.get_by_role("button", name="Close").click()
    expect(help_dialog).to_be_hidden()
    assert watcher.problems == []


def test_shortcut_help_in_french(browser, live_server, alice):
    from playwright.sync_api import expect

    base = live_server.url
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{base}/login/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD.format("alice"))
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/")
    expect(page.get_by_role("heading", name="Votre liste de suivi est vide")).to_be_visible()
    page.keyboard.press("Shift+?")
    expect(page.get_by_role("dialog", name="Raccourcis clavier")).to_contain_text("Aller aux téléchargements")
    page.keyboard.press("Escape")

    # The live countdowns (app.js) speak French too, once they tick.
    make_item(alice, anime_title="Frieren")
    page.reload()
    countdown = page.locator(".item .countdown").first
    page.evaluate("document.querySelector('.item .countdown').textContent = ''")
    expect(countdown).to_have_text("maintenant")  # a new series is due at once
    # So does the selection bar (bulk.js).
    page.get_by_label("Sélectionner Frieren").check()
    expect(page.locator("#bulk-count")).to_have_text("1 série sélectionnée.")
    context.close()
