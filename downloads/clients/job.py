"""One attempt of a download sent to a torrent client.

1. Resolve the job's URL to an infohash (a .torrent is fetched through the
   guarded client; a magnet is read) and remember it in the job's state.
2. Ask the client for that infohash; add the torrent only when the client
   does not have it. The infohash is the key: a retry, a worker killed after
   the add or a message delivered twice finds the torrent instead of adding
   it again.
3. Follow its progress into the job until the client has every byte.
4. Import the wanted file into the library under the job's name (a hard link
   when the client's folder is on the library's file system, else a copy:
   never a move, the client keeps seeding its own file), after mapping the
   client's path to this server's.
5. Remove the torrent from the client, or leave it seeding, per the client's
   setting.

Job state (`progress.state`): client_id, infohash, name; `ours` once we
asked the client to add it (only then may we remove it); `seen` once the
client listed it (so its later absence means someone removed it there).
"""

from __future__ import annotations

import errno
import logging
import time
from pathlib import Path, PurePosixPath
from typing import Any, NoReturn

from django.utils.translation import gettext as _

from .. import library
from ..backends.base import DownloadRequest, DownloadResult, ProgressSink
from ..conf import torrent_setting
from ..errors import PermanentError, TransientError
from ..placing import place_for_job
from ..torrent import selection
from ..torrent.download import final_path
from . import paths, source
from .base import ClientAdapter, ClientFile, ClientProblem, ClientRefusedLogin, ClientUnreachable, TorrentStatus
from .cipher import Undecryptable
from .defaults import setting
from .models import TorrentClient

log = logging.getLogger(__name__)

_ADAPTERS = {
    "qbittorrent": "downloads.clients.qbittorrent:QbittorrentAdapter",
    "transmission": "downloads.clients.transmission:TransmissionAdapter",
}


def open_adapter(client: TorrentClient) -> ClientAdapter:
    """A logged-in adapter; raises ClientProblem (or cipher.Undecryptable)."""
    from importlib import import_module

    module_name, _sep, class_name = _ADAPTERS[client.kind].partition(":")
    adapter_class = getattr(import_module(module_name), class_name)
    return adapter_class(
        client.url, client.username, client.password(), timeout=float(setting("TORRENT_CLIENT_TIMEOUT_SECONDS"))
    )


def problem_words(client: TorrentClient, problem: ClientProblem) -> str:
    """What the job's error says: which client, what went wrong, what next."""
    who = _("%(kind)s “%(name)s”") % {"kind": client.get_kind_display(), "name": client.name}
    if isinstance(problem, ClientRefusedLogin):
        return _("%(who)s: %(reason)s. Staff can correct the user name and password on the Torrent clients page.") % {
            "who": who,
            "reason": problem.reason,
        }
    if isinstance(problem, ClientUnreachable):
        return _("%(who)s at %(url)s cannot be reached: %(reason)s. Will try again.") % {
            "who": who,
            "url": client.url,
            "reason": problem.reason,
        }
    return _("%(who)s: %(reason)s. Will try again.") % {"who": who, "reason": problem.reason}


def as_download_error(client: TorrentClient, problem: ClientProblem) -> PermanentError | TransientError:
    error = PermanentError if problem.permanent else TransientError
    return error(problem_words(client, problem))


class ClientBackend:
    """The download flow; `name` is the client kind it runs on."""

    name = ""

    def download(self, request: DownloadRequest, progress: ProgressSink) -> DownloadResult:
        state: dict[str, Any] = dict(progress.state)
        client = self._client(state)
        try:
            adapter = open_adapter(client)
            return self._run(client, adapter, request, progress, state)
        except ClientProblem as problem:
            raise as_download_error(client, problem) from None
        except Undecryptable as exc:
            raise PermanentError(f"{client.name}: {exc}.") from None

    def _client(self, state: dict[str, Any]) -> TorrentClient:
        # The client the torrent was sent to stays the job's client (another
        # one enabled meanwhile does not have it); a new job takes the
        # enabled client of this kind.
        if state.get("client_id"):
            client = TorrentClient.objects.filter(pk=state["client_id"]).first()
            if client is None:
                raise PermanentError(_("The torrent client this download was sent to was deleted."))
            return client
        client = TorrentClient.objects.filter(kind=self.name, enabled=True).first()
        if client is None:
            raise PermanentError(
                _("No %(kind)s client is enabled; staff can add or enable one on the Torrent clients page.")
                % {"kind": self.name}
            )
        return client

    def _run(
        self,
        client: TorrentClient,
        adapter: ClientAdapter,
        request: DownloadRequest,
        progress: ProgressSink,
        state: dict[str, Any],
    ) -> DownloadResult:
        found: source.TorrentSource | None = None
        if not state.get("infohash"):
            found = source.resolve(request.url)
            state.update(client_id=client.pk, infohash=found.infohash, name=found.name)
            progress.save_state(state)
        infohash = state["infohash"]

        status = adapter.find(infohash)
        if status is None:
            if state.get("seen"):
                self._gone(client, progress, state)
            state["ours"] = True  # saved before the add: a worker killed right after it still owns it
            progress.save_state(state)
            found = found or source.resolve(request.url)  # a .torrent is fetched once per attempt
            # A batch from a .torrent (its files are known now) is added paused,
            # so the other episodes' files are skipped before any byte comes.
            pick_first = bool(request.episodes) and len(found.files) > 1
            adapter.add(found, category=client.category, save_path=client.save_path, paused=pick_first)
            if pick_first:
                self._choose(adapter, infohash, request, progress, state)
                adapter.start(infohash)
        elif status.error:
            # A retry after an error: the cause may be gone (space freed);
            # the client verifies what it has before going on.
            self._recover(client, adapter, status)
        status = self._follow(client, adapter, infohash, request, progress, state)
        return self._import(client, adapter, status, request, state)

    def _gone(self, client: TorrentClient, progress: ProgressSink, state: dict[str, Any]) -> NoReturn:
        # Forget that we saw it: the user's retry then adds it again (once).
        state["seen"] = False
        progress.save_state(state)
        raise PermanentError(
            _("The torrent was removed in %(kind)s “%(name)s” before it finished; retry to add it again.")
            % {"kind": client.get_kind_display(), "name": client.name}
        )

    def _recover(self, client: TorrentClient, adapter: ClientAdapter, status: TorrentStatus) -> None:
        adapter.restart(status.infohash)
        deadline = time.monotonic() + float(setting("TORRENT_CLIENT_RECOVER_SECONDS"))
        while time.monotonic() < deadline:
            time.sleep(min(1.0, float(setting("TORRENT_CLIENT_POLL_SECONDS"))))
            again = adapter.find(status.infohash)
            if again is None or not again.error:
                return
        raise self._error_in_client(client, status)

    def _error_in_client(self, client: TorrentClient, status: TorrentStatus) -> PermanentError:
        return PermanentError(
            _(
                "%(kind)s “%(name)s” stopped this torrent with an error: %(error)s. "
                "Free space or fix its folder, then retry."
            )
            % {"kind": client.get_kind_display(), "name": client.name, "error": status.error}
        )

    def _choose(
        self,
        adapter: ClientAdapter,
        infohash: str,
        request: DownloadRequest,
        progress: ProgressSink,
        state: dict[str, Any],
    ) -> None:
        """Pick the file to import; in a batch we added, tell the client to
        skip the other episodes' files, as the embedded engine does."""
        files = adapter.files(infohash)
        if not files:
            return
        chosen = wanted_files(files, request.episodes)
        state["chosen"] = [f.index for f in chosen]
        progress.save_state(state)
        others = [f.index for f in files if f.index not in state["chosen"]]
        if request.episodes and others and state.get("ours"):
            adapter.skip_files(infohash, others)

    def _follow(
        self,
        client: TorrentClient,
        adapter: ClientAdapter,
        infohash: str,
        request: DownloadRequest,
        progress: ProgressSink,
        state: dict[str, Any],
    ) -> TorrentStatus:
        poll = float(setting("TORRENT_CLIENT_POLL_SECONDS"))
        # The embedded engine's stall rule: no new byte for this long ends
        # the attempt (the torrent stays in the client, which keeps trying;
        # the next attempt finds it).
        stall_seconds = float(torrent_setting("TORRENT_STALL_MINUTES")) * 60
        last_done, last_change = -1, time.monotonic()
        while True:
            status = adapter.find(infohash)
            if status is None:
                self._gone(client, progress, state)
            if not state.get("seen"):
                state["seen"] = True
                progress.save_state(state)
            if status.error:
                raise self._error_in_client(client, status)
            if "chosen" not in state and status.total > 0:  # the client knows the torrent's files now
                self._choose(adapter, infohash, request, progress, state)
            report_swarm(progress, status)
            progress(status.done, status.total or None)
            if status.complete:
                progress.flush()
                return status
            if status.done != last_done:
                last_done, last_change = status.done, time.monotonic()
            elif time.monotonic() - last_change > stall_seconds:
                raise TransientError(
                    _(
                        "No progress in %(kind)s “%(name)s” for %(minutes)s min (%(peers)s peers); "
                        "will look again later."
                    )
                    % {
                        "kind": client.get_kind_display(),
                        "name": client.name,
                        "minutes": max(1, round(stall_seconds / 60)),
                        "peers": status.peers,
                    }
                )
            time.sleep(poll)

    def _import(
        self,
        client: TorrentClient,
        adapter: ClientAdapter,
        status: TorrentStatus,
        request: DownloadRequest,
        state: dict[str, Any],
    ) -> DownloadResult:
        files = adapter.files(status.infohash)
        by_index = {f.index: f for f in files}
        chosen = [by_index[i] for i in state.get("chosen", []) if i in by_index]
        wanted = chosen[0] if chosen else wanted_files(files, request.episodes)[0]
        remote = str(PurePosixPath(status.save_path) / wanted.path)
        local = Path(paths.to_local(remote, client.path_mappings))
        if not local.is_file():
            raise PermanentError(
                _(
                    "The finished file is not at %(local)s on this server (the client saved it as %(remote)s). "
                    "Staff can add a remote path mapping to the client."
                )
                % {"local": local, "remote": remote}
            )
        # Checked before placing: a mismatch leaves nothing in the library.
        sha256 = library.file_sha256(local)
        if request.expected_sha256 and sha256 != request.expected_sha256:
            raise PermanentError(_("The file's SHA-256 does not match the expected one."))
        try:
            final = place_for_job(
                request.job_id, local, final_path(request.destination, wanted), keep_source=True, sha256=sha256
            ).path
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise PermanentError(_("The library's disk is full; free space, then retry.")) from None
            raise TransientError(
                _("The finished file could not be put in the library: %(reason)s.") % {"reason": exc.strerror or exc}
            ) from None
        if client.remove_after_import and self._last_of_ours(request, state):
            self._remove(client, adapter, status.infohash)
        return DownloadResult(path=final, size=final.stat().st_size, sha256=sha256)

    def _last_of_ours(self, request: DownloadRequest, state: dict[str, Any]) -> bool:
        """May the torrent leave the client? Only one this service added, and
        only when no other job (another user's episode in the same torrent)
        still needs it: the last one to finish removes it."""
        from django.db.models import Q

        from ..models import ACTIVE_STATUSES, DownloadJob

        # A queued job does not know its infohash yet; the same link tells it.
        same = DownloadJob.objects.filter(
            Q(infohash=state["infohash"]) | Q(url=request.url), backend=self.name
        ).exclude(pk=request.job_id)
        if same.filter(status__in=ACTIVE_STATUSES).exists():
            return False
        return bool(state.get("ours")) or same.filter(backend_state__ours=True).exists()

    def _remove(self, client: TorrentClient, adapter: ClientAdapter, infohash: str) -> None:
        # The file is in the library already: a client that fails to remove
        # the torrent leaves it seeding, which is no reason to fail the job.
        try:
            adapter.remove(infohash, delete_files=True)
        except ClientProblem as problem:
            log.warning("Could not remove torrent %s from %s: %s", infohash, client, problem.reason)

    def discard(self, request: DownloadRequest) -> None:
        """A cancelled job: remove the torrent we added (with its partial data)."""
        from ..models import DownloadJob

        state = DownloadJob.objects.filter(pk=request.job_id).values_list("backend_state", flat=True).first() or {}
        if not state.get("infohash") or not self._last_of_ours(request, state):
            return
        client = TorrentClient.objects.filter(pk=state.get("client_id")).first()
        if client is None:
            return
        try:
            open_adapter(client).remove(state["infohash"], delete_files=True)
        except (ClientProblem, Undecryptable) as problem:
            log.warning("Could not remove cancelled torrent %s from %s: %s", state["infohash"], client, problem)


def wanted_files(files: list[ClientFile], episodes: tuple[int, ...] = ()) -> list[ClientFile]:
    """The files to import, chosen as the embedded engine chooses (the
    largest video, or in a batch the ones holding the wanted episodes)."""
    if not files:
        raise PermanentError(_("The client lists no file for this torrent."))
    by_index = {f.index: f for f in files}
    listed = [selection.TorrentFile(f.index, f.path, f.size) for f in files]
    return [by_index[f.index] for f in selection.choose(listed, episodes)]


def report_swarm(progress: ProgressSink, status: TorrentStatus) -> None:
    """Peers and seeds, for sinks that record them."""
    record = getattr(progress, "swarm", None)
    if callable(record):
        record(peers=status.peers, seeds=status.seeds)
