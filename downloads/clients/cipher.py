"""A torrent client's password at rest: Fernet under the same keys as the
notification targets' URLs and the indexers' API keys (NOTIFY_SECRET_KEYS,
the first encrypts and all decrypt; or a key derived from SECRET_KEY when
the list is empty), so one `manage.py rotate_notify_keys` re-encrypts them
all.

Why not import watchlist/notify/cipher.py: `downloads` never imports
`watchlist`, and the worker that talks to the client needs the password.
The derived key uses its own HKDF label, so a password and a target URL
are never encrypted under the same derived key.
"""

from __future__ import annotations

import base64
import functools

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_HKDF_INFO = b"downloads torrent client passwords"


class Undecryptable(Exception):
    """The stored password was encrypted with a key this server no longer has."""

    def __str__(self) -> str:
        return "the stored password cannot be decrypted with this server's keys; enter it again"


@functools.lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    if not keys:
        raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(secret_key.encode())
        return MultiFernet([Fernet(base64.urlsafe_b64encode(raw))])
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError):
        raise ImproperlyConfigured("NOTIFY_SECRET_KEYS must list Fernet keys (32 url-safe base64 bytes each)") from None


def _current() -> MultiFernet:
    return _fernet(tuple(getattr(settings, "NOTIFY_SECRET_KEYS", []) or []), settings.SECRET_KEY)


def encrypt(password: str) -> str:
    return _current().encrypt(password.encode()).decode() if password else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _current().decrypt(token.encode()).decode()
    except InvalidToken:
        raise Undecryptable() from None


def rotate_all() -> tuple[int, int]:
    """Re-encrypt every stored password with the first key; (done, unreadable)."""
    from django.db import transaction

    from .models import TorrentClient

    done = unreadable = 0
    with transaction.atomic():
        for client in (
            TorrentClient.objects.select_for_update().exclude(password_encrypted="").only("pk", "password_encrypted")
        ):
            try:
                rotated = _current().rotate(client.password_encrypted.encode()).decode()
            except InvalidToken:
                unreadable += 1
                continue
            TorrentClient.objects.filter(pk=client.pk).update(password_encrypted=rotated)
            done += 1
    return done, unreadable
