"""Error pages: JSON under /api/, Django's HTML pages elsewhere.

An API client that asks for /api/watchlist/not-a-uuid gets the same JSON 404
as for any other missing object, not an HTML page it cannot parse.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

from downloads.net.errors import causes


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


DATABASE_DOWN = "The database cannot be reached right now. Try again in a minute."


def _database_unavailable() -> bool:
    """The request failed because the database is down or restarting (its
    connection refused or dropped), not because of a bug."""
    _, exc, _ = sys.exc_info()
    return exc is not None and any(isinstance(cause, OperationalError | InterfaceError) for cause in causes(exc))


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this for any uncaught exception, middleware included, so
    # this is the one place a database outage becomes a 503 (the web comes
    # back by itself: CONN_HEALTH_CHECKS reconnects on the next request).
    if _database_unavailable():
        if _is_api(request):
            response: HttpResponse = JsonResponse({"detail": DATABASE_DOWN}, status=503)
        else:
            response = HttpResponse(DATABASE_DOWN, status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = "30"
        return response
    if _is_api(request):
        return JsonResponse({"detail": "Internal server error."}, status=500)
    return defaults.server_error(request)
