"""Limits on password guessing, shared by the dashboard's sign-in form and
the API's token endpoint (`POST /api/auth/token`).

Failed attempts are counted in the shared cache (Redis with REDIS_URL, a
file cache under VAR_DIR in the embedded mode), so every web process sees
the same counts. Three counters, each a fixed window from its first
failure:

- per (client address, username), LIMIT failures in WINDOW_SECONDS: the
  everyday lock. Someone who mistypes their password is locked out of that
  account from that address only; nobody else is.
- per client address, across usernames: one address trying many accounts
  (password spraying) is stopped even though each account sees few tries.
- per username, across addresses: guesses spread over many addresses still
  add up. Higher, because anyone can run this one down for a known user;
  the lock lasts one window and the README says so.

The client address is `watchlist_project.security.client_address`:
REMOTE_ADDR unless TRUSTED_PROXY_COUNT says which X-Forwarded-For entry a
trusted proxy wrote, so a client cannot pick a fresh address per guess.

Windows are judged by the time stored with each counter, not only by the
cache's expiry, so a lock ends on time whatever the backend.

If the cache cannot be reached (Redis down), sign-in keeps working without
the limit and the error is logged: an outage of the broker must not lock
every user out.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest

from watchlist_project.security import client_address

logger = logging.getLogger(__name__)

LIMIT = 5
WINDOW_SECONDS = 5 * 60
ADDRESS_LIMIT = 20
ADDRESS_WINDOW_SECONDS = 5 * 60
USERNAME_LIMIT = 50
USERNAME_WINDOW_SECONDS = 15 * 60
_PREFIX = "signin-failures"


@dataclass(frozen=True)
class Lockout:
    retry_after_seconds: int

    @property
    def retry_after_minutes(self) -> int:
        return max(1, math.ceil(self.retry_after_seconds / 60))


@dataclass(frozen=True)
class _Counter:
    key: str
    limit: int
    window: int


def _digest(*parts: str) -> str:
    # Hashed: usernames are user input and cache keys have a restricted alphabet.
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _counters(request: HttpRequest, username: str) -> Iterator[_Counter]:
    address = client_address(request)
    name = username.strip().lower()
    yield _Counter(f"{_PREFIX}:pair:{_digest(address, name)}", LIMIT, WINDOW_SECONDS)
    yield _Counter(f"{_PREFIX}:address:{_digest(address)}", ADDRESS_LIMIT, ADDRESS_WINDOW_SECONDS)
    if name:
        yield _Counter(f"{_PREFIX}:user:{_digest(name)}", USERNAME_LIMIT, USERNAME_WINDOW_SECONDS)


def lockout_for(request: HttpRequest, username: str) -> Lockout | None:
    """The lock that applies to this address and username now, if any (the
    longest one when several do)."""
    now = time.time()
    waits = []
    try:
        for counter in _counters(request, username):
            values = cache.get_many([f"{counter.key}:n", f"{counter.key}:reset"])
            count, reset_at = values.get(f"{counter.key}:n", 0), values.get(f"{counter.key}:reset", 0)
            if count >= counter.limit and reset_at > now:
                waits.append(reset_at - now)
    except Exception:
        logger.exception("sign-in limits: the cache cannot be read; not limiting this attempt")
        return None
    if not waits:
        return None
    return Lockout(retry_after_seconds=max(1, math.ceil(max(waits))))


def record_failure(request: HttpRequest, username: str) -> None:
    now = time.time()
    try:
        for counter in _counters(request, username):
            _count(counter, now)
    except Exception:
        logger.exception("sign-in limits: the cache cannot be written; this failure is not counted")


def _count(counter: _Counter, now: float) -> None:
    count_key, reset_key = f"{counter.key}:n", f"{counter.key}:reset"
    # The cache keeps the keys a little past the window; the stored reset
    # time is what ends it.
    keep = counter.window + 60
    if cache.get(reset_key, 0) <= now:
        # No window, or an ended one: this failure opens a new window. Two
        # processes doing this at once both write 1, losing one count at
        # worst, once per window.
        cache.set_many({count_key: 1, reset_key: now + counter.window}, keep)
        return
    # add() only sets a missing key and incr() is atomic (a lock file for
    # the file cache), so concurrent failures are all counted.
    cache.add(count_key, 0, keep)
    try:
        cache.incr(count_key)
    except ValueError:  # evicted between add() and incr()
        cache.set(count_key, 1, keep)


def clear(request: HttpRequest, username: str) -> None:
    """A successful sign-in forgets this address's failures for this
    username. The per-address and per-username counters stay: a guesser
    who also knows one password must not get a fresh budget from it."""
    pair = next(_counters(request, username))
    try:
        cache.delete_many([f"{pair.key}:n", f"{pair.key}:reset"])
    except Exception:
        logger.exception("sign-in limits: the cache cannot be written")
