"""The calendar page (a week, or a list of the coming weeks) of the user's
upcoming episodes in their time zone, its iCal feed, and rotating the
feed's secret URL.

The feed is fetched by calendar apps without signing in: its URL carries the
user's feed key in the path (watchlist/feedkeys.py), never an API token and
never a query string. An unknown key is a plain 404.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ..feedkeys import feed_key, rotate_feed_key, user_for_feed_key
from ..metadata.calendar import days, user_zone, week_start
from ..metadata.ical import build_ical

LIST_DAYS = 28


def _feed_urls(request: HttpRequest, key: str) -> dict[str, str]:
    url = request.build_absolute_uri(reverse("web:calendar-ics", args=[key]))
    # webcal:// makes a click open the calendar app's "subscribe" dialog.
    return {"ical_url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]}


def _week_param(value: str | None, today: date) -> date:
    try:
        return week_start(date.fromisoformat(value)) if value else week_start(today)
    except ValueError:
        return week_start(today)


@require_GET
@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    zone = user_zone(request.user)
    today = timezone.localtime(timezone.now(), zone).date()
    view = "list" if request.GET.get("view") == "list" else "week"
    context: dict = {"view": view, "zone": zone, "today": today, **_feed_urls(request, feed_key(request.user))}
    with timezone.override(zone):
        if view == "week":
            first = _week_param(request.GET.get("week"), today)
            context.update(
                week_days=days(request.user, first, 7, zone, today),
                week_first=first,
                previous_week=first - timedelta(days=7),
                next_week=first + timedelta(days=7),
                this_week=week_start(today),
            )
        else:
            context["list_days"] = [day for day in days(request.user, today, LIST_DAYS, zone, today) if day.entries]
            context["list_until"] = today + timedelta(days=LIST_DAYS - 1)
        return render(request, "watchlist/calendar.html", context)


@require_POST
@login_required
def calendar_rotate(request: HttpRequest) -> HttpResponse:
    rotate_feed_key(request.user)
    messages.success(request, _("Your calendar has a new address. Subscriptions to the old one stop updating."))
    return redirect("web:calendar")


@require_GET
def calendar_ics(request: HttpRequest, key: str) -> HttpResponse:
    user = user_for_feed_key(key)
    if user is None:
        raise Http404("no such calendar")
    body = build_ical(
        user,
        item_url=lambda item: request.build_absolute_uri(reverse("web:item", args=[item.pk])),
        host=request.get_host().split(":")[0] or "watchlist",
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="watchlist.ics"'
    # The URL is a secret: keep it and the answer out of shared caches.
    response["Cache-Control"] = "private, max-age=900"
    response["Referrer-Policy"] = "no-referrer"
    return response
