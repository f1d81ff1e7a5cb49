"""Making yt-dlp go through the address guard.

yt-dlp does its own HTTP: YoutubeDL.urlopen() hands each request to a
RequestDirector, which tries its registered request handlers by preference
and follows redirects inside the chosen handler. YoutubeDL takes no option
that swaps handlers, so the guard is installed process-wide, once, when this
module is imported (ytdlp_guard_params() imports it):

- ``WatchlistGuardRH`` is yt-dlp's requests handler with the guarded urllib3
  pools of ``transport`` mounted, so every connection it opens, on the first
  URL and on every redirect hop, is resolved, checked and pinned like
  fetch()'s. It refuses proxies.
- It is registered with a preference far above the others, so the director
  always asks it first, and it never lets a request fall through to an
  unguarded handler (urllib, websockets): a request it cannot or will not
  make fails with a RequestError, which the director does not retry
  elsewhere. The one exception is ``data:`` URLs, which carry their payload
  inline, open no connection, and are left to yt-dlp's urllib handler.

Every YoutubeDL created in the process after the import is guarded, params or
not. The params add what a handler cannot enforce (see ytdlp_guard_params).

The one wrapper both yt-dlp users (the download backend and the playlist
provider) build their options from is here too: ``params()`` gives the base
options (quiet, messages into Python logging, no cache), the caller's own,
then the guard's, which nothing overrides.

yt-dlp's requests handler is extended, not rewritten (a whole handler would
duplicate its cookie, proxy, TLS and redirect handling), and reached through
yt-dlp's public surface only: ``yt_dlp.networking`` registers its handlers
on import, and the requests one is found among the public
``RequestHandler``'s subclasses by its public key, ``RH_KEY``; the HTTP
adapter it mounts is taken from the session it builds. No module of
yt-dlp's that it marks private (``_requests``) is imported. The methods
overridden (``_validate``, ``_send``, ``_create_instance``) are the ones
yt-dlp's handlers implement; requirements.txt pins yt-dlp, so an upgrade
that changes them fails the tests of this module rather than a user's
download.
"""

from __future__ import annotations

import logging
import urllib.parse
from functools import cache
from typing import Any

import urllib3
import yt_dlp.networking  # noqa: F401 - registers yt-dlp's own handlers, the requests one among them
from yt_dlp.networking.common import Request, RequestHandler, register_preference, register_rh
from yt_dlp.networking.exceptions import RequestError, TransportError, UnsupportedRequest

from .addresses import check_url
from .errors import FetchError, UnsafeURL
from .transport import GuardedAdapterMixin


class AddressGuardError(TransportError):
    """yt-dlp's face of an UnsafeURL (or any request the guard will not make).

    A TransportError, so extractors report it the way they report a network
    failure: extract_info raises yt_dlp.utils.DownloadError with the guard's
    words in its message (the UnsafeURL is this error's __cause__).
    """


def _handler(key: str) -> type[RequestHandler]:
    """yt-dlp's registered request handler class whose ``RH_KEY`` is ``key``."""
    todo = list(RequestHandler.__subclasses__())
    while todo:
        handler = todo.pop()
        # Only handlers have a key (named ...RH); the others are yt-dlp's bases.
        if handler.__name__.endswith("RH") and key == handler.RH_KEY:
            return handler
        todo += handler.__subclasses__()
    raise ImportError(f"yt-dlp has no {key!r} request handler: the address guard cannot be installed")


@cache
def _guarded_adapter(base: type) -> type:
    """yt-dlp's HTTP adapter class, its pools making guarded connections only."""
    return type("GuardedYtdlpAdapter", (GuardedAdapterMixin, base), {})


@register_rh
class WatchlistGuardRH(_handler("Requests")):  # type: ignore[misc] - found at import, see above
    RH_NAME = "watchlist-guard"

    def _validate(self, request: Request) -> None:
        scheme = urllib.parse.urlsplit(request.url).scheme.lower()
        if scheme == "data":
            raise UnsupportedRequest("data: URLs need no connection; the urllib handler decodes them")
        try:
            super()._validate(request)
        except UnsupportedRequest as exc:
            # Hard refusal: an UnsupportedRequest would send the director on to
            # the next (unguarded) handler.
            raise AddressGuardError(f"refused by the address guard: {exc.msg}") from exc
        if any(url for key, url in self._get_proxies(request).items() if key != "no"):
            raise AddressGuardError("proxies cannot be used: the address guard could not check what they connect to")
        # Early, readable refusal of the first URL; the connections re-check.
        try:
            check_url(request.url)
        except UnsafeURL as exc:
            raise AddressGuardError(str(exc)) from exc
        except FetchError as exc:
            raise TransportError(str(exc)) from exc

    def _send(self, request: Request) -> Any:
        try:
            return super()._send(request)
        except RequestError:
            raise
        except UnsafeURL as exc:  # a redirect hop the guard refused
            raise AddressGuardError(str(exc)) from exc
        except Exception as exc:
            # The director answers any other exception by trying the next
            # handler, which is not guarded.
            raise TransportError(cause=exc) from exc

    def _create_instance(self, cookiejar: Any, legacy_ssl_support: bool | None = None) -> Any:
        session = super()._create_instance(cookiejar=cookiejar, legacy_ssl_support=legacy_ssl_support)
        # Same construction as yt-dlp's requests handler's, with guarded pools.
        adapter = _guarded_adapter(type(session.get_adapter("https://")))(
            ssl_context=self._make_sslcontext(legacy_ssl_support=legacy_ssl_support),
            source_address=self.source_address,
            max_retries=urllib3.util.retry.Retry(False),
        )
        for old in set(session.adapters.values()):
            old.close()
        session.adapters.clear()
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        return session


@register_preference(WatchlistGuardRH)
def _guard_first(handler: Any, request: Request) -> int:
    # Far above requests (100) and urllib's compat-option boost (500).
    return 1_000_000


def guard_params() -> dict[str, Any]:
    # Only what the guard needs: timeouts, retries and formats stay the caller's.
    return {
        # "" means no proxy, and stops yt-dlp reading HTTP(S)_PROXY from the
        # environment: a proxy resolves names outside the guard.
        "proxy": "",
        "enable_file_urls": False,
        # External programs (ffmpeg, aria2c, curl) do their own HTTP, out of
        # the guard's reach; the native downloaders use the guarded handler.
        "external_downloader": {"default": "native"},
        "hls_prefer_native": True,
    }


class YtdlpLogger:
    """yt-dlp's logger interface, into Python logging instead of stdout.

    yt-dlp's own errors come back as exceptions that the caller turns into
    a message for the user, so they are logged at INFO, not as failures of
    the application.
    """

    def __init__(self, log: logging.Logger) -> None:
        self.log = log

    def debug(self, msg: str) -> None:
        self.log.debug("yt-dlp: %s", msg)

    def info(self, msg: str) -> None:
        self.log.debug("yt-dlp: %s", msg)

    def warning(self, msg: str) -> None:
        self.log.info("yt-dlp: %s", msg)

    def error(self, msg: str) -> None:
        self.log.info("yt-dlp: %s", msg)


def base_params(log: logging.Logger) -> dict[str, Any]:
    """What every YoutubeDL of the application starts from: no output of its
    own (messages go to ``log``), no colours, no cache on disk."""
    return {
        "logger": YtdlpLogger(log),
        "quiet": True,
        "no_warnings": True,
        "noprogress": True,
        "color": {"stdout": "no_color", "stderr": "no_color"},
        "cachedir": False,
    }


def params(log: logging.Logger, **options: Any) -> dict[str, Any]:
    """Options for ``yt_dlp.YoutubeDL``: the base, then ``options``, then the
    guard's (last, so no caller option can turn the guard off)."""
    return {**base_params(log), **options, **guard_params()}
