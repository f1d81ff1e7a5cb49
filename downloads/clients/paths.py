"""Remote path mapping: the client may see its files under another path
than this server (a container mounting the same disk at /downloads while
the server has it at /srv/torrents). Staff write pairs, one per line,
``/downloads => /srv/torrents``; the longest remote prefix that matches a
whole path component wins."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SEPARATOR = "=>"


def parse(text: str) -> list[list[str]]:
    """The pairs written one per line; a ValidationError names the bad line."""
    pairs: list[list[str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        remote, sep, local = line.partition(SEPARATOR)
        remote, local = remote.strip(), local.strip()
        if not sep or not remote or not local:
            raise ValidationError(_("Line %(line)s: write “client path => path on this server”.") % {"line": number})
        if not remote.startswith("/") or not local.startswith("/"):
            raise ValidationError(_("Line %(line)s: both paths must be absolute.") % {"line": number})
        pairs.append([_clean(remote), _clean(local)])
    return pairs


def as_text(pairs: list[list[str]]) -> str:
    return "\n".join(f"{remote} {SEPARATOR} {local}" for remote, local in pairs or [])


def _clean(path: str) -> str:
    return str(PurePosixPath(path))


def to_local(remote_path: str, pairs: list[list[str]]) -> str:
    """The path on this server of a file the client names `remote_path`."""
    path = PurePosixPath(remote_path)
    best: tuple[int, str] | None = None
    for remote, local in pairs or []:
        prefix = PurePosixPath(remote)
        if path == prefix or prefix in path.parents:
            depth = len(prefix.parts)
            if best is None or depth > best[0]:
                best = (depth, str(PurePosixPath(local) / path.relative_to(prefix)))
    return best[1] if best is not None else remote_path
