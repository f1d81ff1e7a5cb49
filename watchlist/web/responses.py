"""Small helpers shared by the dashboard views."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def is_htmx_swap(request: HttpRequest, target: str | None = None) -> bool:
    """True when htmx asks for a fragment (optionally for one element id).

    A history-restore request wants the whole page: htmx sends it when its
    snapshot cache misses, e.g. after Back.
    """
    htmx = getattr(request, "htmx", None)
    if not htmx or htmx.history_restore_request:
        return False
    return target is None or htmx.target == target


def safe_next(request: HttpRequest, default: str) -> str:
    """The `next` field of a POST, if it stays on this site."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default
