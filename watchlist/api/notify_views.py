"""API: notification targets, named tokens, feed URLs."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import tokens
from ..feedkeys import rotate_feed_key
from ..models import ApiToken, NotificationTarget
from ..notify.delivery import send_test
from ..notify.feeds import feed_urls
from .notify_serializers import (
    ApiTokenSerializer,
    FeedUrlsSerializer,
    NewApiTokenSerializer,
    NotificationTargetSerializer,
    TargetTestSerializer,
)


@extend_schema(tags=["notifications"])
class NotificationTargetViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = NotificationTargetSerializer
    queryset = NotificationTarget.objects.none()  # for schema generation only

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return NotificationTarget.objects.none()
        return NotificationTarget.objects.filter(owner=self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "owner": self.request.user}

    @extend_schema(summary="Add a notification target (an Apprise URL and the events it wants)")
    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        target = serializer.save()
        return Response(self.get_serializer(target).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Change the given fields of a target")
    def update(self, request, pk=None):
        target = self.get_object()
        serializer = self.get_serializer(target, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(serializer.data)

    @extend_schema(
        request=None,
        responses=TargetTestSerializer,
        summary="Send a test notification now; answers whether it arrived and the error if not",
    )
    @action(detail=True, methods=["post"])
    def test(self, request, pk=None):
        target = self.get_object()
        outcome = send_test(target)
        return Response({"ok": outcome.ok, "error": outcome.error, "target": NotificationTargetSerializer(target).data})


@extend_schema(tags=["tokens"])
class ApiTokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    serializer_class = ApiTokenSerializer
    queryset = ApiToken.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ApiToken.objects.none()
        return ApiToken.objects.filter(user=self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "user": self.request.user}

    @extend_schema(
        request=ApiTokenSerializer,
        responses={201: NewApiTokenSerializer},
        summary="Create a named token with a scope (full, read, feeds); the token is in this answer only",
    )
    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row, plain = tokens.create_token(request.user, **serializer.validated_data)
        data = NewApiTokenSerializer(row, context=self.get_serializer_context()).data
        data["token"] = plain
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Revoke a named token: it stops working at once")
    def destroy(self, request, pk=None):
        return super().destroy(request, pk=pk)


@extend_schema(tags=["feeds"])
class FeedUrlsView(APIView):
    # Readable with a token of the "feeds" scope (watchlist/api/auth.py).
    feeds_scope = True

    @extend_schema(responses=FeedUrlsSerializer, summary="Your secret feed URLs (downloaded episodes)")
    def get(self, request):
        return Response(feed_urls(request.user, request))


@extend_schema(tags=["feeds"])
class FeedRotateView(APIView):
    @extend_schema(
        request=None,
        responses=FeedUrlsSerializer,
        summary="A new secret for your feed URLs; the old URLs stop working at once",
    )
    def post(self, request):
        rotate_feed_key(request.user)
        return Response(feed_urls(request.user, request))
