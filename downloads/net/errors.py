"""The errors the outgoing-HTTP client raises.

Callers decide what to do next from ``permanent`` alone (fail now, or retry
later), and show ``str(exc)`` to users as it is, so messages are plain words.

Also the rules every caller shares: which HTTP statuses are worth retrying
(``is_transient_status``) and how to find the real failure inside wrapped
exceptions (``causes``/``find_cause``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import TypeVar

E = TypeVar("E", bound=BaseException)


class FetchError(Exception):
    """A fetch failed.

    ``permanent`` is true when asking again will not help soon (404, other
    4xx, a refused address, a bad scheme) and false for timeouts, connection
    errors and the statuses ``is_transient_status`` names. ``status`` is the HTTP status when there was one;
    ``retry_after`` is the server's Retry-After in seconds (429/503).
    """

    def __init__(
        self,
        message: str,
        *,
        permanent: bool = False,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.status = status
        self.retry_after = retry_after


class UnsafeURL(FetchError):
    """The address guard refused the URL: never retried."""

    def __init__(self, message: str) -> None:
        super().__init__(message, permanent=True)


# Statuses that mean "not now" rather than "never": the server gave up
# waiting for our request (408), will not replay early data yet (425), asks
# us to slow down (429), or had a problem of its own (5xx). Every other
# status (404, 403, other 4xx, a 3xx nobody asked for) stays the same when
# asked again soon.
TRANSIENT_4XX = frozenset({408, 425, 429})


def is_transient_status(status: int) -> bool:
    """Whether an HTTP status is worth asking again for later.

    The one rule for every outgoing request: fetch(), the HTTP and yt-dlp
    download backends and the yt-dlp provider all decide by it.
    """
    return status in TRANSIENT_4XX or status >= 500


def causes(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and every exception it wraps, nearest first, each once.

    Libraries keep the real failure in different places: Python's
    ``__cause__``/``__context__``, urllib3's ``MaxRetryError.reason``,
    requests' exceptions in ``args``, yt-dlp's ``ExtractorError.cause`` and
    ``DownloadError.exc_info``. Callers look for the first cause of a kind
    (an UnsafeURL, a DNS failure, an HTTP status) however deep it sits.
    """
    seen: set[int] = set()
    todo: deque[BaseException] = deque([exc])
    while todo:
        current = todo.popleft()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo.extend(nested for nested in _wrapped(current) if id(nested) not in seen)


def _wrapped(exc: BaseException) -> Iterator[BaseException]:
    exc_info = getattr(exc, "exc_info", None)
    if isinstance(exc_info, tuple) and len(exc_info) > 1:
        yield from _exceptions(exc_info[1])
    yield from _exceptions(getattr(exc, "cause", None), getattr(exc, "reason", None), *exc.args)
    yield from _exceptions(exc.__cause__, exc.__context__)


def _exceptions(*values: object) -> Iterator[BaseException]:
    return (value for value in values if isinstance(value, BaseException))


def find_cause(exc: BaseException, kind: type[E]) -> E | None:
    """The nearest exception of ``kind`` in ``exc``'s chain (``exc`` included)."""
    return next((cause for cause in causes(exc) if isinstance(cause, kind)), None)
