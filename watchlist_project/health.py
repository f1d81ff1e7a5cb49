"""/healthz for load balancers and container health checks: 200 when the
database and the broker answer, 503 naming what does not."""

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .broker import broker_reachable


def _database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True, ""
    except Exception as exc:  # any database error means "not healthy"
        return False, f"{type(exc).__name__}: {exc}"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    db_ok, db_error = _database_ok()
    broker_ok, broker_error = broker_reachable()
    body = {
        "status": "ok" if db_ok and broker_ok else "unavailable",
        "database": "ok" if db_ok else db_error,
        "broker": "ok" if broker_ok else broker_error,
    }
    return JsonResponse(body, status=200 if db_ok and broker_ok else 503)
