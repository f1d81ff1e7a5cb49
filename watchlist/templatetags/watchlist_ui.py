"""Template filters for the dashboard."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils import dateformat, formats, timezone
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ..models import WatchlistItem, WatchlistSettings
from ..web.labels import provider_name as _provider_name
from ..web.next_check import NextCheck, next_check
from ..web.notices import unread_count

register = template.Library()


@register.filter
def provider_name(provider_id: str) -> str:
    return _provider_name(provider_id)


@register.filter
def ago(value: datetime | None) -> str:
    """ "3 hours ago": one unit is enough for a glance (Django's timesince
    filter says "3 hours, 2 minutes")."""
    if value is None:
        return ""
    now = timezone.now()
    if abs((now - value).total_seconds()) < 60:
        return _("just now")  # rather than "0 minutes ago"
    if value > now:
        return _("in %(time)s") % {"time": timeuntil(value, now, depth=1)}
    return _("%(time)s ago") % {"time": timesince(value, now, depth=1)}


@register.simple_tag(takes_context=True)
def return_path(context: dict[str, Any]) -> str:
    """Where a plain (no-JavaScript) action on this page should come back to.

    A card re-rendered for htmx is built by the action's own URL (POST only),
    so the page the user sees is the one htmx reports, not this request's.
    """
    request: HttpRequest = context["request"]
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.current_url_abs_path:
        return htmx.current_url_abs_path
    return request.get_full_path()


# --- times, sizes and durations ---------------------------------------------


def duration_text(seconds: float) -> str:
    """ "4 min 12 s", "3 h 05 min", "2 d 4 h": two units, enough to see it
    move. static/watchlist/app.js formats the live countdown the same way
    (with the day unit and phrases base.html gives it in the page's
    language), so the text does not jump when the script takes over."""
    seconds = max(0, int(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} {day_unit()} {hours} h"
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"


def day_unit() -> str:
    # "j" (jours) in French; hours, minutes and seconds are written alike.
    return pgettext("unit of a duration", "d")


@register.filter
def duration(seconds: float | None) -> str:
    return "" if seconds is None else duration_text(seconds)


@register.filter
def countdown(value: datetime | None) -> str:
    if value is None:
        return ""
    left = (value - timezone.now()).total_seconds()
    return _("due now") if left < 1 else _("in %(time)s") % {"time": duration_text(left)}


@register.simple_tag
def countdown_words() -> dict[str, str]:
    """The words of countdown() and duration_text(), for app.js's live countdowns."""
    return {"day": day_unit(), "due": _("due now"), "in": _("in %(time)s")}


@register.filter
def clock(value: datetime | None) -> str:
    """A time as people say it: "14:05" today, "Tue 14:05" this week, else
    with the date. In the site's time zone, like every time on the page."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    today = timezone.localdate()
    days = (local.date() - today).days
    # Django's date format, not strftime: day and month names follow the
    # page's language rather than the process's C locale.
    if days == 0:
        return dateformat.format(local, "H:i")
    if -6 <= days <= 6:
        return dateformat.format(local, "D H:i")
    return dateformat.format(local, "j M Y H:i")


@register.filter
def milliseconds(value: int | None) -> str:
    if value is None:
        return ""
    return f"{value} ms" if value < 1000 else f"{formats.number_format(value / 1000, 1)} s"


@register.filter
def speed(value: int | None) -> str:
    """Bytes per second as "1.2 MB/s" (empty when idle)."""
    if not value:
        return ""
    return f"{filesizeformat(value)}/s"


@register.filter
def sentence(value: str | None) -> str:
    """Error texts are stored in lower case to read well mid-sentence
    ("check failed: the source ..."); alone on a line they start with a
    capital."""
    if not value:
        return ""
    return value[0].upper() + value[1:]


# --- per-request lookups -----------------------------------------------------


def _cached(request: HttpRequest, name: str, compute: Any) -> Any:
    # A list page renders many cards; the user's row is read once per request.
    cache = request.__dict__.setdefault("_watchlist_ui", {})
    if name not in cache:
        cache[name] = compute()
    return cache[name]


@register.simple_tag(takes_context=True)
def language_choice(context: dict[str, Any]) -> str:
    """What the language switch shows as chosen: the cookie's language, or
    "browser" while the browser's Accept-Language decides (views_language.py)."""
    from django.conf import settings

    request: HttpRequest | None = context.get("request")
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "") if request is not None else ""
    return chosen if chosen in dict(settings.LANGUAGES) else "browser"


@register.simple_tag(takes_context=True)
def next_check_of(context: dict[str, Any], item: WatchlistItem) -> NextCheck:
    request: HttpRequest = context["request"]
    row = _cached(request, "settings", lambda: WatchlistSettings.for_user(request.user))
    return next_check(item, row)


@register.simple_tag(takes_context=True)
def unread_notifications(context: dict[str, Any]) -> int:
    request: HttpRequest | None = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return 0
    return _cached(request, "unread", lambda: unread_count(user))
