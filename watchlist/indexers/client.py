"""Requests to a Torznab server, through the guarded client
(downloads/net: the address guard, per-host politeness, an overall
deadline), and what it answers in plain words.

Errors an indexer really sends are told apart: a refused key (401/403 or
``<error code="100">``), a rate limit (429 with Retry-After, or codes
500/501: "request/download limit reached"), other ``<error>`` answers,
server failures, timeouts. The key is sent as the ``apikey`` parameter
(what Prowlarr and Jackett read) and cut out of every message (keys.redact).

Nothing here touches the database: queries.py runs these requests on
worker threads.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from xml.etree.ElementTree import Element

from django.conf import settings

from downloads.net import FetchError, fetch
from downloads.net.client import parse_retry_after
from downloads.net.errors import is_transient_status

from . import answers
from .caps import Caps, parse_caps
from .keys import redact, redact_keys_in_logs

# Requests below carry the key in their query string.
redact_keys_in_logs()

ACCEPT = "application/rss+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
# Read every answer ourselves: a 401's or 429's body says why, in the
# indexer's words (<error code description/>), and headers carry Retry-After.
_ANY_ERROR_STATUS = tuple(range(400, 600))

# Newznab/Torznab error codes and what to make of them.
AUTH_CODES = {"100", "101", "102"}
LIMIT_CODES = {"429", "500", "501"}


class IndexerError(Exception):
    """One indexer could not answer. ``message`` is plain words without
    the key; ``kind`` groups the reasons (auth, rate_limited, refused,
    failed, timeout, unreachable, not_torznab); ``retry_after`` is in
    seconds when the indexer said when to come back."""

    def __init__(self, message: str, *, kind: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.retry_after = retry_after

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Endpoint:
    """What a worker thread needs to ask one indexer (no model instance)."""

    indexer_id: int
    name: str
    url: str
    api_key: str
    categories: tuple[int, ...]

    def request_url(self, params: list[tuple[str, str]]) -> str:
        parts = urlsplit(self.url)
        pairs = [(n, v) for n, v in parse_qsl(parts.query, keep_blank_values=True) if n.lower() != "apikey"]
        pairs += params
        if self.api_key:
            pairs.append(("apikey", self.api_key))
        return urlunsplit(parts._replace(query=urlencode(pairs)))


def _words(status: int, described: tuple[str, str] | None, reason: str) -> str:
    if described and (described[0] or described[1]):
        code, text = described
        said = f"code {code}: {text}" if code and text else (f"code {code}" if code else text)
        return f"HTTP {status}, {said}" if status >= 300 else said
    return f"HTTP {status} {reason}".strip()


def _error_for(status: int, reason: str, described: tuple[str, str] | None, retry_after: float | None) -> IndexerError:
    code = described[0] if described else ""
    said = _words(status, described, reason)
    if status in (401, 403) or code in AUTH_CODES:
        return IndexerError(f"the indexer refused the API key ({said})", kind="auth")
    if status == 429 or code in LIMIT_CODES:
        wait = f"; it asks to wait {_duration(retry_after)}" if retry_after else ""
        return IndexerError(f"rate limited by the indexer ({said}){wait}", kind="rate_limited", retry_after=retry_after)
    if status == 404 and not described:
        return IndexerError("nothing answers at this Torznab URL (HTTP 404); check the indexer's URL", kind="refused")
    if is_transient_status(status):  # a timeout or an overloaded server: try again later
        return IndexerError(f"the indexer failed ({said})", kind="failed")
    return IndexerError(f"the indexer refused the search ({said})", kind="refused")


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    seconds = int(seconds)
    if seconds < 90:
        return f"{seconds} s"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} min"
    return f"{round(seconds / 3600, 1):g} h"


def _timeout(total: float) -> float:
    return max(0.5, min(float(settings.HTTP_TIMEOUT_SECONDS), total))


def ask(endpoint: Endpoint, params: list[tuple[str, str]], *, total_timeout: float) -> Element:
    """One request; the answer's root element when it is not an error."""
    try:
        url = endpoint.request_url(params)
    except ValueError:
        raise IndexerError("the indexer's URL is not a valid URL", kind="refused") from None
    try:
        response = fetch(
            url,
            headers={"Accept": ACCEPT},
            timeout=_timeout(total_timeout),
            total_timeout=total_timeout,
            retries=0,
            allow_statuses=_ANY_ERROR_STATUS,
        )
    except FetchError as exc:
        message = redact(str(exc) or type(exc).__name__, endpoint.api_key)
        kind = "timeout" if "timed out" in message or "did not answer" in message else "unreachable"
        raise IndexerError(message, kind=kind, retry_after=exc.retry_after) from None
    status = response.status_code
    try:
        root: Element | None = answers.read_document(response.content)
    except answers.NotTorznab as exc:
        if status >= 400:
            root = None
        else:
            raise IndexerError(
                redact(f"the indexer's answer cannot be read: {exc}", endpoint.api_key), kind="not_torznab"
            ) from None
    described = answers.error_of(root) if root is not None else None
    if status >= 400 or described is not None:
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        error = _error_for(status, response.reason or "", described, retry_after)
        error.message = redact(error.message, endpoint.api_key)
        raise error
    assert root is not None
    return root


def fetch_caps(endpoint: Endpoint, *, total_timeout: float) -> Caps:
    root = ask(endpoint, [("t", "caps")], total_timeout=total_timeout)
    if answers.local_name(root.tag) != "caps":
        raise IndexerError(
            f"the indexer's t=caps answer is not a <caps> document (<{answers.local_name(root.tag)}>)",
            kind="not_torznab",
        )
    return parse_caps(root)


def search(endpoint: Endpoint, params: list[tuple[str, str]], *, total_timeout: float) -> list[answers.TorznabResult]:
    root = ask(endpoint, params, total_timeout=total_timeout)
    try:
        return answers.parse_results(root, endpoint.url)
    except answers.NotTorznab as exc:
        raise IndexerError(f"the indexer's answer cannot be read: {exc}", kind="not_torznab") from None
