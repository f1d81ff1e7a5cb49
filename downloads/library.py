"""Put a finished file at its place in the library, all at once.

Media servers (Jellyfin, Plex) scan the library while downloads land in it,
so a file must appear complete or not at all: it is written under a hidden
temporary name in the destination folder, then given its name in one step
(a hard link, which also refuses a name that exists; a rename on file
systems without links).

Nothing already in the library is overwritten: a name was free when the job
was queued, but a file may have appeared there since (or at the name the
torrent's real extension gives). The same bytes are our own earlier
attempt's and are kept; other bytes keep their name and ours take the next
numbered one, " (2)", as a queued job's name does (`place`).

How the bytes get there depends on who still needs the source:

- `keep_source=True` (a torrent still seeds it, or other users' copies are
  made from it): a hard link when source and destination share a file
  system, so the library costs no extra space and the seeded file is never
  moved from under the engine; a copy otherwise (across file systems, or on
  a file system without hard links such as some network shares).
- `keep_source=False`: the same hard link, then the source is removed (the
  source stays whole until the file is in place); a rename where links
  cannot be made, a copy across file systems.

Either way the destination is a regular file the owner can delete or rename
without breaking the torrent: with a hard link the engine keeps its own name
for the same inode.
"""

from __future__ import annotations

import errno
import glob
import hashlib
import logging
import os
import secrets
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from . import files

log = logging.getLogger(__name__)

# A hard link cannot be made here: another file system (EXDEV), a file system
# without hard links (EPERM on FAT/exFAT, some SMB/FUSE mounts; ENOTSUP,
# EOPNOTSUPP), or the inode's link count is at its limit (EMLINK).
_NO_LINK_ERRNOS = {errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EACCES}

_COPY_CHUNK = 1024 * 1024
# A placement writes its temporary file without pause (a link is instant, a
# copy writes every second), so one untouched for this long was left by a
# worker killed while placing.
STALE_PLACING_SECONDS = 15 * 60


class Placement(str, Enum):
    LINKED = "linked"
    COPIED = "copied"
    MOVED = "moved"


def temporary_name(destination: Path) -> Path:
    """A hidden name next to the destination: same folder, so the final
    rename is atomic; a leading dot, so scanners skip it meanwhile."""
    return destination.with_name(f".{destination.name[:200]}.{secrets.token_hex(4)}.placing")


def remove_stale_temporaries(destination: Path) -> int:
    """Remove what killed placements of `destination` left behind (hidden
    `.placing` files nothing has written to for STALE_PLACING_SECONDS);
    how many. Only this name's temporaries: its own job's earlier attempts."""
    prefix = f".{destination.name[:200]}."
    cutoff = time.time() - STALE_PLACING_SECONDS
    removed = 0
    for leftover in destination.parent.glob(f"{glob.escape(prefix)}*.placing"):
        try:
            if leftover.lstat().st_mtime < cutoff:
                leftover.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    if removed:
        log.info("Removed %s temporary file(s) a killed placement left next to %s", removed, destination.name)
    return removed


@dataclass(frozen=True)
class Placed:
    """Where the file ended up (the planned name or a numbered variant of
    it) and how its bytes got there."""

    path: Path
    how: Placement


def place(
    source: Path,
    destination: Path,
    *,
    keep_source: bool = True,
    sha256: str = "",
    taken: Callable[[Path], bool] | None = None,
) -> Placed:
    """Make `destination`, or the first free numbered variant of it
    ("... (2).mkv", the names a queued job gets), hold the content of
    `source`.

    A file already at a name is never overwritten. The same bytes there
    (equal SHA-256: our own earlier attempt placed the file, then died
    before recording it) are ours: that file is kept, no second copy is
    made. Other bytes are someone else's: the next variant is tried.
    `taken(path)` names spoken for elsewhere (another job's planned file)
    are skipped unseen, as are names with a `.part` being written.
    `sha256`: the source's when the caller knows it (only needed when a
    name is occupied). On any error nothing is left at the temporary name
    and the source is as it was.
    """
    source, destination = Path(source), Path(destination)
    if not source.is_file():
        raise FileNotFoundError(f"Finished file {source} is missing")
    destination.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(destination)
    staged, how = _stage(source, destination, keep_source)
    try:
        final = _settle(staged, destination, _Digest(staged, sha256), taken)
    except BaseException:
        if not source.exists() and staged.exists():
            os.replace(staged, source)  # staged by a rename: give the source back
        staged.unlink(missing_ok=True)
        raise
    staged.unlink(missing_ok=True)
    if not keep_source:
        source.unlink(missing_ok=True)  # a move staged by a link or a copy: the source goes now
    return Placed(final, how)


def _stage(source: Path, destination: Path, keep_source: bool) -> tuple[Path, Placement]:
    """The bytes under a hidden name in the destination folder, ready to
    appear at their final name in one step."""
    temp = temporary_name(destination)
    if _link(source, temp):
        # Even for a move: the source stays whole until the file is in
        # place, so a crash in between leaves it for the next attempt.
        return temp, Placement.LINKED if keep_source else Placement.MOVED
    if not keep_source and _rename(source, temp):
        return temp, Placement.MOVED
    try:
        _copy(source, temp)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp, Placement.COPIED if keep_source else Placement.MOVED


def _settle(staged: Path, destination: Path, digest: _Digest, taken: Callable[[Path], bool] | None) -> Path:
    for n in range(1, files.MAX_NAME_VARIANTS + 1):
        candidate = files.numbered(destination, n)
        if n > 1 and (files.part_path(candidate).exists() or (taken is not None and taken(candidate))):
            continue
        if _claim(staged, candidate):
            sync_folder(candidate.parent)
            if n > 1:
                log.warning("%s holds other bytes: the finished file is placed as %s", destination, candidate.name)
            return candidate
        if _holds_the_same(candidate, staged, digest):
            log.info("%s already holds these bytes (an earlier attempt placed them): kept", candidate)
            return candidate
    raise FileExistsError(f"No free name for {destination}: its {files.MAX_NAME_VARIANTS} variants hold other files")


def _claim(staged: Path, name: Path) -> bool:
    """Give the staged bytes `name` unless something is there already.
    A hard link fails on an existing name, so nothing is ever replaced."""
    try:
        os.link(staged, name)
        return True
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno not in _NO_LINK_ERRNOS:
            raise
    # No hard links on this file system: look, then rename (a file created
    # in between is the one race left, and only there).
    if os.path.lexists(name):
        return False
    os.replace(staged, name)
    return True


def _holds_the_same(name: Path, staged: Path, digest: _Digest) -> bool:
    if name.is_symlink() or not name.is_file():
        return False  # a link or a folder is never ours to fold into
    if same_file(name, staged):
        return True
    if name.stat().st_size != staged.stat().st_size:
        return False
    return file_sha256(name) == digest.value()


class _Digest:
    """The staged bytes' SHA-256: the caller's, or computed once on demand."""

    def __init__(self, path: Path, known: str) -> None:
        self._path, self._value = path, known.lower()

    def value(self) -> str:
        if not self._value:
            self._value = file_sha256(self._path)
        return self._value


def _rename(source: Path, destination: Path) -> bool:
    try:
        os.replace(source, destination)
    except OSError as exc:
        if exc.errno == errno.EXDEV:
            return False
        raise
    sync_folder(destination.parent)
    return True


def _link(source: Path, target: Path) -> bool:
    try:
        os.link(source, target)
    except OSError as exc:
        if exc.errno in _NO_LINK_ERRNOS:
            return False
        raise
    return True


def _copy(source: Path, target: Path) -> None:
    # Exclusive create: a stray file at this random name is never written into.
    with source.open("rb") as src, target.open("xb") as dst:
        shutil.copyfileobj(src, dst, _COPY_CHUNK)
        dst.flush()
        # The rename must not reach the disk before the bytes do (a power cut
        # would leave a complete-looking file full of zeros).
        os.fsync(dst.fileno())
    shutil.copystat(source, target)


def sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable: it is only on disk once the
    folder's entry is."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # some platforms cannot open folders; the rename still happened
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def same_file(a: Path, b: Path) -> bool:
    """Both names are the same inode (a hard link)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(_COPY_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()
