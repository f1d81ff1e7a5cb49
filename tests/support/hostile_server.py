"""A real HTTP server on 127.0.0.1 that misbehaves the way hostile or broken
sources do, for the hardening tests:

- ``/trickle``: answers at once, then sends its body one byte every
  ``trickle_interval`` seconds (an announced size it never reaches);
- ``/trickle-headers``: sends even its status line a byte at a time;
- ``/endless``: no Content-Length (chunked), bytes as fast as the client
  takes them, for ever;
- ``/gzip-bomb``: a small gzip body that inflates to ``bomb_size`` bytes;
- ``/loop``: redirects to itself, for ever;
- ``/deep.xml``: an RSS document nested ``deep_levels`` elements deep;
- ``/malformed.xml``: an RSS document cut off in the middle of an element.

Every request is counted per path (``hits``), so tests can tell how often a
source was asked.
"""

from __future__ import annotations

import gzip
import io
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler

from .threaded_server import LoopbackHTTPServer, ThreadedServer


def _gzip_of_zeros(size: int) -> bytes:
    out = io.BytesIO()
    block = b"\0" * (1 << 20)
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as gz:
        for _ in range(size // len(block)):
            gz.write(block)
    return out.getvalue()


MALFORMED_RSS = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Broken</title>'
    b"<item><title>[Grp] Show - 01 [1080p].mkv</title><link>http://127.0.0.1/a.mkv</li"
)


class _Handler(BaseHTTPRequestHandler):
    server: LoopbackHTTPServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        owner = self.server.owner
        path = self.path.split("?", 1)[0]
        owner._hit(path)
        if path.startswith("/endless"):
            path = "/endless"  # /endless/episode-01.mkv: a media file name for the providers
        elif path.startswith("/trickle-headers"):
            path = "/trickle-headers"
        elif path.startswith("/trickle"):
            path = "/trickle"  # /trickle/1, /trickle/2...: distinct sources, one behaviour
        route = {
            "/trickle": self._trickle,
            "/trickle-headers": self._trickle_headers,
            "/endless": self._endless,
            "/gzip-bomb": self._gzip_bomb,
            "/loop": self._loop,
            "/deep.xml": self._deep_xml,
            "/malformed.xml": self._malformed,
        }.get(path)
        try:
            if route is None:
                self._send(404, b"not found", "text/plain")
            else:
                route()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _send(self, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _wait(self) -> bool:
        """Sleep one trickle interval; False when the server is stopping."""
        return not self.server.owner.stopping.wait(self.server.owner.trickle_interval)

    def _trickle(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", "1000000")
        self.end_headers()
        self.wfile.flush()
        for byte in b"<rss>" * 200_000:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            if not self._wait():
                break
        self.close_connection = True

    def _trickle_headers(self) -> None:
        for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nX-Slow: " + b"a" * 10_000:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            if not self._wait():
                break
        self.close_connection = True

    def _endless(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "video/x-matroska")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        block = b"\x1a" * (256 * 1024)
        chunk = f"{len(block):x}\r\n".encode() + block + b"\r\n"
        while not self.server.owner.stopping.is_set():
            self.wfile.write(chunk)
        self.close_connection = True

    def _gzip_bomb(self) -> None:
        self._send(200, self.server.owner.bomb, "application/rss+xml", {"Content-Encoding": "gzip"})

    def _loop(self) -> None:
        self._send(302, b"", "text/plain", {"Location": self.path})

    def _deep_xml(self) -> None:
        levels = self.server.owner.deep_levels
        body = (
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>Deep</title><item><title>'
            + b"<a>" * levels
            + b"x"
            + b"</a>" * levels
            + b"</title></item></channel></rss>"
        )
        self._send(200, body, "application/rss+xml")

    def _malformed(self) -> None:
        self._send(200, MALFORMED_RSS, "application/rss+xml")


class HostileServer(ThreadedServer):
    def __init__(self, *, trickle_interval: float = 1.0, bomb_size: int = 256 << 20, deep_levels: int = 200_000):
        self.trickle_interval = trickle_interval
        self.deep_levels = deep_levels
        self.bomb = _gzip_of_zeros(bomb_size)
        self.hits: Counter[str] = Counter()
        self._lock = threading.Lock()
        super().__init__(_Handler)

    def _hit(self, path: str) -> None:
        with self._lock:
            self.hits[path] += 1
