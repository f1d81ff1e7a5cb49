"""Backup of watchlists and settings as one JSON document.

Format (version 1)::

    {
      "format": "watchlist-backup",
      "version": 1,
      "exported_at": "2026-11-27T15:00:00Z",
      "users": [
        {
          "username": "alice",
          "settings": {"check_interval_hours": 6, ...the five settings},
          "items": [{"id": "<uuid>", "anime_title": ..., every item field,
                     "last_checked_at": ..., "created_at": ..., "updated_at": ...}]
        }
      ]
    }

Importing matches users by username and items by id, then by
(anime_url, lang), so importing the same file twice changes nothing and
creates no duplicates. Every item is validated like an API request before
anything is written, and the whole import is one transaction.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .api.serializers import WatchlistItemSerializer, WatchlistSettingsSerializer
from .models import Source, WatchlistItem, WatchlistSettings

FORMAT = "watchlist-backup"
VERSION = 1
_TIMESTAMPS = ("last_checked_at", "created_at", "updated_at")


def _read_only(serializer_class: type) -> set[str]:
    """Fields the API computes (ids, timestamps, counts, links): a backup
    carries them for reading, an import restores the ones it can (ids and
    timestamps) itself. Asked of the serializer, so a field added to the API
    later needs no edit here."""
    return {name for name, field in serializer_class().fields.items() if field.read_only}


class BackupError(Exception):
    pass


def export_backup(usernames: list[str] | None = None) -> dict[str, Any]:
    User = get_user_model()
    users = User.objects.order_by("username")
    if usernames:
        users = users.filter(username__in=usernames)
        missing = set(usernames) - set(users.values_list("username", flat=True))
        if missing:
            raise BackupError(f"no such user: {', '.join(sorted(missing))}")
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat().replace("+00:00", "Z"),
        "users": [],
    }
    for user in users:
        items = WatchlistItem.objects.filter(owner=user).order_by("created_at", "id")
        document["users"].append(
            {
                "username": user.get_username(),
                "settings": WatchlistSettingsSerializer(WatchlistSettings.for_user(user)).data,
                "items": [dict(WatchlistItemSerializer(item).data) for item in items],
            }
        )
    return document


def _validated_items(username: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    validated = []
    for index, row in enumerate(rows):
        # Ids and timestamps are restored below; the serializer takes the
        # fields a client may set and refuses read-only ones.
        read_only = _read_only(WatchlistItemSerializer)
        writable = {name: value for name, value in row.items() if name not in read_only}
        serializer = WatchlistItemSerializer(data=writable)
        if not serializer.is_valid():
            raise BackupError(f"user {username}, item {index} ({row.get('anime_title')!r}): {serializer.errors}")
        data = dict(serializer.validated_data)
        data["id"] = row.get("id")
        for name in _TIMESTAMPS:
            value = row.get(name)
            data[name] = parse_datetime(value) if value else None
        validated.append(data)
    return validated


def _check_document(document: Any) -> list[dict[str, Any]]:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(f'not a watchlist backup (expected "format": "{FORMAT}")')
    if document.get("version") != VERSION:
        raise BackupError(f"unsupported backup version {document.get('version')!r} (this version reads {VERSION})")
    users = document.get("users")
    if not isinstance(users, list):
        raise BackupError('"users" must be a list')
    return users


def import_backup(document: Any, *, usernames: list[str] | None = None, create_users: bool = False) -> dict[str, int]:
    entries = _check_document(document)
    if usernames:
        entries = [entry for entry in entries if entry.get("username") in usernames]
    User = get_user_model()
    plan = []
    for entry in entries:
        username = entry.get("username")
        read_only = _read_only(WatchlistSettingsSerializer)
        writable = {name: value for name, value in (entry.get("settings") or {}).items() if name not in read_only}
        settings_serializer = WatchlistSettingsSerializer(data=writable, partial=True)
        if not settings_serializer.is_valid():
            raise BackupError(f"user {username}: settings: {settings_serializer.errors}")
        plan.append((username, settings_serializer.validated_data, _validated_items(username, entry.get("items", []))))

    existing_users = set(User.objects.filter(username__in=[p[0] for p in plan]).values_list("username", flat=True))
    missing = [name for name, *_ in plan if name not in existing_users]
    if missing and not create_users:
        raise BackupError(f"no such user: {', '.join(missing)} (use --create-users to create them)")

    counts = {"users": 0, "created": 0, "updated": 0}
    with transaction.atomic():
        for username, settings_data, items in plan:
            user, user_created = User.objects.get_or_create(username=username)
            if user_created:
                # Imported accounts sign in only after an admin sets a password.
                user.set_unusable_password()
                user.save(update_fields=["password"])
            WatchlistSettings.objects.update_or_create(user=user, defaults=settings_data)
            for data in items:
                created = _upsert_item(user, data)
                counts["created" if created else "updated"] += 1
            counts["users"] += 1
    return counts


def _upsert_item(user, data: dict[str, Any]) -> bool:
    data = dict(data)
    item_id = data.pop("id")
    timestamps = {name: data.pop(name) for name in _TIMESTAMPS}
    source, _ = Source.objects.get_or_create(provider_id=data["provider_id"], url=data["anime_url"], lang=data["lang"])
    item = (
        WatchlistItem.objects.filter(owner=user, pk=item_id).first()
        or WatchlistItem.objects.filter(owner=user, anime_url=data["anime_url"], lang=data["lang"]).first()
    )
    created = item is None
    if created:
        item = WatchlistItem(owner=user, **({"pk": item_id} if item_id else {}))
    for name, value in data.items():
        setattr(item, name, value)
    item.source = source
    item.save()
    # auto_now/auto_now_add overwrite timestamps on save(); restore the
    # backup's own so a round trip is exact.
    restore = {name: value for name, value in timestamps.items() if value is not None or name == "last_checked_at"}
    WatchlistItem.objects.filter(pk=item.pk).update(**restore)
    return created
