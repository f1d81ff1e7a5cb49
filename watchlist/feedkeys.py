"""Per-user secret keys for URLs that clients fetch without signing in: the
iCal calendar, the feed of downloaded episodes. A calendar app or podcast
client cannot send an `Authorization` header, so the URL itself carries the
secret. One key per user serves all of their feeds; rotating it breaks every
URL that carried the old one, which is the point of rotating.

The key is random, not derived from the user's password or id, and only
ever grants reading the user's feeds (nothing else accepts it).
"""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from .models import FeedKey

KEY_BYTES = 24  # 32 URL-safe characters


def _new_key() -> str:
    return secrets.token_urlsafe(KEY_BYTES)


def feed_key(user) -> str:
    """The user's current feed key, made on first use."""
    existing = FeedKey.objects.filter(user=user).values_list("key", flat=True).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return FeedKey.objects.create(user=user, key=_new_key()).key
    except IntegrityError:  # a concurrent first use made it
        return FeedKey.objects.get(user=user).key


def rotate_feed_key(user) -> str:
    """A new key for the user; URLs with the old one stop working at once."""
    key = _new_key()
    FeedKey.objects.update_or_create(user=user, defaults={"key": key})
    return key


def user_for_feed_key(key: str):
    """The active user a feed key belongs to, or None."""
    if not key or len(key) > 64:
        return None
    user_id = FeedKey.objects.filter(key=key).values_list("user_id", flat=True).first()
    if user_id is None:
        return None
    return get_user_model().objects.filter(pk=user_id, is_active=True).first()
