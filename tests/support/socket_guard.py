"""Socket safety net for the whole test session (a pytest plugin).

- connect(), connect_ex(), sendto() and sendmsg() on Python sockets to
  anything but 127.0.0.0/8 or ::1 (AF_UNIX is fine) raise
  ``SocketGuardViolation`` before the call reaches the kernel, so a broken
  address guard fails a test instead of sending a packet anywhere.
  socket.create_connection, urllib3, redis-py and asyncio all go through
  those methods. (psycopg's libpq connects in C and is not covered; its
  DATABASE_URL is 127.0.0.1 anyway.)
- socket.getaddrinfo (and gethostbyname/_ex) answer localhost names and IP
  literals without DNS, names a test registered with the ``fake_dns``
  fixture from the registry, and fail every other name with
  socket.gaierror(EAI_NONAME): no test depends on, or leaks to, real DNS.

``SocketGuardViolation`` derives from BaseException, not Exception, so the
many ``except Exception`` / ``except OSError`` clauses between a test and the
socket (urllib3, requests, yt-dlp's handler fallback) cannot turn it into an
ordinary network error that a test expecting "refused" would accept. Each
violation is also recorded, and a test during which one happened fails at
teardown even if something swallowed it; ``expect_violation()`` is the way
to provoke one on purpose.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


class SocketGuardViolation(BaseException):
    """A test tried to reach beyond the loopback interface."""


# --- state ---------------------------------------------------------------

_lock = threading.Lock()
_violations: list[str] = []
_originals: dict[str, Any] = {}


def _record(message: str) -> SocketGuardViolation:
    with _lock:
        _violations.append(message)
    return SocketGuardViolation(message)


# --- connect / sendto ------------------------------------------------------


def _is_local_name(host: str) -> bool:
    host = host.rstrip(".").lower()
    return host in _LOCAL_NAMES or host.endswith(".localhost")


def _loopback_ip(host: str) -> bool:
    try:
        ip = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def _checked_address(sock: socket.socket, address: Any, action: str) -> Any:
    """The address to use, or raise SocketGuardViolation. Names become IPs:
    the C-level connect would otherwise resolve them with real DNS."""
    if sock.family not in (socket.AF_INET, socket.AF_INET6) or not isinstance(address, tuple):
        return address  # AF_UNIX, netlink...: not a way off this machine
    host = address[0].decode() if isinstance(address[0], bytes) else str(address[0])
    if _is_local_name(host):
        host = "127.0.0.1" if sock.family == socket.AF_INET else "::1"
    elif not _is_ip_literal(host):
        version = 4 if sock.family == socket.AF_INET else 6
        registered = _dns.answer(host, count=False) or []
        host = next((a for a in registered if ipaddress.ip_address(a).version == version), host)
    if not _loopback_ip(host):
        raise _record(f"socket guard: {action} to {address!r} blocked (tests may only reach 127.0.0.0/8 and ::1)")
    return (host, *address[1:])


def _guard_connect(original: Callable[..., Any], action: str) -> Callable[..., Any]:
    def connect(self: socket.socket, address: Any) -> Any:
        return original(self, _checked_address(self, address, action))

    return connect


def _guarded_sendto(self: socket.socket, data: Any, *args: Any) -> int:
    # sendto(data, address) or sendto(data, flags, address)
    if args:
        args = (*args[:-1], _checked_address(self, args[-1], "sendto"))
    return _originals["sendto"](self, data, *args)


def _guarded_sendmsg(self: socket.socket, buffers: Any, ancdata: Any = (), flags: int = 0, address: Any = None) -> int:
    if address is None:
        return _originals["sendmsg"](self, buffers, ancdata, flags)
    return _originals["sendmsg"](self, buffers, ancdata, flags, _checked_address(self, address, "sendmsg"))


# --- name resolution -----------------------------------------------------


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    else:
        return True
    try:
        # The C resolver also takes inet_aton's spellings (2130706433, 0x7f.1).
        socket.inet_aton(host)
    except OSError:
        return False
    return True


class FakeDNS:
    """The names tests registered; the ``fake_dns`` fixture yields it.

    ``add("loopback.test", "127.0.0.1")`` sets a name's answer;
    ``sequence(name, [first], [second])`` gives successive lookups successive
    answers, the last repeating (for rebinding tests). ``lookups`` counts
    getaddrinfo queries per name.
    """

    def __init__(self) -> None:
        self.lookups: dict[str, int] = {}
        self._answers: dict[str, list[list[str]]] = {}

    def add(self, name: str, *addresses: str) -> None:
        self.sequence(name, list(addresses))

    def sequence(self, name: str, *answers: list[str]) -> None:
        for address in (a for answer in answers for a in answer):
            ipaddress.ip_address(address)  # a typo in a test should fail loudly
        with _lock:
            self._answers[_key(name)] = [list(answer) for answer in answers]

    def answer(self, name: str, *, count: bool) -> list[str] | None:
        key = _key(name)
        with _lock:
            answers = self._answers.get(key)
            if answers is None:
                return None
            seen = self.lookups.get(key, 0)
            if count:
                self.lookups[key] = seen + 1
            return answers[min(seen, len(answers) - 1)]

    def clear(self) -> None:
        with _lock:
            self._answers.clear()
            self.lookups.clear()


_dns = FakeDNS()


def _key(name: str) -> str:
    return name.strip("[]").rstrip(".").lower()


def _fake_getaddrinfo(
    host: Any, port: Any, family: int = 0, type: int = 0, proto: int = 0, flags: int = 0
) -> list[tuple[Any, ...]]:
    real = _originals["getaddrinfo"]
    if host is None:
        return real(host, port, family, type, proto, flags)  # a wildcard for bind(): no DNS
    name = (host.decode() if isinstance(host, bytes) else str(host)).strip("[]")
    # The real getaddrinfo raises this audit event with the name as asked;
    # the answers below come from real() with IP literals, so raise it here
    # too, or audit hooks (downloads/net/sockets.py) would never see names.
    sys.audit("socket.getaddrinfo", host, port, family, type, proto)
    if _is_ip_literal(name):
        return real(name, port, family, type, proto, flags | socket.AI_NUMERICHOST)
    addresses = ["127.0.0.1", "::1"] if _is_local_name(name) else _dns.answer(name, count=True)
    if addresses is None:
        raise socket.gaierror(
            socket.EAI_NONAME, f"socket guard: no DNS in tests for {name!r}; register it with the fake_dns fixture"
        )
    results: list[tuple[Any, ...]] = []
    for address in addresses:
        address_family = socket.AF_INET6 if ":" in address else socket.AF_INET
        if family in (socket.AF_UNSPEC, address_family):
            results.extend(real(address, port, address_family, type, proto, flags | socket.AI_NUMERICHOST))
    if not results:
        raise socket.gaierror(getattr(socket, "EAI_NODATA", socket.EAI_NONAME), f"no address of that family for {name}")
    return results


def _fake_gethostbyname(name: str) -> str:
    return _fake_getaddrinfo(name, None, socket.AF_INET, socket.SOCK_STREAM)[0][4][0]


def _fake_gethostbyname_ex(name: str) -> tuple[str, list[str], list[str]]:
    infos = _fake_getaddrinfo(name, None, socket.AF_INET, socket.SOCK_STREAM)
    return name, [], [info[4][0] for info in infos]


# --- installing ----------------------------------------------------------


def install() -> None:
    if _originals:
        return
    cls = socket.socket
    # Remember which methods socket.socket defined itself, so uninstall()
    # restores inheritance from _socket.socket rather than pinning copies.
    _originals["own"] = {name for name in ("connect", "connect_ex", "sendto", "sendmsg") if name in vars(cls)}
    _originals.update(
        connect=cls.connect,
        connect_ex=cls.connect_ex,
        sendto=cls.sendto,
        sendmsg=cls.sendmsg,
        getaddrinfo=socket.getaddrinfo,
        gethostbyname=socket.gethostbyname,
        gethostbyname_ex=socket.gethostbyname_ex,
    )
    cls.connect = _guard_connect(_originals["connect"], "connect")  # type: ignore[method-assign]
    cls.connect_ex = _guard_connect(_originals["connect_ex"], "connect_ex")  # type: ignore[method-assign]
    cls.sendto = _guarded_sendto  # type: ignore[method-assign,assignment]
    cls.sendmsg = _guarded_sendmsg  # type: ignore[method-assign,assignment]
    socket.getaddrinfo = _fake_getaddrinfo
    socket.gethostbyname = _fake_gethostbyname
    socket.gethostbyname_ex = _fake_gethostbyname_ex


def uninstall() -> None:
    if not _originals:
        return
    cls = socket.socket
    for name in ("connect", "connect_ex", "sendto", "sendmsg"):
        if name in _originals["own"]:
            setattr(cls, name, _originals[name])
        else:
            delattr(cls, name)
    for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex"):
        setattr(socket, name, _originals[name])
    _originals.clear()


@contextmanager
def expect_violation() -> Iterator[None]:
    """Provoke a violation on purpose: the block must raise one, and it is not
    held against the test."""
    with _lock:
        before = len(_violations)
    with pytest.raises(SocketGuardViolation):
        yield
    with _lock:
        del _violations[before:]


# --- pytest hooks and fixtures ------------------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    install()


def pytest_unconfigure(config: pytest.Config) -> None:
    uninstall()


@pytest.fixture(autouse=True)
def _no_socket_guard_violations() -> Iterator[None]:
    with _lock:
        _violations.clear()
    yield
    with _lock:
        found, _violations[:] = list(_violations), []
    if found:
        pytest.fail("the socket safety net blocked traffic during this test:\n" + "\n".join(found), pytrace=False)


@pytest.fixture
def fake_dns() -> Iterator[FakeDNS]:
    """Map test host names to addresses, offline: ``fake_dns.add("private.test", "10.0.0.1")``."""
    yield _dns
    _dns.clear()
