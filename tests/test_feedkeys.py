"""Per-user secret keys for feed URLs."""

from __future__ import annotations

import pytest

from watchlist.feedkeys import feed_key, rotate_feed_key, user_for_feed_key


@pytest.mark.django_db
def test_a_key_is_made_once_and_names_its_user(alice, bob):
    key = feed_key(alice)
    assert feed_key(alice) == key
    assert len(key) >= 32
    assert user_for_feed_key(key) == alice
    assert user_for_feed_key(feed_key(bob)) == bob
    assert feed_key(bob) != key


@pytest.mark.django_db
def test_rotating_breaks_the_old_key(alice):
    old = feed_key(alice)
    new = rotate_feed_key(alice)
    assert new != old
    assert user_for_feed_key(old) is None
    assert user_for_feed_key(new) == alice
    assert feed_key(alice) == new


@pytest.mark.django_db
def test_unknown_empty_or_disabled_users_keys_grant_nothing(alice):
    key = feed_key(alice)
    assert user_for_feed_key("") is None
    assert user_for_feed_key("x" * 200) is None
    assert user_for_feed_key(key[:-1]) is None
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert user_for_feed_key(key) is None
