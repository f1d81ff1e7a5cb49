"""The errors the outgoing-HTTP client raises.

Callers decide what to do next from ``permanent`` alone (fail now, or retry
later), and show ``str(exc)`` to users as it is, so messages are plain words.
"""

from __future__ import annotations


class FetchError(Exception):
    """A fetch failed.

    ``permanent`` is true when asking again will not help soon (404, other
    4xx, a refused address, a bad scheme) and false for timeouts, connection
    errors, 5xx and 429. ``status`` is the HTTP status when there was one;
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
