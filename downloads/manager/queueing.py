"""Queueing a download: one job per file name, idempotent on its key."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction

from .. import files
from ..models import MAX_DESTINATION_BYTES, TORRENT_BACKENDS, URL_MAX_LENGTH, BackendName, DownloadJob
from . import dispatch
from .options import setting

log = logging.getLogger(__name__)

MAX_NAME_VARIANTS = files.MAX_NAME_VARIANTS


def enqueue(
    owner: Any,
    url: str,
    backend: str,
    destination: Path | str,
    *,
    dedupe_key: str | None = None,
    max_concurrent: int = 2,
    metadata: dict[str, Any] | None = None,
    expected_sha256: str | None = None,
    quality_preference: str = "auto",
    max_attempts: int | None = None,
    episodes: list[int] | None = None,
    episode_destinations: dict[int, Path | str] | None = None,
) -> tuple[DownloadJob, bool]:
    """Queue a download; return (job, created).

    Idempotent on `dedupe_key`: a second call with the same key returns the
    existing job, whatever its state, and queues nothing. When another job
    already owns `destination`, the new job gets a numbered variant
    ("... (2).mkv") so two episodes that sanitize to the same name never
    overwrite each other. Dispatch to Celery happens after commit.

    `episode_destinations`: a batch torrent's episodes, each to its own
    library file (`destination` is then the first episode's); checked
    inside the download root like `destination`.
    """
    if backend not in BackendName.values:
        raise ValueError(f"Unknown download backend {backend!r}")
    if max_concurrent < 1:
        raise ValueError("max_concurrent must be at least 1")
    schemes = schemes_of(backend)
    if urlsplit(url).scheme.lower() not in schemes:
        # The address guard refuses the rest at download time anyway; a
        # caller's bug is better caught here than as a failed job.
        named = f"{', '.join(schemes[:-1])} and {schemes[-1]}"
        raise ValueError(f"The {backend} backend downloads {named} URLs only, not {url!r}")
    if len(url) > URL_MAX_LENGTH:
        raise ValueError(f"The link is too long ({len(url)} characters, at most {URL_MAX_LENGTH})")
    final = files.ensure_inside(files.download_root(), Path(destination))
    if len(str(final).encode()) > MAX_DESTINATION_BYTES - 16:  # room for " (nn)"
        raise ValueError(f"Destination path is too long ({len(str(final).encode())} bytes)")
    batch_files = _batch_files(episode_destinations, final)
    owner_id = getattr(owner, "pk", owner)

    with transaction.atomic():
        if dedupe_key is not None:
            existing = DownloadJob.objects.filter(dedupe_key=dedupe_key).first()
            if existing is not None:
                return _same_owner(existing, owner_id), False
        for candidate in name_variants(final):
            try:
                # A savepoint per try: a unique violation must not poison the
                # caller's transaction.
                with transaction.atomic():
                    job = DownloadJob.objects.create(
                        owner_id=owner_id,
                        url=url,
                        backend=backend,
                        destination=str(candidate),
                        dedupe_key=dedupe_key,
                        max_concurrent=max_concurrent,
                        metadata=metadata or {},
                        expected_sha256=(expected_sha256 or "").lower(),
                        quality_preference=quality_preference or "auto",
                        max_attempts=max_attempts or int(setting("DOWNLOAD_MAX_ATTEMPTS")),
                        episodes=sorted({int(n) for n in episodes or ()}),
                        files=_with_first(batch_files, final, candidate),
                    )
            except IntegrityError:
                if dedupe_key is not None:
                    # A concurrent enqueue with the same key committed first.
                    existing = DownloadJob.objects.filter(dedupe_key=dedupe_key).first()
                    if existing is not None:
                        return _same_owner(existing, owner_id), False
                if not DownloadJob.objects.filter(destination=str(candidate)).exists():
                    raise
                continue  # someone took this name a moment ago: try the next number
            break
        else:  # pragma: no cover - the last variant is tried without the file check
            raise ValueError(f"No free file name for {final}")
        transaction.on_commit(partial(dispatch.dispatch_waiting, owner_id))
    return job, True


def _batch_files(destinations: dict[int, Path | str] | None, final: Path) -> list[dict[str, Any]]:
    """A batch's episode files, each at a free name by the rule of a single
    download's (`name_variants`): a stray file already at an episode's path
    is kept, and the episode's file gets " (2)". The entry at `final` is
    the job's own destination, named with the job (`_with_first`)."""
    root = files.download_root()
    chosen: list[dict[str, Any]] = []
    for number, path in sorted((destinations or {}).items()):
        planned = files.ensure_inside(root, Path(path))
        if planned != final:
            used = {entry["destination"] for entry in chosen}
            free = (name for name in name_variants(planned) if str(name) not in used)
            planned = next(free, files.numbered(planned, MAX_NAME_VARIANTS))
        chosen.append({"episode": int(number), "destination": str(planned)})
    return chosen


def _with_first(batch_files: list[dict[str, Any]], final: Path, named: Path) -> list[dict[str, Any]]:
    return [
        {**entry, "destination": str(named)} if entry["destination"] == str(final) else entry for entry in batch_files
    ]


def name_variants(final: Path) -> Iterator[Path]:
    """The names a download planned at `final` may get, in order: `final`,
    then " (2)", " (3)"...; names another job owns or where a file is
    already (`_path_taken`) are skipped, so nothing is overwritten. The last
    variant is given without the check: the unique constraint decides."""
    for n in range(1, MAX_NAME_VARIANTS + 1):
        candidate = files.numbered(final, n)
        if n < MAX_NAME_VARIANTS and _path_taken(candidate):
            continue
        yield candidate


def schemes_of(backend: str) -> tuple[str, ...]:
    """The link schemes a backend downloads: magnets only go to torrents."""
    return ("http", "https", "magnet") if backend in TORRENT_BACKENDS else ("http", "https")


def _same_owner(job: DownloadJob, owner_id: Any) -> DownloadJob:
    # Keys are unique across the table, so callers put something owner-specific
    # in them (the item's id); handing one owner another owner's job would be a
    # leak, so a clash is the caller's bug, said loudly.
    if job.owner_id != owner_id:
        raise ValueError(f"dedupe_key {job.dedupe_key!r} belongs to another owner's download")
    return job


def _path_taken(path: Path) -> bool:
    """Another job owns the name, or a file (a part) not made by a job is there."""
    if DownloadJob.objects.filter(destination=str(path)).exists():
        return True
    return path.exists() or files.part_path(path).exists()
