"""Calendar endpoints: the user's upcoming episodes, and the secret URL of
their iCal feed (rotatable)."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ..feedkeys import feed_key, rotate_feed_key
from ..metadata.calendar import entries_between, local_midnight, user_zone
from .schema import ERROR_BODY

MAX_DAYS = 62


class CalendarQuerySerializer(serializers.Serializer):
    start = serializers.DateField(required=False, help_text="First day (in your time zone); default today.")
    days = serializers.IntegerField(required=False, default=7, min_value=1, max_value=MAX_DAYS)


class CalendarEpisodeSerializer(serializers.Serializer):
    item_id = serializers.UUIDField(source="item.pk")
    anime_title = serializers.CharField(source="item.anime_title")
    anilist_id = serializers.IntegerField(source="series.anilist_id")
    episode = serializers.IntegerField(help_text="AniList's episode number (of this season).")
    episodes_total = serializers.IntegerField(source="series.episodes", allow_null=True)
    airing_at = serializers.DateTimeField(help_text="With your time zone's offset.")
    ends_at = serializers.DateTimeField()


class CalendarSerializer(serializers.Serializer):
    time_zone = serializers.CharField()
    start = serializers.DateField()
    days = serializers.IntegerField()
    episodes = CalendarEpisodeSerializer(many=True)


class FeedUrlSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="iCalendar feed of your episodes; the secret is in the path.")


def feed_url(request, key: str) -> str:
    return request.build_absolute_uri(reverse("web:calendar-ics", args=[key]))


@extend_schema(tags=["calendar"])
class CalendarView(APIView):
    @extend_schema(
        summary="Your upcoming episodes",
        description="Episodes of the series on your list (archived ones left out) airing from `start` for "
        "`days` days, in your time zone (settings `time_zone`).",
        parameters=[CalendarQuerySerializer],
        responses={200: CalendarSerializer, 400: OpenApiResponse(response=ERROR_BODY, description="A bad parameter")},
    )
    def get(self, request):
        query = CalendarQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        zone = user_zone(request.user)
        start = query.validated_data.get("start") or timezone.localtime(timezone.now(), zone).date()
        days = query.validated_data["days"]
        entries = entries_between(
            request.user, local_midnight(start, zone), local_midnight(start + timedelta(days=days), zone), zone
        )
        with timezone.override(zone):
            data = CalendarSerializer({"time_zone": str(zone), "start": start, "days": days, "episodes": entries}).data
        return Response(data)


@extend_schema(tags=["calendar"])
class CalendarFeedUrlView(APIView):
    @extend_schema(summary="The secret URL of your iCal feed", responses=FeedUrlSerializer)
    def get(self, request):
        return Response({"url": feed_url(request, feed_key(request.user))})


@extend_schema(tags=["calendar"])
class CalendarFeedUrlRotateView(APIView):
    @extend_schema(
        summary="Replace your iCal feed URL",
        description="The old URL stops working at once (so do your other feed URLs: they share the key).",
        request=None,
        responses=FeedUrlSerializer,
    )
    def post(self, request):
        return Response({"url": feed_url(request, rotate_feed_key(request.user))})
