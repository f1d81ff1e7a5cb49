"""What can go wrong with a download, told apart by what to do next.

Transient errors (timeouts, resets, 5xx, 429, stalls, truncated bodies) are
retried with backoff; permanent ones (404, other 4xx, no disk space, unsafe
URL, a file that does not match its digest) fail the job at once. Messages
are shown to users as they are, so they are plain words, not tracebacks.
"""

from __future__ import annotations


class DownloadError(Exception):
    permanent: bool = False

    def __init__(self, message: str, *, retry_after: float | None = None, permanent: bool | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after
        if permanent is not None:
            self.permanent = permanent


class TransientError(DownloadError):
    permanent = False


class PermanentError(DownloadError):
    permanent = True


class Cancelled(Exception):  # a control-flow signal, not an error
    """The job stopped being ours: cancelled by the user, deleted, or taken
    over by another worker after it was reaped. Stop without recording anything."""

    def __init__(self, reason: str = "cancelled") -> None:
        super().__init__(reason)
        self.reason = reason
