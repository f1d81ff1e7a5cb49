"""The calendar: upcoming episodes in the user's time zone (API, week and
list pages), the iCal feed at a secret rotatable URL, and the time zone
setting."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from icalendar import Calendar

from tests.metadata_helpers import epoch, linked_item
from tests.support.fake_anilist import media
from watchlist.feedkeys import feed_key
from watchlist.models import ItemStatus, WatchlistSettings

pytestmark = pytest.mark.django_db

# Monday 2026-11-23 23:30 UTC is Tuesday 08:30 in Tokyo.
MONDAY_LATE = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)


def set_zone(user, name: str) -> None:
    row = WatchlistSettings.for_user(user)
    row.time_zone = name
    row.save()


@pytest.fixture
def shows(anilist, alice, time_machine):
    """alice tracks two airing series (one of them twice) and an archived one."""
    time_machine.move_to(MONDAY_LATE - timedelta(hours=2), tick=False)
    anilist.add(
        media(
            1,
            "Frieren",
            episodes=28,
            duration=24,
            schedule=[(5, epoch(MONDAY_LATE)), (6, epoch(MONDAY_LATE + timedelta(days=7)))],
        ),
        media(2, "Dungeon Meshi", episodes=24, schedule=[(3, epoch(MONDAY_LATE + timedelta(days=2, hours=-12)))]),
        media(3, "Archived Show", schedule=[(9, epoch(MONDAY_LATE + timedelta(days=1)))]),
    )
    frieren = linked_item(alice, anilist, 1)
    linked_item(alice, anilist, 1, anime_title="Frieren (EN)", lang="en")
    meshi = linked_item(alice, anilist, 2)
    linked_item(alice, anilist, 3, status=ItemStatus.ARCHIVED)
    return frieren, meshi


def test_the_api_lists_upcoming_episodes_in_the_users_zone(shows, alice, alice_api):
    frieren, _meshi = shows
    set_zone(alice, "Asia/Tokyo")
    data = alice_api.get("/api/calendar", {"start": "2026-11-24", "days": 7}).json()
    assert data["time_zone"] == "Asia/Tokyo"
    assert [(e["anime_title"], e["episode"], e["airing_at"]) for e in data["episodes"]] == [
        ("Frieren", 5, "2026-11-24T08:30:00+09:00"),
        ("Dungeon Meshi", 3, "2026-11-25T20:30:00+09:00"),
    ]
    assert data["episodes"][0]["item_id"] == str(frieren.pk)
    assert data["episodes"][0]["ends_at"] == "2026-11-24T08:54:00+09:00"
    assert data["episodes"][0]["episodes_total"] == 28
    # The same days in UTC: Monday's late airing is on Monday.
    set_zone(alice, "")
    utc = alice_api.get("/api/calendar", {"start": "2026-11-23", "days": 1}).json()
    assert [e["airing_at"] for e in utc["episodes"]] == ["2026-11-23T23:30:00Z"]


def test_calendar_days_are_bounded(alice_api):
    assert alice_api.get("/api/calendar", {"days": 63}).status_code == 400
    assert "start" in alice_api.get("/api/calendar", {"start": "nope"}).json()


def test_the_week_page_puts_each_episode_on_its_local_day(shows, alice, alice_web):
    set_zone(alice, "Asia/Tokyo")
    html = alice_web.get("/calendar/", {"week": "2026-11-25"}).content.decode()
    assert "Week of 23 November 2026" in html
    days = re.findall(r'<li class="calendar-day[^"]*">(.*?)</li>\s*(?=<li class="calendar-day|</ol>)', html, re.S)
    assert len(days) == 7
    assert "Frieren" not in days[0]  # Monday in Tokyo: nothing
    assert "Frieren" in days[1] and ">08:30<" in days[1] and "Episode 5/28" in days[1]
    assert "Dungeon Meshi" in days[2] and ">20:30<" in days[2]
    assert "Archived Show" not in html
    assert html.count("Frieren</a>") == 1  # tracked twice, shown once
    assert "Air times in Asia/Tokyo" in html


def test_the_list_page_shows_the_coming_weeks(shows, alice_web):
    html = alice_web.get("/calendar/", {"view": "list"}).content.decode()
    assert html.index("Frieren") < html.index("Dungeon Meshi")
    assert "Monday 23 November" in html and "Monday 30 November" in html


def test_pages_follow_the_users_zone(shows, alice, alice_web):
    frieren, _ = shows
    set_zone(alice, "America/New_York")
    html = alice_web.get(f"/items/{frieren.pk}/").content.decode()
    # 23:30 UTC is 18:30 in New York, where it is still today.
    assert ">18:30<" in html


def test_the_ical_feed_is_at_a_secret_url_and_needs_no_sign_in(shows, alice):
    url = f"/calendar/{feed_key(alice)}.ics"
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response["Cache-Control"]
    calendar = Calendar.from_ical(response.content)
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert [str(e["summary"]) for e in events] == [
        "Frieren: episode 5/28",
        "Dungeon Meshi: episode 3/24",
        "Frieren: episode 6/28",
    ]
    first = events[0]
    assert first.decoded("dtstart") == MONDAY_LATE
    assert first.decoded("dtend") == MONDAY_LATE + timedelta(minutes=24)
    assert str(first["uid"]) == "anilist-1-episode-5@testserver"
    assert str(first["url"]).endswith(f"/items/{shows[0].pk}/")


def test_rotating_the_key_breaks_the_old_url(shows, alice, alice_web):
    old = feed_key(alice)
    page = alice_web.get("/calendar/").content.decode()
    assert f"/calendar/{old}.ics" in page
    assert "New secret address" in page
    response = alice_web.post("/calendar/rotate/")
    assert response.status_code == 302
    new = feed_key(alice)
    assert new != old
    assert Client().get(f"/calendar/{old}.ics").status_code == 404
    assert Client().get(f"/calendar/{new}.ics").status_code == 200


def test_the_feed_url_in_the_api_and_its_rotation(alice_api, alice):
    url = alice_api.get("/api/calendar/feed-url").json()["url"]
    assert url == f"http://testserver/calendar/{feed_key(alice)}.ics"
    rotated = alice_api.post("/api/calendar/feed-url/rotate").json()["url"]
    assert rotated != url and rotated.endswith(f"/calendar/{feed_key(alice)}.ics")
    assert "?" not in rotated


def test_an_unknown_key_is_a_404_and_another_users_key_shows_theirs_only(shows, bob):
    assert Client().get("/calendar/not-a-key.ics").status_code == 404
    body = Client().get(f"/calendar/{feed_key(bob)}.ics").content
    assert Calendar.from_ical(body).walk("VEVENT") == []


@pytest.mark.parametrize("zone", ["Mars/Olympus", "utc+2", "../../etc/passwd"])
def test_unknown_time_zones_are_refused_with_the_field_named(alice_api, zone):
    response = alice_api.put("/api/watchlist/settings", {"time_zone": zone}, format="json")
    assert response.status_code == 400
    assert "Unknown time zone" in response.json()["time_zone"][0]


def test_the_settings_page_saves_the_zone(alice, alice_web):
    page = alice_web.get("/settings/").content.decode()
    assert '<option value="Europe/Paris">' in page
    form = {
        "check_interval_hours": 6,
        "max_concurrent_auto_downloads": 2,
        "auto_download_enabled": "on",
        "complete_finished_series": "on",
        "time_zone": "Europe/Paris",
    }
    assert alice_web.post("/settings/", form).status_code == 302
    row = WatchlistSettings.for_user(alice)
    assert (row.time_zone, row.complete_finished_series) == ("Europe/Paris", True)
    form.pop("complete_finished_series")
    form["time_zone"] = ""
    alice_web.post("/settings/", form)
    row.refresh_from_db()
    assert (row.time_zone, row.complete_finished_series) == ("", False)
