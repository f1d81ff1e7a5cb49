"""Resume data on disk: what a torrent had when the engine last saved it.

One file per job (`<job id>.resume`), written whole under a temporary name
and renamed, so a crash mid-write leaves the previous version, never half a
file. A second file (`<job id>.clean`) says the last save happened when the
attempt stopped on purpose: without it the worker died mid-download, the
resume data may be older than the pieces on disk, and the files are
rechecked instead of trusted.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import libtorrent as lt

from downloads.conf import resume_dir

log = logging.getLogger(__name__)


def path_for(job_id: str) -> Path:
    return resume_dir() / f"{job_id}.resume"


def clean_marker(resume_path: Path) -> Path:
    return resume_path.with_suffix(".clean")


def write(path: Path, params: lt.add_torrent_params) -> None:
    data = lt.write_resume_data_buf(params)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with temp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(temp, path)


def read(path: Path) -> lt.add_torrent_params | None:
    """The saved params, or None when there are none or they are damaged
    (then the download starts from the link again; files on disk are still
    found by the check)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        return lt.read_resume_data(data)
    except RuntimeError:
        log.warning("Resume data %s is damaged; starting from the link", path)
        return None


def mark_clean(path: Path) -> None:
    clean_marker(path).touch()


def was_clean(path: Path) -> bool:
    return clean_marker(path).exists()


def forget(path: Path) -> None:
    path.unlink(missing_ok=True)
    clean_marker(path).unlink(missing_ok=True)
