"""AniList's rate limit, kept by every process together.

AniList allows 90 requests a minute (30 while its API is "degraded"), says
so in ``X-RateLimit-Limit`` / ``X-RateLimit-Remaining`` /
``X-RateLimit-Reset`` on every answer, and answers 429 with ``Retry-After``
beyond it. Web processes, workers and beat all ask it, so the count lives in
a Django cache (ANILIST_CACHE_ALIAS, the "anilist" cache of settings.py):
Redis when REDIS_URL is set, files under VAR_DIR otherwise. (The file cache
counts with a get and a set, not atomically: processes racing in one window
may take a permit or two more than the limit; AniList's own 429 then pauses
everyone.)

- Permits are counted in 10-second windows (90/min -> 15 per window), so a
  burst never spends the whole minute at once.
- The limit in force is the smaller of the setting and the last
  ``X-RateLimit-Limit`` seen: a degraded API slows everyone down.
- ``Remaining: 0`` or a 429 pauses every process until the reset time or
  the ``Retry-After`` delay has passed.

A caller says how long it may wait (a page search: a second or two; a
background refresh: longer); past that, `RateLimited` says when to come back.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping

from django.core.cache import caches

from . import defaults

WINDOW_SECONDS = 10
LEARNED_LIMIT_SECONDS = 600  # how long a degraded X-RateLimit-Limit is believed
DEFAULT_PAUSE_SECONDS = 60.0  # a 429 without Retry-After or reset time


class RateLimited(Exception):
    """No request may be made within the caller's wait budget."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"AniList's rate limit is reached; retry in {math.ceil(retry_after)} s")
        self.retry_after = retry_after


class RateLimiter:
    def __init__(
        self,
        prefix: str = "anilist",
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.prefix = prefix
        self.clock = clock
        self.sleep = sleep

    @property
    def cache(self):
        # Looked up on each use: a settings change (tests, or the shared
        # cache being configured) applies at once.
        return caches[defaults.cache_alias()]

    def _key(self, name: str) -> str:
        return f"{self.prefix}:rl:{name}"

    def per_minute(self) -> int:
        configured = defaults.rate_limit_per_minute()
        learned = self.cache.get(self._key("limit"))
        return min(configured, learned) if learned else configured

    def per_window(self) -> int:
        return max(1, math.floor(self.per_minute() * WINDOW_SECONDS / 60))

    def paused_until(self) -> float:
        return float(self.cache.get(self._key("paused"), 0.0))

    def acquire(self, max_wait: float) -> None:
        """Take one permit, waiting at most ``max_wait`` seconds for it."""
        deadline = self.clock() + max_wait
        while True:
            now = self.clock()
            paused = self.paused_until()
            if paused > now:
                if paused > deadline:
                    raise RateLimited(paused - now)
                self.sleep(paused - now)
                continue
            window = math.floor(now / WINDOW_SECONDS)
            if self._take(window):
                return
            next_window = (window + 1) * WINDOW_SECONDS
            if next_window > deadline:
                raise RateLimited(next_window - now)
            self.sleep(next_window - now)

    def _take(self, window: int) -> bool:
        key = self._key(f"w{window}")
        cache = self.cache
        # add() then incr() is atomic in every Django cache backend.
        cache.add(key, 0, WINDOW_SECONDS * 3)
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, WINDOW_SECONDS * 3)
            used = 1
        return used <= self.per_window()

    def observe(self, status: int, headers: Mapping[str, str]) -> None:
        """Learn from an answer's headers (every answer, not only 429s)."""
        now = self.clock()
        limit = _int(headers.get("X-RateLimit-Limit"))
        if limit and limit > 0:
            self.cache.set(self._key("limit"), limit, LEARNED_LIMIT_SECONDS)
        reset = _int(headers.get("X-RateLimit-Reset"))
        reset_at = float(reset) if reset and reset > now else None
        if status == 429:
            retry_after = _float(headers.get("Retry-After"))
            until = now + retry_after if retry_after is not None else reset_at or now + DEFAULT_PAUSE_SECONDS
            self.pause_until(until)
        elif _int(headers.get("X-RateLimit-Remaining")) == 0:
            self.pause_until(reset_at or now + DEFAULT_PAUSE_SECONDS)

    def pause_until(self, until: float) -> None:
        if until > self.paused_until():
            self.cache.set(self._key("paused"), until, max(1, math.ceil(until - self.clock())) + 5)


def _int(value: str | None) -> int | None:
    try:
        return int(str(value).strip()) if value is not None else None
    except ValueError:
        return None


def _float(value: str | None) -> float | None:
    # Retry-After may be an HTTP date too; the download client parses both.
    from downloads.net.client import parse_retry_after

    return parse_retry_after(value)
