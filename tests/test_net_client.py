"""fetch() and guarded_session() against real loopback servers: user agent,
timeouts, retries, status handling, per-host politeness."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable

import pytest
import requests

from downloads.net import FetchError, fetch, guarded_session
from downloads.net import client as net_client
from tests.support.httpserver import LoopbackServer, SeenRequest

Handler = Callable[[SeenRequest], tuple[int, dict[str, str], bytes]]


@pytest.fixture
def server(settings, http_server: LoopbackServer) -> LoopbackServer:
    """The loopback server, allow-listed by its port (and that port only)."""
    settings.ALLOW_PRIVATE_SOURCES = False
    settings.PRIVATE_SOURCE_ALLOWLIST = [f"127.0.0.1:{http_server.port}"]
    return http_server


def answers(*replies: tuple[int, dict[str, str], bytes]) -> Handler:
    """A route handler that gives these replies in turn, then repeats the last."""
    lock = threading.Lock()
    count = 0

    def handler(_seen: SeenRequest) -> tuple[int, dict[str, str], bytes]:
        nonlocal count
        with lock:
            reply = replies[min(count, len(replies) - 1)]
            count += 1
        return reply[0], dict(reply[1]), reply[2]

    return handler


def test_sends_the_configured_user_agent_and_caller_headers(settings, server) -> None:
    settings.HTTP_USER_AGENT = "watchlist-test/9.9 (+tests)"
    url = server.add("/feed", "<rss/>")
    response = fetch(url, headers={"Accept": "application/rss+xml"})
    assert response.status_code == 200
    assert response.content == b"<rss/>"
    seen = server.requests_for("/feed")[0]
    assert seen.headers["user-agent"] == "watchlist-test/9.9 (+tests)"
    assert seen.headers["accept"] == "application/rss+xml"
    assert seen.headers["host"] == f"127.0.0.1:{server.port}"

    with guarded_session() as session:
        session.get(url)
    assert server.requests_for("/feed")[1].headers["user-agent"] == "watchlist-test/9.9 (+tests)"


def test_read_timeout_is_a_transient_error(server) -> None:
    url = server.add("/slow", "late", delay=1.0)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out waiting for 127\.0\.0\.1") as info:
        fetch(url, timeout=0.2, retries=0)
    assert time.monotonic() - started < 0.9
    assert info.value.permanent is False
    assert info.value.status is None


def test_default_timeout_comes_from_settings(settings, server) -> None:
    settings.HTTP_TIMEOUT_SECONDS = 0.2  # the env reader only makes ints; the client takes any number
    url = server.add("/slow", "late", delay=1.0)
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out"):
        fetch(url, retries=0)
    with pytest.raises(requests.Timeout), guarded_session() as session:
        session.get(url)
    assert time.monotonic() - started < 1.8


def test_5xx_is_retried_with_backoff_until_success(server) -> None:
    server.add("/flaky", handler=answers((503, {}, b"busy"), (502, {}, b"bad gateway"), (200, {}, b"finally")))
    started = time.monotonic()
    response = fetch(server.url("/flaky"), retries=2)
    elapsed = time.monotonic() - started
    assert response.text == "finally"
    assert [r.status for r in server.requests_for("/flaky")] == [503, 502, 200]
    # Two backoffs: 0.25-0.5s then 0.5-0.75s.
    assert 0.7 <= elapsed < 2.5


def test_5xx_gives_up_after_the_retries(server) -> None:
    url = server.add("/down", "maintenance", status=503)
    with pytest.raises(FetchError) as info:
        fetch(url, retries=2)
    assert str(info.value) == "HTTP 503 Service Unavailable from 127.0.0.1"
    assert info.value.permanent is False
    assert info.value.status == 503
    assert len(server.requests_for("/down")) == 3


@pytest.mark.parametrize(("status", "words"), [(404, "Not Found"), (410, "Gone"), (403, "Forbidden")])
def test_4xx_is_permanent_and_not_retried(server, status: int, words: str) -> None:
    url = server.add("/missing", "nope", status=status)
    with pytest.raises(FetchError) as info:
        fetch(url, retries=2)
    assert str(info.value) == f"HTTP {status} {words} from 127.0.0.1"
    assert info.value.permanent is True
    assert info.value.status == status
    assert len(server.requests_for("/missing")) == 1


def test_429_retry_after_is_honoured(server) -> None:
    server.add("/limited", handler=answers((429, {"Retry-After": "1"}, b"slow down"), (200, {}, b"ok")))
    started = time.monotonic()
    response = fetch(server.url("/limited"))
    elapsed = time.monotonic() - started
    assert response.text == "ok"
    assert len(server.requests_for("/limited")) == 2
    assert 1.0 <= elapsed < 2.0  # the server's second, not the 0.25s backoff


def test_retry_after_longer_than_the_cap_is_left_to_the_caller(server) -> None:
    url = server.add("/limited", "slow down", status=429, headers={"Retry-After": "3600"})
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        fetch(url)
    assert time.monotonic() - started < 1.0
    assert info.value.permanent is False
    assert info.value.status == 429
    assert info.value.retry_after == 3600
    assert len(server.requests_for("/limited")) == 1


def test_retry_after_as_an_http_date() -> None:
    in_ten = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 10))
    assert 8 <= net_client.parse_retry_after(in_ten) <= 10
    assert net_client.parse_retry_after("7") == 7
    assert net_client.parse_retry_after("soon") is None


def test_304_is_returned_not_raised(server) -> None:
    url = server.add("/feed", "<rss/>", etag='"v1"')
    response = fetch(url, headers={"If-None-Match": '"v1"'})
    assert response.status_code == 304
    assert response.content == b""
    with pytest.raises(FetchError, match="HTTP 304"):
        fetch(url, headers={"If-None-Match": '"v1"'}, allow_statuses=())


def test_connection_refused_is_transient(settings) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago, with nothing listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.PRIVATE_SOURCE_ALLOWLIST = [f"127.0.0.1:{port}"]
    with pytest.raises(FetchError, match="cannot connect to 127.0.0.1") as info:
        fetch(f"http://127.0.0.1:{port}/", retries=0)
    assert info.value.permanent is False


def test_oversized_body_is_refused(server, monkeypatch) -> None:
    monkeypatch.setattr(net_client, "MAX_BODY_BYTES", 1000)
    url = server.add("/video", b"x" * 5000)
    with pytest.raises(FetchError, match="larger than") as info:
        fetch(url)
    assert info.value.permanent is True
    # A stream leaves the limit to the caller.
    with fetch(url, stream=True) as response:
        assert len(response.content) == 5000


def test_per_host_limit_is_what_the_server_sees(settings, server) -> None:
    settings.HTTP_MAX_PER_HOST = 2
    lock = threading.Lock()
    in_flight = 0
    peak = 0

    def slow(_seen: SeenRequest) -> tuple[int, dict[str, str], bytes]:
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        time.sleep(0.25)
        with lock:
            in_flight -= 1
        return 200, {}, b"ok"

    server.add("/slow", handler=slow)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            fetch(server.url("/slow"))
        except BaseException as exc:  # surfaced below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert errors == []
    assert len(server.requests_for("/slow")) == 6
    assert peak == 2  # never more than the limit, and the limit is used


def test_a_streamed_response_holds_its_slot_until_closed(settings, server) -> None:
    settings.HTTP_MAX_PER_HOST = 1
    url = server.add("/file", b"x" * 100)
    first = fetch(url, stream=True)
    done = threading.Event()

    def second() -> None:
        fetch(url).close()
        done.set()

    thread = threading.Thread(target=second)
    thread.start()
    assert not done.wait(0.3)
    assert len(server.requests_for("/file")) == 1
    first.close()
    assert done.wait(5)
    thread.join(5)
    assert len(server.requests_for("/file")) == 2


def test_waiting_for_a_slot_is_bounded(settings, server) -> None:
    # A caller holding a stream open while fetching the same host again gets
    # an error, not a deadlock.
    settings.HTTP_MAX_PER_HOST = 1
    url = server.add("/file", b"x")
    with fetch(url, stream=True):
        with pytest.raises(FetchError, match=r"too many requests in flight to 127\.0\.0\.1") as info:
            fetch(url, timeout=0.1, retries=0)
        assert info.value.permanent is False
    assert len(server.requests_for("/file")) == 1


def test_head_requests(server) -> None:
    url = server.add("/file", b"x" * 100)
    response = fetch(url, method="HEAD")
    assert response.status_code == 200
    assert response.headers["Content-Length"] == "100"
    assert server.requests_for("/file")[0].method == "HEAD"
