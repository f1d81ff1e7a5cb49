"""fetch(): one guarded GET (or HEAD...) with politeness, timeouts and retries.

Politeness: at most settings.HTTP_MAX_PER_HOST requests in flight per host
name in this process. A slot is taken for the URL's host (redirect targets
share it) and held until the body has been read; with ``stream=True`` it is
held until the response is closed (``response.close()`` or a ``with``
block), so close streamed responses promptly.

Retries: timeouts, connection errors and the statuses
``errors.is_transient_status`` names (5xx, 408, 425, 429) are retried ``retries``
times with exponential backoff and jitter, or after the server's
Retry-After when it asks for at most RETRY_AFTER_CAP_SECONDS. A longer
Retry-After is not slept through: the FetchError carries it so the caller
(a Celery task) can come back later. Any other 4xx fails at once.
"""

from __future__ import annotations

import random
import socket
import ssl
import threading
import time
import weakref
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings

from .. import limits
from . import errors
from .addresses import dns_error, normalize_host, split_url
from .deadline import Deadline
from .errors import FetchError
from .transport import GuardedSession, guarded_session

BACKOFF_BASE_SECONDS = 0.25  # 0.25s, 0.5s, 1s... plus up to the base again as jitter
RETRY_AFTER_CAP_SECONDS = 30.0
# A non-streamed body is held in memory; a user's URL that turns out to be a
# video must not take the worker down with it.
MAX_BODY_BYTES = 64 * 1024 * 1024
_CHUNK = 64 * 1024


def fetch(
    url: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    timeout: float | None = None,
    total_timeout: float | None = None,
    stream: bool = False,
    retries: int = 2,
    allow_statuses: tuple[int, ...] = (304,),
) -> requests.Response:
    """Fetch ``url`` through the address guard and return the response.

    2xx and ``allow_statuses`` are returned; anything else raises FetchError
    (UnsafeURL for a refused address or scheme, on any redirect hop).
    ``timeout`` (default settings.HTTP_TIMEOUT_SECONDS) applies to the
    connect and to each read. ``total_timeout`` (default
    settings.HTTP_TOTAL_TIMEOUT_SECONDS) bounds the whole fetch, retries,
    waits and the body included (for ``stream=True``: until the response is
    closed); a server still sending then is cut off (see deadline.py).
    """
    _scheme, host, _port = split_url(url)  # a bad scheme fails before taking a slot
    host = normalize_host(host)
    seconds = float(settings.HTTP_TIMEOUT_SECONDS if timeout is None else timeout)
    total = float(_total_timeout() if total_timeout is None else total_timeout)
    deadline = Deadline(total).start()
    handed_over = False
    attempt = 0
    try:
        while True:
            try:
                response = _attempt(url, host, method, headers, seconds, stream, allow_statuses, deadline)
            except FetchError as exc:
                if deadline.expired:
                    raise deadline.error(host) from exc
                if exc.permanent or attempt >= retries:
                    raise
                delay = exc.retry_after if exc.retry_after is not None else _backoff(attempt)
                if delay > RETRY_AFTER_CAP_SECONDS or delay >= deadline.remaining():
                    raise
                attempt += 1
                time.sleep(delay)
                continue
            if stream:
                # The body is read after we return: the deadline runs on
                # until the response is closed (_release_on_close).
                deadline.leave_context()
                handed_over = True
            return response
    finally:
        if not handed_over:
            deadline.finish()


def _total_timeout() -> float:
    return float(getattr(settings, "HTTP_TOTAL_TIMEOUT_SECONDS", limits.HTTP_TOTAL_TIMEOUT_SECONDS))


def _backoff(attempt: int) -> float:
    # Jitter keeps workers that failed together from retrying in lockstep; not a secret.
    return BACKOFF_BASE_SECONDS * (2**attempt) + random.uniform(0, BACKOFF_BASE_SECONDS)  # noqa: S311


def _attempt(
    url: str,
    host: str,
    method: str,
    headers: dict[str, str] | None,
    timeout: float,
    stream: bool,
    allow_statuses: tuple[int, ...],
    deadline: Deadline,
) -> requests.Response:
    slot = _host_slot(host)
    # Bounded wait, so a caller that forgot to close a streamed response gets
    # an error instead of a deadlock.
    if not slot.acquire(timeout=min(3 * timeout, deadline.remaining())):
        deadline.check(host)
        raise FetchError(f"too many requests in flight to {host}", permanent=False)
    session = guarded_session()
    handed_over = False
    try:
        try:
            response = session.request(
                method, url, headers=headers, timeout=(timeout, timeout), stream=True, allow_redirects=True
            )
        except FetchError:
            raise
        except requests.RequestException as exc:
            raise _transport_error(exc, host) from exc
        try:
            status = response.status_code
            if not (200 <= status < 300 or status in allow_statuses):
                raise _status_error(response)
            _check_deadline_on_read(response, deadline, _final_host(response, host))
            if stream:
                _release_on_close(response, session, slot, deadline)
                handed_over = True
                return response
            _read_body(response, _final_host(response, host))
            return response
        finally:
            if not handed_over:
                response.close()
    finally:
        if not handed_over:
            session.close()
            slot.release()


def _read_body(response: requests.Response, host: str) -> None:
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_content(_CHUNK):
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise FetchError(
                    f"the response from {host} is larger than {MAX_BODY_BYTES // (1024 * 1024)} MiB", permanent=True
                )
            chunks.append(chunk)
    except requests.RequestException as exc:
        raise _transport_error(exc, host) from exc
    # What requests itself does when it reads a body: later .content, .text
    # and .json() use it.
    response._content = b"".join(chunks)
    response._content_consumed = True


def _check_deadline_on_read(response: requests.Response, deadline: Deadline, host: str) -> None:
    """Make every read of the body fail once the deadline has cut the
    connection. A body without Content-Length ends at the connection's end,
    so without this a cut would pass for a complete (truncated) document."""
    raw = response.raw
    read = raw.read

    def checked_read(*args: Any, **kwargs: Any) -> Any:
        deadline.check(host)
        try:
            data = read(*args, **kwargs)
        except Exception as exc:
            if deadline.expired:  # the cut shows as an incomplete read or a reset
                raise deadline.error(host) from exc
            raise
        deadline.check(host)
        return data

    raw.read = checked_read


def _release_on_close(
    response: requests.Response, session: GuardedSession, slot: threading.Semaphore, deadline: Deadline
) -> None:
    lock = threading.Lock()
    released = False

    def release() -> None:
        nonlocal released
        with lock:
            if released:
                return
            released = True
        deadline.finish()
        session.close()
        slot.release()

    original_close = response.close

    def close() -> None:
        try:
            original_close()
        finally:
            release()

    # Response.__exit__ calls self.close(), so the instance attribute covers
    # `with` blocks too; the finalizer frees the slot of a response dropped unclosed.
    response.close = close  # type: ignore[method-assign]
    weakref.finalize(response, release)


# --- per-host slots -------------------------------------------------------

# Weak values: a host's semaphore lives while a request holds or waits for it,
# then goes away, so the table does not grow with every host ever fetched.
_slots: weakref.WeakValueDictionary[tuple[str, int], threading.BoundedSemaphore] = weakref.WeakValueDictionary()
_slots_lock = threading.Lock()


def _host_slot(host: str) -> threading.BoundedSemaphore:
    limit = int(settings.HTTP_MAX_PER_HOST)
    with _slots_lock:
        slot = _slots.get((host, limit))
        if slot is None:
            slot = threading.BoundedSemaphore(limit)
            _slots[(host, limit)] = slot
        return slot


# --- errors in plain words ------------------------------------------------


def _final_host(response: requests.Response, default: str) -> str:
    return urlsplit(response.url).hostname or default


def _status_error(response: requests.Response) -> FetchError:
    status = response.status_code
    host = urlsplit(response.url).hostname or "the server"
    reason = response.reason or _phrase(status)
    transient = errors.is_transient_status(status)
    retry_after = parse_retry_after(response.headers.get("Retry-After")) if status in (429, 503) else None
    return FetchError(
        " ".join(filter(None, ["HTTP", str(status), reason, "from", host])),
        permanent=not transient,
        status=status,
        retry_after=retry_after,
    )


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _transport_error(exc: requests.RequestException, host: str) -> FetchError:
    # After a redirect the failing request is not the first one: name its host.
    failed = getattr(exc, "request", None)
    host = (urlsplit(failed.url).hostname if failed is not None and failed.url else None) or host
    causes = list(errors.causes(exc))
    for cause in causes:
        if isinstance(cause, FetchError):
            return cause
        if isinstance(cause, socket.gaierror):
            return dns_error(host, cause)
    if isinstance(exc, requests.exceptions.SSLError):
        # A certificate that does not verify stays that way until someone fixes it.
        broken_cert = any(isinstance(c, ssl.SSLCertVerificationError) for c in causes)
        return FetchError(f"secure connection to {host} failed ({_tls_words(causes)})", permanent=broken_cert)
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return FetchError(f"timed out connecting to {host}")
    if isinstance(exc, requests.exceptions.Timeout):
        return FetchError(f"timed out waiting for {host}")
    if isinstance(exc, requests.exceptions.TooManyRedirects):
        return FetchError(f"too many redirects from {host}", permanent=True)
    if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema):
        return FetchError(f"the URL for {host} is not valid", permanent=True)
    if isinstance(exc, requests.exceptions.ChunkedEncodingError | requests.exceptions.ContentDecodingError):
        return FetchError(f"the response from {host} was cut off or garbled")
    if any(isinstance(c, TimeoutError) for c in causes):
        return FetchError(f"timed out waiting for {host}")
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return FetchError(f"cannot connect to {host} (connection refused)")
    if any(isinstance(c, ConnectionResetError) for c in causes):
        return FetchError(f"the connection to {host} was reset")
    return FetchError(f"cannot connect to {host}")


def _tls_words(causes: list[BaseException]) -> str:
    for cause in causes:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return cause.verify_message or "the certificate is not valid"
    return "TLS handshake error"
