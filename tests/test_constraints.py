"""Database constraints hold even when the API's validation is bypassed."""

import pytest
from django.db import IntegrityError, transaction

from tests.factories import make_item
from watchlist.models import WatchlistItem, WatchlistSettings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("check_interval_hours", 0),
        ("check_interval_hours", 169),
        ("max_concurrent_auto_downloads", 0),
        ("max_concurrent_auto_downloads", 11),
    ],
)
def test_settings_ranges_are_database_constraints(alice, field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        WatchlistSettings.objects.filter(user=alice).update(**{field: value})


def test_one_settings_row_per_user(alice):
    assert WatchlistSettings.objects.filter(user=alice).count() == 1  # made with the user
    with pytest.raises(IntegrityError), transaction.atomic():
        WatchlistSettings.objects.create(user=alice)


def test_same_url_and_lang_twice_for_one_owner_is_refused_by_the_database(alice):
    item = make_item(alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        WatchlistItem.objects.create(
            owner=alice,
            source=item.source,
            anime_title="dup",
            anime_url=item.anime_url,
            provider_id="feed",
            lang=item.lang,
        )


@pytest.mark.parametrize(
    ("field", "value"), [("status", "deleted"), ("quality_preference", "4k"), ("last_episode_downloaded", -1)]
)
def test_item_enums_and_ranges_are_database_constraints(alice, field, value):
    item = make_item(alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        WatchlistItem.objects.filter(pk=item.pk).update(**{field: value})
