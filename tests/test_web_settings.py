"""Dashboard: the settings page, with the API serializer's rules."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from watchlist.models import WatchlistSettings

pytestmark = pytest.mark.django_db


def field_block(html: str, name: str) -> str:
    for block in re.split(r'(?=<div class="field[ "])', html):
        if f'name="{name}"' in block:
            return block
    raise AssertionError(f"no field {name!r} in the page")


def settings_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "check_interval_hours": "12",
        "auto_download_enabled": "on",
        "max_concurrent_auto_downloads": "4",
        "include_completed_anime": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_settings_page_shows_the_current_values(alice_web, alice):
    WatchlistSettings.objects.filter(user=alice).update(check_interval_hours=24, notify_on_new_episodes=True)
    response = alice_web.get("/settings/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="24"' in field_block(html, "check_interval_hours")
    assert "checked" in field_block(html, "notify_on_new_episodes")
    assert "checked" not in field_block(html, "include_completed_anime")
    # The limits are the model's, read through the serializer.
    block = field_block(html, "check_interval_hours")
    assert 'min="1"' in block and 'max="168"' in block
    block = field_block(html, "max_concurrent_auto_downloads")
    assert 'min="1"' in block and 'max="10"' in block


def test_first_visit_creates_the_defaults(alice_web, alice):
    alice_web.get("/settings/")
    row = WatchlistSettings.objects.get(user=alice)
    assert (row.check_interval_hours, row.max_concurrent_auto_downloads) == (6, 2)


def test_saving_settings(alice_web, alice):
    response = alice_web.post("/settings/", settings_form())
    assert response.status_code == 302
    assert response["Location"] == "/settings/"
    row = WatchlistSettings.objects.get(user=alice)
    assert row.check_interval_hours == 12
    assert row.max_concurrent_auto_downloads == 4
    assert row.auto_download_enabled is True
    assert row.include_completed_anime is True
    assert row.notify_on_new_episodes is False  # unchecked box = off
    assert "Settings saved." in alice_web.get("/settings/").content.decode()


def test_unchecking_turns_a_setting_off(alice_web, alice):
    alice_web.post("/settings/", settings_form())
    alice_web.post("/settings/", settings_form(auto_download_enabled=None))
    assert WatchlistSettings.objects.get(user=alice).auto_download_enabled is False


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("check_interval_hours", "0", "Ensure this value is greater than or equal to 1."),
        ("check_interval_hours", "169", "Ensure this value is less than or equal to 168."),
        ("check_interval_hours", "", "This field is required."),
        ("check_interval_hours", "six", "Enter a whole number."),
        ("max_concurrent_auto_downloads", "0", "Ensure this value is greater than or equal to 1."),
        ("max_concurrent_auto_downloads", "11", "Ensure this value is less than or equal to 10."),
    ],
)
def test_out_of_range_values_are_shown_beside_the_field(alice_web, alice, field, value, message):
    response = alice_web.post("/settings/", settings_form(**{field: value}))
    assert response.status_code == 400
    block = field_block(response.content.decode(), field)
    assert "field--invalid" in block
    assert message in block
    row = WatchlistSettings.for_user(alice)
    assert (row.check_interval_hours, row.max_concurrent_auto_downloads) == (6, 2)


def test_settings_are_per_user(alice_web, alice, bob):
    WatchlistSettings.objects.filter(user=bob).update(check_interval_hours=48)
    alice_web.post("/settings/", settings_form(check_interval_hours="3"))
    assert WatchlistSettings.objects.get(user=bob).check_interval_hours == 48
    assert WatchlistSettings.objects.get(user=alice).check_interval_hours == 3


def test_settings_need_csrf(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post("/settings/", settings_form()).status_code == 403
