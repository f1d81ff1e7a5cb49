"""POST /api/downloads/bulk: cancel, retry or clear several downloads, all
or nothing (downloads/bulk.py)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import bulk
from .broker import BROKER_DOWN_MESSAGE, broker_reachable
from .serializers import DetailSerializer


class DownloadsBulkSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=bulk.ACTIONS)
    ids = serializers.ListField(
        child=serializers.UUIDField(), required=False, max_length=bulk.MAX_IDS, help_text="These downloads..."
    )
    all = serializers.BooleanField(
        required=False,
        default=False,
        help_text="...or every one the action applies to: queued (cancel), failed (retry), finished (clear).",
    )


class DownloadsBulkResultSerializer(serializers.Serializer):
    action = serializers.CharField()
    count = serializers.IntegerField(help_text="How many downloads the action changed.")
    ids = serializers.ListField(child=serializers.UUIDField())


class DownloadsBulkView(APIView):
    @extend_schema(
        tags=["downloads"],
        request=DownloadsBulkSerializer,
        responses={
            200: DownloadsBulkResultSerializer,
            400: OpenApiResponse(description="Nothing changed: each bad field or entry is named (`ids` by position)"),
            503: OpenApiResponse(DetailSerializer, description="retry: the task queue cannot be reached"),
        },
        summary="Cancel, retry or clear several downloads",
        description=(
            "`cancel`: queued or running downloads; `retry`: failed or cancelled ones (a failed one resumes its "
            "partial file); `clear`: finished ones leave the history (files stay). With `ids`, all or nothing: "
            "each bad entry is named by its position. With `all: true`: every queued (cancel), failed (retry) "
            "or finished (clear) download of yours."
        ),
    )
    def post(self, request: Request) -> Response:
        data = request.data
        if not hasattr(data, "keys"):
            return Response({"non_field_errors": ["Send a JSON object."]}, status=status.HTTP_400_BAD_REQUEST)
        unknown = {name: ["Unknown field."] for name in sorted(set(data.keys()) - {"action", "ids", "all"})}
        take_all = data.get("all", False)
        if not isinstance(take_all, bool):
            unknown["all"] = ["Must be true or false."]
        if unknown:
            return Response(unknown, status=status.HTTP_400_BAD_REQUEST)
        if data.get("action") == "retry" and not broker_reachable():
            return Response(
                {"detail": BROKER_DOWN_MESSAGE},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
                headers={"Retry-After": "60"},
            )
        try:
            done = bulk.apply(request.user, data.get("action"), data.get("ids"), take_all=take_all)
        except bulk.BulkRefused as refused:
            return Response(refused.errors, status=status.HTTP_400_BAD_REQUEST)
        return Response({"action": done.action, "count": done.count, "ids": done.ids})
