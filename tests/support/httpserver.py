"""A real HTTP server on 127.0.0.1 serving content that tests generate.

Tests register routes (path -> `Route`) and read back what the server saw
(`requests_for(path)`), so assertions are about real HTTP traffic, not about
calls into a mocked library.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler

from .threaded_server import LoopbackHTTPServer, ThreadedServer


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: float | None = None  # epoch seconds
    delay: float = 0.0  # seconds before answering
    # Full control when a test needs it: return (status, headers, body).
    handler: Callable[[SeenRequest], tuple[int, dict[str, str], bytes]] | None = None


@dataclass
class SeenRequest:
    method: str
    path: str
    headers: dict[str, str]
    status: int = 0


class _Handler(BaseHTTPRequestHandler):
    server: LoopbackHTTPServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def _serve(self, *, send_body: bool) -> None:
        owner = self.server.owner
        seen = SeenRequest(self.command, self.path, {k.lower(): v for k, v in self.headers.items()})
        owner._record(seen)
        route = owner.routes.get(self.path) or owner.routes.get(self.path.split("?", 1)[0])
        if route is None:
            status, headers, body = 404, {"Content-Type": "text/plain"}, b"not found"
        elif route.handler is not None:
            status, headers, body = route.handler(seen)
        else:
            if route.delay:
                time.sleep(route.delay)
            status, headers, body = self._static(route, seen)
        seen.status = status
        self.send_response(status)
        headers.setdefault("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body and status not in (204, 304):
            self.wfile.write(body)

    @staticmethod
    def _static(route: Route, seen: SeenRequest) -> tuple[int, dict[str, str], bytes]:
        headers = {"Content-Type": route.content_type, **route.headers}
        if route.etag:
            headers["ETag"] = route.etag
        if route.last_modified is not None:
            headers["Last-Modified"] = formatdate(route.last_modified, usegmt=True)
        if route.status == 200:
            if route.etag and seen.headers.get("if-none-match") == route.etag:
                return 304, headers, b""
            if route.last_modified is not None and seen.headers.get("if-modified-since") == headers["Last-Modified"]:
                return 304, headers, b""
        return route.status, headers, route.body


class LoopbackServer(ThreadedServer):
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route] = {}
        self.seen: list[SeenRequest] = []
        self._lock = threading.Lock()
        super().__init__(_Handler, host)

    def add(self, path: str, body: bytes | str = b"", **kwargs: object) -> str:
        if isinstance(body, str):
            body = body.encode()
        self.routes[path] = Route(body=body, **kwargs)  # type: ignore[arg-type]
        return self.url(path)

    def _record(self, seen: SeenRequest) -> None:
        with self._lock:
            self.seen.append(seen)

    def requests_for(self, path: str) -> list[SeenRequest]:
        with self._lock:
            return [r for r in self.seen if r.path == path]
