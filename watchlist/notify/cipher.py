"""Encryption of notification target URLs at rest (Fernet: AES-128-CBC with
HMAC-SHA256, from the `cryptography` package).

Keys come from NOTIFY_SECRET_KEYS (Fernet keys; the first encrypts, every
one decrypts, so a new key can be put first and the old one dropped once
`manage.py rotate_notify_keys` has re-encrypted the rows). Without it, one
key is derived from SECRET_KEY with HKDF: a database dump alone does not
reveal the URLs, but changing SECRET_KEY makes them unreadable, and those
targets ask their owner for the URL again.
"""

from __future__ import annotations

import base64
import functools

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_HKDF_INFO = b"watchlist notification target URLs"


class Undecryptable(Exception):
    """The stored value was encrypted with a key this server no longer has."""


def _derived_key(secret_key: str) -> bytes:
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(secret_key.encode())
    return base64.urlsafe_b64encode(raw)


@functools.lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    if not keys:
        return MultiFernet([Fernet(_derived_key(secret_key))])
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError):
        raise ImproperlyConfigured(
            "NOTIFY_SECRET_KEYS must list Fernet keys (32 url-safe base64-encoded bytes each); "
            'make one with: python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
        ) from None


def _current() -> MultiFernet:
    return _fernet(tuple(settings.NOTIFY_SECRET_KEYS), settings.SECRET_KEY)


def encrypt(text: str) -> str:
    return _current().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _current().decrypt(token.encode()).decode()
    except InvalidToken:
        raise Undecryptable("the stored URL cannot be decrypted with this server's keys; enter it again") from None


def rotate(token: str) -> str:
    """The same secret, encrypted with the first key."""
    try:
        return _current().rotate(token.encode()).decode()
    except InvalidToken:
        raise Undecryptable("the stored URL cannot be decrypted with this server's keys; enter it again") from None
