"""Notification targets in a real browser: alice adds a webhook target and
an email target from the dashboard, sends each a test that arrives at a
receiver on 127.0.0.1, sees a refused address explained next to the field,
makes a read-only token (shown once) and finds her podcast feed URL."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.e2e.test_dashboard_browser import DESKTOP, Watcher, sign_in
from tests.support.receivers import SmtpReceiver, WebhookReceiver
from watchlist.models import ApiToken, NotificationTarget

pytestmark = [pytest.mark.slow]


def test_targets_tokens_and_feed_from_the_dashboard(browser, live_server, alice, settings, shoot):
    from playwright.sync_api import expect

    webhook = WebhookReceiver().start()
    smtp = SmtpReceiver().start()
    settings.PRIVATE_SOURCE_ALLOWLIST = [webhook.netloc, f"127.0.0.1:{smtp.port}"]
    settings.ALLOW_PRIVATE_SOURCES = False
    settings.NOTIFY_SEND_TIMEOUT_SECONDS = 5
    base = live_server.url
    page = browser.new_context(viewport=DESKTOP).new_page()
    watcher = Watcher(page, {urlsplit(base).hostname}, tolerated=("400 (Bad Request)",))  # the refused URL
    try:
        sign_in(page, base, "alice")
        page.locator(".user-menu summary").click()
        page.get_by_role("link", name="Notification targets").click()
        page.wait_for_url(f"{base}/notifications/targets/")

        # A webhook (a Discord-style JSON receiver), every event.
        page.fill("#id_name", "Webhook")
        page.fill("#id_url", f"json://{webhook.netloc}/hooks/SECRETWEBHOOKTOKEN")
        page.click("button:has-text('Add target')")
        page.wait_for_url(f"{base}/notifications/targets/")
        row = page.locator(".target", has_text="Webhook")
        expect(row).to_contain_text("/hooks/S...N")
        assert "SECRETWEBHOOKTOKEN" not in page.content()
        row.get_by_role("button", name="Send a test").click()
        expect(page.locator(".target", has_text="Webhook")).to_contain_text("Test sent.")
        assert webhook.posted[0].json()["title"] == "Watchlist: test notification"

        # Email, downloads only.
        page.fill("#id_name", "Email")
        page.fill("#id_url", f"mailto://127.0.0.1:{smtp.port}?from=watch@example.org&to=alice@example.org")
        for label in ("New episodes found", "Source failing", "Series completed"):
            page.get_by_label(label).uncheck()
        page.click("button:has-text('Add target')")
        page.wait_for_url(f"{base}/notifications/targets/")
        page.locator(".target", has_text="Email").get_by_role("button", name="Send a test").click()
        expect(page.locator(".target", has_text="Email")).to_contain_text("Test sent.")
        assert smtp.messages[0]["Subject"] == "Watchlist: test notification"
        assert NotificationTarget.objects.get(name="Email").events == ["download_completed", "download_failed"]

        # A target on the server's own Redis is refused, with the reason.
        page.fill("#id_name", "Redis")
        page.fill("#id_url", "json://127.0.0.1:6379/")
        page.click("button:has-text('Add target')")
        expect(page.locator(".field--invalid")).to_contain_text("address 127.0.0.1 is loopback and not allowed")
        shoot(page, "desktop-30-notification-targets")

        # A read-only token for a script, shown once; and the feed URL.
        page.goto(f"{base}/account/token/")
        page.fill("#id_name", "backup script")
        page.select_option("#id_scope", "read")
        page.click("button:has-text('Create token')")
        token = page.locator("#new-token").input_value()
        assert token.startswith("wlt_")
        assert ApiToken.objects.get(user=alice).prefix == token[4:12]
        expect(page.locator("#feed-rss")).to_have_value(re.compile(r"/feeds/.+/episodes\.rss$"))
        shoot(page, "desktop-31-tokens-and-feeds")
        page.goto(f"{base}/account/token/")
        assert token not in page.content()
        assert watcher.problems == []
    finally:
        webhook.stop()
        smtp.stop()
