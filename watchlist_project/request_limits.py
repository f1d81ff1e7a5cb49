"""Limits on what a request body may cost the server.

Django applies DATA_UPLOAD_MAX_MEMORY_SIZE when a view reads `request.body`
or `request.POST`, but Django REST Framework's parsers read the raw stream
and so skipped it: a 100 MB JSON synopsis was accepted. Two guards now:

- `RequestBodyLimitMiddleware` refuses a body whose Content-Length is over
  the limit before anything reads it: 413, JSON under /api/;
- `LimitedJSONParser` reads at most the limit (a body sent without a
  Content-Length cannot slip past), and turns JSON nested so deeply that
  Python's decoder gives up (RecursionError) into a 400 instead of a 500.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser

# Deeper than any document this API takes (an item is two levels), far
# below the decoder's own recursion limit.
MAX_JSON_DEPTH = 32


def body_limit() -> int:
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def too_large_message(limit: int) -> str:
    return f"The request body is larger than the {_size(limit)} this server accepts."


def _size(n: int) -> str:
    if n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} MiB"
    if n % 1024 == 0:
        return f"{n // 1024} KiB"
    return f"{n} bytes"


class RequestBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit()
        if length > limit:
            message = too_large_message(limit)
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"


class LimitedJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict | None = None) -> Any:
        limit = body_limit()
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise RequestTooLarge(too_large_message(limit))
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        if _nesting_depth(text) > MAX_JSON_DEPTH:
            raise ParseError(f"JSON parse error - nested deeper than {MAX_JSON_DEPTH} levels.")
        try:
            return json.loads(text, parse_constant=_refuse_constant)
        except RecursionError:
            raise ParseError(f"JSON parse error - nested deeper than {MAX_JSON_DEPTH} levels.") from None
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None


def _refuse_constant(name: str) -> Any:
    # NaN and Infinity are not JSON (DRF's own parser refuses them too).
    raise ValueError(f"{name} is not valid JSON")


_STRUCTURE = re.compile(r'\\.|["\[\]{}]')


def _nesting_depth(text: str) -> int:
    """The deepest nesting of arrays and objects, strings skipped. Iterative
    (it cannot run out of stack itself) and only visits quotes, brackets and
    escapes, so a large body costs little."""
    depth = deepest = 0
    in_string = False
    for match in _STRUCTURE.finditer(text):
        part = match.group()
        if part[0] == "\\":
            continue  # an escaped character, e.g. \" inside a string
        if part == '"':
            in_string = not in_string
        elif in_string:
            continue
        elif part in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_JSON_DEPTH:
                    return deepest
        else:
            depth -= 1
    return deepest
