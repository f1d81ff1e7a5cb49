"""Checking and downloading in a real browser, against a real Celery worker
process: alice adds a feed whose enclosures are media files on a loopback
server, presses "Check now", and watches the downloads' progress bars move
to 100% without reloading the page; she cancels and retries a queued one,
pauses and resumes the series, reads her notifications, and moves her
schedule. Bob sees none of it.

The media server sends each file at about 1 MB/s, so a download takes a few
seconds and the bar is seen between 0 and 100.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from downloads.models import DownloadJob, JobStatus
from tests.e2e.test_dashboard_browser import DESKTOP, PHONE, Watcher, card, sign_in
from tests.support.celery_worker import Worker, worker_env
from tests.support.media_server import MediaServer, random_bytes
from tests.support.processes import needs_shared_services, wait_for
from watchlist.models import Episode, EpisodeState, ItemStatus, Notification, WatchlistItem, WatchlistSettings

pytestmark = [
    pytest.mark.slow,
    needs_shared_services,
]

EPISODE_BYTES = 6_000_000
RATE = 1_000_000  # bytes per second: about 6 s per episode


def feed(media: MediaServer, episodes: list[int]) -> str:
    items = "".join(
        f"<item><title>[Grp] Frieren - {n:02d} [1080p].mkv</title>"
        f"<guid>frieren-{n}</guid>"
        f'<enclosure url="{media.url(f"/frieren/{n:02d}.mkv")}" length="{EPISODE_BYTES}" type="video/x-matroska"/>'
        "</item>"
        for n in episodes
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Frieren</title>{items}</channel></rss>'


@pytest.fixture
def media() -> Iterator[MediaServer]:
    server = MediaServer().start()
    yield server
    server.stop()


@pytest.fixture
def worker(settings, tmp_path: Path) -> Iterator[Worker]:
    """One real worker process on the test database and Redis. The live
    server (this process) and the worker must agree on DOWNLOAD_DIR."""
    library = tmp_path / "library"
    library.mkdir()
    settings.DOWNLOAD_DIR = library
    settings.ALLOW_PRIVATE_SOURCES = True
    process = Worker(worker_env(library, tmp_path / "var"), tmp_path / "worker.log", concurrency=2).start()
    yield process
    process.stop()


def countdown_target(page: Any) -> datetime:
    raw = page.locator("#scheduler [data-countdown]").first.get_attribute("data-countdown")
    return datetime.fromisoformat(raw)


def test_check_now_downloads_with_live_progress(browser, live_server, http_server, media, worker, alice, bob, shoot):
    from playwright.sync_api import expect

    for n in (1, 2, 3):
        media.add(f"/frieren/{n:02d}.mkv", random_bytes(EPISODE_BYTES, seed=n), rate=RATE)
    feed_url = http_server.add("/frieren/feed.xml", feed(media, [1, 2, 3]), content_type="application/rss+xml")
    # Two at a time: the third waits in the queue, where it can be cancelled.
    WatchlistSettings.objects.filter(user=alice).update(max_concurrent_auto_downloads=2)
    base = live_server.url
    hosts = {urlsplit(base).hostname}
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    watcher = Watcher(page, hosts, tolerated=("404 (Not Found)",))  # bob is refused alice's pages

    sign_in(page, base, "alice")
    page.goto(f"{base}/items/new/")
    page.fill("#id_anime_title", "Frieren: Beyond Journey's End")
    page.fill("#id_anime_url", feed_url)
    page.select_option("#id_provider_id", "feed")
    page.click("button:has-text('Add to watchlist')")
    page.wait_for_url(f"{base}/")
    item = WatchlistItem.objects.get(owner=alice)
    expect(card(page, item).locator(".next-check")).to_contain_text("Next check")

    # A new series is checked at once by the worker; the card follows it in place.
    expect(card(page, item).locator(".item__result")).to_have_text("3 new episodes, 3 queued", timeout=15_000)
    assert page.url == f"{base}/"
    # Check now: the card answers in place with what the check did.
    card(page, item).get_by_role("button", name="Check now").click()
    expect(card(page, item).locator(".item__result")).to_have_text("No new episodes", timeout=15_000)
    shoot(page, "desktop-20-check-now")
    assert set(Episode.objects.filter(item=item).values_list("state", flat=True)) == {EpisodeState.QUEUED}

    # The downloads page: bars move while the page stays put.
    page.goto(f"{base}/downloads/")
    jobs = {job.metadata["episode"]: job for job in DownloadJob.objects.filter(owner=alice)}
    assert sorted(jobs) == [1, 2, 3]
    third = jobs[3]
    expect(page.locator(f"#job-{third.pk}")).to_contain_text("Waiting for a free slot", timeout=10_000)
    # Cancel the waiting one, in place; it moves to the history.
    page.locator(f"#job-{third.pk}").get_by_role("button", name="Cancel").click()
    expect(page.locator(f"#history #job-{third.pk} .badge")).to_have_text("Cancelled")
    assert DownloadJob.objects.get(pk=third.pk).status == JobStatus.CANCELLED

    first = jobs[1]
    bar = page.locator(f"#job-{first.pk} [role=progressbar]")
    seen: list[float] = []
    marker = page.evaluate("window.__marker = Math.random()")  # gone if the page reloads
    shot_mid = False
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        value = bar.get_attribute("aria-valuenow", timeout=5_000) if bar.count() else None
        if value is not None and (not seen or float(value) != seen[-1]):
            seen.append(float(value))
            if 20 <= seen[-1] < 100 and not shot_mid:
                shoot(page, "desktop-21-downloads-progress")
                shot_mid = True
        if seen and seen[-1] == 100:
            break
        time.sleep(0.2)
    assert seen and seen[-1] == 100, f"progress seen: {seen}\n{worker.output()[-3000:]}"
    assert any(0 < v < 100 for v in seen), f"the bar never showed a value between 0 and 100: {seen}"
    assert seen == sorted(seen), f"the bar went backwards: {seen}"
    assert page.evaluate("window.__marker") == marker  # no reload happened
    expect(page.locator(f"#history #job-{first.pk} .badge")).to_have_text("Completed", timeout=10_000)

    # Retry the cancelled one: back to the queue, then done like the others.
    page.locator(f"#job-{third.pk}").get_by_role("button", name="Retry").click()
    expect(page.locator(f"#active-downloads #job-{third.pk}")).to_be_visible()
    expect(page.locator(f"#history #job-{third.pk} .badge")).to_have_text("Completed", timeout=60_000)
    wait_for(
        lambda: DownloadJob.objects.filter(owner=alice, status=JobStatus.COMPLETED).count() == 3,
        60,
        "all three downloads",
        worker.output,
    )
    expect(page.locator("#active-downloads")).to_contain_text("Nothing is downloading")
    assert "every 1s" not in (page.locator("#active-downloads").get_attribute("hx-trigger") or "")
    shoot(page, "desktop-22-downloads-done")
    for job in DownloadJob.objects.filter(owner=alice):
        assert Path(job.destination).stat().st_size == EPISODE_BYTES
    assert set(Episode.objects.filter(item=item).values_list("state", flat=True)) == {EpisodeState.DOWNLOADED}

    # History filter.
    page.locator("#history").get_by_role("link", name=re.compile("^Completed")).click()
    expect(page.locator("#history .job")).to_have_count(3)
    page.wait_for_url(re.compile(r"status=completed"))

    # The item page: episodes, check history, downloads.
    page.goto(f"{base}/items/{item.pk}/")
    expect(page.locator("#episodes .episode")).to_have_count(3)
    expect(page.locator("#episodes .badge").first).to_have_text("Downloaded")
    expect(page.locator("#checks .check-run")).to_have_count(2)  # the check after adding, then "Check now"
    expect(page.locator("#checks")).to_contain_text("3 new episodes (1, 2, 3), 3 queued")
    expect(page.locator("#downloads .job")).to_have_count(3)
    shoot(page, "desktop-23-item-with-episodes")

    # Notifications: the three finished downloads are one grouped notice,
    # in the bell's dropdown and on the notifications page.
    page.goto(f"{base}/")
    expect(page.locator("#bell .bell__count")).to_have_text("1")
    page.locator("#bell summary").click()
    expect(page.locator("#bell .bell-menu__list")).to_contain_text(
        "Frieren: Beyond Journey's End: episodes 1-3 downloaded."
    )
    shoot(page, "desktop-24-bell-dropdown")
    page.locator("#bell").get_by_role("link", name="All notifications").click()
    page.wait_for_url(f"{base}/notifications/")
    expect(page.locator(".notice--unread")).to_have_count(1)
    expect(page.locator(".notice").first).to_contain_text("3 events")
    shoot(page, "desktop-24-notifications")
    page.locator(".notice").first.get_by_role("button", name="Mark as read").click()
    expect(page.locator("#bell .bell__count")).to_have_count(0)
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.locator(".notice--unread")).to_have_count(0)
    expect(page.locator("#bell .bell__count")).to_have_count(0)
    assert not Notification.objects.filter(user=alice, read_at=None).exists()

    # Pause and resume the series from its row.
    page.goto(f"{base}/")
    card(page, item).get_by_role("button", name="Pause").click()
    expect(card(page, item).locator(".next-check")).to_contain_text("Paused")
    assert WatchlistItem.objects.get(pk=item.pk).status == ItemStatus.PAUSED
    card(page, item).get_by_role("button", name="Resume").click()
    expect(card(page, item).locator(".badge")).to_have_text("Active")

    # The schedule: a live countdown, and a shorter interval moves the next run.
    WatchlistSettings.objects.filter(user=alice).update(
        check_interval_hours=12, next_check_at=timezone.now() + timedelta(hours=10)
    )
    page.goto(f"{base}/settings/")
    countdown = page.locator("#scheduler .countdown")
    expect(countdown).to_have_text(re.compile(r"^in 9 h 59 min$"))
    expect(page.locator("#scheduler .alert--warning")).to_contain_text("nothing runs it")  # no beat in this test
    before = countdown_target(page)
    shoot(page, "desktop-25-settings-schedule")
    page.fill("#id_check_interval_hours", "1")
    page.click("button:has-text('Save settings')")
    expect(page.locator(".message--success")).to_contain_text("Settings saved.")
    after = countdown_target(page)
    assert after < before - timedelta(hours=8)
    expect(countdown).to_have_text(re.compile(r"^in (59 min \d\d s|1 h 00 min)$"))
    first_text = countdown.text_content()
    expect(countdown).not_to_have_text(first_text, timeout=3_000)  # it ticks, every second
    page.get_by_role("button", name="Stop schedule").click()
    expect(page.locator("#scheduler .badge")).to_have_text("Off")
    assert WatchlistSettings.objects.get(user=alice).scheduler_enabled is False
    page.get_by_role("button", name="Start schedule").click()
    expect(page.locator("#scheduler .badge")).to_have_text("On")

    page.goto(f"{base}/stats/")
    expect(page.locator("#days-title")).to_have_count(1)
    shoot(page, "desktop-26-stats-downloads")

    # The same pages on a phone: nothing wider than the screen.
    phone = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, storage_state=context.storage_state()
    )
    phone_page = phone.new_page()
    phone_watcher = Watcher(phone_page, hosts)
    too_wide = {}
    for name, path in [
        ("phone-20-list", "/"),
        ("phone-21-downloads", "/downloads/"),
        ("phone-22-item", f"/items/{item.pk}/"),
        ("phone-23-notifications", "/notifications/"),
        ("phone-24-settings", "/settings/"),
        ("phone-25-stats", "/stats/"),
    ]:
        assert phone_page.goto(f"{base}{path}").status == 200, path
        shoot(phone_page, name)
        overflow = phone_page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            too_wide[path] = overflow
    assert too_wide == {}, "pages wider than the phone (px)"
    phone.close()

    # Bob: none of alice's series, downloads or notifications.
    page.get_by_label(re.compile("Account menu")).click()
    page.click("button:has-text('Sign out')")
    sign_in(page, base, "bob")
    expect(page.get_by_role("heading", name="Your watchlist is empty")).to_be_visible()
    page.goto(f"{base}/downloads/")
    expect(page.get_by_role("heading", name="No downloads yet")).to_be_visible()
    assert page.goto(f"{base}/items/{item.pk}/").status == 404
    assert page.goto(f"{base}/downloads/?item={item.pk}").status == 404
    page.goto(f"{base}/notifications/")
    expect(page.get_by_role("heading", name="No notifications yet")).to_be_visible()
    context.close()
    assert watcher.problems == []
    assert phone_watcher.problems == []
