"""Download jobs: the state of every download lives here, not in Celery.

A Celery message only carries a job id; the worker claims the row with a
conditional UPDATE and the row says what to fetch, where, and how far it got.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


# A job in one of these states holds (or is waiting for) a worker.
ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)
# Jobs a user may retry.
RETRYABLE_STATUSES = (JobStatus.FAILED, JobStatus.CANCELLED)


MAX_DESTINATION_BYTES = 2048
URL_MAX_LENGTH = 2000


class BackendName(models.TextChoices):
    HTTP = "http", "HTTP"
    YTDLP = "ytdlp", "yt-dlp"
    TORRENT = "torrent", "BitTorrent"
    # External torrent clients staff configured (downloads/clients/).
    QBITTORRENT = "qbittorrent", "qBittorrent"
    TRANSMISSION = "transmission", "Transmission"


# Backends that take magnet links and .torrent files: the embedded engine
# and the external clients.
TORRENT_BACKENDS = (BackendName.TORRENT, BackendName.QBITTORRENT, BackendName.TRANSMISSION)


class DownloadJob(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="download_jobs")
    url = models.URLField(max_length=URL_MAX_LENGTH)  # magnet: links too (torrent backend)
    backend = models.CharField(max_length=16, choices=BackendName.choices, default=BackendName.HTTP)
    # Absolute final path, inside DOWNLOAD_DIR. Unique: one file, one job, so two
    # episodes that sanitize to the same name can never overwrite each other.
    # At most MAX_DESTINATION_BYTES, which keeps it under PostgreSQL's btree
    # entry limit (~2700 bytes) for the unique index.
    destination = models.CharField(max_length=MAX_DESTINATION_BYTES)
    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)

    bytes_done = models.BigIntegerField(default=0)
    bytes_total = models.BigIntegerField(null=True, blank=True)
    speed = models.BigIntegerField(default=0, help_text="Bytes per second over the last few seconds.")
    # Torrents only: the swarm as the engine last saw it (None for other backends).
    peers = models.PositiveIntegerField(null=True, blank=True, help_text="Peers connected (torrents).")
    seeds = models.PositiveIntegerField(null=True, blank=True, help_text="Of those, peers that have everything.")
    infohash = models.CharField(max_length=64, blank=True, default="", help_text="The torrent's infohash (hex).")
    # Which episodes a torrent of several files is downloaded for: only the
    # files holding them are fetched. Empty: the torrent's largest video.
    episodes = models.JSONField(default=list, blank=True)
    # A batch (several wanted episodes in one torrent): each episode's own
    # library file, [{"episode": 3, "destination": "/abs/path"}], planned
    # at queueing; "size" and "sha256" are added when the job completes.
    # `destination` stays the first episode's file. Empty: one file.
    files = models.JSONField(default=list, blank=True)

    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=5)
    error = models.TextField(blank=True, default="", help_text="Why the last attempt failed, in plain words.")

    checksum_sha256 = models.CharField(max_length=64, blank=True, default="")
    expected_sha256 = models.CharField(max_length=64, blank=True, default="")
    quality_preference = models.CharField(
        max_length=16, blank=True, default="auto", help_text="yt-dlp format hint: auto, 1080p, 720p, 480p."
    )

    # The caller's idempotency key (e.g. "item:<uuid>:ep:5"). NULLs do not
    # collide, so jobs without a key are unrestricted.
    dedupe_key = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001 - NULL = no key
    # The owner's concurrency cap as the caller knew it when queueing; the
    # downloads app does not read the caller's settings itself.
    max_concurrent = models.PositiveSmallIntegerField(default=2)
    metadata = models.JSONField(default=dict, blank=True, help_text="Opaque data for the caller.")
    # Backend-private resume state (validators, announced size, digest).
    backend_state = models.JSONField(default=dict, blank=True)

    # Set when a Celery message was sent for the job. A queued job with it set
    # is in the broker's hands and counts against the owner's cap; without
    # it the job waits for a free slot.
    dispatched_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Changes on every claim, so a worker whose job was reaped and taken over
    # by another worker notices at its next write and stops.
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(null=True, blank=True, db_index=True)

    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Set by "clear history": the job leaves the owner's history lists; its
    # file, its episode and the feed of downloaded episodes keep it.
    cleared_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["dedupe_key"], name="download_unique_dedupe_key"),
            models.UniqueConstraint(fields=["destination"], name="download_unique_destination"),
            models.CheckConstraint(condition=Q(status__in=JobStatus.values), name="download_status_valid"),
            models.CheckConstraint(condition=Q(backend__in=BackendName.values), name="download_backend_valid"),
            models.CheckConstraint(condition=Q(bytes_done__gte=0), name="download_bytes_done_non_negative"),
            models.CheckConstraint(
                condition=Q(bytes_total__isnull=True) | Q(bytes_total__gte=0), name="download_bytes_total_non_negative"
            ),
            models.CheckConstraint(condition=Q(max_concurrent__gte=1), name="download_max_concurrent_positive"),
            models.CheckConstraint(condition=Q(max_attempts__gte=1), name="download_max_attempts_positive"),
        ]
        indexes = [
            # The dispatcher's question: "what does this owner have queued or running?"
            models.Index(fields=["owner", "status", "created_at"], name="download_owner_status"),
            models.Index(fields=["status", "dispatched_at"], name="download_status_dispatched"),
        ]

    def __str__(self) -> str:
        return f"{self.get_backend_display()} {self.url} -> {self.destination} [{self.status}]"

    def file_of(self, episode: int | None) -> str:
        """The file holding ``episode``: its own in a batch, else the job's
        one file (``destination``)."""
        for entry in self.files or ():
            if isinstance(entry, dict) and entry.get("episode") == episode and entry.get("destination"):
                return str(entry["destination"])
        return self.destination

    @property
    def progress(self) -> float | None:
        """Percent done, 0-100, or None while the size is unknown."""
        if self.status == JobStatus.COMPLETED:
            return 100.0
        if not self.bytes_total:
            return None
        return round(min(100.0, 100.0 * self.bytes_done / self.bytes_total), 1)

    @property
    def eta_seconds(self) -> int | None:
        """Seconds left at the current speed, None when it cannot be told."""
        if self.status != JobStatus.RUNNING or not self.bytes_total or self.speed <= 0:
            return None
        remaining = max(0, self.bytes_total - self.bytes_done)
        return int(-(-remaining // self.speed))  # ceiling division


from .clients.models import TorrentClient  # noqa: E402, F401 - a model of this app, in its own module
