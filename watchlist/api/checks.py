"""The check endpoints: check one item now, queue checks of all due items."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..checker import check_item
from ..due import checkable_items, due_items
from ..models import WatchlistItem
from ..tasks import enqueue_checks
from .check_serializers import CheckAllQuerySerializer, CheckAllSerializer, CheckResultSerializer


@extend_schema(tags=["watchlist"])
class ItemCheckView(APIView):
    @extend_schema(
        request=None,
        responses={
            200: CheckResultSerializer,
            404: OpenApiResponse(description="No such item on your watchlist"),
        },
        summary="Check the item's source for new episodes now",
        description=(
            "Runs the check in this request and answers with its outcome, whatever the item's status. A "
            "source that cannot be read is not an HTTP error: the answer is 200 with `error` set, as recorded "
            "in the item's check history. The source is asked again only when its last fetch is older than "
            "the refresh window (`source_status` says `fresh` otherwise)."
        ),
    )
    def post(self, request: Request, pk) -> Response:
        # Scoped by owner: another user's item is a plain 404.
        item = get_object_or_404(WatchlistItem.objects.select_related("source"), pk=pk, owner=request.user)
        return Response(CheckResultSerializer(check_item(item)).data)


@extend_schema(tags=["watchlist"])
class CheckAllView(APIView):
    @extend_schema(
        request=None,
        parameters=[CheckAllQuerySerializer],
        responses={
            202: CheckAllSerializer,
            400: OpenApiResponse(description="`force` is not a boolean"),
        },
        summary="Queue a check of every due item",
        description=(
            "Queues one background check per item that is due (never checked, or checked longer ago than "
            "the check interval); with `force=true`, per active item whether due or not. Paused and archived "
            "items are never checked."
        ),
    )
    def post(self, request: Request) -> Response:
        query = CheckAllQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        items = checkable_items(request.user) if query.validated_data["force"] else due_items(owner=request.user)
        queued = enqueue_checks(items.values_list("pk", flat=True))
        return Response({"queued": queued, "count": len(queued)}, status=status.HTTP_202_ACCEPTED)
