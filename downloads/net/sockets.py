"""The address guard for libraries that open their own connections.

``fetch()`` and ``guarded_session()`` check addresses inside urllib3's
connection class. A library that makes its own requests session, calls
``smtplib`` or ``socket.create_connection`` itself (Apprise and its ~150
notification plugins) never reaches those classes, and patching each plugin
would miss the next one. So this module checks at the socket layer, through
Python's audit hooks (PEP 578): the interpreter raises ``socket.getaddrinfo``,
``socket.connect``, ``socket.sendto`` and ``socket.sendmsg`` events before
doing the call, and a hook that raises aborts it.

Inside ``with guarded_connections():`` (and in threads and tasks that copy
the caller's ``contextvars`` context, as Apprise's dispatcher does):

- a host name being resolved is resolved by the guard first and refused when
  any of its addresses is (the same rules as ``addresses.refusal``, so the
  allow-list by host name works);
- every connect and datagram is checked against the exact address it goes
  to: an address the guard approved for a name a moment ago, or else an
  address allowed on its own. A name that resolves differently the second
  time (DNS rebinding) lands on an address that was never approved, and is
  judged by the address alone;
- connections to anything but IPv4/IPv6 (a Unix socket such as the Docker
  or Redis socket) are refused.

Outside the block nothing changes: the hook returns at once. Refusals raise
``ConnectionRefusedByGuard`` (a PermissionError, so libraries report it as a
failed connection) and are collected on the scope, so the caller can tell
the user the guard's own words whatever the library made of the error.
"""

from __future__ import annotations

import contextvars
import ipaddress
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from .addresses import refusal

_EVENTS = frozenset({"socket.getaddrinfo", "socket.connect", "socket.sendto", "socket.sendmsg"})


class ConnectionRefusedByGuard(PermissionError):
    """The address guard refused a connection made inside guarded_connections()."""


@dataclass
class GuardScope:
    """What one guarded block approved and refused."""

    approved: set[tuple[bytes, int]] = field(default_factory=set)
    refusals: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def refuse(self, reason: str) -> ConnectionRefusedByGuard:
        with self.lock:
            if reason not in self.refusals:
                self.refusals.append(reason)
        return ConnectionRefusedByGuard(reason)


_scope: contextvars.ContextVar[GuardScope | None] = contextvars.ContextVar("outbound_guard", default=None)
# The guard's own lookup must not be judged by the hook again.
_inside = threading.local()
_install_lock = threading.Lock()
_installed = False


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None


def _key(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, port: int) -> tuple[bytes, int]:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:10.0.0.1 is the same socket as 10.0.0.1
    return ip.packed, int(port)


def _port(value: Any) -> int:
    if isinstance(value, int):
        return value
    if isinstance(value, bytes | str):
        text = value.decode() if isinstance(value, bytes) else value
        if text.isdigit():
            return int(text)
        try:
            return socket.getservbyname(text, "tcp")
        except OSError:
            return 0
    return 0


def _on_lookup(scope: GuardScope, host: Any, port: Any) -> None:
    if host is None:
        return  # a wildcard for bind(): no connection
    name = (host.decode() if isinstance(host, bytes) else str(host)).strip("[]")
    number = _port(port)
    _inside.active = True
    try:
        infos = socket.getaddrinfo(name, port, 0, socket.SOCK_STREAM)
    except OSError:
        return  # the library's own lookup fails the same way and reports it
    finally:
        _inside.active = False
    literal = _ip(name)
    if literal is not None:
        with scope.lock:
            if _key(literal, number) in scope.approved:
                return  # an address the guard approved for a name a moment ago
    approved = []
    for info in infos:
        ip = _ip(info[4][0])
        if ip is None:
            continue
        reason = refusal(name, number, ip)
        if reason:
            raise scope.refuse(reason)
        approved.append(_key(ip, number))
    with scope.lock:
        scope.approved.update(approved)


def _on_connect(scope: GuardScope, sock: Any, address: Any) -> None:
    family = getattr(sock, "family", None)
    if family not in (socket.AF_INET, socket.AF_INET6):
        raise scope.refuse("only network (IPv4/IPv6) connections are allowed here, not local sockets")
    if not isinstance(address, tuple) or len(address) < 2:
        raise scope.refuse(f"cannot check the address {address!r}")
    host = address[0].decode() if isinstance(address[0], bytes) else str(address[0])
    ip = _ip(host)
    if ip is None:
        # Connecting by name lets the C library resolve it behind our back.
        raise scope.refuse(f"connections must go to a checked address, not to the name {host}")
    port = int(address[1])
    with scope.lock:
        if _key(ip, port) in scope.approved:
            return
    reason = refusal(host, port, ip)
    if reason:
        raise scope.refuse(reason)


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if event not in _EVENTS:
        return
    scope = _scope.get()
    if scope is None or getattr(_inside, "active", False):
        return
    if event == "socket.getaddrinfo":
        _on_lookup(scope, args[0], args[1])
    elif event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
        sock, address = args[0], args[1]
        if event == "socket.sendmsg" and address is None:
            return  # a connected socket: its connect was checked
        _on_connect(scope, sock, address)


def _install() -> None:
    global _installed
    with _install_lock:
        if not _installed:
            # Audit hooks cannot be removed; the hook does nothing outside a scope.
            sys.addaudithook(_hook)
            _installed = True


@contextmanager
def guarded_connections() -> Iterator[GuardScope]:
    """Hold every connection made in this block (and in work that copies its
    context) to the address guard's rules; yields the scope, whose
    ``refusals`` say what was refused."""
    _install()
    scope = GuardScope()
    token = _scope.set(scope)
    try:
        yield scope
    finally:
        _scope.reset(token)
