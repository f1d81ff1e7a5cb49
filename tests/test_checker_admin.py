"""The admin pages of checking: lists, filters, the item's check history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import make_item
from watchlist.models import CheckRun, Episode, EpisodeState, Release

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def history(alice):
    item = make_item(alice, anime_title="Frieren")
    CheckRun.objects.create(item=item, new_episodes=2, new_episode_numbers=[4, 5], source_status="fetched")
    CheckRun.objects.create(item=item, error="HTTP 404 Not Found from media.example.org", source_status="error")
    release = Release.objects.create(source=item.source, episode=4, url="https://media.example.org/4.mkv")
    Episode.objects.create(item=item, number=4, url=release.url, release=release)
    Episode.objects.create(item=item, number=5, url="https://media.example.org/5.mkv", state=EpisodeState.FAILED)
    return item


@pytest.mark.parametrize(
    "url_name",
    ["admin:watchlist_checkrun_changelist", "admin:watchlist_episode_changelist", "admin:watchlist_release_changelist"],
)
def test_changelists_render(staff_client, history, url_name):
    page = staff_client.get(reverse(url_name))
    assert page.status_code == 200
    assert "Frieren" in page.content.decode() or "4.mkv" in page.content.decode()


def test_check_runs_filter_by_outcome(staff_client, history):
    url = reverse("admin:watchlist_checkrun_changelist")
    failed = staff_client.get(url, {"outcome": "error"}).content.decode()
    assert "HTTP 404 Not Found" in failed
    assert staff_client.get(url, {"outcome": "found"}).context["cl"].result_count == 1


def test_episodes_filter_by_state(staff_client, history):
    url = reverse("admin:watchlist_episode_changelist")
    assert staff_client.get(url, {"state__exact": "failed"}).context["cl"].result_count == 1


def test_the_item_page_shows_its_recent_checks(staff_client, history):
    page = staff_client.get(reverse("admin:watchlist_watchlistitem_change", args=[history.pk])).content.decode()
    assert "latest 10 checks" in page.lower()
    assert "HTTP 404 Not Found from media.example.org" in page


def test_the_check_now_action_queues_checks(staff_client, history, django_capture_on_commit_callbacks):
    url = reverse("admin:watchlist_watchlistitem_changelist")
    with django_capture_on_commit_callbacks() as sent:
        response = staff_client.post(url, {"action": "check_items_now", "_selected_action": [str(history.pk)]})
    assert response.status_code == 302
    assert len(sent) == 1


def test_mark_skipped_action(staff_client, history):
    url = reverse("admin:watchlist_episode_changelist")
    ids = [str(pk) for pk in Episode.objects.values_list("pk", flat=True)]
    staff_client.post(url, {"action": "mark_skipped", "_selected_action": ids})
    assert set(Episode.objects.values_list("state", flat=True)) == {"skipped"}
