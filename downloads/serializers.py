from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from . import files
from .models import DownloadJob
from .net.secrets import mask_url_secrets
from .torrent.seeding import seeding_of


class MaskedUrlField(serializers.CharField):
    """A stored download link as shown to people: keys and passwords masked."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("help_text", "The link, with any key or password in it replaced by REDACTED.")
        super().__init__(**kwargs)

    def to_representation(self, value: str) -> str:
        return mask_url_secrets(super().to_representation(value))


class SeedingSerializer(serializers.Serializer):
    active = serializers.BooleanField(help_text="Whether the torrent still seeds (uploads to other peers).")
    uploaded_bytes = serializers.IntegerField(help_text="Bytes uploaded to other peers so far.")
    ratio = serializers.FloatField(help_text="Uploaded bytes over the size of the downloaded files.")


class BatchFileSerializer(serializers.Serializer):
    episode = serializers.IntegerField()
    destination = serializers.CharField(help_text="Inside your own download folder.")
    size = serializers.IntegerField(allow_null=True, help_text="Bytes, once the job completed.")
    sha256 = serializers.CharField(help_text="Once the job completed; empty before.")


class DownloadJobSerializer(serializers.ModelSerializer):
    url = MaskedUrlField()
    destination = serializers.SerializerMethodField(
        help_text="Where the file goes, inside your own download folder (e.g. `Frieren/Frieren - S01E05.mkv`)."
    )
    progress = serializers.SerializerMethodField(help_text="Percent done (0-100); null while the size is unknown.")
    eta_seconds = serializers.SerializerMethodField(help_text="Seconds left at the current speed; null when unknown.")
    speed = serializers.IntegerField(read_only=True, help_text="Bytes per second.")
    error = serializers.CharField(read_only=True, help_text="Why the last attempt failed, in plain words.")
    seeding = serializers.SerializerMethodField(
        help_text="A completed torrent's seeding after its download (per the seeding policy); null for other jobs."
    )
    episodes = serializers.ListField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text="Torrents: the episodes whose files are fetched (several for a batch); empty: the largest video.",
    )
    files = serializers.SerializerMethodField(
        help_text="A batch: each episode's file inside your download folder (with its size and SHA-256 once "
        "done); empty for a job of one file, whose file is `destination`."
    )

    class Meta:
        model = DownloadJob
        fields = [
            "id",
            "url",
            "backend",
            "status",
            "destination",
            "bytes_done",
            "bytes_total",
            "speed",
            "progress",
            "eta_seconds",
            "peers",
            "seeds",
            "infohash",
            "episodes",
            "files",
            "attempts",
            "max_attempts",
            "error",
            "quality_preference",
            "checksum_sha256",
            "dedupe_key",
            "metadata",
            "next_attempt_at",
            "created_at",
            "started_at",
            "finished_at",
            "updated_at",
            "seeding",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_destination(self, job: DownloadJob) -> str:
        # Not the absolute server path: where DOWNLOAD_DIR is, and the other
        # users' folders next to it, are none of the client's business.
        return files.path_in_user_folder(job.destination)

    @extend_schema_field(BatchFileSerializer(many=True))
    def get_files(self, job: DownloadJob) -> list[dict]:
        return [
            {
                "episode": entry.get("episode"),
                "destination": files.path_in_user_folder(entry.get("destination", "")),
                "size": entry.get("size"),
                "sha256": entry.get("sha256", ""),
            }
            for entry in job.files or ()
            if isinstance(entry, dict)
        ]

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_progress(self, job: DownloadJob) -> float | None:
        return job.progress

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_eta_seconds(self, job: DownloadJob) -> int | None:
        return job.eta_seconds

    @extend_schema_field(SeedingSerializer(allow_null=True))
    def get_seeding(self, job: DownloadJob) -> dict | None:
        state = seeding_of(job)
        return state.as_dict() if state is not None else None


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()
