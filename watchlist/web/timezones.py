"""Dashboard pages in the signed-in user's time zone.

Every time a page shows (clock, dates, the calendar) goes through Django's
current time zone, so activating the user's zone (WatchlistSettings.time_zone,
"" = TIME_ZONE) for the request is enough. The API is left in UTC, so its
answers do not depend on who asks; its calendar endpoint says which zone it
uses.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from ..metadata.calendar import zone_of
from ..models import WatchlistSettings


class UserTimeZoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith("/api/"):
            return self.get_response(request)
        name = WatchlistSettings.objects.filter(user=user).values_list("time_zone", flat=True).first() or ""
        if not name:
            return self.get_response(request)
        with timezone.override(zone_of(name)):
            return self.get_response(request)
