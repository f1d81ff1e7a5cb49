"""Cache backends for counters that several processes share (sign-in
lockouts, API throttles).

- `SharedRedisCache`: Django's Redis cache whose `clear()` removes only its
  own keys. The cache lives in the Redis database that is also the Celery
  broker (REDIS_URL), and the stock `clear()` is FLUSHDB, which would drop
  every queued task with it.
- `LockingFileBasedCache`: the embedded mode has no Redis, and web, worker
  and beat are separate processes; a file cache under VAR_DIR is what they
  can all see. Django's file cache implements `incr()` as read-then-write,
  so two processes counting the same failure at once could both write the
  same number: a lock file makes `add()` and `incr()` one step each.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache


class SharedRedisCache(RedisCache):
    def clear(self) -> None:
        client = self._cache.get_client(None, write=True)
        pattern = self.make_key("*")
        batch: list[Any] = []
        for key in client.scan_iter(match=pattern, count=500):
            batch.append(key)
            if len(batch) >= 500:
                client.delete(*batch)
                batch.clear()
        if batch:
            client.delete(*batch)


class LockingFileBasedCache(FileBasedCache):
    @contextmanager
    def _locked(self) -> Iterator[None]:
        os.makedirs(self._dir, 0o700, exist_ok=True)
        with open(os.path.join(self._dir, ".lock"), "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def add(self, key: str, value: Any, timeout: Any = None, version: int | None = None) -> bool:
        with self._locked():
            return super().add(key, value, timeout, version)

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        with self._locked():
            return super().incr(key, delta, version)
