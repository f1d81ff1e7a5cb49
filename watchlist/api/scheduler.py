"""The three scheduler endpoints: the user's own schedule, not a global one."""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import schedule
from ..liveness import liveness
from ..models import WatchlistSettings
from .serializers import WatchlistSettingsSerializer


class SchedulerStatusSerializer(serializers.Serializer):
    running = serializers.BooleanField(help_text="Your schedule is on.")
    next_run = serializers.DateTimeField(allow_null=True, help_text="When your next check is due (UTC).")
    last_run = serializers.DateTimeField(allow_null=True, help_text="When your schedule last ran (UTC).")
    settings = WatchlistSettingsSerializer()
    beat_alive = serializers.BooleanField(help_text="The scheduler process has ticked recently.")
    beat_seen_at = serializers.DateTimeField(allow_null=True)
    worker_alive = serializers.BooleanField(help_text="A worker has run scheduled work recently.")
    worker_seen_at = serializers.DateTimeField(allow_null=True)


def status_of(row: WatchlistSettings) -> dict:
    alive = liveness()
    return {
        "running": row.scheduler_enabled,
        "next_run": row.next_check_at if row.scheduler_enabled else None,
        "last_run": row.last_run_at,
        "settings": WatchlistSettingsSerializer(row).data,
        **alive,
    }


@extend_schema(tags=["scheduler"])
class SchedulerStatusView(APIView):
    @extend_schema(responses=SchedulerStatusSerializer, summary="Your schedule, and whether beat and a worker run")
    def get(self, request):
        return Response(SchedulerStatusSerializer(status_of(WatchlistSettings.for_user(request.user))).data)


@extend_schema(tags=["scheduler"])
class SchedulerStartView(APIView):
    @extend_schema(request=None, responses=SchedulerStatusSerializer, summary="Turn your schedule on")
    def post(self, request):
        with transaction.atomic():
            row = schedule.start(WatchlistSettings.for_user(request.user))
        return Response(SchedulerStatusSerializer(status_of(row)).data)


@extend_schema(tags=["scheduler"])
class SchedulerStopView(APIView):
    @extend_schema(request=None, responses=SchedulerStatusSerializer, summary="Turn your schedule off")
    def post(self, request):
        with transaction.atomic():
            row = schedule.stop(WatchlistSettings.for_user(request.user))
        return Response(SchedulerStatusSerializer(status_of(row)).data)
