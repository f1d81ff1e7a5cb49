"""requests plumbing that enforces the address guard where it cannot be skipped.

The check lives in urllib3's ``_new_conn``, the one place every new TCP
connection is made: the host is resolved once, every address is checked, and
the socket connects to exactly those checked addresses. So the address that
was checked is the address connected to (DNS rebinding between a check and a
connect has no gap to use), every redirect hop to a new host is checked
because it needs a new connection, and nothing is swapped in the URL: the
Host header, TLS SNI and certificate checks keep the real host name.

A keep-alive connection is only reused for the same scheme, host and port it
was checked for. Proxies are refused: a proxy resolves names itself, beyond
the guard's reach.
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError

from .addresses import SCHEMES, AddrInfo, resolve_allowed, scheme_refused
from .deadline import current as current_deadline
from .errors import UnsafeURL

MAX_REDIRECTS = 5


class _GuardedConnect:
    """Mixin for urllib3 connections: resolve, check, then connect to what was checked."""

    host: str
    port: int
    timeout: Any
    source_address: tuple[str, int] | None
    socket_options: Any
    _dns_host: str

    def _new_conn(self) -> socket.socket:
        try:
            # urllib3's own family choice (IPv4 only on hosts without IPv6).
            infos = resolve_allowed(self._dns_host, self.port, urllib3.util.connection.allowed_gai_family())
        except socket.gaierror as exc:
            raise NameResolutionError(self.host, self, exc) from exc  # type: ignore[arg-type]
        deadline = current_deadline()
        timeout = self.timeout
        if deadline is not None and (timeout is None or isinstance(timeout, int | float)):
            # Connecting may not outlast the fetch's overall deadline either.
            timeout = min(deadline.remaining(), timeout) if timeout is not None else deadline.remaining()
        try:
            sock = _connect_first(infos, timeout, self.source_address, self.socket_options)
        except TimeoutError as exc:
            raise ConnectTimeoutError(
                self, f"Connection to {self.host} timed out. (connect timeout={self.timeout})"
            ) from exc
        except OSError as exc:
            raise NewConnectionError(self, f"Failed to establish a new connection: {exc}") from exc  # type: ignore[arg-type]
        if deadline is not None:
            deadline.register(sock)
        sys.audit("http.client.connect", self, self.host, self.port)
        return sock


def _connect_first(
    infos: list[AddrInfo], timeout: Any, source_address: tuple[str, int] | None, socket_options: Any
) -> socket.socket:
    error: OSError | None = None
    for family, kind, proto, _name, sockaddr in infos:
        sock = socket.socket(family, kind, proto)
        try:
            for option in socket_options or ():
                sock.setsockopt(*option)
            # urllib3 passes a sentinel for "leave the default"; numbers and None are real values.
            if timeout is None or isinstance(timeout, int | float):
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as exc:
            error = exc
            sock.close()
    assert error is not None  # infos is never empty
    raise error


class GuardedHTTPConnection(_GuardedConnect, HTTPConnection):
    pass


class GuardedHTTPSConnection(_GuardedConnect, HTTPSConnection):
    pass


class GuardedHTTPConnectionPool(urllib3.HTTPConnectionPool):
    ConnectionCls = GuardedHTTPConnection


class GuardedHTTPSConnectionPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = GuardedHTTPSConnection


POOL_CLASSES: Mapping[str, type[urllib3.HTTPConnectionPool]] = {
    "http": GuardedHTTPConnectionPool,
    "https": GuardedHTTPSConnectionPool,
}


class GuardedAdapterMixin:
    """For any requests HTTPAdapter: its pools make guarded connections only."""

    poolmanager: urllib3.PoolManager

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)  # type: ignore[misc]
        self.poolmanager.pool_classes_by_scheme = dict(POOL_CLASSES)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        raise UnsafeURL("proxies cannot be used: the address guard could not check what a proxy connects to")


class GuardedHTTPAdapter(GuardedAdapterMixin, HTTPAdapter):
    pass


class GuardedSession(requests.Session):
    """A requests session that can only reach addresses the guard allows.

    Sends settings.HTTP_USER_AGENT, applies settings.HTTP_TIMEOUT_SECONDS to
    connect and read when no timeout is given, follows at most
    MAX_REDIRECTS redirects, and never reads proxies or .netrc from the
    environment. Raises UnsafeURL (a FetchError) for a refused address or
    scheme, on the first URL or on any redirect hop.
    """

    def __init__(self) -> None:
        super().__init__()
        self.trust_env = False  # no env proxies, no .netrc credentials sent to user-chosen hosts
        self.max_redirects = MAX_REDIRECTS
        self.headers["User-Agent"] = settings.HTTP_USER_AGENT
        adapter = GuardedHTTPAdapter()
        for prefix in ("http://", "https://"):
            self.mount(prefix, adapter)

    def get_adapter(self, url: str) -> requests.adapters.BaseAdapter:
        # Called for the first URL and every redirect hop: a Location of
        # file:, ftp: or gopher: gets a plain refusal, not "no adapter".
        scheme = urlsplit(url).scheme.lower()
        if scheme not in SCHEMES:
            raise scheme_refused(scheme)
        return super().get_adapter(url)

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        if kwargs.get("timeout") is None:
            seconds = float(settings.HTTP_TIMEOUT_SECONDS)
            kwargs["timeout"] = (seconds, seconds)
        return super().send(request, **kwargs)


def guarded_session() -> GuardedSession:
    """A session with the guard, address pinning and user agent, and no retries.

    For download backends that stream large files and handle Range
    themselves. Close it when done (``with guarded_session() as s:``).
    """
    return GuardedSession()
