from django.db import transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from ..items import DuplicateItem, add_item, set_status, stats_for, update_item
from ..models import ItemStatus, WatchlistItem, WatchlistSettings
from ..new_items import check_new_item
from .filters import WatchlistItemFilter
from .item_rows import item_rows, listed_values
from .serializers import (
    DuplicateItemSerializer,
    WatchlistItemSerializer,
    WatchlistSettingsSerializer,
    WatchlistStatsSerializer,
)


def _conflict(exc: DuplicateItem) -> Response:
    return Response(
        {"detail": "This series is already on your watchlist.", "id": str(exc.existing.pk)},
        status=status.HTTP_409_CONFLICT,
    )


@extend_schema(tags=["watchlist"])
class WatchlistItemViewSet(
    mixins.ListModelMixin,  # its schema; list() below reads the page as rows
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = WatchlistItemSerializer
    filterset_class = WatchlistItemFilter

    queryset = WatchlistItem.objects.none()  # for schema generation only

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return WatchlistItem.objects.none()
        # Scoping by owner here makes another user's item a plain 404.
        items = WatchlistItem.objects.filter(owner=self.request.user)
        if self.action == "list":
            return items  # list() reads the columns it shows (item_rows.py)
        return items.select_related("source", "series")

    def list(self, request):
        # A page is read as light rows, not model instances (item_rows.py);
        # the serializers represent them as they would the instances.
        page = self.paginate_queryset(listed_values(self.filter_queryset(self.get_queryset())))
        serializer = self.get_serializer(item_rows(page), many=True)
        return self.get_paginated_response(serializer.data)

    @extend_schema(responses={201: WatchlistItemSerializer, 409: DuplicateItemSerializer})
    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            item = add_item(request.user, serializer.validated_data)
        except DuplicateItem as exc:
            return _conflict(exc)
        check_new_item(item)  # queued: a worker checks it right after
        return Response(self.get_serializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Update the given fields of an item",
        responses={200: WatchlistItemSerializer, 409: DuplicateItemSerializer},
    )
    def update(self, request, pk=None):
        item = self.get_object()
        # PUT changes only the fields sent, as the original API did.
        serializer = self.get_serializer(item, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        try:
            item = update_item(item, serializer.validated_data)
        except DuplicateItem as exc:
            return _conflict(exc)
        return Response(self.get_serializer(item).data)

    @extend_schema(request=None, responses=WatchlistItemSerializer, summary="Pause tracking")
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        return Response(self.get_serializer(set_status(self.get_object(), ItemStatus.PAUSED)).data)

    @extend_schema(request=None, responses=WatchlistItemSerializer, summary="Resume tracking")
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return Response(self.get_serializer(set_status(self.get_object(), ItemStatus.ACTIVE)).data)


@extend_schema(tags=["watchlist"])
class WatchlistSettingsView(APIView):
    @extend_schema(responses=WatchlistSettingsSerializer, summary="The user's settings")
    def get(self, request):
        return Response(WatchlistSettingsSerializer(WatchlistSettings.for_user(request.user)).data)

    @extend_schema(
        request=WatchlistSettingsSerializer,
        responses={200: WatchlistSettingsSerializer, 400: OpenApiResponse(description="A field is out of range")},
        summary="Update the given settings",
    )
    def put(self, request):
        with transaction.atomic():
            row = WatchlistSettings.for_user(request.user)
            serializer = WatchlistSettingsSerializer(row, data=request.data, partial=True)
            serializer.is_valid(raise_exception=True)
            serializer.save()
        return Response(serializer.data)


@extend_schema(tags=["watchlist"])
class WatchlistStatsView(APIView):
    @extend_schema(responses=WatchlistStatsSerializer, summary="Counts of the user's items")
    def get(self, request):
        return Response(stats_for(request.user))
