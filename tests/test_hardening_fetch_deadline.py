"""The overall deadline of one fetch: a source that trickles bytes is cut at
HTTP_TOTAL_TIMEOUT_SECONDS, whatever its pace and whatever phase it trickles
(status line, headers, body with or without a length)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from django.db import connection

from downloads.net import FetchError, fetch
from tests.support.hostile_server import HostileServer
from watchlist.models import Source, SourceStatus
from watchlist.sources import refresh_source


@pytest.fixture(scope="module")
def hostile() -> Iterator[HostileServer]:
    server = HostileServer(trickle_interval=0.2, bomb_size=64 << 20).start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def loopback(settings, hostile):
    settings.ALLOW_PRIVATE_SOURCES = False
    settings.PRIVATE_SOURCE_ALLOWLIST = [f"127.0.0.1:{hostile.port}"]
    # Each read is well inside the per-read timeout: only a deadline stops it.
    settings.HTTP_TIMEOUT_SECONDS = 10
    settings.HTTP_TOTAL_TIMEOUT_SECONDS = 2


def timed(call, limit: float) -> tuple[BaseException | object, float]:
    """Run ``call`` in a thread; fail (instead of hanging the suite) if it is
    still running after ``limit`` seconds."""
    outcome: list[BaseException | object] = []

    def run() -> None:
        try:
            outcome.append(call())
        except BaseException as exc:  # handed back to the test
            outcome.append(exc)
        finally:
            connection.close()  # this thread's own database connection

    started = time.monotonic()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(limit)
    assert not thread.is_alive(), f"still fetching after {limit} s: no overall deadline"
    return outcome[0], time.monotonic() - started


@pytest.mark.parametrize("path", ["/trickle", "/trickle-headers"])
def test_a_trickling_source_is_cut_at_the_deadline(hostile, path):
    outcome, elapsed = timed(lambda: fetch(hostile.url(path)), 8)
    assert isinstance(outcome, FetchError)
    assert "did not answer in full within 2 seconds" in str(outcome)
    assert 1.8 <= elapsed < 4


def test_a_streamed_response_is_cut_too_and_never_passes_for_complete(hostile):
    def read_all() -> bytes:
        with fetch(hostile.url("/trickle"), stream=True) as response:
            return b"".join(response.iter_content(1024))

    outcome, elapsed = timed(read_all, 8)
    assert isinstance(outcome, FetchError), outcome
    assert elapsed < 4


def test_the_deadline_covers_retries(settings, hostile):
    outcome, elapsed = timed(lambda: fetch(hostile.url("/trickle"), retries=5), 8)
    assert isinstance(outcome, FetchError)
    assert elapsed < 4
    assert hostile.hits["/trickle"] >= 1


def test_a_fast_fetch_is_untouched(http_server, settings):
    settings.PRIVATE_SOURCE_ALLOWLIST = [f"127.0.0.1:{http_server.port}"]
    url = http_server.add("/ok", b"fine")
    assert fetch(url).content == b"fine"


@pytest.mark.django_db(transaction=True)
def test_a_check_of_a_trickling_feed_fails_with_the_reason(hostile):
    source = Source.objects.create(provider_id="feed", url=hostile.url("/trickle"))
    outcome, elapsed = timed(lambda: refresh_source(source), 10)
    assert outcome.status == SourceStatus.ERROR
    assert "did not answer in full within 2 seconds" in outcome.error
    assert elapsed < 6
