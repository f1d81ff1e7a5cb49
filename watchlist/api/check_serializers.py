"""Serializers of the check endpoints and of an item's last check."""

from __future__ import annotations

from functools import cached_property
from typing import Any
from uuid import UUID

from django.db.models import Manager
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from downloads.serializers import MaskedUrlField

from ..models import CheckRun, SourceStatus, WatchlistItem
from .fast_representation import PlannedRepresentationMixin
from .item_rows import ListedItem, check_run_rows, last_run_ids


class NewEpisodeSerializer(serializers.Serializer):
    episode = serializers.IntegerField()
    season = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    url = MaskedUrlField()
    resolution = serializers.IntegerField(allow_null=True, help_text="Vertical pixels: 1080, 720... null if unknown.")
    version = serializers.IntegerField()
    language = serializers.CharField(help_text='Language tag of the release; "" when untagged.')


class CheckResultSerializer(serializers.Serializer):
    """The outcome of one check (the original API's AutoDownloadResult)."""

    item_id = serializers.UUIDField()
    anime_title = serializers.CharField()
    checked_at = serializers.DateTimeField()
    new_episodes = NewEpisodeSerializer(many=True)
    queued = serializers.ListField(
        child=serializers.IntegerField(), help_text="Episode numbers handed to the download manager."
    )
    error = serializers.CharField(
        allow_null=True, help_text="Why the check failed, in plain words; null if it did not."
    )
    source_status = serializers.ChoiceField(choices=SourceStatus.choices)
    duration_ms = serializers.IntegerField()


class CheckAllQuerySerializer(serializers.Serializer):
    force = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Check every active item (and completed ones if the settings include them), due or not.",
    )


class CheckAllSerializer(serializers.Serializer):
    queued = serializers.ListField(child=serializers.UUIDField(), help_text="Ids of the items whose check was queued.")
    count = serializers.IntegerField()
    already_queued = serializers.ListField(
        child=serializers.UUIDField(), help_text="Ids of the items whose check was already waiting or running."
    )


class CheckRunSerializer(PlannedRepresentationMixin):
    """An item's most recent check, as shown on the item."""

    checked_at = serializers.DateTimeField(source="started_at")
    queued = serializers.ListField(child=serializers.IntegerField(), source="queued_episode_numbers")
    new_episode_numbers = serializers.ListField(child=serializers.IntegerField())
    error = serializers.SerializerMethodField()

    class Meta:
        model = CheckRun
        fields = ["checked_at", "duration_ms", "new_episode_numbers", "queued", "error", "source_status"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_error(self, run: CheckRun) -> str | None:
        return run.error or None


class LastCheckListSerializer(serializers.ListSerializer):
    """Loads every listed item's last check at once instead of one query per item."""

    def to_representation(self, data):
        items = list(data.all() if isinstance(data, Manager) else data)
        if all(isinstance(item, ListedItem) for item in items):
            run_ids = [item.last_run_id for item in items]  # read with the page
        else:
            run_ids = last_run_ids([item.pk for item in items])
        self.child._last_checks = check_run_rows(run_ids)
        try:
            return super().to_representation(items)
        finally:
            del self.child._last_checks


class LastCheckMixin(serializers.Serializer):
    """Adds ``last_check`` (null until the item is checked) to an item serializer."""

    last_check = serializers.SerializerMethodField()

    @extend_schema_field(CheckRunSerializer(allow_null=True))
    def get_last_check(self, item: WatchlistItem) -> dict[str, Any] | None:
        cache: dict[UUID, Any] | None = getattr(self, "_last_checks", None)  # check_run_rows
        run = cache.get(item.pk) if cache is not None else item.check_runs.order_by("-started_at", "-pk").first()
        return self._check_run_serializer.to_representation(run) if run is not None else None

    @cached_property
    def _check_run_serializer(self) -> CheckRunSerializer:
        # One per item serializer, not one per item: building a
        # ModelSerializer copies its fields, which cost more than the
        # representation itself in a list.
        return CheckRunSerializer()
