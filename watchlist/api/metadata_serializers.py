"""Serializers of series metadata (AniList): search results, series records,
and the ``anilist_id`` an item is added with."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property, lru_cache
from typing import Any

from django.urls import get_script_prefix
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..metadata.episodes import episodes_have, episodes_total
from ..metadata.models import Series, SeriesStatus
from ..metadata.posters import poster_url
from ..metadata.series import UnknownSeries, series_for_anilist_id
from ..models import WatchlistItem
from .fast_representation import PlannedRepresentationMixin, representation_of

ANILIST_ID_MAX = 2**31 - 1
# "" while AniList has not said (a placeholder row); named in the schema as
# SeriesStatusEnum (settings.SPECTACULAR_SETTINGS).
SERIES_STATUS_CHOICES = [("", "Unknown"), *SeriesStatus.choices]


class AiringSerializer(serializers.Serializer):
    episode = serializers.IntegerField()
    airing_at = serializers.DateTimeField()


def _poster_url(series: Series, request) -> str:
    """Our own copy's URL; it is fetched on first request when not stored."""
    if not series.cover_url:
        return ""
    if request is None:
        return _poster_path(series.anilist_id, get_script_prefix())
    root, prefix = _url_base(request)
    return root + _poster_path(series.anilist_id, prefix)


def _url_base(request) -> tuple[str, str]:
    """``scheme://host`` of the request and the script prefix, worked out
    once per request: the root is the same as ``build_absolute_uri(path)``
    for our ASCII poster paths, and the prefix (a context-local lookup) is
    set once per request; a list would otherwise ask for both twice per item."""
    base = getattr(request, "_watchlist_url_base", None)
    if base is None:
        base = (request.build_absolute_uri("/")[:-1], get_script_prefix())
        request._watchlist_url_base = base
    return base


@lru_cache(maxsize=4096)
def _poster_path(anilist_id: int, script_prefix: str) -> str:
    # reverse() costs tens of microseconds, paid twice per item of a list
    # (the item's poster and its series'); the prefix is part of the key
    # because reverse() depends on it.
    return poster_url(Series(anilist_id=anilist_id))


class SeriesSerializer(PlannedRepresentationMixin):
    status = serializers.ChoiceField(choices=SERIES_STATUS_CHOICES, help_text="AniList's status of the series.")
    episodes = serializers.IntegerField(allow_null=True, help_text="Total episodes, when AniList knows it.")
    synonyms = serializers.ListField(child=serializers.CharField(), help_text="Other names, for release matching.")
    genres = serializers.ListField(child=serializers.CharField())
    site_url = serializers.CharField(help_text='The series\' AniList page; "" until fetched.')
    next_airing = serializers.SerializerMethodField()
    poster_url = serializers.SerializerMethodField()
    first_absolute_episode = serializers.IntegerField(
        allow_null=True,
        help_text="Absolute number of this season's episode 1 (from the prequel chain); null when unknown.",
    )

    class Meta:
        model = Series
        fields = [
            "anilist_id",
            "title_english",
            "title_romaji",
            "title_native",
            "synonyms",
            "format",
            "status",
            "episodes",
            "duration_minutes",
            "season",
            "season_year",
            "genres",
            "synopsis",
            "site_url",
            "poster_url",
            "next_airing",
            "first_absolute_episode",
            "fetched_at",
        ]
        read_only_fields = fields

    @extend_schema_field(AiringSerializer(allow_null=True))
    def get_next_airing(self, series: Series) -> dict[str, Any] | None:
        if series.next_airing_episode is None or series.next_airing_at is None:
            return None
        episode, airing_at = self._airing_fields
        return {"episode": episode(series.next_airing_episode), "airing_at": airing_at(series.next_airing_at)}

    @cached_property
    def _airing_fields(self) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
        # AiringSerializer's own fields, taken once per series serializer:
        # its to_representation per listed series walked DRF's per-field
        # bookkeeping and looked the time zone up for every value.
        fields = AiringSerializer().fields
        return fields["episode"].to_representation, representation_of(fields["airing_at"])

    @extend_schema_field(OpenApiTypes.STR)
    def get_poster_url(self, series: Series) -> str:
        return _poster_url(series, self.context.get("request"))


class SeriesDetailSerializer(SeriesSerializer):
    upcoming = serializers.SerializerMethodField(help_text="Announced airings from now on (up to 25).")

    class Meta(SeriesSerializer.Meta):
        fields = [*SeriesSerializer.Meta.fields, "upcoming"]
        read_only_fields = fields

    @extend_schema_field(AiringSerializer(many=True))
    def get_upcoming(self, series: Series) -> list[dict[str, Any]]:
        from django.utils import timezone

        rows = series.airings.filter(airing_at__gte=timezone.now()).order_by("airing_at")[:25]
        return AiringSerializer(rows, many=True).data


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(min_length=1, max_length=100, help_text="Title (any language) to search for.")


class SearchResultsSerializer(serializers.Serializer):
    query = serializers.CharField()
    results = SeriesSerializer(many=True)


@extend_schema_field(
    {
        "type": "integer",
        "minimum": 1,
        "maximum": ANILIST_ID_MAX,
        "nullable": True,
        "description": "AniList id of the series. On create, fills anime_title, poster_image, synopsis "
        "and genres when they are not given.",
    }
)
class AniListIdField(serializers.Field):
    """An AniList id in and out; the item's `Series` inside (source="series").

    A known id resolves to its stored row; an unknown one is asked of AniList
    (400 if AniList has no such anime). When AniList cannot be reached, the
    id is accepted and its record filled in by the next metadata refresh.
    """

    default_error_messages = {
        "invalid": "Enter an AniList id (a positive whole number).",
        "unknown": "AniList has no anime with id {value}.",
    }

    def to_representation(self, value: Series | None) -> int | None:
        return value.anilist_id if value is not None else None

    def to_internal_value(self, data: Any) -> Series | None:
        if data is None or data == "":
            return None
        if isinstance(data, bool) or (isinstance(data, str) and not data.strip().isdigit()):
            self.fail("invalid")
        try:
            value = int(data)
        except (TypeError, ValueError):
            self.fail("invalid")
        if not 1 <= value <= ANILIST_ID_MAX:
            self.fail("invalid")
        try:
            # Detailed: the item's calendar and airing checks need the
            # schedule now, not after the next refresh (one request, once
            # per series; a search result alone has no schedule).
            return series_for_anilist_id(value, detailed=True)
        except UnknownSeries:
            self.fail("unknown", value=value)


class ItemMetadataMixin(serializers.Serializer):
    """The item fields that come from its series (mixed into the item
    serializer)."""

    anilist_id = AniListIdField(source="series", required=False, allow_null=True)
    series = SeriesSerializer(read_only=True, allow_null=True)
    episodes_total = serializers.SerializerMethodField(help_text="The series' total episodes; null when unknown.")
    episodes_have = serializers.SerializerMethodField(
        help_text='Episodes of the season the item has (the "12" of "12 of 24").'
    )
    poster_url = serializers.SerializerMethodField(
        help_text="Where to load the poster: this server's copy of the series' cover, else poster_image."
    )

    # Filled from the series on create when the request leaves them out.
    FILLED_FROM_SERIES = ("anime_title", "poster_image", "synopsis", "genres")

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_episodes_total(self, item: WatchlistItem) -> int | None:
        return episodes_total(item)

    @extend_schema_field(OpenApiTypes.INT)
    def get_episodes_have(self, item: WatchlistItem) -> int:
        return episodes_have(item)

    @extend_schema_field(OpenApiTypes.STR)
    def get_poster_url(self, item: WatchlistItem) -> str:
        return item_poster_url(item, self.context.get("request"))

    def fill_from_series(self, attrs: dict[str, Any]) -> dict[str, Any]:
        series = attrs.get("series")
        initial = getattr(self, "initial_data", {}) or {}
        if self.instance is not None or series is None or series.fetched_at is None:
            return attrs
        values = {
            "anime_title": series.display_title[:300],
            "poster_image": series.cover_url,
            "synopsis": series.synopsis,
            "genres": list(series.genres or []),
        }
        for name in self.FILLED_FROM_SERIES:
            given = initial.get(name) if hasattr(initial, "get") else None
            if given in (None, "", []) and values[name]:
                attrs[name] = values[name]
        return attrs


def item_poster_url(item: WatchlistItem, request=None) -> str:
    """Our copy when the item shows its series' cover (the poster_image the
    search filled in, or none), else the item's own poster_image URL."""
    series = item.series
    if series is not None and series.cover_url and item.poster_image in ("", series.cover_url):
        return _poster_url(series, request)
    return item.poster_image
