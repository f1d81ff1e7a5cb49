"""The one outgoing-HTTP client: timeouts, user agent, retries and the address guard.

Both apps fetch user-supplied URLs through this package (``downloads`` must
not import ``watchlist``, so it lives here). Everything a user names is
refused when it resolves to loopback, private, link-local, CGNAT, metadata or
other non-public addresses, unless the administrator allows it; see
``addresses`` for the rules and ``transport`` for how the checked address is
the one connected to.

- ``fetch()``: a guarded request with per-host politeness and retries.
- ``guarded_session()``: a guarded requests session, no retries (downloads).
- ``check_url()``: refuse early, e.g. when a user submits a URL.
- ``overall_deadline()``: bound a block of guarded requests as a whole.
- ``ytdlp_params()``: options for yt-dlp, under the same guard.
- ``ytdlp_guard_params()``: only the guard's part of them.
"""

from __future__ import annotations

import logging
from typing import Any

from .addresses import check_url
from .client import fetch
from .deadline import overall_deadline
from .errors import FetchError, UnsafeURL
from .transport import GuardedSession, guarded_session

__all__ = [
    "FetchError",
    "GuardedSession",
    "UnsafeURL",
    "check_url",
    "fetch",
    "guarded_session",
    "overall_deadline",
    "ytdlp_guard_params",
    "ytdlp_params",
]


def ytdlp_params(log: logging.Logger, **options: Any) -> dict[str, Any]:
    """Options for ``yt_dlp.YoutubeDL(params)``: quiet, messages into ``log``,
    no cache, then ``options``, then the address guard's (see
    ``ytdlp_guard_params``). The one place yt-dlp's base options are set."""
    from . import ytdlp  # imports yt_dlp (slow) and registers the handler

    return ytdlp.params(log, **options)


def ytdlp_guard_params() -> dict[str, Any]:
    """Options for ``yt_dlp.YoutubeDL(params)`` that keep yt-dlp behind the guard.

    Calling this installs (once per process) a request handler that yt-dlp
    prefers for every request and that checks and pins every connection,
    redirects included; see ``downloads.net.ytdlp``. Merge the result into
    your params rather than the other way round, so nothing overrides it.

    What no option can enforce: formats whose protocol is rtmp, rtsp, mms, or
    live HLS/DASH streams are downloaded by external programs (rtmpdump,
    ffmpeg) that connect by themselves. Choose formats with
    ``[protocol^=http]`` / ``[protocol=m3u8_native]`` filters and skip live
    entries.
    """
    from . import ytdlp  # imports yt_dlp (slow) and registers the handler

    return ytdlp.guard_params()
