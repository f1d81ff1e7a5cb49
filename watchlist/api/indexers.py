"""API: Torznab indexers. Every signed-in user lists them (without keys)
and searches them; only staff add, change, delete and test them (403 for
others). Also the searches a torznab item's last check made."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from ..indexers.models import Indexer
from ..indexers.search import QUERY_MAX_LENGTH, search_indexers
from ..indexers.status import item_searches, probe_indexer
from ..models import WatchlistItem
from .indexer_serializers import (
    IndexerSearchSerializer,
    IndexerSerializer,
    IndexerTestSerializer,
    ItemSearchStateSerializer,
)

STAFF_ONLY = OpenApiResponse(description="Staff only: others get 403")


class StaffWritesOnly(permissions.BasePermission):
    """Reading for every signed-in user, changing for staff."""

    message = "Only staff can add, change, delete or test indexers."

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in permissions.SAFE_METHODS or bool(request.user.is_staff)


@extend_schema(tags=["indexers"])
class IndexerViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = IndexerSerializer
    permission_classes = [StaffWritesOnly]
    pagination_class = None
    queryset = Indexer.objects.order_by("priority", "name")

    @extend_schema(summary="Add a Torznab indexer (staff)", responses={201: IndexerSerializer, 403: STAFF_ONLY})
    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        indexer = serializer.save()
        return Response(self.get_serializer(indexer).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change the given fields of an indexer (staff); api_key left out is kept",
        responses={200: IndexerSerializer, 403: STAFF_ONLY},
    )
    def update(self, request, pk=None):
        indexer = self.get_object()
        serializer = self.get_serializer(indexer, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(serializer.data)

    @extend_schema(
        request=None,
        responses={200: IndexerTestSerializer, 403: STAFF_ONLY},
        summary="Ask the indexer's caps now (staff): whether the URL and the key work, and why not",
    )
    @action(detail=True, methods=["post"])
    def test(self, request, pk=None):
        indexer = self.get_object()
        outcome = probe_indexer(indexer)
        return Response({"ok": outcome.ok, "error": outcome.error, "indexer": IndexerSerializer(indexer).data})

    @extend_schema(summary="Delete an indexer (staff)", responses={204: None, 403: STAFF_ONLY})
    def destroy(self, request, *args, **kwargs):
        return super().destroy(request, *args, **kwargs)


@extend_schema(tags=["indexers"])
class IndexerSearchView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("q", str, required=True, description="What to search, e.g. a title")],
        responses={200: IndexerSearchSerializer, 400: OpenApiResponse(description="q is missing or too long")},
        summary="Search the enabled indexers; results grouped by the series their names parse to",
    )
    def get(self, request):
        query = request.query_params.get("q", "").strip()
        if not query or "\x00" in query:
            raise ValidationError({"q": ["Give something to search for."]})
        if len(query) > QUERY_MAX_LENGTH:
            raise ValidationError({"q": [f"At most {QUERY_MAX_LENGTH} characters."]})
        outcome = search_indexers(query)
        results = [
            {
                "title": group.title,
                "season": group.season,
                "release_count": group.release_count,
                "summary": group.summary,
                "releases": [line.__dict__ for line in group.releases],
                "add": group.form_values,
            }
            for group in outcome.results
        ]
        return Response(
            IndexerSearchSerializer({"query": outcome.query, "results": results, "errors": outcome.errors}).data
        )


@extend_schema(tags=["indexers"])
class ItemIndexerSearchesView(APIView):
    @extend_schema(
        responses=ItemSearchStateSerializer(many=True),
        summary="A torznab item's searches at its last check: per indexer and title, results or the error",
    )
    def get(self, request, pk):
        item = get_object_or_404(WatchlistItem, pk=pk, owner=request.user)
        return Response(ItemSearchStateSerializer([s.as_json() for s in item_searches(item)], many=True).data)
