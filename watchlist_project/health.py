"""/healthz for load balancers and container health checks: 200 when the
database and the broker answer, 503 naming which one does not.

Anyone may call it, so it says "ok" or "unavailable" per part and nothing
more: the raw errors name hosts, ports and database users. They go to the
log, and signed-in staff see them in the answer too.
"""

import logging

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .broker import broker_reachable

logger = logging.getLogger(__name__)


def _database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True, ""
    except Exception as exc:  # any database error means "not healthy"
        return False, f"{type(exc).__name__}: {exc}"


def _is_staff(request: HttpRequest) -> bool:
    # The session's user is looked up only when a part failed, and a lookup
    # that fails (the database is what is down) means "not staff".
    try:
        return bool(request.user.is_authenticated and request.user.is_staff)
    except Exception:
        return False


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    db_ok, db_error = _database_ok()
    broker_ok, broker_error = broker_reachable()
    healthy = db_ok and broker_ok
    body = {
        "status": "ok" if healthy else "unavailable",
        "database": "ok" if db_ok else "unavailable",
        "broker": "ok" if broker_ok else "unavailable",
    }
    if not healthy:
        logger.warning("healthz: database %s, broker %s", db_error or "ok", broker_error or "ok")
        if _is_staff(request):
            body["errors"] = {"database": db_error, "broker": broker_error}
    return JsonResponse(body, status=200 if healthy else 503)
