"""Helpers for tests that run the service's own processes (workers, beat,
web) against the test database and broker."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

import pytest

# Worker and beat processes must see the test's rows and messages: a
# PostgreSQL database (SQLite's test database lives in this process only)
# and Redis. CI sets both; conftest fails the run there if they are missing.
needs_shared_services = pytest.mark.skipif(
    not os.environ.get("REDIS_URL") or "postgres" not in os.environ.get("DATABASE_URL", ""),
    reason="needs REDIS_URL and a PostgreSQL DATABASE_URL shared with other processes",
)


def wait_for(predicate: Callable[[], Any], timeout: float, what: str, logs: Callable[[], str] = lambda: "") -> None:
    """Poll until `predicate()` is true; on time-out fail with the processes'
    log tail, which is what one needs to see why."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}\n{logs()[-6000:]}")
