"""REST API for a user's downloads: list, read, cancel, retry.

Every query is scoped to the requesting user, so another user's job is a
plain 404, indistinguishable from one that does not exist.
"""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from . import manager
from .broker import BROKER_DOWN_MESSAGE, broker_reachable
from .bulk import not_cleared
from .models import BackendName, DownloadJob, JobStatus
from .refusals import cancel_refused, retry_refused
from .serializers import DetailSerializer, DownloadJobSerializer


class DownloadJobFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=JobStatus.choices, help_text="Only jobs in these states (repeat the parameter for several)."
    )
    backend = django_filters.ChoiceFilter(choices=BackendName.choices)

    class Meta:
        model = DownloadJob
        fields = ["status", "backend"]


CONFLICT = OpenApiResponse(DetailSerializer, description="The job is not in a state that allows this.")


@extend_schema_view(
    list=extend_schema(
        summary="List your downloads",
        tags=["downloads"],
        parameters=[
            OpenApiParameter(
                "include_cleared", bool, description="Also list downloads cleared from the history (default false)."
            )
        ],
    ),
    retrieve=extend_schema(summary="One of your downloads", tags=["downloads"]),
)
class DownloadJobViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DownloadJobSerializer
    filterset_class = DownloadJobFilter
    queryset = DownloadJob.objects.none()  # tells the schema generator the model

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return DownloadJob.objects.none()
        jobs = DownloadJob.objects.filter(owner=self.request.user).order_by("-created_at", "-id")
        if self.action == "list" and self.request.query_params.get("include_cleared") != "true":
            # Jobs cleared from the history (POST /api/downloads/bulk) are
            # listed on request only; each is still readable by id.
            jobs = jobs.filter(not_cleared())
        return jobs

    @extend_schema(
        summary="Cancel a queued or running download",
        tags=["downloads"],
        request=None,
        responses={200: DownloadJobSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        job = self.get_object()
        if not manager.cancel(job):
            return Response(
                {"detail": cancel_refused(job.status)},
                status=status.HTTP_409_CONFLICT,
            )
        job.refresh_from_db()
        return Response(self.get_serializer(job).data)

    @extend_schema(
        summary="Retry a failed or cancelled download",
        description="Queues the job again with a fresh attempt budget; a failed download resumes its partial file.",
        tags=["downloads"],
        request=None,
        responses={
            200: DownloadJobSerializer,
            409: CONFLICT,
            503: OpenApiResponse(DetailSerializer, description="The task queue cannot be reached; nothing changed."),
        },
    )
    @action(detail=True, methods=["post"])
    def retry(self, request: Request, pk: str | None = None) -> Response:
        job = self.get_object()
        if not broker_reachable():
            # Retrying now would only mark it queued with nothing sent.
            return Response(
                {"detail": BROKER_DOWN_MESSAGE},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
                headers={"Retry-After": "60"},
            )
        if not manager.retry(job):
            return Response(
                {"detail": retry_refused(job.status)},
                status=status.HTTP_409_CONFLICT,
            )
        job.refresh_from_db()
        return Response(self.get_serializer(job).data)
