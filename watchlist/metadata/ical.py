"""The user's episode calendar as an iCalendar (RFC 5545) feed.

Calendar apps fetch it without signing in, so its URL carries the user's
feed key (watchlist/feedkeys.py) in the path: never an API token, and never
in a query string (which proxies and logs keep). Rotating the key on the
calendar page breaks the old URL at once.

Events are the episodes from a week ago to 60 days ahead, in UTC (calendar
apps show them in their own zone); each UID is stable per series and
episode, so a moved episode updates its event instead of adding one.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils import timezone
from icalendar import Calendar, Event

from .calendar import entries_between

PAST = timedelta(days=7)
AHEAD = timedelta(days=60)
PRODUCT_ID = "-//watchlist//episode calendar//EN"


def build_ical(user, *, item_url, host: str, now: datetime | None = None) -> bytes:
    """``item_url(item) -> absolute URL`` links each event to its item page;
    ``host`` makes the UIDs globally unique."""
    now = now or timezone.now()
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"Watchlist: {user.get_username()}")
    calendar.add("x-published-ttl", "PT6H")
    stamp = now.astimezone(UTC)
    for entry in entries_between(user, now - PAST, now + AHEAD, UTC):  # type: ignore[arg-type]
        event = Event()
        event.add("uid", f"anilist-{entry.series.anilist_id}-episode-{entry.episode}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.airing_at.astimezone(UTC))
        event.add("dtend", entry.ends_at.astimezone(UTC))
        event.add("summary", f"{entry.title}: episode {entry.of_total}")
        event.add("description", f"{entry.series.display_title}, episode {entry.episode} airs.")
        event.add("url", item_url(entry.item))
        event.add("categories", ["Anime"])
        event.add("transp", "TRANSPARENT")  # an airing does not make anyone busy
        calendar.add_component(event)
    return calendar.to_ical()
