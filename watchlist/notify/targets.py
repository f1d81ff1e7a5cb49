"""Apprise URLs: what a target may be, how it is shown, and sending to it.

A target URL is any Apprise notification URL (``discord://``, ``ntfys://``,
``mailtos://``, ``json://``...) except the kinds that act on the server
itself rather than over the network. Sending happens inside
``guarded_connections()``, so every connection Apprise or its plugin opens
(requests, smtplib, raw sockets), redirects included, obeys the address
rules of sources (downloads/net). The URL is never logged: the ``apprise``
logger is silenced in settings, and the warnings Apprise reports with each
result are redacted before the owner sees them.
"""

from __future__ import annotations

import contextvars
import ipaddress
import logging
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

import apprise
from django.conf import settings

from downloads.net.addresses import normalize_host, parse_allowlist, refusal
from downloads.net.sockets import guarded_connections

MAX_URL_LENGTH = 2000

# Plugins that act on the server itself: its desktop session, its syslog,
# USB devices, or key files named by path. None of that is a user's to use.
LOCAL_SCHEMAS = frozenset(
    {"dbus", "kde", "qt", "glib", "gnome", "macosx", "windows", "syslog", "blink1", "fcm", "vapid", "file"}
)
_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
# A URL path segment at least this long is treated as a secret when masking.
_SECRET_SEGMENT = 8
_SCHEMA = re.compile(r"^([a-z][a-z0-9+.-]*)://", re.IGNORECASE)


# urllib3 logs request lines ("POST /webhook/<token>") at debug level: while a
# notification is sent, its records are dropped, whatever LOG_LEVEL says.
_sending: contextvars.ContextVar[bool] = contextvars.ContextVar("sending_notification", default=False)
_CHATTY_LOGGERS = ("urllib3.connectionpool", "urllib3.connection", "urllib3.poolmanager", "urllib3.util.retry")


class _QuietWhileSending(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not _sending.get()


_quiet = _QuietWhileSending()
for _name in _CHATTY_LOGGERS:
    logging.getLogger(_name).addFilter(_quiet)


class TargetURLError(ValueError):
    """The URL cannot be a notification target; the message says why."""


@dataclass(frozen=True)
class SendOutcome:
    ok: bool
    error: str = ""
    # True when trying again cannot help (refused address, URL not understood).
    permanent: bool = False


def _asset() -> apprise.AppriseAsset:
    # async_mode off: one service per message, sent in the calling thread.
    # The persistent store stays in memory: plugins may not write to our disk.
    # No custom plugin folders and no ${NAME} templates filled from our environment.
    return apprise.AppriseAsset(
        async_mode=False,
        storage_mode=apprise.PersistentStoreMode.MEMORY,
        plugin_paths=[],
        allow_templates=False,
    )


def schema_of(url: str) -> str:
    match = _SCHEMA.match(url.strip())
    return match.group(1).lower() if match else ""


def _plugin(url: str) -> apprise.plugins.NotifyBase | None:
    return apprise.Apprise.instantiate(url, asset=_asset())


def validate(url: str) -> str:
    """The masked form of a usable target URL; TargetURLError otherwise."""
    url = url.strip()
    if not url:
        raise TargetURLError("Enter an Apprise URL, e.g. ntfys://ntfy.sh/my-topic or discord://id/token.")
    if len(url) > MAX_URL_LENGTH:
        raise TargetURLError(f"The URL is longer than {MAX_URL_LENGTH} characters.")
    schema = schema_of(url)
    if not schema:
        raise TargetURLError("This is not an Apprise URL: it must start with a service, e.g. discord:// or mailtos://.")
    if schema in LOCAL_SCHEMAS:
        raise TargetURLError(f"{schema}:// acts on the server itself and cannot be used as a notification target.")
    plugin = _plugin(url)
    if plugin is None:
        raise TargetURLError(
            f"Apprise does not understand this {schema}:// URL (an unknown service, or a part of it is missing)."
        )
    reason = _refused_literal_host(getattr(plugin, "host", None), getattr(plugin, "port", None))
    if reason:
        raise TargetURLError(f"The server may not send notifications there: {reason}.")
    return mask(plugin)


def _refused_literal_host(host: str | None, port: int | None) -> str | None:
    """An early, readable refusal of an address written into the URL. Names
    are judged when the message is sent (guarded_connections()), because a
    plugin's "host" is not always a host (a Discord webhook id is not)."""
    if not host:
        return None
    name = normalize_host(str(host))
    if name in _LOCAL_NAMES or name.endswith(".localhost"):
        name = "127.0.0.1"
    try:
        ip = ipaddress.ip_address(name)
    except ValueError:
        return None
    if port:
        return refusal(name, int(port), ip)
    # No port in the URL: allowed if an allow-list entry covers the address on some port.
    allowlist = parse_allowlist(tuple(settings.PRIVATE_SOURCE_ALLOWLIST))
    if any(entry.matches(name, entry.port or 0, ip) for entry in allowlist):
        return None
    return refusal(name, 0, ip)


def mask(plugin: apprise.plugins.NotifyBase) -> str:
    """Apprise's privacy form of the URL (passwords and tokens hidden),
    without its query string, long path segments shortened too."""
    shown = plugin.url(privacy=True)
    shown = shown.split("?", 1)[0]
    head, sep, path = shown.partition("://")
    host, slash, rest = path.partition("/")
    segments = [_mask_segment(s) for s in rest.split("/")] if rest else []
    return f"{head}{sep}{host}{slash}{'/'.join(segments)}"[:500]


def _mask_segment(segment: str) -> str:
    if len(segment) < _SECRET_SEGMENT or "..." in segment or "*" in segment:
        return segment
    return f"{segment[0]}...{segment[-1]}"


def secret_fragments(url: str) -> list[str]:
    """Pieces of the URL that may be secrets, longest first (for redaction)."""
    fragments = {url}
    try:
        parts = urlsplit(url)
        fragments.update({parts.username or "", parts.password or ""})
        fragments.update(unquote(segment) for segment in parts.path.split("/"))
        fragments.update(segment for segment in parts.path.split("/"))
        fragments.update(value for _key, value in parse_qsl(parts.query))
    except ValueError:
        pass
    return sorted((f for f in fragments if len(f) >= 4), key=len, reverse=True)


def redact(text: str, url: str) -> str:
    for fragment in secret_fragments(url):
        text = text.replace(fragment, "****")
    return text


def send(url: str, title: str, body: str) -> SendOutcome:
    """Send one notification through the address guard; never raises for
    what the service or the network did."""
    plugin = _plugin(url)
    if plugin is None or schema_of(url) in LOCAL_SCHEMAS:
        return SendOutcome(False, "Apprise does not understand this URL any more; enter it again.", permanent=True)
    sender = apprise.Apprise(asset=_asset())
    sender.add(plugin)
    quiet = _sending.set(True)
    try:
        with guarded_connections() as scope:
            try:
                result = sender.notify(body=body, title=title, timeout=settings.NOTIFY_SEND_TIMEOUT_SECONDS)
            except Exception as exc:  # a plugin bug must not take the task down with it
                return SendOutcome(False, redact(f"the notification service failed: {exc}", url))
    finally:
        _sending.reset(quiet)
    if result:
        return SendOutcome(True)
    if scope.refusals:
        return SendOutcome(False, f"refused by the address rules: {scope.refusals[0]}", permanent=True)
    return SendOutcome(False, redact(_last_warning(result), url))


def _last_warning(result: apprise.AppriseResult) -> str:
    words = [entry.message for entry in result.logs() if entry.level in ("WARNING", "ERROR", "CRITICAL")]
    if words:
        return words[-1].rstrip(".")
    if result.timeout_count:
        return "the notification service did not answer in time"
    return "the notification service did not accept the message"
