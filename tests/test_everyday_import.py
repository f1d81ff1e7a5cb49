"""import_watchlist reading the original service's config/watchlist.json and
config/watchlist_settings.json, with a user-id -> account mapping."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from watchlist.models import ItemStatus, WatchlistItem, WatchlistSettings

pytestmark = pytest.mark.django_db

ALICE_ID = "3f1e9c2a-user-alice"
BOB_ID = "77b0-user-bob"
FRIEREN_ID = str(uuid.uuid4())


def original_items() -> list[dict]:
    """Items as the original's Pydantic models dumped them."""
    return [
        {
            "id": FRIEREN_ID,
            "user_id": ALICE_ID,
            "anime_title": "Frieren",
            "anime_url": "https://media.example.org/frieren/feed.xml",
            "provider_id": "feed",
            "lang": "vostfr",
            "auto_download": True,
            "quality_preference": "1080p",
            "poster_image": None,
            "synopsis": None,
            "genres": None,
            "status": "active",
            "last_episode_downloaded": 12,
            "created_at": "2026-01-20T10:00:00Z",
            "updated_at": "2026-01-28T10:00:00Z",
            "last_checked": "2026-01-29T12:00:00Z",
        },
        {
            "id": "naruto-1",
            "user_id": ALICE_ID,
            "anime_title": "Naruto Shippuden",
            "anime_url": "https://anime-sama.si/catalogue/naruto-shippuden/saison1/vostfr/",
            "provider_id": "animesama",
            "lang": "vostfr",
            "auto_download": True,
            "quality_preference": "auto",
            "poster_image": "https://anime-sama.si/poster.jpg",
            "synopsis": "Ninja anime...",
            "genres": ["Action", "Adventure"],
            "status": "active",
            "last_episode_downloaded": 3,
        },
        {
            "id": "bob-1",
            "user_id": BOB_ID,
            "anime_title": "Dandadan",
            "anime_url": "https://media.example.org/dandadan/",
            "provider_id": "directory",
            "lang": "",
            "status": "paused",
        },
    ]


SETTINGS = {
    "check_interval_hours": 12,
    "auto_download_enabled": False,
    "max_concurrent_auto_downloads": 3,
    "notify_on_new_episodes": True,
    "include_completed_anime": False,
}


def config_folder(tmp_path: Path, items=None, settings=SETTINGS) -> Path:
    folder = tmp_path / "config"
    folder.mkdir()
    (folder / "watchlist.json").write_text(json.dumps(items if items is not None else original_items()))
    if settings is not None:
        (folder / "watchlist_settings.json").write_text(json.dumps(settings))
    return folder


def run(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_watchlist", *args, stdout=out)
    return out.getvalue()


def test_the_original_config_folder_is_imported_with_a_mapping(tmp_path, alice, bob):
    folder = config_folder(tmp_path)
    out = run(str(folder), "--map", f"{ALICE_ID}=alice", "--map", f"{BOB_ID}=bob")
    assert "3 item(s) created" in out and "1 paused because their provider does not exist here" in out

    frieren = WatchlistItem.objects.get(owner=alice, anime_title="Frieren")
    assert str(frieren.pk) == FRIEREN_ID  # a UUID id is kept
    assert (frieren.poster_image, frieren.synopsis, frieren.genres) == ("", "", [])  # null means empty
    assert frieren.last_episode_downloaded == 12 and frieren.quality_preference == "1080p"
    assert frieren.last_checked_at.isoformat().startswith("2026-01-29T12:00")
    assert frieren.created_at.isoformat().startswith("2026-01-20")

    naruto = WatchlistItem.objects.get(owner=alice, anime_title="Naruto Shippuden")
    assert naruto.status == ItemStatus.PAUSED
    assert "provider 'animesama' does not exist here" in naruto.paused_reason
    assert naruto.genres == ["Action", "Adventure"]

    assert WatchlistItem.objects.get(owner=bob).status == ItemStatus.PAUSED  # as it was
    for user in (alice, bob):
        row = WatchlistSettings.objects.get(user=user)
        assert (row.check_interval_hours, row.auto_download_enabled, row.max_concurrent_auto_downloads) == (
            12,
            False,
            3,
        )


def test_importing_twice_changes_nothing(tmp_path, alice, bob):
    folder = config_folder(tmp_path)
    args = (str(folder), "--map", f"{ALICE_ID}=alice", "--map", f"{BOB_ID}=bob")
    run(*args)
    before = sorted(WatchlistItem.objects.values_list("pk", "anime_title", "status"))
    out = run(*args)
    assert "0 item(s) created, 3 updated" in out
    assert sorted(WatchlistItem.objects.values_list("pk", "anime_title", "status")) == before


def test_an_unmapped_user_id_changes_nothing_and_is_named(tmp_path, alice):
    folder = config_folder(tmp_path)
    with pytest.raises(CommandError, match=rf"{BOB_ID} \(1 item\)"):
        run(str(folder), "--map", f"{ALICE_ID}=alice")
    assert not WatchlistItem.objects.exists()
    out = run(str(folder), "--map", f"{ALICE_ID}=alice", "--skip-unmapped")
    assert "1 skipped (unmapped user ids)" in out
    assert WatchlistItem.objects.count() == 2


def test_a_bad_item_changes_nothing_and_is_named(tmp_path, alice, bob):
    items = original_items()
    items[2]["quality_preference"] = "4k"
    folder = config_folder(tmp_path, items)
    with pytest.raises(CommandError, match=r"item 2 \('Dandadan'\).*quality_preference"):
        run(str(folder), "--map", f"{ALICE_ID}=alice", "--map", f"{BOB_ID}=bob")
    assert not WatchlistItem.objects.exists()


def test_accounts_are_created_on_request_and_a_map_file_works(tmp_path):
    folder = config_folder(tmp_path)
    mapping = tmp_path / "users.json"
    mapping.write_text(json.dumps({ALICE_ID: "alice", BOB_ID: "bob"}))
    with pytest.raises(CommandError, match="no such user: alice, bob"):
        run(str(folder / "watchlist.json"), "--map-file", str(mapping))
    run(str(folder / "watchlist.json"), "--map-file", str(mapping), "--create-users")
    users = get_user_model().objects.filter(username__in=["alice", "bob"])
    assert users.count() == 2 and not any(user.has_usable_password() for user in users)
    # Without --settings and given the file, the settings file is not read.
    assert WatchlistSettings.objects.get(user__username="alice").check_interval_hours == 6


@pytest.mark.parametrize(
    "layout",
    [
        lambda items: {"items": items},
        lambda items: {item.pop("id"): item for item in items},
        lambda items: {item.pop("user_id"): [item] for item in items[:1]},
    ],
    ids=["items-key", "keyed-by-id", "keyed-by-user"],
)
def test_other_layouts_of_the_file(tmp_path, alice, bob, layout):
    items = original_items()
    document = layout(items)
    folder = config_folder(tmp_path, document, settings=None)
    run(str(folder), "--map", f"{ALICE_ID}=alice", "--map", f"{BOB_ID}=bob", "--skip-unmapped")
    assert WatchlistItem.objects.filter(owner=alice, anime_title="Frieren").exists()


def test_a_backup_still_imports_as_before(tmp_path, alice):
    from tests.factories import make_item
    from watchlist.backup import export_backup

    make_item(alice, anime_title="Kept")
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(export_backup(["alice"])))
    WatchlistItem.objects.all().delete()
    assert "1 item(s) created" in run(str(path))


def test_a_file_that_is_no_backup_points_at_the_mapping(tmp_path):
    path = tmp_path / "watchlist.json"
    path.write_text(json.dumps(original_items()))
    with pytest.raises(CommandError, match="--map USER_ID=USERNAME"):
        run(str(path))
