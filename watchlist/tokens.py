"""Named API tokens with a scope.

A token is ``wlt_`` + 8 characters of prefix + 40 of secret, all random and
URL-safe. Only the SHA-256 of the whole token is stored (the token is random
and long, so a slow password hash would add nothing), with the prefix to
tell tokens apart in lists; the plain token is shown once, when created.
Looking a token up goes by its prefix, then compares digests with
hmac.compare_digest, so the time taken does not say how much of a guess
was right.

Scopes: ``full`` (what the account's own token can do), ``read`` (safe
methods only: GET, HEAD, OPTIONS) and ``feeds`` (only the endpoints that
hand out feed and calendar URLs). DRF's single full-access token per user
keeps working next to these.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import ApiToken, TokenScope

PREFIX = "wlt_"
_PREFIX_CHARS = 8
_SECRET_BYTES = 30  # 40 URL-safe characters
# last_used_at is written at most this often per token: a script polling
# every second should not write a row every second.
LAST_USED_PRECISION = timedelta(minutes=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _random_prefix() -> str:
    # token_urlsafe may yield "-" and "_"; keep the prefix easy to read.
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(secrets.choice(alphabet) for _ in range(_PREFIX_CHARS))


def create_token(user: Any, name: str, scope: str) -> tuple[ApiToken, str]:
    """A new token: (the row, the plain token to show once)."""
    if scope not in TokenScope.values:
        raise ValueError(f"unknown scope {scope!r}")
    prefix = _random_prefix()
    plain = f"{PREFIX}{prefix}{secrets.token_urlsafe(_SECRET_BYTES)}"
    with transaction.atomic():
        row = ApiToken.objects.create(user=user, name=name, scope=scope, prefix=prefix, digest=_digest(plain))
    return row, plain


def looks_like_named_token(key: str) -> bool:
    return key.startswith(PREFIX)


def find_token(key: str) -> ApiToken | None:
    """The active token ``key`` is, or None."""
    if not looks_like_named_token(key) or len(key) > 200:
        return None
    prefix = key[len(PREFIX) : len(PREFIX) + _PREFIX_CHARS]
    wanted = _digest(key)
    for row in ApiToken.objects.select_related("user").filter(prefix=prefix):
        if hmac.compare_digest(row.digest, wanted):
            return row if row.user.is_active else None
    return None


def touch(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def revoke(user: Any, token_id: int) -> bool:
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return bool(deleted)


def shown(token: ApiToken) -> str:
    """How a stored token is shown: its prefix and an ellipsis."""
    return f"{PREFIX}{token.prefix}…"
