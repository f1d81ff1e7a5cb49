"""GET /api/system/status for staff: is the machinery running?"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from downloads.models import DownloadJob, JobStatus
from watchlist_project.broker import queue_lengths

from ..liveness import liveness
from ..models import WatchlistSettings


class SystemStatusSerializer(serializers.Serializer):
    beat_alive = serializers.BooleanField()
    beat_seen_at = serializers.DateTimeField(allow_null=True)
    worker_alive = serializers.BooleanField()
    worker_seen_at = serializers.DateTimeField(allow_null=True)
    queues = serializers.DictField(
        child=serializers.IntegerField(allow_null=True),
        help_text="Messages waiting per queue (null: broker unreachable).",
    )
    downloads_running = serializers.IntegerField()
    downloads_queued = serializers.IntegerField()
    users_due = serializers.IntegerField(help_text="Users whose scheduled check is due now.")
    oldest_due_at = serializers.DateTimeField(allow_null=True, help_text="The longest-waiting due user's due time.")


@extend_schema(tags=["system"])
class SystemStatusView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(responses={200: SystemStatusSerializer}, summary="Beat and worker liveness, queues, jobs (staff)")
    def get(self, request):
        now = timezone.now()
        due = WatchlistSettings.objects.filter(scheduler_enabled=True, next_check_at__lte=now)
        body = {
            **liveness(),
            "queues": queue_lengths(),
            "downloads_running": DownloadJob.objects.filter(status=JobStatus.RUNNING).count(),
            "downloads_queued": DownloadJob.objects.filter(status=JobStatus.QUEUED).count(),
            "users_due": due.count(),
            "oldest_due_at": due.order_by("next_check_at").values_list("next_check_at", flat=True).first(),
        }
        return Response(SystemStatusSerializer(body).data)
