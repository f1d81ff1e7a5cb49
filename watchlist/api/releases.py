"""Release matching in the API: the user's release rules, an item's
overrides, what the item's last check decided about each release, and the
user's pick ("download this one instead")."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from downloads.serializers import MaskedUrlField

from ..models import ReleaseDecision, ReleaseRules, ResolutionMode, WatchlistItem
from ..releases.pick import PickRefused, parse_episode, pick
from ..releases.store import decisions_of, item_rules, save_rules, user_rules
from ..releases.text import HEIGHTS
from .fields import StrictFieldsMixin


def _words(help_text: str) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=100), max_length=50, required=False, help_text=help_text
    )


class ReleaseRulesSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    preferred_groups = _words("Release groups to take first.")
    blocked_groups = _words("Release groups never to take.")
    required_words = _words("Words every release name must contain.")
    forbidden_words = _words("Words no release name may contain.")
    resolution_mode = serializers.ChoiceField(
        choices=[("", "Inherit / default (prefer)"), *ResolutionMode.choices],
        required=False,
        allow_blank=True,
        help_text="prefer: the item's quality, else the nearest; exact: only it; minimum: it or better, the best "
        "first; best: the best available. Empty on an item: the user's.",
    )
    resolution = serializers.ChoiceField(
        choices=sorted(HEIGHTS),
        required=False,
        allow_null=True,
        help_text="Height to aim at when the item's quality is auto (null: the best).",
    )
    language = serializers.CharField(max_length=32, required=False, allow_blank=True)
    min_seeders = serializers.IntegerField(min_value=0, max_value=1_000_000, required=False, allow_null=True)
    max_episode_mb = serializers.IntegerField(min_value=1, max_value=10_000_000, required=False, allow_null=True)
    skip_remakes = serializers.BooleanField(required=False, allow_null=True)

    class Meta:
        model = ReleaseRules
        fields = [
            "preferred_groups",
            "blocked_groups",
            "required_words",
            "forbidden_words",
            "resolution_mode",
            "resolution",
            "language",
            "min_seeders",
            "max_episode_mb",
            "skip_remakes",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]

    def validate_language(self, value: str) -> str:
        return value.strip().lower()


class ReleaseDecisionSerializer(serializers.ModelSerializer):
    url = MaskedUrlField()

    class Meta:
        model = ReleaseDecision
        fields = [
            "id",
            "episode",
            "release_name",
            "url",
            "group",
            "resolution",
            "version",
            "language",
            "seeders",
            "size",
            "picked",
            "code",
            "reason",
            "checked_at",
        ]


class PickedSerializer(serializers.Serializer):
    episode = serializers.IntegerField(allow_null=True, help_text="The episode; null for a special.")
    episodes = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Every episode the queued job downloads: the episode, or for a batch each one it fills.",
    )
    job_id = serializers.UUIDField(allow_null=True)
    message = serializers.CharField()


class PickRequestSerializer(serializers.Serializer):
    episode = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The episode you pick the release for. A batch then queues the episodes it holds that are not "
        "downloaded or being downloaded, this one included (else a 400 naming `episode`); without it, those "
        "from the last one downloaded. A single release must be this episode.",
    )


def _owned_item(request: Request, pk) -> WatchlistItem:
    return get_object_or_404(WatchlistItem.objects.select_related("source"), pk=pk, owner=request.user)


def _rules_response(row: ReleaseRules) -> Response:
    return Response(ReleaseRulesSerializer(row).data)


def _update(request: Request, row: ReleaseRules) -> Response:
    serializer = ReleaseRulesSerializer(row, data=request.data, partial=True)
    serializer.is_valid(raise_exception=True)
    return _rules_response(save_rules(row, serializer.validated_data))


@extend_schema(tags=["releases"])
class UserReleaseRulesView(APIView):
    @extend_schema(
        operation_id="release_rules_retrieve",
        responses=ReleaseRulesSerializer,
        summary="Your release rules (defaults on first use)",
    )
    def get(self, request: Request) -> Response:
        return _rules_response(user_rules(request.user))

    @extend_schema(
        request=ReleaseRulesSerializer,
        responses={200: ReleaseRulesSerializer, 400: OpenApiResponse(description="A field is invalid")},
        summary="Change the given release rules",
        operation_id="release_rules_update",
    )
    def put(self, request: Request) -> Response:
        return _update(request, user_rules(request.user))


@extend_schema(tags=["releases"])
class ItemReleaseRulesView(APIView):
    @extend_schema(
        responses=ReleaseRulesSerializer,
        summary="An item's own release rules",
        operation_id="item_release_rules_retrieve",
        description="Empty values inherit your rules; lists add to yours.",
    )
    def get(self, request: Request, pk) -> Response:
        return _rules_response(item_rules(_owned_item(request, pk)))

    @extend_schema(
        request=ReleaseRulesSerializer,
        responses={200: ReleaseRulesSerializer, 400: OpenApiResponse(description="A field is invalid")},
        summary="Change an item's own release rules",
        operation_id="item_release_rules_update",
    )
    def put(self, request: Request, pk) -> Response:
        return _update(request, item_rules(_owned_item(request, pk)))


@extend_schema(tags=["releases"])
class ItemReleasesView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("episode", int, required=False, description="Only this episode's releases.")],
        responses={200: ReleaseDecisionSerializer(many=True), 400: OpenApiResponse(description="Bad episode")},
        summary="Every release the item's last check saw, and what it did with each",
        description="`picked` marks the release taken for its episode; `reason` says in plain words why each "
        "other one was not (`code` is the same for programs).",
    )
    def get(self, request: Request, pk) -> Response:
        item = _owned_item(request, pk)
        episode = request.query_params.get("episode")
        if episode is not None and not episode.isdecimal():
            return Response({"episode": ["A whole number is required."]}, status=status.HTTP_400_BAD_REQUEST)
        rows = decisions_of(item, int(episode) if episode is not None else None)
        return Response(ReleaseDecisionSerializer(rows, many=True).data)


@extend_schema(tags=["releases"])
class ReleasePickView(APIView):
    @extend_schema(
        request=PickRequestSerializer,
        responses={
            200: PickedSerializer,
            400: OpenApiResponse(
                description="The release is not one of the item's episodes, or is gone (`detail`); or a bad "
                "`episode` (the field names the error)"
            ),
            404: OpenApiResponse(description="No such item or release decision"),
            409: OpenApiResponse(description="The episode is being downloaded, or already has this release"),
        },
        summary="Download this release instead",
        description="Makes the release the episode's own and queues its download; a downloaded episode's file "
        "is replaced once the new download is verified. The episode keeps your pick (only a v2 of it replaces it). "
        "A batch release (episodes 1-12 in one torrent) is one job for every episode it holds that is not "
        "downloaded or being downloaded, each episode to its own file, as when a check picks a batch.",
    )
    def post(self, request: Request, pk, decision_id: int) -> Response:
        item = _owned_item(request, pk)
        decision = get_object_or_404(ReleaseDecision.objects.select_related("release"), pk=decision_id, item=item)
        try:
            body = request.data if isinstance(request.data, dict) else {}
            result = pick(item, decision, parse_episode(body.get("episode")))
        except PickRefused as exc:
            if exc.field:
                return Response({exc.field: [str(exc)]}, status=status.HTTP_400_BAD_REQUEST)
            code = status.HTTP_409_CONFLICT if exc.conflict else status.HTTP_400_BAD_REQUEST
            return Response({"detail": str(exc)}, status=code)
        return Response(
            {
                "episode": result.episode,
                "episodes": list(result.episodes),
                "job_id": result.job.pk if result.job else None,
                "message": result.message,
            }
        )
