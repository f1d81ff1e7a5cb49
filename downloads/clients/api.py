"""API: the torrent clients, for staff only (403 for others). The password
is write-only (`has_password` says whether one is stored); validation is
the dashboard's form (forms.py), so the rules live in one place."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from . import paths
from .forms import TorrentClientForm
from .models import ClientKind, TorrentClient
from .probe import probe_client

STAFF_ONLY = OpenApiResponse(description="Staff only: others get 403")
_FORM_FIELDS = ("name", "kind", "url", "username", "category", "save_path", "remove_after_import", "enabled")


class TorrentClientSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=ClientKind.choices)
    url = serializers.CharField(max_length=500, help_text="The Web UI (qBittorrent) or RPC (Transmission) address.")
    username = serializers.CharField(max_length=150, required=False, allow_blank=True)
    password = serializers.CharField(
        max_length=500, write_only=True, required=False, allow_blank=True, trim_whitespace=False,
        help_text="Stored encrypted, never answered back. Left out or empty on a change: the stored one is kept.",
    )  # fmt: skip
    has_password = serializers.BooleanField(read_only=True)
    category = serializers.CharField(max_length=100, required=False, allow_blank=True)
    save_path = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    path_mappings = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(max_length=1000), min_length=2, max_length=2),
        required=False,
        max_length=50,
        help_text='Pairs [client path, path on this server], e.g. [["/downloads", "/srv/torrents"]].',
    )
    remove_after_import = serializers.BooleanField(required=False)
    enabled = serializers.BooleanField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        instance: TorrentClient | None = self.instance
        current = {name: getattr(instance, name) for name in _FORM_FIELDS} if instance else {"enabled": True}
        merged = {**current, **attrs}
        data: dict[str, Any] = {name: merged.get(name, "") for name in _FORM_FIELDS}
        for flag in ("remove_after_import", "enabled"):
            data[flag] = "on" if merged.get(flag) else ""
        pairs = merged.get("path_mappings", instance.path_mappings if instance else [])
        data["path_mappings_text"] = paths.as_text(pairs)
        data["password"] = attrs.get("password", "")
        form = TorrentClientForm(data, instance=instance)
        if not form.is_valid():
            errors = {("path_mappings" if k == "path_mappings_text" else k): v for k, v in form.errors.items()}
            raise serializers.ValidationError(errors)
        self._form = form
        return attrs

    def create(self, validated_data: dict[str, Any]) -> TorrentClient:
        return self._form.save()

    def update(self, instance: TorrentClient, validated_data: dict[str, Any]) -> TorrentClient:
        return self._form.save()


class ProbeSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    version = serializers.CharField()
    error = serializers.CharField()
    folder = serializers.CharField(help_text="Whether the client's save path is a folder on this server.")


@extend_schema(tags=["torrent clients"])
class TorrentClientViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = TorrentClientSerializer
    permission_classes = [permissions.IsAdminUser]
    pagination_class = None
    queryset = TorrentClient.objects.order_by("name")

    @extend_schema(summary="Add a torrent client (staff)", responses={201: TorrentClientSerializer, 403: STAFF_ONLY})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().create(request, *args, **kwargs)

    @extend_schema(
        summary="Change the given fields of a torrent client (staff)",
        responses={200: TorrentClientSerializer, 403: STAFF_ONLY},
    )
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(serializer.data)

    @extend_schema(
        request=None,
        responses={200: ProbeSerializer, 403: STAFF_ONLY},
        summary="Log in to the client now and ask its version (staff)",
    )
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: Any = None) -> Response:
        outcome = probe_client(self.get_object())
        return Response(
            {"ok": outcome.ok, "version": outcome.version, "error": outcome.error, "folder": outcome.folder}
        )
