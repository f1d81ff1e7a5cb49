"""A real HTTP server on 127.0.0.1 that serves media files with byte ranges,
and misbehaves on request.

Tests register files (`add`), may change them between requests (`replace`,
which changes the ETag and Last-Modified), and script faults that real
servers show: errors for the first n requests, a stall after some bytes, a
connection cut before the announced length, a lying Content-Length, no range
support, digests (RFC 9530). Every request is recorded with the bytes sent,
so tests can assert on what went over the wire.
"""

from __future__ import annotations

import base64
import hashlib
import re
import threading
import time
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from .threaded_server import LoopbackHTTPServer, ThreadedServer

BLOCK = 64 * 1024


@dataclass
class MediaFile:
    body: bytes = b""
    path: Path | None = None  # serve a file on disk instead of body (benchmarks)
    content_type: str = "video/mp4"
    etag: str | None = None  # None: derived from the content
    weak_etag: bool = False
    send_etag: bool = True
    last_modified: float | None = None  # None: now
    send_last_modified: bool = True
    accept_ranges: bool = True
    # Faults, each for the next n responses.
    fail_times: int = 0
    fail_status: int = 503
    retry_after: str | None = None
    stall_times: int = 0
    stall_after: int = 0  # bytes sent before stalling
    stall_seconds: float = 5.0
    truncate_times: int = 0
    truncate_after: int = 0  # bytes sent before the connection is cut
    length_delta: int = 0  # added to the true Content-Length
    content_digest: bool | str = False  # True: the right sha-256 of the bytes sent; str: sent as is
    repr_digest: bool | str = False
    rate: float | None = None  # bytes per second, None: as fast as possible
    version: int = 1

    @property
    def size(self) -> int:
        return self.path.stat().st_size if self.path is not None else len(self.body)

    def read(self, start: int, length: int) -> bytes:
        if self.path is None:
            return self.body[start : start + length]
        with self.path.open("rb") as fh:
            fh.seek(start)
            return fh.read(length)

    def current_etag(self) -> str:
        if self.etag is None:
            seed = self.body if self.path is None else f"{self.path}:{self.size}:{self.version}".encode()
            self.etag = f'"{hashlib.sha256(seed).hexdigest()[:16]}-v{self.version}"'
        return f"W/{self.etag}" if self.weak_etag else self.etag


@dataclass
class MediaRequest:
    method: str
    path: str
    headers: dict[str, str]
    status: int = 0
    bytes_sent: int = 0
    range_start: int | None = None


def sha256_digest_header(data: bytes) -> str:
    return f"sha-256=:{base64.b64encode(hashlib.sha256(data).digest()).decode()}:"


def _file_sha256(media: MediaFile, start: int, length: int) -> bytes:
    h = hashlib.sha256()
    pos = start
    while pos < start + length:
        block = media.read(pos, min(1 << 20, start + length - pos))
        h.update(block)
        pos += len(block)
    return h.digest()


class _Handler(BaseHTTPRequestHandler):
    server: LoopbackHTTPServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def _serve(self, *, send_body: bool) -> None:
        owner = self.server.owner
        seen = MediaRequest(self.command, self.path, {k.lower(): v for k, v in self.headers.items()})
        owner._record(seen)
        with owner.lock:
            media = owner.files.get(self.path.split("?", 1)[0])
            if media is not None and media.fail_times > 0:
                media.fail_times -= 1
                failing = True
            else:
                failing = False
        if media is None:
            return self._simple(seen, 404, b"not found")
        if failing:
            extra = {"Retry-After": media.retry_after} if media.retry_after else {}
            return self._simple(seen, media.fail_status, b"try later", extra)

        size = media.size
        headers = {"Content-Type": media.content_type}
        if media.send_etag:
            headers["ETag"] = media.current_etag()
        modified = media.last_modified if media.last_modified is not None else time.time()
        if media.send_last_modified:
            headers["Last-Modified"] = formatdate(modified, usegmt=True)
        if media.accept_ranges:
            headers["Accept-Ranges"] = "bytes"

        start, end = 0, size - 1
        status = 200
        wanted = self._range(seen, media, modified, size)
        if wanted == "unsatisfiable":
            headers["Content-Range"] = f"bytes */{size}"
            return self._simple(seen, 416, b"", headers)
        if wanted is not None:
            start, end = wanted
            status = 206
            headers["Content-Range"] = f"bytes {start}-{end}/{size}"
            seen.range_start = start
        length = max(0, end - start + 1)
        headers["Content-Length"] = str(length + media.length_delta)
        if media.content_digest:
            headers["Content-Digest"] = (
                media.content_digest
                if isinstance(media.content_digest, str)
                else f"sha-256=:{base64.b64encode(_file_sha256(media, start, length)).decode()}:"
            )
        if media.repr_digest:
            headers["Repr-Digest"] = (
                media.repr_digest
                if isinstance(media.repr_digest, str)
                else f"sha-256=:{base64.b64encode(_file_sha256(media, 0, size)).decode()}:"
            )

        with owner.lock:
            stall = truncate = False
            if media.stall_times > 0:
                media.stall_times -= 1
                stall = True
            if media.truncate_times > 0:
                media.truncate_times -= 1
                truncate = True

        seen.status = status
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if not send_body:
            return
        limit = length
        if truncate:
            limit = min(limit, media.truncate_after)
        self._send_body(seen, media, start, limit, stall_at=media.stall_after if stall else None)
        if truncate or stall or media.length_delta:
            # Cut the connection: the client must not wait for bytes that never come.
            self.close_connection = True

    def _range(self, seen: MediaRequest, media: MediaFile, modified: float, size: int):
        header = seen.headers.get("range")
        if not header or not media.accept_ranges:
            return None
        if_range = seen.headers.get("if-range")
        if if_range is not None and not self._if_range_matches(if_range, media, modified):
            return None  # the client's copy is stale: send the whole new file
        match = re.fullmatch(r"bytes=(\d*)-(\d*)", header.strip())
        if not match or (not match[1] and not match[2]):
            return None
        if match[1]:
            start = int(match[1])
            end = int(match[2]) if match[2] else size - 1
        else:  # suffix range: the last n bytes
            start, end = max(0, size - int(match[2])), size - 1
        if start >= size:
            return "unsatisfiable"
        return start, min(end, size - 1)

    @staticmethod
    def _if_range_matches(value: str, media: MediaFile, modified: float) -> bool:
        value = value.strip()
        if value.startswith(('"', "W/")):
            # If-Range needs a strong comparison: a weak tag never matches.
            return media.send_etag and not media.weak_etag and value == media.current_etag()
        try:
            return media.send_last_modified and int(parsedate_to_datetime(value).timestamp()) == int(modified)
        except (TypeError, ValueError):
            return False

    def _send_body(self, seen: MediaRequest, media: MediaFile, start: int, length: int, stall_at: int | None) -> None:
        owner = self.server.owner
        can_sendfile = media.path is not None and media.rate is None and stall_at is None
        try:
            if can_sendfile:
                with media.path.open("rb") as fh:  # type: ignore[union-attr]
                    pos, end = start, start + length
                    while pos < end:  # in slices, so a dropped client still leaves a count
                        sent = self.connection.sendfile(fh, pos, min(8 << 20, end - pos))
                        if not sent:
                            break
                        pos += sent
                        seen.bytes_sent += sent
                return
            pos, end = start, start + length
            began = time.monotonic()
            while pos < end:
                if stall_at is not None and seen.bytes_sent >= stall_at:
                    owner.stopping.wait(media.stall_seconds)
                    return
                step = min(BLOCK, end - pos)
                if stall_at is not None:
                    step = min(step, max(1, stall_at - seen.bytes_sent))
                if media.rate:
                    step = min(step, max(1, int(media.rate / 20)))
                block = media.read(pos, step)
                self.wfile.write(block)
                pos += len(block)
                seen.bytes_sent += len(block)
                if media.rate:
                    ahead = seen.bytes_sent / media.rate - (time.monotonic() - began)
                    if ahead > 0 and owner.stopping.wait(ahead):
                        return
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _simple(self, seen: MediaRequest, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        seen.status = status
        self.send_response(status)
        headers = {"Content-Type": "text/plain", **(headers or {})}
        headers["Content-Length"] = str(len(body))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
            seen.bytes_sent += len(body)


class MediaServer(ThreadedServer):
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.files: dict[str, MediaFile] = {}
        self.seen: list[MediaRequest] = []
        self.lock = threading.Lock()
        super().__init__(_Handler, host)

    def add(self, route: str, body: bytes = b"", **options: object) -> str:
        """Serve body (or a file: path=Path) at route; returns its URL."""
        with self.lock:
            self.files[route] = MediaFile(body=body, **options)  # type: ignore[arg-type]
        return self.url(route)

    def replace(self, path: str, body: bytes) -> None:
        """The file changed upstream: new bytes, new validators."""
        with self.lock:
            media = self.files[path]
            media.body = body
            media.version += 1
            media.etag = None
            media.last_modified = (media.last_modified or time.time()) + 10

    def configure(self, path: str, **options: object) -> None:
        with self.lock:
            for name, value in options.items():
                setattr(self.files[path], name, value)

    def _record(self, seen: MediaRequest) -> None:
        with self.lock:
            self.seen.append(seen)

    def requests_for(self, path: str) -> list[MediaRequest]:
        with self.lock:
            return [r for r in self.seen if r.path.split("?", 1)[0] == path]


def random_bytes(size: int, seed: int = 0) -> bytes:
    """Incompressible test content, reproducible from the seed."""
    out = bytearray()
    counter = 0
    while len(out) < size:
        out += hashlib.sha256(f"{seed}:{counter}".encode()).digest() * 64
        counter += 1
    return bytes(out[:size])


def tiny_mp4(payload_size: int = 64 * 1024, seed: int = 0) -> bytes:
    """A small ISO BMFF file (ftyp + free + mdat boxes) that media sniffers
    recognise as MP4. It holds no decodable frames; no test here decodes."""

    def box(kind: bytes, data: bytes) -> bytes:
        return (8 + len(data)).to_bytes(4, "big") + kind + data

    ftyp = box(b"ftyp", b"isom" + (512).to_bytes(4, "big") + b"isomiso2avc1mp41")
    return ftyp + box(b"free", b"") + box(b"mdat", random_bytes(payload_size, seed))


__all__ = ["MediaFile", "MediaRequest", "MediaServer", "random_bytes", "sha256_digest_header", "tiny_mp4"]
