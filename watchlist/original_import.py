"""Moving over from the original service: its `config/watchlist.json`
(every user's items) and `config/watchlist_settings.json` (one set of
settings for everyone), read by `manage.py import_watchlist`.

The original kept Pydantic models as JSON (../shared/seed): items carry the
fields of its API (`anime_title`, `anime_url`, `provider_id`, `lang`,
`auto_download`, `quality_preference`, `poster_image`, `synopsis`,
`genres`, `status`, `last_episode_downloaded`), an `id`, the owner's
`user_id` and timestamps. The file is read whichever way it was laid out: a
list of items, `{"items": [...]}`, items keyed by id, or lists keyed by
user id. Its users were ids of another system, so a mapping names the
account each id becomes (``--map 7f3c=alice``).

- Everything is validated before anything is written (the API's rules;
  `null` for poster, synopsis or genres means empty, as its clients sent),
  and one transaction writes it all: a bad item or an unmapped user id
  changes nothing, and the error names them.
- Importing twice changes nothing (items are matched by id, then by URL and
  language, as for backups).
- The original's providers (anime-sama, neko-sama, anime-ultime) are not
  shipped here. An item whose provider does not exist is imported paused,
  with the reason on it, so its owner sees what to change.
- The settings file applies to every mapped account (the original had one
  set for all).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.dateparse import parse_datetime
from rest_framework import serializers

from .api.serializers import WatchlistItemSerializer, WatchlistSettingsSerializer
from .backup import BackupError, _upsert_item
from .models import ItemStatus
from .providers import provider_ids

ITEMS_FILE = "watchlist.json"
SETTINGS_FILE = "watchlist_settings.json"
_ITEM_FIELDS = (
    "anime_title",
    "anime_url",
    "provider_id",
    "lang",
    "auto_download",
    "quality_preference",
    "poster_image",
    "synopsis",
    "genres",
    "status",
    "last_episode_downloaded",
)
_OWNER_KEYS = ("user_id", "owner_id", "user", "owner", "username")
_CHECKED_KEYS = ("last_checked_at", "last_checked", "last_check", "last_check_at")
_SETTINGS_FIELDS = (
    "check_interval_hours",
    "auto_download_enabled",
    "max_concurrent_auto_downloads",
    "notify_on_new_episodes",
    "include_completed_anime",
)


class OriginalItemSerializer(WatchlistItemSerializer):
    """The API's item rules, except that any provider id is read: one this
    server does not have pauses the item instead of refusing it."""

    provider_id = serializers.CharField(max_length=64)


def missing_provider_reason(provider_id: str) -> str:
    return (
        f"imported paused: the original service's provider {provider_id!r} does not exist here; "
        "edit the series and give it a source this server can read"
    )


def read_files(path: Path, settings_path: Path | None = None) -> tuple[Any, Any]:
    """(items document, settings document or None) from a config folder or
    the items file (and, optionally, the settings file)."""
    if path.is_dir():
        settings_path = settings_path or (path / SETTINGS_FILE if (path / SETTINGS_FILE).exists() else None)
        path = path / ITEMS_FILE
    try:
        items = json.loads(path.read_text(encoding="utf-8"))
        settings = json.loads(settings_path.read_text(encoding="utf-8")) if settings_path else None
    except (OSError, json.JSONDecodeError) as exc:
        raise BackupError(f"cannot read the original service's files: {exc}") from exc
    return items, settings


def is_original(document: Any) -> bool:
    return not (isinstance(document, dict) and document.get("format") == "watchlist-backup")


def _rows(document: Any) -> Iterable[tuple[str | None, dict[str, Any]]]:
    """(owner id from the layout when it gives one, item) for every item."""
    if isinstance(document, list):
        for row in document:
            yield None, row
        return
    if not isinstance(document, dict):
        raise BackupError("watchlist.json holds neither a list of items nor an object")
    for key in ("items", "watchlist"):
        if isinstance(document.get(key), list):
            yield from _rows(document[key])
            return
    for key, value in document.items():
        if isinstance(value, list):  # {user_id: [items]}
            for row in value:
                yield str(key), row
        elif isinstance(value, dict):  # {item_id: item}
            yield None, {"id": key, **value}


def _owner_of(row: dict[str, Any], layout_owner: str | None) -> str | None:
    for key in _OWNER_KEYS:
        if row.get(key) not in (None, ""):
            return str(row[key])
    return layout_owner


def _item_id(raw: Any) -> str | None:
    try:
        return str(uuid.UUID(str(raw)))
    except (ValueError, TypeError):
        return None  # the original's own ids may be anything: a new one is made


def _validated(index: int, row: Any) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise BackupError(f"item {index}: not an object")
    data = {name: row[name] for name in _ITEM_FIELDS if name in row}
    if "quality_preference" in data and isinstance(data["quality_preference"], str):
        data["quality_preference"] = data["quality_preference"].lower()
    if "status" in data and isinstance(data["status"], str):
        data["status"] = data["status"].lower()
    serializer = OriginalItemSerializer(data=data)
    if not serializer.is_valid():
        raise BackupError(f"item {index} ({row.get('anime_title')!r}): {serializer.errors}")
    item = dict(serializer.validated_data)
    item.pop("anilist_id", None)
    item.pop("series", None)
    if item["provider_id"] not in provider_ids():
        item["status"] = ItemStatus.PAUSED
        item["paused_reason"] = missing_provider_reason(item["provider_id"])
    item["id"] = _item_id(row.get("id"))
    checked = next((row[key] for key in _CHECKED_KEYS if row.get(key)), None)
    for name, value in (
        ("last_checked_at", checked),
        ("created_at", row.get("created_at")),
        ("updated_at", row.get("updated_at")),
    ):
        item[name] = parse_datetime(value) if isinstance(value, str) else None
    return item


def _settings(document: Any) -> dict[str, Any]:
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise BackupError("watchlist_settings.json is not an object")
    data = {name: document[name] for name in _SETTINGS_FIELDS if name in document}
    serializer = WatchlistSettingsSerializer(data=data, partial=True)
    if not serializer.is_valid():
        raise BackupError(f"settings: {serializer.errors}")
    return dict(serializer.validated_data)


def import_original(
    items_document: Any,
    settings_document: Any,
    user_map: dict[str, str],
    *,
    create_users: bool = False,
    skip_unmapped: bool = False,
) -> dict[str, int]:
    """Import the original service's files (see the module docstring);
    returns counts. Raises BackupError, having written nothing."""
    plan: dict[str, list[dict[str, Any]]] = {}
    unmapped: dict[str, int] = {}
    skipped = 0
    for index, (layout_owner, row) in enumerate(_rows(items_document)):
        item = _validated(index, row)
        owner = _owner_of(row, layout_owner)
        username = user_map.get(owner or "")
        if username is None:
            unmapped[owner or "(none)"] = unmapped.get(owner or "(none)", 0) + 1
            skipped += 1
            continue
        plan.setdefault(username, []).append(item)
    if unmapped and not skip_unmapped:
        listed = ", ".join(f"{owner} ({n} item{'s' if n != 1 else ''})" for owner, n in sorted(unmapped.items()))
        raise BackupError(f"user ids with no account in the mapping: {listed} (add --map ID=USERNAME)")
    settings_data = _settings(settings_document)
    User = get_user_model()
    accounts = set(user_map.values())
    existing = set(User.objects.filter(username__in=accounts).values_list("username", flat=True))
    missing = sorted(accounts - existing)
    if missing and not create_users:
        raise BackupError(f"no such user: {', '.join(missing)} (use --create-users to create them)")

    counts = {"users": 0, "created": 0, "updated": 0, "paused": 0, "skipped": skipped}
    with transaction.atomic():
        for username in sorted(accounts):
            user, created = User.objects.get_or_create(username=username)
            if created:
                user.set_unusable_password()  # an admin sets one (Users page, or changepassword)
                user.save(update_fields=["password"])
            if settings_data:
                from .models import WatchlistSettings

                WatchlistSettings.objects.update_or_create(user=user, defaults=settings_data)
            for item in plan.get(username, []):
                counts["created" if _upsert_item(user, item) else "updated"] += 1
                counts["paused"] += bool(item.get("paused_reason"))
            counts["users"] += 1
    return counts


def parse_map(pairs: Iterable[str], map_file: Path | None = None) -> dict[str, str]:
    """``["7f3c=alice", ...]`` (and a JSON object file) as {user id: username}."""
    mapping: dict[str, str] = {}
    if map_file is not None:
        try:
            loaded = json.loads(map_file.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise BackupError(f"cannot read the mapping {map_file}: {exc}") from exc
        if not isinstance(loaded, dict) or not all(isinstance(v, str) for v in loaded.values()):
            raise BackupError("the mapping file must be a JSON object of user id to username")
        mapping.update({str(k): v for k, v in loaded.items()})
    for pair in pairs:
        user_id, sep, username = pair.partition("=")
        if not sep or not user_id.strip() or not username.strip():
            raise BackupError(f"--map {pair!r}: write it USER_ID=USERNAME")
        mapping[user_id.strip()] = username.strip()
    return mapping
