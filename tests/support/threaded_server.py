"""The part every loopback test server shares: a threading HTTP server on a
free port of its own, served from a daemon thread, stopped quickly, and a
`stopping` event that handlers which trickle or stream watch so that stop()
does not wait for them."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


class LoopbackHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    owner: Any  # the ThreadedServer subclass whose state the handler reads

    def handle_error(self, request, client_address) -> None:
        # Clients that drop keep-alive sockets are normal; no tracebacks.
        pass


class ThreadedServer:
    """Subclasses pass their request handler; the handler reaches the
    subclass's state through `self.server.owner`."""

    def __init__(self, handler: type[BaseHTTPRequestHandler], host: str = "127.0.0.1") -> None:
        self.host = host
        self.stopping = threading.Event()
        self._httpd = LoopbackHTTPServer((host, 0), handler)
        self._httpd.owner = self
        self.port = self._httpd.server_address[1]
        # A short poll interval makes stop() quick (the default waits 0.5 s).
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def url(self, path: str) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{path}"
