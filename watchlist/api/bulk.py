"""POST /api/watchlist/bulk: one action on several of your series, all or
nothing (watchlist/bulk.py)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import bulk
from ..models import Quality


class WatchlistBulkSerializer(serializers.Serializer):
    """The request's shape, for the schema; `bulk.validate` checks it and
    names each bad entry."""

    action = serializers.ChoiceField(choices=bulk.ACTIONS)
    ids = serializers.ListField(child=serializers.UUIDField(), min_length=1, max_length=bulk.MAX_IDS)
    quality_preference = serializers.ChoiceField(
        choices=Quality.choices, required=False, help_text="Required for `set_quality`."
    )
    auto_download = serializers.BooleanField(required=False, help_text="Required for `set_auto_download`.")


class BulkResultSerializer(serializers.Serializer):
    action = serializers.CharField()
    count = serializers.IntegerField(help_text="How many items the action changed.")
    ids = serializers.ListField(child=serializers.UUIDField())


def unknown_fields(data, known) -> dict:
    if not hasattr(data, "keys"):
        return {"non_field_errors": ["Send a JSON object."]}
    return {name: ["Unknown field."] for name in sorted(set(data.keys()) - set(known))}


class WatchlistBulkView(APIView):
    @extend_schema(
        tags=["watchlist"],
        request=WatchlistBulkSerializer,
        responses={
            200: BulkResultSerializer,
            400: OpenApiResponse(description="Nothing changed: each bad field or entry is named (`ids` by position)"),
        },
        summary="Pause, resume, delete, set the quality or auto-download of several items",
        description=(
            "All or nothing: every id must be one of your items, else nothing changes and the answer names each "
            'bad entry by its position (`{"ids": {"2": ["No item ... on your watchlist."]}}`).'
        ),
    )
    def post(self, request: Request) -> Response:
        data = request.data
        errors = unknown_fields(data, WatchlistBulkSerializer().fields)
        if errors:
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        try:
            done = bulk.apply(
                request.user,
                data.get("action"),
                data.get("ids"),
                quality_preference=data.get("quality_preference"),
                auto_download=data.get("auto_download"),
            )
        except bulk.BulkRefused as refused:
            return Response(refused.errors, status=status.HTTP_400_BAD_REQUEST)
        return Response({"action": done.action, "count": done.count, "ids": done.ids})
