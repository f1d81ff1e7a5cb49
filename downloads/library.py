"""Put a finished file at its place in the library, all at once.

Media servers (Jellyfin, Plex) scan the library while downloads land in it,
so a file must appear complete or not at all: it is written under a hidden
temporary name in the destination folder, then renamed, and a rename inside
one folder is atomic.

How the bytes get there depends on who still needs the source:

- `keep_source=True` (a torrent still seeds it, or other users' copies are
  made from it): a hard link when source and destination share a file
  system, so the library costs no extra space and the seeded file is never
  moved from under the engine; a copy otherwise (across file systems, or on
  a file system without hard links such as some network shares).
- `keep_source=False`: a rename when possible, else a copy, then the source
  is removed.

Either way the destination is a regular file the owner can delete or rename
without breaking the torrent: with a hard link the engine keeps its own name
for the same inode.
"""

from __future__ import annotations

import errno
import hashlib
import os
import secrets
import shutil
from enum import Enum
from pathlib import Path

# A hard link cannot be made here: another file system (EXDEV), a file system
# without hard links (EPERM on FAT/exFAT, some SMB/FUSE mounts; ENOTSUP,
# EOPNOTSUPP), or the inode's link count is at its limit (EMLINK).
_NO_LINK_ERRNOS = {errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EACCES}

_COPY_CHUNK = 1024 * 1024


class Placement(str, Enum):
    LINKED = "linked"
    COPIED = "copied"
    MOVED = "moved"


def temporary_name(destination: Path) -> Path:
    """A hidden name next to the destination: same folder, so the final
    rename is atomic; a leading dot, so scanners skip it meanwhile."""
    return destination.with_name(f".{destination.name[:200]}.{secrets.token_hex(4)}.placing")


def place(source: Path, destination: Path, *, keep_source: bool = True) -> Placement:
    """Make `destination` hold the complete content of `source`.

    An existing file at `destination` is replaced (the caller owns that name).
    On any error nothing is left at the temporary name and the source is
    untouched.
    """
    source, destination = Path(source), Path(destination)
    if not source.is_file():
        raise FileNotFoundError(f"Finished file {source} is missing")
    destination.parent.mkdir(parents=True, exist_ok=True)
    if not keep_source and _rename(source, destination):
        return Placement.MOVED
    temp = temporary_name(destination)
    try:
        if _link(source, temp):
            how = Placement.LINKED
        else:
            _copy(source, temp)
            how = Placement.COPIED
        os.replace(temp, destination)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    sync_folder(destination.parent)
    if not keep_source:
        # Only reached after a copy across file systems: the rename failed.
        source.unlink(missing_ok=True)
        return Placement.MOVED
    return how


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
