"""A job's finished file into the library: the one placement every backend
uses (HTTP, yt-dlp, the torrent engine's singles and batch files, torrent
clients' imports, and a shared download's copies).

`library.place` never overwrites a file; this adds what only the database
knows: a numbered variant another job will write to (its `destination`, or
an episode file of its batch) is not free either, so two jobs never end up
recording the same file.
"""

from __future__ import annotations

import contextlib
import uuid
from functools import partial
from pathlib import Path

from django.db import connection

from . import library


def place_for_job(
    job_id: str, source: Path, destination: Path, *, keep_source: bool, sha256: str = ""
) -> library.Placed:
    """Place `source` at `destination` or its first free variant; the
    result's `path` is where it is, for the job's record."""
    return library.place(
        source, destination, keep_source=keep_source, sha256=sha256, taken=partial(owned_by_another_job, job_id)
    )


def owned_by_another_job(job_id: str, path: Path) -> bool:
    """Another job's planned or finished file is at `path`. Only asked when
    the planned name is occupied, so a placement normally costs no query."""
    from .models import DownloadJob

    others = DownloadJob.objects.all()
    # A request made outside any job (backend tests) has no id: every job is another's.
    with contextlib.suppress(ValueError):
        others = others.exclude(pk=uuid.UUID(str(job_id)))
    if others.filter(destination=str(path)).exists():
        return True
    # Batch episode files live in JSON; PostgreSQL finds them in SQL
    # (SQLite has no JSON containment, and its single-user setups rarely batch).
    if connection.vendor == "postgresql":
        return others.filter(files__contains=[{"destination": str(path)}]).exists()
    return False
