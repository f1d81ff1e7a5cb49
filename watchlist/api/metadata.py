"""Series metadata endpoints: search AniList by title, one series record,
and the posters this server keeps."""

from __future__ import annotations

import math

from django.core.files.storage import default_storage
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from ..metadata.anilist import AniListClient, AniListError
from ..metadata.models import Series
from ..metadata.posters import has_poster, store_poster
from ..metadata.series import UnknownSeries, remember, series_for_anilist_id
from .metadata_serializers import SearchQuerySerializer, SearchResultsSerializer, SeriesDetailSerializer
from .schema import ERROR_BODY

_UNAVAILABLE = OpenApiResponse(
    response=ERROR_BODY, description="AniList cannot be reached now (see Retry-After); nothing cached to answer with"
)


def _unavailable(exc: AniListError) -> Response:
    response = Response({"detail": exc.message}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
    response["Retry-After"] = str(max(1, math.ceil(exc.retry_after or 60)))
    return response


@extend_schema(tags=["metadata"])
class MetadataSearchView(APIView):
    @extend_schema(
        summary="Search AniList by title",
        description="Anime whose English, romaji or native titles or synonyms match `q`, best match first "
        "(at most 10). Answers are cached for 6 hours; while AniList is down a cached answer up to "
        "7 days old is used.",
        parameters=[SearchQuerySerializer],
        responses={
            200: SearchResultsSerializer,
            400: OpenApiResponse(response=ERROR_BODY, description="`q` is missing or too long"),
            503: _UNAVAILABLE,
        },
    )
    def get(self, request):
        query = SearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        text = query.validated_data["q"].strip()
        try:
            records = AniListClient().search(text)
        except AniListError as exc:
            return _unavailable(exc)
        stored = remember(records)
        series = [stored[record.anilist_id] for record in records]
        return Response(SearchResultsSerializer({"query": text, "results": series}, context={"request": request}).data)


@extend_schema(tags=["metadata"])
class MetadataSeriesView(APIView):
    @extend_schema(
        summary="One series as AniList describes it",
        description="The stored record (refreshed daily and after each airing), fetched from AniList when "
        "this server does not know the id yet.",
        responses={200: SeriesDetailSerializer, 503: _UNAVAILABLE},
    )
    def get(self, request, anilist_id: int):
        try:
            series = series_for_anilist_id(anilist_id, detailed=True)
        except UnknownSeries:
            return Response({"detail": "AniList has no anime with this id."}, status=status.HTTP_404_NOT_FOUND)
        if series.fetched_at is None:
            return _unavailable(AniListError(series.last_error or "AniList cannot be reached now"))
        return Response(SeriesDetailSerializer(series, context={"request": request}).data)


@extend_schema(tags=["metadata"])
class PosterView(APIView):
    """Our copy of a series' cover: fetched from AniList's image server once
    (the first time it is asked for), then always served from here."""

    @extend_schema(
        summary="A series' poster image",
        responses={
            (200, "image/*"): OpenApiResponse(response=OpenApiTypes.BINARY, description="JPEG, PNG, WebP or GIF"),
            404: OpenApiResponse(response=ERROR_BODY, description="No poster for this series (yet)"),
        },
    )
    def get(self, request, anilist_id: int):
        series = Series.objects.filter(anilist_id=anilist_id).first()
        if series is None or not (has_poster(series) or store_poster(series)):
            return Response({"detail": "No poster for this series."}, status=status.HTTP_404_NOT_FOUND)
        try:
            file = default_storage.open(series.poster_file, "rb")
        except FileNotFoundError:
            # Removed from disk behind our back: fetch it again.
            if not store_poster(series, force=True):
                return Response({"detail": "No poster for this series."}, status=status.HTTP_404_NOT_FOUND)
            file = default_storage.open(series.poster_file, "rb")
        response = FileResponse(file, content_type=series.poster_content_type)
        response["Cache-Control"] = "private, max-age=604800"
        response["X-Content-Type-Options"] = "nosniff"
        return response
