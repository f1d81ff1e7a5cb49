"""“Test”: log in to a configured client and ask its version, now."""

from __future__ import annotations

from dataclasses import dataclass

from .base import ClientProblem
from .cipher import Undecryptable
from .job import open_adapter, problem_words
from .models import TorrentClient


@dataclass(frozen=True)
class ProbeOutcome:
    ok: bool
    version: str = ""
    error: str = ""


def probe_client(client: TorrentClient) -> ProbeOutcome:
    try:
        return ProbeOutcome(ok=True, version=open_adapter(client).version())
    except ClientProblem as problem:
        return ProbeOutcome(ok=False, error=problem_words(client, problem))
    except Undecryptable as exc:
        return ProbeOutcome(ok=False, error=str(exc))
