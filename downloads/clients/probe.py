"""“Test”: log in to a configured client and ask its version, now; and say
whether the client's save path is a folder this server can read (the
import needs it: a missing remote path mapping shows here, not only when the
first download finishes)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from . import paths
from .base import ClientProblem
from .cipher import Undecryptable
from .job import open_adapter, problem_words
from .models import TorrentClient


@dataclass(frozen=True)
class ProbeOutcome:
    ok: bool
    version: str = ""
    error: str = ""
    folder: str = ""  # where the save path is on this server, and whether it is there


def folder_words(client: TorrentClient) -> str:
    if not client.save_path:
        return ""
    local = paths.to_local(client.save_path, client.path_mappings)
    if Path(local).is_dir():
        return _("Its save path is %(local)s on this server.") % {"local": local}
    return _(
        "Its save path %(remote)s is not a folder on this server (looked at %(local)s): "
        "add a remote path mapping, or the import will fail."
    ) % {"remote": client.save_path, "local": local}


def probe_client(client: TorrentClient) -> ProbeOutcome:
    try:
        return ProbeOutcome(ok=True, version=open_adapter(client).version(), folder=folder_words(client))
    except ClientProblem as problem:
        return ProbeOutcome(ok=False, error=problem_words(client, problem))
    except Undecryptable as exc:
        return ProbeOutcome(ok=False, error=str(exc))
