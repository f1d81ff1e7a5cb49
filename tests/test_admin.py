"""The Django admin: every model listed, filters, search, actions, inline settings."""

import pytest
from django.urls import reverse

from tests.factories import make_item
from watchlist.models import WatchlistItem, WatchlistSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:watchlist_watchlistitem_changelist",
        "admin:watchlist_source_changelist",
        "admin:watchlist_watchlistsettings_changelist",
        "admin:auth_user_changelist",
        "admin:authtoken_tokenproxy_changelist",
        "admin:django_celery_beat_periodictask_changelist",
        "admin:watchlist_notification_changelist",
        "admin:watchlist_heartbeat_changelist",
        "admin:watchlist_checkrun_changelist",
        "admin:watchlist_episode_changelist",
        "admin:watchlist_release_changelist",
        "admin:downloads_downloadjob_changelist",
    ],
)
def test_changelists_render(staff_client, alice, url_name):
    make_item(alice)
    assert staff_client.get(reverse(url_name)).status_code == 200


def test_item_list_filters_and_searches(staff_client, alice, bob):
    make_item(alice, anime_title="Dungeon Meshi")
    make_item(bob, anime_title="Mushishi", status="paused")
    url = reverse("admin:watchlist_watchlistitem_changelist")
    by_search = staff_client.get(url, {"q": "meshi"}).content.decode()
    assert "Dungeon Meshi" in by_search and "Mushishi" not in by_search
    by_status = staff_client.get(url, {"status__exact": "paused"}).content.decode()
    assert "Mushishi" in by_status and "Dungeon Meshi" not in by_status
    by_owner = staff_client.get(url, {"owner__id__exact": alice.pk}).content.decode()
    assert "Dungeon Meshi" in by_owner and "Mushishi" not in by_owner


def test_pause_and_resume_actions(staff_client, alice):
    items = [make_item(alice), make_item(alice)]
    url = reverse("admin:watchlist_watchlistitem_changelist")
    ids = [str(i.pk) for i in items]
    staff_client.post(url, {"action": "pause_items", "_selected_action": ids})
    assert set(WatchlistItem.objects.values_list("status", flat=True)) == {"paused"}
    staff_client.post(url, {"action": "resume_items", "_selected_action": ids[:1]})
    assert sorted(WatchlistItem.objects.values_list("status", flat=True)) == ["active", "paused"]


def test_user_page_has_the_settings_inline(staff_client, alice):
    WatchlistSettings.objects.filter(user=alice).update(check_interval_hours=9)
    page = staff_client.get(reverse("admin:auth_user_change", args=[alice.pk])).content.decode()
    assert "watchlist_settings-0-check_interval_hours" in page
    assert 'value="9"' in page


def test_non_staff_cannot_open_the_admin(client, alice):
    client.force_login(alice)
    response = client.get(reverse("admin:watchlist_watchlistitem_changelist"))
    assert response.status_code == 302


def test_every_model_of_the_project_is_in_the_admin():
    from django.apps import apps
    from django.contrib import admin

    models = [*apps.get_app_config("watchlist").get_models(), *apps.get_app_config("downloads").get_models()]
    assert [m.__name__ for m in models if not admin.site.is_registered(m)] == []
