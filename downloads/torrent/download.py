"""One attempt at one torrent job, from the link to files in the library.

1. The torrent: from saved resume data when a previous attempt left some
   (metadata, file priorities and which pieces were done), else from the
   link (`source.py`).
2. Added to the process's engine, saving into `<incomplete>/<job id>/`.
   After a crash (no clean mark on the resume data) the pieces on disk are
   rechecked, so nothing already there is fetched again.
3. A magnet waits for its metadata from peers (BEP 9), at most
   TORRENT_METADATA_TIMEOUT_SECONDS.
4. Only the wanted files get a priority (`selection.py`).
5. About once a second: progress, peers and seeds to the job (the sink's
   write doubles as the cancel check); resume data every
   TORRENT_RESUME_SAVE_SECONDS; no new byte for TORRENT_STALL_MINUTES fails
   the attempt.
6. Done: the disk cache is flushed and each file is placed at its library
   path (`downloads.placing`): hard-linked while the torrent seeds, moved
   otherwise; never over a file with other bytes (a numbered name then).
   Pieces were verified by the engine on the way; the SHA-256 recorded is
   the file's.
"""

from __future__ import annotations

import logging
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import libtorrent as lt
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from downloads import library, sharing
from downloads.conf import incomplete_dir, torrent_setting
from downloads.errors import Cancelled, PermanentError, TransientError
from downloads.placing import place_for_job
from downloads.share_keys import torrent_key

from ..backends.base import DownloadRequest, DownloadResult, PlacedFile, ProgressSink
from . import resume, selection, source
from .engine import Engine, Tracked, wants_seeding

log = logging.getLogger(__name__)

POLL_SECONDS = 0.5


def job_folder(job_id: str) -> Path:
    return incomplete_dir() / job_id


@dataclass
class Attempt:
    request: DownloadRequest
    progress: ProgressSink
    engine: Engine

    def run(self) -> DownloadResult:
        request = self.request
        folder = job_folder(request.job_id)
        resume_path = resume.path_for(request.job_id)
        params = resume.read(resume_path)
        crashed = params is not None and not resume.was_clean(resume_path)
        if params is None:
            params = source.add_params_for(request.url)
        resume.clean_marker(resume_path).unlink(missing_ok=True)
        infohash = source.infohash_of(params)
        self.progress.save_state({"infohash": infohash})
        shared_result = self._share(infohash)
        if shared_result is not None:
            return shared_result

        folder.mkdir(parents=True, exist_ok=True)
        params.save_path = str(folder)
        # Started at once and never queued behind others by libtorrent: the
        # Celery task is the queue, and the caps were applied before it ran.
        params.flags &= ~(lt.torrent_flags.paused | lt.torrent_flags.auto_managed)
        params.flags |= lt.torrent_flags.apply_ip_filter
        # (A magnet's files are all wanted until its metadata comes and the
        # priorities are set. Adding it with default_dont_download instead makes
        # the "finished" torrent drop its seeds, and a magnet's x.pe peer is
        # not found again: measured, the attempt stalled.)
        chosen: list[selection.TorrentFile] | None = None
        if params.ti is not None:
            chosen = selection.choose(selection.files_of(params.ti), request.episodes)
            params.file_priorities = selection.priorities(params.ti.num_files(), chosen)

        if crashed:
            # The resume data may predate pieces written since: forget what it
            # says the torrent has, and libtorrent checks the files on disk
            # before asking any peer (a recheck asked after adding raced with
            # the first requests made on the stale data).
            params.have_pieces = []
            params.verified_pieces = []
            params.unfinished_pieces = {}
        self.engine.refresh_ip_filter()
        tracked = self.engine.add(params, infohash, resume_path)
        try:
            if chosen is None:
                info = self._wait_for_metadata(tracked)
                chosen = selection.choose(selection.files_of(info), request.episodes)
                tracked.handle.prioritize_files(selection.priorities(info.num_files(), chosen))
            self._check_size(chosen)
            self._download(tracked)
            self.engine.save_resume(tracked, flush=True, timeout=30)
            return self._finish(tracked, folder, chosen)
        except (Cancelled, PermanentError):
            # Nothing will resume this attempt (a failed release is not tried
            # again unless the user asks, and then from scratch is fine).
            self.engine.remove(tracked, delete_files=True)
            discard(request)
            raise
        except BaseException:
            # Keep what was downloaded: the next attempt resumes from it.
            if tracked.handle.is_valid():
                if self.engine.save_resume(tracked, flush=True):
                    resume.mark_clean(resume_path)
                self.engine.remove(tracked, delete_files=False)
            raise

    def _share(self, infohash: str) -> DownloadResult | None:
        """Another user's job downloads this torrent already: follow it (see
        downloads/sharing.py). None when this job is to download it itself."""
        return sharing.share(
            self.request,
            self.progress,
            torrent_key(infohash),
            lambda destination, source: selection.library_path(destination, source.name),
        )

    # --- waiting ----------------------------------------------------------

    def _wait_for_metadata(self, tracked: Tracked) -> lt.torrent_info:
        timeout = float(torrent_setting("TORRENT_METADATA_TIMEOUT_SECONDS"))
        deadline = time.monotonic() + timeout
        while not tracked.metadata.wait(POLL_SECONDS):
            self._raise_engine_error(tracked)
            status = tracked.handle.status()
            self.progress.swarm(status.num_peers, status.num_seeds)
            self.progress(0, None)  # cancel check, liveness
            if time.monotonic() >= deadline:
                raise TransientError(
                    f"No peer sent the torrent's metadata within {int(timeout)} seconds (magnet link); "
                    f"{status.num_peers} peers were connected."
                )
        info = tracked.handle.torrent_file()
        if info is None:  # pragma: no cover - the alert comes with the metadata
            raise TransientError("The torrent's metadata arrived but cannot be read.")
        return info

    def _download(self, tracked: Tracked) -> None:
        stall = float(torrent_setting("TORRENT_STALL_MINUTES")) * 60
        save_every = float(torrent_setting("TORRENT_RESUME_SAVE_SECONDS"))
        last_done, last_change = -1, time.monotonic()
        last_save = time.monotonic()
        while True:
            self._raise_engine_error(tracked)
            status = tracked.handle.status()
            checking = status.state in (
                lt.torrent_status.states.checking_files,
                lt.torrent_status.states.checking_resume_data,
            )
            done, total = status.total_wanted_done, status.total_wanted
            self.progress.swarm(status.num_peers, status.num_seeds)
            self.progress(done, total or None)
            # total can be 0 for a moment while new file priorities apply.
            if status.is_finished and not checking and 0 < total <= done:
                return
            now = time.monotonic()
            if done != last_done or checking:
                last_done, last_change = done, now
            elif now - last_change >= stall:
                raise PermanentError(_stalled_message(stall, status.num_peers))
            if now - last_save >= save_every:
                last_save = now
                tracked.handle.save_resume_data(lt.save_resume_flags_t.save_info_dict)
            time.sleep(POLL_SECONDS)

    def _raise_engine_error(self, tracked: Tracked) -> None:
        if tracked.error:
            raise TransientError(f"The torrent engine reported an error: {tracked.error}")

    def _check_size(self, chosen: list[selection.TorrentFile]) -> None:
        if self.request.episode_destinations and len(chosen) != len(self.request.episodes):
            # One video for several episodes: not the batch its name said.
            raise PermanentError(
                f"The torrent has {len(chosen)} video file(s), not one for each of episodes "
                f"{', '.join(map(str, self.request.episodes))}."
            )
        limit = int(torrent_setting("DOWNLOAD_MAX_BYTES"))
        wanted = sum(f.size for f in chosen)
        if wanted > limit:
            raise PermanentError(f"The torrent's wanted files are {wanted} bytes, more than the {limit} allowed.")

    # --- finishing -------------------------------------------------------

    def _finish(self, tracked: Tracked, folder: Path, chosen: list[selection.TorrentFile]) -> DownloadResult:
        placing = self._placements(folder, chosen)
        first_source, _, _, first = placing[0]
        if self.request.expected_sha256:
            digest = library.file_sha256(first_source)
            if digest != self.request.expected_sha256.lower():
                raise PermanentError("The downloaded file does not match the expected SHA-256.")
        seed = wants_seeding()
        if not seed:
            self.engine.remove(tracked, delete_files=False)
        # Each at its planned name, or a numbered one when a file with other
        # bytes appeared there (placing.py): the job records where it is.
        finals = [
            place_for_job(self.request.job_id, source_path, final, keep_source=seed).path
            for source_path, final, _, _ in placing
        ]
        if seed:
            self.engine.start_seeding(tracked, sum(f.size for f in chosen), folder, self.request.job_id)
        else:
            shutil.rmtree(folder, ignore_errors=True)
            resume.forget(resume.path_for(self.request.job_id))
        placed = tuple(
            PlacedFile(episode, final, f.size, library.file_sha256(final))
            for (_, _, episode, f), final in zip(placing, finals, strict=True)
            if episode is not None
        )
        if len(placed) > 1:
            return DownloadResult(
                path=finals[0], size=sum(p.size for p in placed), sha256=placed[0].sha256, files=placed
            )
        return DownloadResult(path=finals[0], size=first.size, sha256=library.file_sha256(finals[0]))

    def _placements(
        self, folder: Path, chosen: list[selection.TorrentFile]
    ) -> list[tuple[Path, Path, int | None, selection.TorrentFile]]:
        """(file in the engine's folder, library file, episode, torrent file)
        of each file to place: the first one at the job's destination, and
        in a batch every wanted episode's at its own."""
        request = self.request
        episodes: list[int | None] = list(request.episodes) if len(request.episodes) == len(chosen) else []
        placing = []
        for n, wanted in enumerate(chosen):
            episode = episodes[n] if episodes else None
            planned = request.destination_of(episode) if episode is not None else None
            if planned is None and n > 0:
                continue  # not asked to place it (a job of one file)
            source_path = folder / wanted.path
            if not source_path.is_file() or source_path.stat().st_size != wanted.size:
                raise TransientError(
                    f"The finished file {wanted.name} is missing or incomplete on disk; will try again."
                )
            final = final_path(planned or request.destination, wanted)
            placing.append((source_path, final, episode if request.episode_destinations else None, wanted))
        return placing


def final_path(destination: Path, chosen: selection.TorrentFile) -> Path:
    return selection.library_path(destination, chosen.name)


def _stalled_message(seconds: float, peers: int) -> str:
    """What a stalled attempt says, in the worker's language. The stall
    time is a setting that may be under a minute (or 1): said with the
    language's plural forms, never "1 minutes"."""
    duration = stall_duration(seconds)
    if peers == 0:
        return _("Stalled: no peer for %(duration)s; the release seems to have no seeders.") % {"duration": duration}
    return ngettext(
        "Stalled: %(peers)d peer sent nothing for %(duration)s.",
        "Stalled: %(peers)d peers sent nothing for %(duration)s.",
        peers,
    ) % {"peers": peers, "duration": duration}


def stall_duration(seconds: float) -> str:
    """ "40 seconds", "1 minute", "10 minutes" (whole units, rounded down)."""
    if seconds < 60:
        count = max(1, int(seconds))
        return ngettext("%(count)d second", "%(count)d seconds", count) % {"count": count}
    count = int(seconds // 60)
    return ngettext("%(count)d minute", "%(count)d minutes", count) % {"count": count}


def discard(request: DownloadRequest) -> None:
    """A cancelled job's partial files and resume data (never the library file)."""
    shutil.rmtree(job_folder(request.job_id), ignore_errors=True)
    resume.forget(resume.path_for(request.job_id))
