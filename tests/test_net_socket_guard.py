"""The test-suite's socket safety net itself (tests/support/socket_guard.py)."""

from __future__ import annotations

import contextlib
import errno
import socket
import time

import pytest
import requests

from tests.support import socket_guard
from tests.support.socket_guard import SocketGuardViolation, expect_violation


def test_connect_outside_loopback_is_blocked_before_the_kernel_sees_it() -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        started = time.monotonic()
        with expect_violation():
            sock.connect(("10.255.255.1", 80))  # a black hole: a real attempt would hang
        with expect_violation():
            sock.connect_ex(("10.255.255.1", 80))
        assert time.monotonic() - started < 0.5
        with pytest.raises(OSError) as info:
            sock.getpeername()
        assert info.value.errno == errno.ENOTCONN  # no connection was even started
    finally:
        sock.close()


def test_create_connection_is_blocked() -> None:
    with expect_violation():
        socket.create_connection(("10.255.255.1", 80), timeout=5)


def test_udp_sendto_and_ipv6_are_blocked() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp, expect_violation():
        udp.sendto(b"x", ("8.8.8.8", 53))
    with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as v6, expect_violation():
        v6.connect(("2606:4700:4700::1111", 443))


def test_the_violation_is_not_an_ordinary_exception() -> None:
    # Libraries catch Exception/OSError and turn them into "connection
    # failed"; a test expecting a refusal must not pass on that.
    assert not issubclass(SocketGuardViolation, Exception)
    with expect_violation():
        try:
            requests.get("http://10.255.255.1/", timeout=5)
        except Exception:  # pragma: no cover - the point is that this does not catch it
            pytest.fail("the violation was swallowed as an ordinary error")


def test_a_swallowed_violation_is_still_recorded_against_the_test() -> None:
    with contextlib.suppress(BaseException):  # what careless code might do
        socket.create_connection(("192.0.2.1", 80), timeout=5)
    # The autouse fixture fails the test at teardown when this list is not empty.
    assert any("192.0.2.1" in v for v in socket_guard._violations)
    socket_guard._violations.clear()


def test_loopback_and_unix_sockets_are_fine(http_server) -> None:
    http_server.add("/ping", "pong")
    with socket.create_connection(("127.0.0.1", http_server.port), timeout=5):
        pass
    with socket.create_connection(("localhost", http_server.port), timeout=5):
        pass
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        udp.sendto(b"x", ("127.0.0.1", 9))
    left, right = socket.socketpair(socket.AF_UNIX)
    left.close()
    right.close()


def test_dns_is_offline(fake_dns) -> None:
    with pytest.raises(socket.gaierror, match="no DNS in tests"):
        socket.getaddrinfo("example.org", 80)
    fake_dns.add("private.test", "10.0.0.1")
    fake_dns.add("dual.test", "127.0.0.1", "::1")
    assert {info[4][0] for info in socket.getaddrinfo("private.test", 80)} == {"10.0.0.1"}
    assert [info[4][0] for info in socket.getaddrinfo("dual.test", 80, socket.AF_INET6, socket.SOCK_STREAM)] == ["::1"]
    assert socket.gethostbyname("private.test") == "10.0.0.1"
    assert {info[4][0] for info in socket.getaddrinfo("localhost", 80, socket.AF_INET)} == {"127.0.0.1"}
    assert socket.getaddrinfo("10.1.2.3", 80, 0, socket.SOCK_STREAM)[0][4] == ("10.1.2.3", 80)
    # A registered name is resolved by the registry at connect too, then checked.
    with socket.socket() as sock, expect_violation():
        sock.connect(("private.test", 80))


def test_registered_names_are_forgotten_after_the_test() -> None:
    with pytest.raises(socket.gaierror):
        socket.getaddrinfo("private.test", 80)
