"""An indexer's API key: encrypted at rest with the notification targets'
cipher (watchlist/notify/cipher.py: NOTIFY_SECRET_KEYS, or a key derived
from SECRET_KEY), never answered back, and cut out of every text that could
be shown or logged (`redact`)."""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..notify import cipher
from .models import Indexer

# The names Torznab servers read the key from (Jackett's download links use
# jackett_apikey); the value of any of them is a secret wherever it shows up.
KEY_PARAMS = ("apikey", "api_key", "jackett_apikey")
_KEY_IN_TEXT = re.compile(r"(?i)\b(" + "|".join(KEY_PARAMS) + r")=[^&\s\"'<>#]+")
HIDDEN = "***"


class KeyUnreadable(Exception):
    """The stored key was encrypted with a key this server no longer has."""

    def __str__(self) -> str:
        return "the stored API key cannot be decrypted with this server's keys; enter it again"


def encrypt(api_key: str) -> str:
    return cipher.encrypt(api_key) if api_key else ""


def api_key(indexer: Indexer) -> str:
    if not indexer.api_key_encrypted:
        return ""
    try:
        return cipher.decrypt(indexer.api_key_encrypted)
    except cipher.Undecryptable:
        raise KeyUnreadable() from None


def rotate_all() -> tuple[int, int]:
    """Re-encrypt every stored key with the first key; (done, unreadable)."""
    from django.db import transaction

    done = unreadable = 0
    with transaction.atomic():
        for indexer in (
            Indexer.objects.select_for_update().exclude(api_key_encrypted="").only("pk", "api_key_encrypted")
        ):
            try:
                rotated = cipher.rotate(indexer.api_key_encrypted)
            except cipher.Undecryptable:
                unreadable += 1
                continue
            Indexer.objects.filter(pk=indexer.pk).update(api_key_encrypted=rotated)
            done += 1
    return done, unreadable


def split_key(url: str) -> tuple[str, str]:
    """(the URL without its ``apikey=``, the key it carried or ""): staff
    often paste the URL Prowlarr shows, key included."""
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    found = ""
    kept = []
    for name, value in pairs:
        if name.lower() in KEY_PARAMS:
            found = found or value
        else:
            kept.append((name, value))
    if not found:
        return url, ""
    return urlunsplit(parts._replace(query=urlencode(kept))), found


def redact(text: str, *secrets: str) -> str:
    """``text`` without the given secrets and without any ``apikey=...``
    value: what error messages and logs may carry."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, HIDDEN)
    return _KEY_IN_TEXT.sub(lambda m: f"{m.group(1)}={HIDDEN}", text)


class RedactKeys(logging.Filter):
    """Rewrites log records so no ``apikey=...`` value reaches a handler:
    urllib3 logs every request line (the query string with the key) at
    debug level."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a record that cannot be formatted is left to the handler
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


_LOGGERS_WITH_URLS = ("urllib3.connectionpool", "urllib3.connection", "urllib3.poolmanager", "urllib3.util.retry")


def redact_keys_in_logs() -> None:
    """Install the filter (once) on the loggers that print request URLs."""
    for name in _LOGGERS_WITH_URLS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactKeys) for f in logger.filters):
            logger.addFilter(RedactKeys())
