"""The check endpoints: check one item now, queue checks of all due items."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..checkqueue import UNAVAILABLE_MESSAGE, QueueUnavailable, request_checks
from ..due import checkable_items, due_items
from ..manual_checks import CheckBusy, check_now
from ..models import WatchlistItem
from .check_serializers import CheckAllQuerySerializer, CheckAllSerializer, CheckResultSerializer


@extend_schema(tags=["watchlist"])
class ItemCheckView(APIView):
    @extend_schema(
        request=None,
        responses={
            200: CheckResultSerializer,
            404: OpenApiResponse(description="No such item on your watchlist"),
            429: OpenApiResponse(description="A check you started is still running"),
        },
        summary="Check the item's source for new episodes now",
        description=(
            "Runs the check in this request and answers with its outcome, whatever the item's status. A "
            "source that cannot be read is not an HTTP error: the answer is 200 with `error` set, as recorded "
            "in the item's check history. The source is asked again only when its last fetch is older than "
            "the refresh window and your own checks saw that fetch (`source_status` says `fresh` then). The "
            "source's fetch is bounded by HTTP_TOTAL_TIMEOUT_SECONDS; one check per user runs at a time."
        ),
    )
    def post(self, request: Request, pk) -> Response:
        # Scoped by owner: another user's item is a plain 404.
        item = get_object_or_404(WatchlistItem.objects.select_related("source"), pk=pk, owner=request.user)
        try:
            result = check_now(item)
        except CheckBusy as busy:
            return Response(
                {"detail": busy.message},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(busy.retry_after)},
            )
        return Response(CheckResultSerializer(result).data)


@extend_schema(tags=["watchlist"])
class CheckAllView(APIView):
    @extend_schema(
        request=None,
        parameters=[CheckAllQuerySerializer],
        responses={
            202: CheckAllSerializer,
            400: OpenApiResponse(description="`force` is not a boolean"),
            503: OpenApiResponse(description="The task queue cannot be reached; nothing was queued"),
        },
        summary="Queue a check of every due item",
        description=(
            "Queues one background check per item that is due (never checked, or checked longer ago than "
            "the check interval); with `force=true`, per active item whether due or not. Paused and archived "
            "items are never checked. An item whose check is already waiting or running is not queued again "
            "(`already_queued`). Checks run fairly: one user's many checks do not wait in front of another's."
        ),
    )
    def post(self, request: Request) -> Response:
        query = CheckAllQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        items = checkable_items(request.user) if query.validated_data["force"] else due_items(owner=request.user)
        try:
            outcome = request_checks(items.values_list("pk", flat=True))
        except QueueUnavailable:
            return Response(
                {"detail": UNAVAILABLE_MESSAGE},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
                headers={"Retry-After": "60"},
            )
        body = {"queued": outcome.queued, "count": len(outcome.queued), "already_queued": outcome.already}
        return Response(body, status=status.HTTP_202_ACCEPTED)
