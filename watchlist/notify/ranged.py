"""Serving a media file the way podcast clients and players expect:
``Range`` requests (RFC 9110 section 14) answered with 206 or 416, or the
file handed to the web server in front (nginx's X-Accel-Redirect, Apache's
or lighttpd's X-Sendfile), which then does the ranges itself.

Django's FileResponse sends whole files only; players seek with
``Range: bytes=N-``, and a client that gets 200 for a range request starts
again from byte 0. One range per request is served; a request for several
ranges gets the whole file (200), which RFC 9110 allows and which every
player handles.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.http import http_date

CHUNK = 256 * 1024
_SPEC = re.compile(r"^\s*(\d*)\s*-\s*(\d*)\s*$")


class Unsatisfiable(Exception):
    """The range asks for bytes the file does not have (416)."""


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) byte of a single-range ``Range`` header, inclusive.

    None means "ignore the header, send the whole file": a unit other than
    bytes, a syntax error, or several ranges. Raises Unsatisfiable for a
    range that starts past the end (or a suffix of zero bytes).
    """
    unit, _, specs = header.partition("=")
    if unit.strip().lower() != "bytes" or not specs:
        return None
    parts = specs.split(",")
    if len(parts) != 1:
        return None
    match = _SPEC.match(parts[0])
    if not match:
        return None
    first_text, last_text = match.groups()
    if not first_text:
        if not last_text:
            return None
        suffix = int(last_text)
        if suffix == 0 or size == 0:
            raise Unsatisfiable
        return max(0, size - suffix), size - 1
    first = int(first_text)
    last = int(last_text) if last_text else size - 1
    if last_text and last < first:
        return None  # invalid: ignored, not refused
    if first >= size:
        raise Unsatisfiable
    return first, min(last, size - 1)


def _etag(path: Path) -> tuple[str, str]:
    stat = path.stat()
    return f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"', http_date(stat.st_mtime)


def _if_range_allows(request: HttpRequest, etag: str, last_modified: str) -> bool:
    condition = request.headers.get("If-Range")
    if not condition:
        return True
    return condition.strip() in (etag, last_modified)  # anything else: the file changed, send it whole


def _read_span(path: Path, first: int, length: int) -> Iterator[bytes]:
    with path.open("rb") as handle:
        handle.seek(first)
        left = length
        while left > 0:
            chunk = handle.read(min(CHUNK, left))
            if not chunk:
                return
            left -= len(chunk)
            yield chunk


def _common(response: HttpResponse, etag: str, last_modified: str, filename: str) -> HttpResponse:
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Last-Modified"] = last_modified
    response["Cache-Control"] = "private, max-age=0"
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    return response


def ranged_file_response(request: HttpRequest, path: Path, content_type: str, filename: str) -> HttpResponse:
    """200, 206 or 416 for ``path``, honouring Range and If-Range."""
    size = path.stat().st_size
    etag, last_modified = _etag(path)
    header = request.headers.get("Range")
    span = None
    if header and _if_range_allows(request, etag, last_modified):
        try:
            span = parse_range(header, size)
        except Unsatisfiable:
            response = HttpResponse(status=416, content_type="text/plain")
            response["Content-Range"] = f"bytes */{size}"
            return _common(response, etag, last_modified, filename)
    head = request.method == "HEAD"
    if span is None:
        if head:
            response = HttpResponse(content_type=content_type)
            response["Content-Length"] = str(size)
        else:
            response = FileResponse(path.open("rb"), content_type=content_type)
        return _common(response, etag, last_modified, filename)
    first, last = span
    length = last - first + 1
    body: Iterator[bytes] = iter(()) if head else _read_span(path, first, length)
    response = StreamingHttpResponse(body, status=206, content_type=content_type)
    response["Content-Length"] = str(length)
    response["Content-Range"] = f"bytes {first}-{last}/{size}"
    return _common(response, etag, last_modified, filename)


def serve_file(request: HttpRequest, path: Path, content_type: str, filename: str) -> HttpResponse:
    """The file by FEED_FILE_SERVING: streamed here, or by the web server."""
    mode = settings.FEED_FILE_SERVING
    if mode == "x-accel-redirect":
        relative = path.relative_to(Path(settings.DOWNLOAD_DIR).resolve())
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.FEED_ACCEL_PREFIX.rstrip("/") + "/" + quote(relative.as_posix())
        response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
        return response
    if mode == "x-sendfile":
        response = HttpResponse(content_type=content_type)
        # Percent-encoded (headers are ASCII): mod_xsendfile decodes it
        # (XSendFileUnescape, on by default).
        response["X-Sendfile"] = quote(str(path))
        response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
        return response
    return ranged_file_response(request, path, content_type, filename)
