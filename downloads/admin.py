from __future__ import annotations

from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from . import manager
from .models import DownloadJob


@admin.register(DownloadJob)
class DownloadJobAdmin(admin.ModelAdmin):
    list_display = [
        "short_id",
        "owner",
        "status",
        "progress_display",
        "backend",
        "attempts",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status", "backend", "created_at"]
    search_fields = ["id", "url", "destination", "dedupe_key", "owner__username", "error"]
    list_select_related = ["owner"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    actions = ["cancel_jobs", "retry_jobs"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = [
        "id",
        "status",
        "bytes_done",
        "bytes_total",
        "speed",
        "attempts",
        "error",
        "checksum_sha256",
        "dispatched_at",
        "next_attempt_at",
        "claim_token",
        "heartbeat_at",
        "started_at",
        "finished_at",
        "created_at",
        "updated_at",
        "backend_state",
        "infohash",
        "episodes",
        "files",
    ]
    fieldsets = [
        (None, {"fields": ["id", "owner", "url", "backend", "destination", "status", "error"]}),
        ("Progress", {"fields": ["bytes_done", "bytes_total", "speed", "attempts", "max_attempts"]}),
        ("Options", {"fields": ["quality_preference", "expected_sha256", "checksum_sha256", "max_concurrent"]}),
        ("Caller", {"fields": ["dedupe_key", "metadata"]}),
        # A batch torrent: the episodes it fetches and each one's file.
        ("Torrent", {"classes": ["collapse"], "fields": ["infohash", "episodes", "files"]}),
        (
            "Worker",
            {
                "classes": ["collapse"],
                "fields": [
                    "dispatched_at",
                    "next_attempt_at",
                    "claim_token",
                    "heartbeat_at",
                    "backend_state",
                    "started_at",
                    "finished_at",
                    "created_at",
                    "updated_at",
                ],
            },
        ),
    ]

    @admin.display(description="id")
    def short_id(self, job: DownloadJob) -> str:
        return str(job.pk)[:8]

    @admin.display(description="progress")
    def progress_display(self, job: DownloadJob) -> str:
        return "?" if job.progress is None else f"{job.progress:.0f}%"

    @admin.action(description="Cancel selected downloads")
    def cancel_jobs(self, request: HttpRequest, queryset: QuerySet[DownloadJob]) -> None:
        done = sum(manager.cancel(job) for job in queryset)
        self.message_user(request, f"Cancelled {done} of {queryset.count()} downloads.", messages.SUCCESS)

    @admin.action(description="Retry selected downloads")
    def retry_jobs(self, request: HttpRequest, queryset: QuerySet[DownloadJob]) -> None:
        done = sum(manager.retry(job) for job in queryset)
        self.message_user(request, f"Queued {done} of {queryset.count()} downloads again.", messages.SUCCESS)


from .clients import admin as _clients_admin  # noqa: E402, F401 - registers the torrent clients' admin
