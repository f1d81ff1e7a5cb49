"""How much room the download disk has: the downloads page, the stats and
the System page show it."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from .files import download_root


@dataclass(frozen=True)
class DiskSpace:
    path: str
    total: int
    used: int
    free: int

    @property
    def free_percent(self) -> int:
        return int(100 * self.free / self.total) if self.total else 0


def disk_space(path: Path | None = None) -> DiskSpace | None:
    """The filesystem holding ``path`` (default DOWNLOAD_DIR, or its nearest
    existing parent before the first download made it); None if unknown."""
    target = Path(path or download_root())
    probe = target
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        usage = shutil.disk_usage(probe)
    except OSError:
        return None
    return DiskSpace(str(target), usage.total, usage.used, usage.free)


def folder_size(path: Path) -> int:
    """Bytes of the files under ``path`` (0 when it does not exist);
    symlinks are not followed (nothing outside counts)."""
    total = 0
    for root, _dirs, names in os.walk(path):
        for name in names:
            try:
                stat = os.lstat(os.path.join(root, name))
            except OSError:
                continue
            if not os.path.islink(os.path.join(root, name)):
                total += stat.st_size
    return total
