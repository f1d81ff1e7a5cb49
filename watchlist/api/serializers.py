from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from downloads.net import FetchError, UnsafeURL, check_url

from .. import limits, schedule
from ..indexers.items import SourceUrlField, complete_source
from ..indexers.plan import is_search_url
from ..models import ItemStatus, Quality, WatchlistItem, WatchlistSettings
from ..providers import provider_ids
from .check_serializers import LastCheckListSerializer, LastCheckMixin
from .fast_representation import PlannedRepresentationMixin
from .fields import NullMeansEmptyMixin, OptionalHttpUrlField, StrictFieldsMixin
from .metadata_serializers import ItemMetadataMixin


class ProviderIdField(serializers.ChoiceField):
    """One of the registered providers' ids (built-in or plug-in), listed as
    an enum in the OpenAPI schema."""

    def __init__(self, **kwargs):
        known = provider_ids()
        kwargs.setdefault(
            "error_messages", {"invalid_choice": f"Unknown provider {{input!r}}; known providers: {', '.join(known)}."}
        )
        super().__init__(choices=known, **kwargs)


class WatchlistItemSerializer(
    NullMeansEmptyMixin, StrictFieldsMixin, LastCheckMixin, ItemMetadataMixin, PlannedRepresentationMixin
):
    null_means_empty = {"poster_image": str, "synopsis": str, "genres": list, "title_aliases": list, "lang": str}
    # Required, unless anilist_id gives it (validate()).
    anime_title = serializers.CharField(max_length=300, trim_whitespace=True, required=False)
    # Required, unless provider_id is torznab (validate()).
    anime_url = SourceUrlField(required=False)
    provider_id = ProviderIdField()
    lang = serializers.CharField(max_length=32, required=False, allow_blank=True, allow_null=True, default="")
    quality_preference = serializers.ChoiceField(choices=Quality.choices, required=False, default=Quality.AUTO)
    status = serializers.ChoiceField(choices=ItemStatus.choices, required=False, default=ItemStatus.ACTIVE)
    # null is accepted for these and means empty (NullMeansEmptyMixin).
    poster_image = OptionalHttpUrlField(allow_null=True)
    synopsis = serializers.CharField(
        max_length=limits.SYNOPSIS_MAX_LENGTH, required=False, allow_blank=True, allow_null=True, default=""
    )
    genres = serializers.ListField(
        child=serializers.CharField(max_length=limits.GENRE_MAX_LENGTH),
        max_length=limits.GENRES_MAX_COUNT,
        required=False,
        allow_null=True,
        default=list,
    )
    last_episode_downloaded = serializers.IntegerField(min_value=0, max_value=1_000_000, required=False, default=0)
    title_aliases = serializers.ListField(
        child=serializers.CharField(max_length=300),
        max_length=30,
        required=False,
        allow_null=True,
        default=list,
        help_text="Other titles of the series its releases may carry (release matching).",
    )
    season = serializers.IntegerField(
        min_value=0,
        max_value=1000,
        required=False,
        allow_null=True,
        default=None,
        help_text="The season this item follows; null: the whole show.",
    )
    first_absolute_episode = serializers.IntegerField(
        min_value=1,
        max_value=1_000_000,
        required=False,
        allow_null=True,
        default=None,
        help_text="The show-wide number of the season's first episode (29 with 25 here is episode 5).",
    )
    include_specials = serializers.BooleanField(
        required=False, default=False, help_text="Take OVAs, movies, recaps and other specials too."
    )

    class Meta:
        model = WatchlistItem
        fields = [
            "id",
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
            "title_aliases",
            "season",
            "first_absolute_episode",
            "include_specials",
            "last_checked_at",
            "last_check",
            "anilist_id",
            "series",
            "episodes_total",
            "episodes_have",
            "poster_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "last_checked_at", "last_check", "created_at", "updated_at"]
        # Uniqueness per owner is answered with 409 by the view, not 400 here.
        validators: list = []
        list_serializer_class = LastCheckListSerializer

    def validate_anime_url(self, value: str) -> str:
        # Refuse now what the address guard would refuse at every check. A
        # name that does not resolve (yet) is not refused: it may be a
        # temporary DNS failure, and the check records the error if it lasts.
        if is_search_url(value):
            return value  # a search of the indexers: nothing to fetch
        try:
            check_url(value)
        except UnsafeURL as exc:
            raise serializers.ValidationError(f"This URL cannot be fetched by the server: {exc}.") from None
        except FetchError:
            pass
        return value

    def validate_lang(self, value: str) -> str:
        return value.strip().lower()

    def validate_title_aliases(self, value: list[str]) -> list[str]:
        return list(dict.fromkeys(alias.strip() for alias in value if alias.strip()))

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            # Said beside the other fields' errors, as a required field would
            # be (validate() below only runs once every field is valid).
            title_missing = self.instance is None and hasattr(data, "get") and not data.get("anime_title")
            if title_missing and not data.get("anilist_id") and isinstance(exc.detail, dict):
                exc.detail.setdefault("anime_title", [ErrorDetail("This field is required.", code="required")])
            url_missing = self.instance is None and hasattr(data, "get") and not data.get("anime_url")
            if url_missing and data.get("provider_id") != "torznab" and isinstance(exc.detail, dict):
                exc.detail.setdefault("anime_url", [ErrorDetail("This field is required.", code="required")])
            raise

    def validate(self, attrs: dict) -> dict:
        attrs = self.fill_from_series(attrs)
        errors = {}
        if self.instance is None and not attrs.get("anime_title"):
            errors["anime_title"] = ["This field is required."]
        try:
            attrs = complete_source(attrs, self.instance)
        except serializers.ValidationError as exc:
            errors = {**exc.detail, **errors}
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class DuplicateItemSerializer(serializers.Serializer):
    detail = serializers.CharField()
    id = serializers.UUIDField()


class WatchlistSettingsSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    time_zone = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text='IANA time zone of the calendar and the dashboard ("Europe/Paris"); "" for the server\'s.',
    )

    class Meta:
        model = WatchlistSettings
        fields = [
            "check_interval_hours",
            "auto_download_enabled",
            "max_concurrent_auto_downloads",
            "notify_on_new_episodes",
            "include_completed_anime",
            "notification_digest",
            "complete_finished_series",
            "time_zone",
        ]

    def validate_time_zone(self, value: str) -> str:
        from ..metadata.calendar import is_zone_name

        value = value.strip()
        if value and not is_zone_name(value):
            raise serializers.ValidationError(f"Unknown time zone {value!r}; use an IANA name such as Europe/Paris.")
        return value

    def update(self, instance: WatchlistSettings, validated_data: dict) -> WatchlistSettings:
        interval = validated_data.get("check_interval_hours", instance.check_interval_hours)
        interval_changed = interval != instance.check_interval_hours
        for name, value in validated_data.items():
            setattr(instance, name, value)
        if interval_changed:
            # API and dashboard both save here: a new interval moves the
            # schedule at once, whichever face changed it.
            schedule.on_interval_changed(instance)
        instance.save()
        return instance


class WatchlistStatsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    active = serializers.IntegerField()
    paused = serializers.IntegerField()
    completed = serializers.IntegerField()
    archived = serializers.IntegerField()
    auto_download_enabled = serializers.IntegerField(help_text="Items with auto_download on.")
    providers = serializers.DictField(child=serializers.IntegerField(), help_text="Item count per provider id.")
