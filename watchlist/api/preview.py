"""POST /api/watchlist/preview: what a source would give an item, before it
is added (watchlist/preview.py)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from downloads.serializers import MaskedUrlField

from ..indexers.items import SourceUrlField, complete_source
from ..models import Quality
from ..preview import PreviewBusy, preview_source
from .fields import NullMeansEmptyMixin, StrictFieldsMixin
from .serializers import ProviderIdField, WatchlistItemSerializer


class PreviewRequestSerializer(NullMeansEmptyMixin, StrictFieldsMixin, serializers.Serializer):
    """The item fields that decide what a source gives it."""

    null_means_empty = {"anime_title": str, "lang": str, "title_aliases": list, "provider_id": str}

    # For provider_id torznab (the indexers): absent, made from the title.
    anime_url = SourceUrlField(required=False)
    provider_id = ProviderIdField(required=False, allow_blank=True, help_text="Empty or absent: detected from the URL.")
    anime_title = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    lang = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    quality_preference = serializers.ChoiceField(choices=Quality.choices, required=False, default=Quality.AUTO)
    last_episode_downloaded = serializers.IntegerField(min_value=0, max_value=1_000_000, required=False, default=0)
    title_aliases = serializers.ListField(
        child=serializers.CharField(max_length=300), max_length=30, required=False, default=list
    )
    season = serializers.IntegerField(min_value=0, max_value=1000, required=False, allow_null=True, default=None)
    first_absolute_episode = serializers.IntegerField(
        min_value=1, max_value=1_000_000, required=False, allow_null=True, default=None
    )
    include_specials = serializers.BooleanField(required=False, default=False)

    # The same address rule as adding the item: refused now, not at the fetch.
    validate_anime_url = WatchlistItemSerializer.validate_anime_url

    def validate_lang(self, value: str) -> str:
        return value.strip().lower()

    def validate(self, attrs: dict) -> dict:
        return complete_source(attrs, None)


class PreviewEpisodeSerializer(serializers.Serializer):
    episode = serializers.IntegerField()
    season = serializers.IntegerField(allow_null=True)
    resolution = serializers.IntegerField(allow_null=True, help_text="Vertical pixels; null when the name says none.")
    language = serializers.CharField(help_text='"" when the release names none.')
    release_name = serializers.CharField()
    url = MaskedUrlField()
    size = serializers.IntegerField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)


class NotTakenSerializer(serializers.Serializer):
    release_name = serializers.CharField()
    episode = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField(help_text="Why this item would not take it, in plain words.")


class PreviewSerializer(serializers.Serializer):
    ok = serializers.BooleanField(help_text="False when the source could not be read (see `error`).")
    error = serializers.CharField(allow_null=True, help_text="Why the source could not be read, in plain words.")
    provider_id = serializers.CharField(help_text="The provider used (the detected one when none was given).")
    releases_listed = serializers.IntegerField(help_text="Releases the source lists, of any series.")
    episodes = PreviewEpisodeSerializer(many=True, help_text="What this item would get, one release per episode.")
    episode_span = serializers.CharField(help_text='Those episodes\' numbers, e.g. "1-12".')
    resolutions = serializers.ListField(child=serializers.IntegerField())
    languages = serializers.ListField(child=serializers.CharField())
    not_taken = NotTakenSerializer(many=True, help_text="Releases left out and why (the first 50).")
    not_taken_total = serializers.IntegerField()


class SourcePreviewView(APIView):
    @extend_schema(
        tags=["watchlist"],
        request=PreviewRequestSerializer,
        responses={
            200: PreviewSerializer,
            400: OpenApiResponse(description="A field is not valid (named)"),
            429: OpenApiResponse(description="A source test of yours is still running"),
        },
        summary="Test a source before adding it: the episodes it would give this item",
        description=(
            "Reads the source now and runs the release matching a check would run (the title and its aliases, "
            "season, language, quality and your release rules) for the item described, without saving anything. "
            "A source that cannot be read is not an HTTP error: `ok` is false and `error` says why in plain words."
        ),
    )
    def post(self, request: Request) -> Response:
        serializer = PreviewRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            preview = preview_source(request.user, dict(serializer.validated_data))
        except PreviewBusy as busy:
            return Response(
                {"detail": str(busy)},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(busy.retry_after)},
            )
        return Response(PreviewSerializer(preview).data)
