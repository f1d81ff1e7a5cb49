"""An overall deadline for one fetch, however the server paces its bytes.

Socket timeouts bound each read, not the whole: a server that sends one byte
every few seconds never trips a 20-second read timeout and can hold a worker
(or a web process running "Check now") for as long as it likes. A
`Deadline` bounds the fetch as a whole:

- the connections made while it is current (`transport._new_conn` asks
  `current()`) are remembered, as duplicates of their sockets;
- a timer shuts those connections down when the time is up, so a read
  blocked in the middle of a trickle returns at once, whatever the layer
  (plain or TLS, headers or body);
- `FetchError`s raised after that say so in plain words (`error()`).

Duplicated descriptors, not the socket objects: TLS wrapping detaches the
original socket object, and shutdown() acts on the connection, which every
duplicate shares. Owning the duplicates until `finish()` also means the
timer can never shut down an unrelated socket that reused a closed
connection's descriptor number.
"""

from __future__ import annotations

import contextlib
import contextvars
import socket
import threading
import time
from collections.abc import Iterator

from .errors import FetchError

_current: contextvars.ContextVar[Deadline | None] = contextvars.ContextVar("fetch_deadline", default=None)


def current() -> Deadline | None:
    return _current.get()


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expires_at = time.monotonic() + seconds
        self.expired = False
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._timer = threading.Timer(max(0.0, seconds), self._expire)
        self._timer.daemon = True
        self._token: contextvars.Token | None = None

    def start(self) -> Deadline:
        self._token = _current.set(self)
        self._timer.start()
        return self

    def leave_context(self) -> None:
        """Stop being the current deadline of this thread (a streamed
        response's deadline keeps running until the response is closed)."""
        if self._token is not None:
            _current.reset(self._token)
            self._token = None

    def finish(self) -> None:
        self.leave_context()
        self._timer.cancel()
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            sock.close()

    def remaining(self) -> float:
        return max(0.0, self.expires_at - time.monotonic())

    def register(self, sock: socket.socket) -> None:
        try:
            duplicate = sock.dup()
        except OSError:
            return
        with self._lock:
            if not self.expired:
                self._sockets.append(duplicate)
                return
        _shut(duplicate)  # registered after the deadline: cut at once
        duplicate.close()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)

    def check(self, host: str) -> None:
        if self.expired or time.monotonic() >= self.expires_at:
            self.expired = True
            raise self.error(host)

    def error(self, host: str) -> FetchError:
        return FetchError(f"{host} did not answer in full within {_seconds(self.seconds)} (the limit for one fetch)")


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed by the other side
        sock.shutdown(socket.SHUT_RDWR)


def _seconds(value: float) -> str:
    return f"{value:g} second{'s' if value != 1 else ''}"


@contextlib.contextmanager
def overall_deadline(seconds: float) -> Iterator[Deadline]:
    """Bound every connection opened through the guard in this block (yt-dlp's
    listing of a playlist: many requests, one deadline)."""
    deadline = Deadline(seconds).start()
    try:
        yield deadline
    finally:
        deadline.finish()
