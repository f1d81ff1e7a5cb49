"""Sign-in attempt limiting: N failures per (client address, username) in a
fixed window lock that pair out until the window ends.

State lives in Django's default cache. With the default LocMemCache each web
process counts on its own, so with W gunicorn workers an attacker gets up to
W x LIMIT guesses per window; point CACHES at Redis to share the count.

The key includes the username so that many people behind one NAT (or one
reverse proxy, since REMOTE_ADDR is what we read: X-Forwarded-For is
client-controlled unless a trusted proxy rewrites it) do not lock each other
out, and the address so that one attacker cannot lock a known user out from
everywhere.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest

LIMIT = 5
WINDOW_SECONDS = 5 * 60
_PREFIX = "web-signin"


@dataclass(frozen=True)
class Lockout:
    retry_after_seconds: int

    @property
    def retry_after_minutes(self) -> int:
        return max(1, math.ceil(self.retry_after_seconds / 60))


def _key(request: HttpRequest, username: str) -> str:
    ip = request.META.get("REMOTE_ADDR", "")
    # Hashed: usernames are user input and cache keys have a restricted alphabet.
    digest = hashlib.sha256(f"{ip}\0{username.strip().lower()}".encode()).hexdigest()
    return f"{_PREFIX}:{digest}"


def lockout_for(request: HttpRequest, username: str) -> Lockout | None:
    key = _key(request, username)
    if cache.get(f"{key}:n", 0) < LIMIT:
        return None
    reset_at = cache.get(f"{key}:reset", 0)
    return Lockout(retry_after_seconds=max(1, math.ceil(reset_at - time.time())))


def record_failure(request: HttpRequest, username: str) -> None:
    key = _key(request, username)
    # add() only sets a missing key, so the window starts at the first failure
    # and later failures do not extend it; incr() is atomic in every backend.
    cache.add(f"{key}:reset", time.time() + WINDOW_SECONDS, WINDOW_SECONDS)
    cache.add(f"{key}:n", 0, WINDOW_SECONDS)
    try:
        cache.incr(f"{key}:n")
    except ValueError:  # expired between add() and incr(): a new window
        cache.set(f"{key}:n", 1, WINDOW_SECONDS)
        cache.set(f"{key}:reset", time.time() + WINDOW_SECONDS, WINDOW_SECONDS)


def clear(request: HttpRequest, username: str) -> None:
    key = _key(request, username)
    cache.delete_many([f"{key}:n", f"{key}:reset"])
