"""A loopback reverse proxy that records what passes through it.

Put between the service and a real torrent client, it lets a test count
the client's API calls as they really happened on the wire ("the torrent
was added once"), without touching either side.
"""

from __future__ import annotations

import http.client
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler

from .threaded_server import LoopbackHTTPServer, ThreadedServer

_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}


@dataclass(frozen=True)
class Passed:
    method: str
    path: str
    body: bytes
    status: int


class _Handler(BaseHTTPRequestHandler):
    server: LoopbackHTTPServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self._forward()

    def do_POST(self) -> None:
        self._forward()

    def _forward(self) -> None:
        owner = self.server.owner
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        upstream = http.client.HTTPConnection("127.0.0.1", owner.target_port, timeout=30)
        try:
            upstream.request(self.command, self.path, body=body or None, headers=headers)
            response = upstream.getresponse()
            payload = response.read()
            status, reply_headers = response.status, response.getheaders()
        except OSError:
            # The client is down: answer as a dead server would look to a
            # caller, a closed connection.
            owner.record(Passed(self.command, self.path, body, 0))
            self.close_connection = True
            return
        finally:
            upstream.close()
        owner.record(Passed(self.command, self.path, body, status))
        self.send_response(status)
        for name, value in reply_headers:
            if name.lower() not in _HOP_BY_HOP and name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class RecordingProxy(ThreadedServer):
    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.passed: list[Passed] = []
        self._lock = threading.Lock()
        super().__init__(_Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def record(self, passed: Passed) -> None:
        with self._lock:
            self.passed.append(passed)

    def calls(self, path: str, body_contains: bytes = b"") -> list[Passed]:
        with self._lock:
            return [p for p in self.passed if p.path.split("?", 1)[0] == path and body_contains in p.body]


def torrent_adds(proxy: RecordingProxy, kind: str) -> list[Passed]:
    """The add requests that reached the client (qBittorrent's
    /api/v2/torrents/add, Transmission's torrent-add RPC)."""
    if kind == "qbittorrent":
        return [p for p in proxy.calls("/api/v2/torrents/add") if p.status]
    return [p for p in proxy.calls("/transmission/rpc", b'"torrent-add"') if p.status == 200]
