"""Serializers of the indexers API. ``api_key`` is write-only: stored
encrypted, answered as ``has_api_key`` only."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from rest_framework import serializers

from downloads.net import FetchError, UnsafeURL, check_url

from ..indexers import defaults, keys
from ..indexers.models import Indexer
from ..indexers.status import caps_words, state_words
from .fields import HttpUrlField, StrictFieldsMixin

MAX_CATEGORIES = 20


class IndexerSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    url = HttpUrlField(help_text="The Torznab endpoint: Prowlarr's or Jackett's Torznab URL of the indexer.")
    api_key = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=500,
        trim_whitespace=True,
        help_text="Stored encrypted, never answered back. Left out on update: kept. "
        "An apikey= in the URL is taken as the key.",
    )
    categories = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=999_999),
        max_length=MAX_CATEGORIES,
        required=False,
        help_text=f"Torznab categories to search; default {list(defaults.INDEXER_DEFAULT_CATEGORIES)} (TV/Anime). "
        "[] searches every category.",
    )
    priority = serializers.IntegerField(
        min_value=defaults.PRIORITY_RANGE[0],
        max_value=defaults.PRIORITY_RANGE[1],
        required=False,
        default=defaults.DEFAULT_PRIORITY,
        help_text="1 to 50: lower is asked first, and wins when two indexers list the same torrent.",
    )
    enabled = serializers.BooleanField(required=False, default=True)
    has_api_key = serializers.BooleanField(read_only=True)
    state = serializers.SerializerMethodField(help_text="How it is doing, in plain words.")
    searches = serializers.SerializerMethodField(help_text="What its t=caps answer says it can search.")

    class Meta:
        model = Indexer
        fields = [
            "id",
            "name",
            "url",
            "api_key",
            "has_api_key",
            "categories",
            "enabled",
            "priority",
            "state",
            "searches",
            "caps_fetched_at",
            "last_ok_at",
            "last_error",
            "last_error_at",
            "retry_after_until",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "has_api_key",
            "caps_fetched_at",
            "last_ok_at",
            "last_error",
            "last_error_at",
            "retry_after_until",
            "created_at",
            "updated_at",
        ]

    def get_state(self, indexer: Indexer) -> str:
        return state_words(indexer)

    def get_searches(self, indexer: Indexer) -> str:
        return caps_words(indexer)

    def validate_url(self, value: str) -> str:
        url, key = keys.split_key(value)
        self._key_in_url = key
        # Refuse now what the address guard refuses at every search (an
        # indexer on the LAN needs PRIVATE_SOURCE_ALLOWLIST); a name that
        # does not resolve yet is not refused.
        try:
            check_url(url)
        except UnsafeURL as exc:
            raise serializers.ValidationError(
                f"This URL cannot be fetched by the server: {keys.redact(str(exc), key)}. "
                "An indexer on your network needs its host:port in PRIVATE_SOURCE_ALLOWLIST."
            ) from None
        except FetchError:
            pass
        return url

    def validate_categories(self, value: list[int]) -> list[int]:
        return list(dict.fromkeys(value))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        key_in_url = getattr(self, "_key_in_url", "")
        if key_in_url and not attrs.get("api_key"):
            attrs["api_key"] = key_in_url
        return attrs

    @transaction.atomic
    def create(self, validated_data: dict[str, Any]) -> Indexer:
        key = validated_data.pop("api_key", "")
        validated_data.setdefault("categories", defaults.default_categories())
        return Indexer.objects.create(api_key_encrypted=keys.encrypt(key), **validated_data)

    @transaction.atomic
    def update(self, instance: Indexer, validated_data: dict[str, Any]) -> Indexer:
        changed_access = False
        if "api_key" in validated_data:
            instance.api_key_encrypted = keys.encrypt(validated_data.pop("api_key"))
            changed_access = True
        if "url" in validated_data and validated_data["url"] != instance.url:
            changed_access = True
        for name, value in validated_data.items():
            setattr(instance, name, value)
        if changed_access:
            # Another server or key: what the old one said no longer holds.
            instance.caps, instance.caps_fetched_at = {}, None
            instance.last_error, instance.last_error_at, instance.retry_after_until = "", None, None
            instance.last_ok_at = None
        instance.save()
        return instance


class IndexerTestSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    error = serializers.CharField(help_text="Why it failed, in plain words; empty when ok.")
    indexer = IndexerSerializer()


class ReleaseLineSerializer(serializers.Serializer):
    name = serializers.CharField()
    indexer = serializers.CharField()
    size = serializers.IntegerField(allow_null=True)
    seeders = serializers.IntegerField(allow_null=True)
    published = serializers.CharField()


class IndexerSearchGroupSerializer(serializers.Serializer):
    title = serializers.CharField(help_text="The series' title as the release names write it.")
    season = serializers.IntegerField(allow_null=True)
    release_count = serializers.IntegerField()
    summary = serializers.CharField()
    releases = ReleaseLineSerializer(many=True, help_text="The best-seeded few.")
    add = serializers.DictField(help_text="The item fields an Add uses (POST /api/watchlist).")


class IndexerSearchSerializer(serializers.Serializer):
    query = serializers.CharField()
    results = IndexerSearchGroupSerializer(many=True)
    errors = serializers.ListField(child=serializers.CharField(), help_text="Per indexer, why it gave nothing.")


class ItemSearchStateSerializer(serializers.Serializer):
    indexer = serializers.CharField()
    q = serializers.CharField()
    mode = serializers.CharField(help_text="search or tvsearch")
    season = serializers.IntegerField(allow_null=True)
    results = serializers.IntegerField()
    fetched_at = serializers.DateTimeField(allow_null=True, help_text="Its last answer that could be read.")
    asked_at = serializers.DateTimeField(allow_null=True)
    error = serializers.CharField(help_text="Why its last try failed; empty when it answered.")
