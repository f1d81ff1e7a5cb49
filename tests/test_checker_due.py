"""Which items are due for a check."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import make_item
from watchlist.due import checkable_items, due_items
from watchlist.models import ItemStatus, WatchlistItem, WatchlistSettings

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def checked(item, hours_ago: float | None) -> WatchlistItem:
    last = None if hours_ago is None else NOW - timedelta(hours=hours_ago)
    WatchlistItem.objects.filter(pk=item.pk).update(last_checked_at=last)
    return item


def due_titles(**kwargs) -> set[str]:
    return set(due_items(NOW, **kwargs).values_list("anime_title", flat=True))


def test_never_checked_and_older_than_the_default_six_hours_are_due(alice):
    checked(make_item(alice, anime_title="never"), None)
    checked(make_item(alice, anime_title="7h ago"), 7)
    checked(make_item(alice, anime_title="exactly 6h ago"), 6)
    checked(make_item(alice, anime_title="5h ago"), 5)

    # Without a settings row (say, an account made before the app) the
    # default interval (6 h) applies.
    WatchlistSettings.objects.filter(user=alice).delete()
    assert due_titles() == {"never", "7h ago", "exactly 6h ago"}


def test_each_user_has_their_own_interval(alice, bob):
    WatchlistSettings.objects.filter(user=alice).update(check_interval_hours=1)
    WatchlistSettings.objects.filter(user=bob).update(check_interval_hours=24)
    checked(make_item(alice, anime_title="alice 2h"), 2)
    checked(make_item(bob, anime_title="bob 2h"), 2)
    checked(make_item(bob, anime_title="bob 25h"), 25)

    assert due_titles() == {"alice 2h", "bob 25h"}
    assert due_titles(owner=bob) == {"bob 25h"}


def test_paused_and_archived_are_never_due(alice):
    for status in (ItemStatus.PAUSED, ItemStatus.ARCHIVED):
        item = checked(make_item(alice, anime_title=status.value), None)
        WatchlistItem.objects.filter(pk=item.pk).update(status=status)

    assert due_titles() == set()
    assert set(checkable_items(alice)) == set()


def test_completed_items_are_due_only_when_the_owner_includes_them(alice, bob):
    for user in (alice, bob):
        item = make_item(user, anime_title=f"{user.username} completed")
        WatchlistItem.objects.filter(pk=item.pk).update(status=ItemStatus.COMPLETED)
    WatchlistSettings.objects.filter(user=alice).update(include_completed_anime=True)
    # bob: no row, so the default (completed series are not checked)

    assert due_titles() == {"alice completed"}
    assert [i.anime_title for i in checkable_items(alice)] == ["alice completed"]
    assert list(checkable_items(bob)) == []


def test_never_checked_items_come_first_then_the_oldest_check(alice):
    checked(make_item(alice, anime_title="a"), 10)
    checked(make_item(alice, anime_title="b"), None)
    checked(make_item(alice, anime_title="c"), 30)

    assert [i.anime_title for i in due_items(NOW)] == ["b", "c", "a"]


def test_it_is_one_query_whatever_the_number_of_users(db):
    User = get_user_model()
    for n in range(5):
        user = User.objects.create(username=f"user{n}")
        if n % 2:
            WatchlistSettings.objects.filter(user=user).update(check_interval_hours=n)
        checked(make_item(user), n * 2)

    with CaptureQueriesContext(connection) as queries:
        due = list(due_items(NOW))

    assert len(queries) == 1
    # user0 never... checked 0 h ago (not due), user1 2h/1h due, user2 4h/6h not,
    # user3 6h/3h due, user4 8h/6h due
    assert sorted(item.owner.username for item in due) == ["user1", "user3", "user4"]


def test_slack_counts_items_checked_a_little_less_than_an_interval_ago(alice):
    WatchlistSettings.objects.update_or_create(user=alice, defaults={"check_interval_hours": 10})
    checked(make_item(alice, anime_title="9.5h ago"), 9.5)
    checked(make_item(alice, anime_title="8.5h ago"), 8.5)

    assert due_titles() == set()
    assert due_titles(slack=0.1) == {"9.5h ago"}


def test_a_scheduled_check_fans_out_to_the_users_due_items(alice, bob, django_capture_on_commit_callbacks):
    from watchlist.tasks import check_users_task

    WatchlistSettings.objects.update_or_create(user=alice, defaults={"check_interval_hours": 6})
    due_now = checked(make_item(alice, anime_title="due"), 5.9)  # dispatched a moment early: still checked
    checked(make_item(alice, anime_title="recent"), 1)
    checked(make_item(bob, anime_title="bob's"), None)

    from watchlist.models import PendingCheck

    with django_capture_on_commit_callbacks() as sent:
        assert check_users_task([alice.pk]) == 1

    assert len(sent) == 1  # the tokens go out once the transaction commits
    assert list(PendingCheck.objects.values_list("item_id", flat=True)) == [due_now.pk]
