"""Per-user settings: GET/PUT /api/watchlist/settings."""

import pytest

from watchlist.models import WatchlistSettings

pytestmark = pytest.mark.django_db

DEFAULTS = {
    "check_interval_hours": 6,
    "auto_download_enabled": True,
    "max_concurrent_auto_downloads": 2,
    "notify_on_new_episodes": False,
    "include_completed_anime": False,
    "notification_digest": "immediately",
    "complete_finished_series": True,
    "time_zone": "",
}


def test_a_new_user_has_the_defaults(alice_api, alice):
    response = alice_api.get("/api/watchlist/settings")
    assert response.status_code == 200
    assert response.json() == DEFAULTS
    assert WatchlistSettings.objects.filter(user=alice).count() == 1


def test_a_missing_row_is_recreated_with_the_defaults_on_first_read(alice_api, alice):
    WatchlistSettings.objects.filter(user=alice).delete()
    assert alice_api.get("/api/watchlist/settings").json() == DEFAULTS
    assert WatchlistSettings.objects.filter(user=alice).count() == 1


def test_put_changes_only_the_given_settings(alice_api, alice):
    response = alice_api.put(
        "/api/watchlist/settings", {"check_interval_hours": 12, "auto_download_enabled": False}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {**DEFAULTS, "check_interval_hours": 12, "auto_download_enabled": False}
    row = WatchlistSettings.objects.get(user=alice)
    assert (row.check_interval_hours, row.auto_download_enabled, row.max_concurrent_auto_downloads) == (12, False, 2)


def test_one_users_settings_never_affect_anothers(alice_api, bob_api):
    alice_api.put("/api/watchlist/settings/", {"check_interval_hours": 1}, format="json")
    assert bob_api.get("/api/watchlist/settings").json()["check_interval_hours"] == 6


@pytest.mark.parametrize(
    "payload",
    [
        {"check_interval_hours": 0},
        {"check_interval_hours": 169},
        {"max_concurrent_auto_downloads": 0},
        {"max_concurrent_auto_downloads": 11},
        {"auto_download_enabled": "sometimes"},
        {"check_interval_hours": "six"},
    ],
)
def test_out_of_range_or_junk_is_400_naming_the_field(alice_api, alice, payload):
    response = alice_api.put("/api/watchlist/settings", payload, format="json")
    assert response.status_code == 400
    (field,) = payload
    assert field in response.json()
    assert alice_api.get("/api/watchlist/settings").json() == DEFAULTS


@pytest.mark.parametrize(("field", "value"), [("check_interval_hours", 1), ("check_interval_hours", 168)])
def test_range_edges_are_accepted(alice_api, field, value):
    response = alice_api.put("/api/watchlist/settings", {field: value}, format="json")
    assert response.status_code == 200
    assert response.json()[field] == value


def test_unknown_setting_is_400(alice_api):
    response = alice_api.put("/api/watchlist/settings", {"check_interval": 3}, format="json")
    assert response.status_code == 400
    assert "check_interval" in response.json()
