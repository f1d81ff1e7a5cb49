"""Security settings that several parts agree on: who the client is behind
proxies, the HTTPS switch and the Content-Security-Policy.

Plain functions and data: settings.py builds its values from here, and the
sign-in lockout and the API throttle ask `client_address` who is asking, so
the two can never disagree about it.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.http import HttpRequest

# HSTS for a year once the site says it is served over HTTPS. Not
# includeSubDomains: other services on sibling names are not ours to bind.
HSTS_SECONDS = 365 * 24 * 3600


def client_address(request: HttpRequest) -> str:
    """The address of the client that sent the request.

    REMOTE_ADDR unless TRUSTED_PROXY_COUNT proxies stand in front of the
    service: then X-Forwarded-For's entry that the outermost trusted proxy
    added. Each proxy appends the address it received the request from, so
    with N trusted proxies the client is N entries from the right; anything
    further left was written by the client and proves nothing. A header that
    is missing, too short or not an address falls back to REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    trusted = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if trusted <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < trusted:
        return remote
    candidate = forwarded[-trusted]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def https_settings(enabled: bool) -> dict[str, Any]:
    """What the one `HTTPS=true` switch turns on: the proxy's scheme header
    is believed, cookies are sent over HTTPS only, and browsers are told to
    use HTTPS from then on (HSTS)."""
    if not enabled:
        return {}
    return {
        # The proxy must set (and overwrite) X-Forwarded-Proto; README says so.
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": HSTS_SECONDS,
    }


def content_security_policy() -> dict[str, Any]:
    """django-csp's setting: scripts and styles from this site only (htmx
    and app.js are static files here), nothing inline, no plug-ins, no
    framing. Posters are images on the users' own hosts, so images may come
    from anywhere over http(s)."""
    self_ = "'self'"
    return {
        "DIRECTIVES": {
            "default-src": [self_],
            "script-src": [self_],
            "style-src": [self_],
            "img-src": [self_, "data:", "http:", "https:"],
            "font-src": [self_],
            "connect-src": [self_],
            "object-src": ["'none'"],
            "base-uri": ["'none'"],
            "form-action": [self_],
            "frame-ancestors": ["'none'"],
        }
    }
