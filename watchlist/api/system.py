"""GET /api/system/status for staff: is the machinery running?"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from ..system_status import system_status


class WorkerStatusSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The worker's Celery hostname.")
    seen_at = serializers.DateTimeField()
    alive = serializers.BooleanField(help_text="Its heartbeat is recent (it stamps one every 20 s).")
    queues = serializers.ListField(child=serializers.CharField())
    concurrency = serializers.IntegerField(allow_null=True)


class DiskSerializer(serializers.Serializer):
    path = serializers.CharField()
    total = serializers.IntegerField()
    used = serializers.IntegerField()
    free = serializers.IntegerField()


class ErrorSerializer(serializers.Serializer):
    at = serializers.DateTimeField(allow_null=True)
    kind = serializers.ChoiceField(choices=["check", "download", "notification"])
    user = serializers.CharField()
    what = serializers.CharField()
    error = serializers.CharField()


class SystemStatusSerializer(serializers.Serializer):
    beat_alive = serializers.BooleanField()
    beat_seen_at = serializers.DateTimeField(allow_null=True)
    worker_alive = serializers.BooleanField()
    worker_seen_at = serializers.DateTimeField(allow_null=True)
    workers = WorkerStatusSerializer(many=True, help_text="Every worker seen in the last day.")
    queues = serializers.DictField(
        child=serializers.IntegerField(allow_null=True),
        help_text="Messages waiting per queue (null: broker unreachable).",
    )
    checks_running = serializers.IntegerField()
    checks_waiting = serializers.IntegerField()
    downloads_running = serializers.IntegerField()
    downloads_queued = serializers.IntegerField()
    users_due = serializers.IntegerField(help_text="Users whose scheduled check is due now.")
    oldest_due_at = serializers.DateTimeField(allow_null=True, help_text="The longest-waiting due user's due time.")
    disk = DiskSerializer(allow_null=True, help_text="The download disk (DOWNLOAD_DIR).")
    versions = serializers.DictField(child=serializers.CharField(allow_blank=True))
    errors = ErrorSerializer(many=True, help_text="The latest failed checks, downloads and notifications.")


@extend_schema(tags=["system"])
class SystemStatusView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(responses={200: SystemStatusSerializer}, summary="Beat and worker liveness, queues, jobs (staff)")
    def get(self, request):
        return Response(SystemStatusSerializer(system_status()).data)
