"""export_watchlist / import_watchlist: the JSON backup round trip."""

import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.factories import make_item
from watchlist.models import WatchlistItem, WatchlistSettings

pytestmark = pytest.mark.django_db


def export(*args: str) -> dict:
    out = StringIO()
    call_command("export_watchlist", *args, stdout=out)
    return json.loads(out.getvalue())


def without_time(document: dict) -> dict:
    return {k: v for k, v in document.items() if k != "exported_at"}


@pytest.fixture
def populated(alice, bob):
    make_item(alice, anime_title="Frieren", genres=["Fantasy"], synopsis="Élfe 🧝", last_episode_downloaded=7)
    paused = make_item(alice, anime_title="Mushishi", status="paused", quality_preference="720p", auto_download=False)
    WatchlistItem.objects.filter(pk=paused.pk).update(last_checked_at=timezone.now())
    make_item(bob, anime_title="Monster", provider_id="directory", lang="")
    WatchlistSettings.objects.filter(user=alice).update(check_interval_hours=12, include_completed_anime=True)


def test_round_trip_is_exact(populated, tmp_path):
    before = export()
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(before))
    WatchlistItem.objects.all().delete()
    WatchlistSettings.objects.all().delete()

    out = StringIO()
    call_command("import_watchlist", str(path), stdout=out)
    assert "3 item(s) created" in out.getvalue()
    after = export()
    assert without_time(after) == without_time(before)
    assert len(after["users"][0]["items"]) == 2
    assert after["users"][0]["settings"]["check_interval_hours"] == 12


def test_importing_twice_creates_no_duplicates(populated, tmp_path):
    path = tmp_path / "backup.json"
    call_command("export_watchlist", "--output", str(path), stderr=StringIO())
    call_command("import_watchlist", str(path), stdout=StringIO())
    call_command("import_watchlist", str(path), stdout=StringIO())
    assert WatchlistItem.objects.count() == 3
    assert WatchlistSettings.objects.count() == 2


def test_export_one_user(populated):
    document = export("--user", "bob")
    assert [u["username"] for u in document["users"]] == ["bob"]
    assert [i["anime_title"] for i in document["users"][0]["items"]] == ["Monster"]


def test_import_into_a_fresh_instance_creates_users_when_asked(populated, tmp_path):
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(export()))
    WatchlistItem.objects.all().delete()
    get_user_model().objects.filter(username="bob").delete()
    with pytest.raises(CommandError, match="bob"):
        call_command("import_watchlist", str(path), stdout=StringIO())
    assert WatchlistItem.objects.count() == 0  # nothing half-imported
    call_command("import_watchlist", str(path), "--create-users", stdout=StringIO())
    bob = get_user_model().objects.get(username="bob")
    assert not bob.has_usable_password()
    assert WatchlistItem.objects.filter(owner=bob).count() == 1


def test_invalid_item_aborts_the_whole_import(populated, tmp_path):
    document = export()
    document["users"][0]["items"][1]["quality_preference"] = "8k"
    WatchlistItem.objects.all().delete()
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    with pytest.raises(CommandError, match="quality_preference"):
        call_command("import_watchlist", str(path), stdout=StringIO())
    assert WatchlistItem.objects.count() == 0


@pytest.mark.parametrize("content", ["[]", '{"format": "other"}', '{"format": "watchlist-backup", "version": 9}', "{"])
def test_not_a_backup_is_a_clear_error(db, tmp_path, content):
    path = tmp_path / "x.json"
    path.write_text(content)
    with pytest.raises(CommandError):
        call_command("import_watchlist", str(path), stdout=StringIO())
