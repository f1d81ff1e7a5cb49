"""The worker process's engine: one libtorrent session, its alerts, seeding.

One session per worker process, made on first use (after Celery forked the
pool child: a libtorrent session does not survive a fork), kept until the
process exits. A thread reads the session's alerts and routes the ones a
download waits for (metadata received, resume data saved, file errors) to
that download; the same thread enforces the seeding policy on finished
torrents, which stay in the session after their job completed, and writes
their seeding state (uploaded bytes, ratio) to their jobs (seeding.py).

Why a session per worker process rather than an engine process of its own:

- The Celery task stays what it is for HTTP: it holds the job's claim,
  heartbeat and cancel checks while the torrent downloads, so the per-user
  and global caps, the reaper and retries work unchanged. A separate engine
  would need its own protocol for each of those.
- A crash takes down only that worker's torrents, and they resume from
  resume data and a recheck of what is on disk when the job runs again.
- Seeding after completion costs no Celery slot: the job is completed, the
  torrent keeps seeding in the session's own threads.

What it costs: seeding lasts as long as the worker process (a restart ends
it; nothing is lost but upload), and with N processes N sessions listen on
N ports (TORRENT_LISTEN_INTERFACES and the next ones). Memory: a download
adds ~17 MiB to the worker's RSS whatever the torrent's size (a worker at
114 MiB peaked at 130-132 MiB for 256 MiB to 2 GiB from a loopback peer,
bench/README.md), so the engine needs no process of its own to stay under
150 MB; what keeps it flat is in session.py.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import libtorrent as lt
from django.db import close_old_connections, connection

from downloads.conf import torrent_setting
from downloads.errors import TransientError

from . import resume, seeding
from .ipfilter import build_ip_filter
from .session import open_session, session_settings

log = logging.getLogger(__name__)

POLICY_EVERY_SECONDS = 10.0
# How often seeding torrents' upload is looked at; the job is written only
# when it changed (or its stamp is due: seeding.STAMP_EVERY_SECONDS).
REPORT_EVERY_SECONDS = 1.0


@dataclass
class Tracked:
    """A torrent the engine holds for a download (and then for seeding)."""

    handle: lt.torrent_handle
    infohash: str
    resume_path: Path | None
    metadata: threading.Event = field(default_factory=threading.Event)
    resume_saved: threading.Event = field(default_factory=threading.Event)
    removed: threading.Event = field(default_factory=threading.Event)
    error: str = ""
    # Seeding, once the download is done.
    seeding_since: float | None = None
    wanted_bytes: int = 0
    folder: Path | None = None  # removed with the torrent when seeding ends
    job_id: str = ""  # the completed job whose row shows the seeding
    reported: tuple[bool, int] | None = None  # (active, uploaded) last written to it
    reported_at: float = 0.0


class Engine:
    def __init__(self, settings: dict | None = None) -> None:
        self.session = open_session(settings or session_settings())
        self.session.set_ip_filter(build_ip_filter())
        self._tracked: dict[str, Tracked] = {}
        self._leaving: dict[str, list[Tracked]] = {}  # removed, until libtorrent says so
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._last_policy = time.monotonic()
        self._last_report = time.monotonic()
        self._thread = threading.Thread(target=self._run, name="torrent-alerts", daemon=True)
        self._thread.start()

    # --- torrents -------------------------------------------------------

    def refresh_ip_filter(self) -> None:
        """The address rules as the settings say now (read on every download,
        as the HTTP guard reads them on every connection)."""
        self.session.set_ip_filter(build_ip_filter())

    def add(self, params: lt.add_torrent_params, infohash: str, resume_path: Path | None) -> Tracked:
        with self._lock:
            existing = self._tracked.get(infohash)
            if existing is not None and existing.seeding_since is None and existing.handle.is_valid():
                # Another download of this process holds it (a threads pool):
                # taking it over would pull its files from under it.
                raise TransientError("The same torrent is being downloaded by another job here; will try again.")
            if existing is not None:
                # A torrent this process still seeds (or a leftover of an
                # attempt that did not clean up): it is taken over by the new
                # download, with its files where they are.
                self._tracked.pop(infohash)
                if existing.seeding_since is not None:
                    self._report(existing, active=False, force=True)
                self._remove_handle(existing, delete_files=False)
                existing.removed.wait(10)
                self._mark_process()
            tracked = Tracked(handle=lt.torrent_handle(), infohash=infohash, resume_path=resume_path)
            self._tracked[infohash] = tracked
        tracked.handle = self.session.add_torrent(params)
        if tracked.handle.torrent_file() is not None:
            tracked.metadata.set()
        return tracked

    def save_resume(self, tracked: Tracked, *, flush: bool = False, timeout: float = 10.0) -> bool:
        """Ask for resume data and wait until it is written (True) or not."""
        tracked.resume_saved.clear()
        flags = lt.save_resume_flags_t.save_info_dict
        if flush:
            flags |= lt.save_resume_flags_t.flush_disk_cache
        tracked.handle.save_resume_data(flags)
        return tracked.resume_saved.wait(timeout)

    def remove(self, tracked: Tracked, *, delete_files: bool, timeout: float = 10.0) -> None:
        with self._lock:
            if self._tracked.get(tracked.infohash) is tracked:
                self._tracked.pop(tracked.infohash)
        self._remove_handle(tracked, delete_files=delete_files)
        tracked.removed.wait(timeout)

    def _remove_handle(self, tracked: Tracked, *, delete_files: bool) -> None:
        if not tracked.handle.is_valid():
            tracked.removed.set()
            return
        with self._lock:
            self._leaving.setdefault(tracked.infohash, []).append(tracked)
        flags = lt.session.delete_files if delete_files else 0
        self.session.remove_torrent(tracked.handle, flags)

    def start_seeding(self, tracked: Tracked, wanted_bytes: int, folder: Path, job_id: str = "") -> None:
        tracked.seeding_since = time.monotonic()
        tracked.wanted_bytes = wanted_bytes
        tracked.folder = folder
        tracked.job_id = job_id
        self._mark_process()
        if tracked.resume_path is not None:
            # A seeding torrent is not resumed after a restart: its job is done.
            resume.forget(tracked.resume_path)
            tracked.resume_path = None

    def seeding(self) -> list[Tracked]:
        with self._lock:
            return [t for t in self._tracked.values() if t.seeding_since is not None]

    def close(self) -> None:
        """Stop the alert thread, then the session (at process exit: a
        session torn down by the interpreter while the thread waits on it
        aborts the process)."""
        if self._stop.is_set():
            return
        self._stop.set()
        self._thread.join(timeout=5)
        for tracked in self.seeding():
            self._report(tracked, active=False, force=True)  # best effort: readers also see the stamp age
        seeding.mark_process(False)
        self.session.pause()
        del self.session

    # --- the alert thread ----------------------------------------------

    def _by_handle(self, handle: lt.torrent_handle) -> Tracked | None:
        with self._lock:
            for tracked in self._tracked.values():
                if tracked.handle == handle:
                    return tracked
        return None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.session.wait_for_alert(500)
                for alert in self.session.pop_alerts():
                    self._handle_alert(alert)
                if time.monotonic() - self._last_policy >= POLICY_EVERY_SECONDS:
                    self._last_policy = time.monotonic()
                    self.apply_seeding_policy()
                if time.monotonic() - self._last_report >= REPORT_EVERY_SECONDS:
                    self._last_report = time.monotonic()
                    self.report_seeding()
                    self._close_idle_connection()
            except Exception:  # the thread must outlive one bad alert
                log.exception("Torrent engine: alert handling failed")

    def _handle_alert(self, alert: lt.alert) -> None:
        if isinstance(alert, lt.save_resume_data_alert):
            tracked = self._by_handle(alert.handle)
            if tracked is not None and tracked.resume_path is not None:
                resume.write(tracked.resume_path, alert.params)
            if tracked is not None:
                tracked.resume_saved.set()
        elif isinstance(alert, lt.save_resume_data_failed_alert):
            tracked = self._by_handle(alert.handle)
            if tracked is not None:
                tracked.resume_saved.set()
        elif isinstance(alert, lt.metadata_received_alert):
            tracked = self._by_handle(alert.handle)
            if tracked is not None:
                tracked.metadata.set()
        elif isinstance(alert, lt.torrent_removed_alert):
            self._removed(alert)
        elif isinstance(alert, lt.torrent_error_alert | lt.file_error_alert):
            tracked = self._by_handle(alert.handle)
            if tracked is not None:
                tracked.error = alert.message()
            log.warning("Torrent engine: %s", alert.message())
        elif isinstance(alert, lt.peer_blocked_alert):
            log.info("Torrent engine: refused peer (address rules): %s", alert.message())
        elif isinstance(alert, lt.tracker_error_alert | lt.listen_failed_alert):
            log.warning("Torrent engine: %s", alert.message())

    def _removed(self, alert: lt.alert) -> None:
        # The handle of a removed torrent is no longer valid: match on the hash.
        infohash = str(alert.info_hashes.get_best())[:40]
        with self._lock:
            leaving = self._leaving.pop(infohash, [])
        for tracked in leaving:
            tracked.removed.set()

    # --- seeding policy -------------------------------------------------

    def apply_seeding_policy(self, now: Callable[[], float] = time.monotonic) -> list[str]:
        """Stop the finished torrents whose ratio or seeding time is reached;
        return their infohashes."""
        if torrent_setting("TORRENT_KEEP_SEEDING"):
            return []
        stopped = []
        for tracked in self.seeding():
            if seeding_done(tracked, now()):
                self._stop_seeding(tracked)
                stopped.append(tracked.infohash)
        return stopped

    def _stop_seeding(self, tracked: Tracked) -> None:
        with self._lock:
            self._tracked.pop(tracked.infohash, None)
        self._report(tracked, active=False, force=True)
        self._mark_process()
        # The library holds its own hard link (or copy): deleting the
        # engine's names frees nothing the user sees.
        self._remove_handle(tracked, delete_files=True)
        log.info("Torrent %s: seeding ended (ratio or time reached)", tracked.infohash)
        if tracked.folder is not None:
            _remove_folder_later(tracked.folder)

    # --- seeding state on the jobs ----------------------------------------

    def report_seeding(self) -> None:
        """Write each seeding torrent's upload to its job, when it changed."""
        for tracked in self.seeding():
            self._report(tracked, active=True)

    def _mark_process(self) -> None:
        """Whether this process seeds, for the autoscaler (seeding.py)."""
        try:
            seeding.mark_process(bool(self.seeding()))
        except OSError as exc:
            log.warning("Torrent engine: cannot mark this process as seeding: %s", exc)

    def _close_idle_connection(self) -> None:
        # The thread's database connection is kept while torrents seed (a
        # write a second), and closed once none does: an idle worker holds
        # no connection for it, and a test database can be dropped.
        if connection.connection is not None and not self.seeding():
            connection.close()

    def _report(self, tracked: Tracked, *, active: bool, force: bool = False) -> None:
        if not tracked.job_id or not tracked.handle.is_valid():
            return
        uploaded = int(tracked.handle.status().all_time_upload)
        now = time.monotonic()
        current = (active, uploaded)
        if not force and current == tracked.reported and now - tracked.reported_at < seeding.STAMP_EVERY_SECONDS:
            return
        try:
            # This thread's own connection lives as long as the process:
            # drop it when the database closed it or CONN_MAX_AGE passed.
            close_old_connections()
            state = seeding.Seeding(active, uploaded, seeding.ratio(uploaded, tracked.wanted_bytes))
            written = seeding.record(tracked.job_id, state)
        except Exception as exc:  # a busy or unreachable database: the next tick tries again
            log.warning("Torrent %s: seeding state not written to job %s: %s", tracked.infohash, tracked.job_id, exc)
            return
        if written:
            tracked.reported, tracked.reported_at = current, now


def seeding_done(tracked: Tracked, now: float) -> bool:
    """The seeding policy: one decision, read by the engine and the tests."""
    ratio = float(torrent_setting("TORRENT_SEED_RATIO"))
    minutes = float(torrent_setting("TORRENT_SEED_MINUTES"))
    if ratio <= 0 or minutes <= 0:
        return True
    if tracked.seeding_since is not None and now - tracked.seeding_since >= minutes * 60:
        return True
    uploaded = tracked.handle.status().all_time_upload if tracked.handle.is_valid() else 0
    return tracked.wanted_bytes > 0 and uploaded >= ratio * tracked.wanted_bytes


def wants_seeding() -> bool:
    """Whether a finished torrent stays in the session to seed at all."""
    if torrent_setting("TORRENT_KEEP_SEEDING"):
        return True
    return float(torrent_setting("TORRENT_SEED_RATIO")) > 0 and float(torrent_setting("TORRENT_SEED_MINUTES")) > 0


def _remove_folder_later(folder: Path) -> None:
    # libtorrent deletes the files in its disk thread; the empty folders
    # (the job's, a batch's) go once it is done.
    def remove() -> None:
        import shutil

        time.sleep(5)
        shutil.rmtree(folder, ignore_errors=True)

    threading.Thread(target=remove, name="torrent-cleanup", daemon=True).start()


_engine: Engine | None = None
_engine_pid: int | None = None
_engine_lock = threading.Lock()


def engine() -> Engine:
    """This process's engine, made on first use (and again in a forked child)."""
    global _engine, _engine_pid
    with _engine_lock:
        if _engine is None or _engine_pid != os.getpid():
            _engine = Engine()
            _engine_pid = os.getpid()
            atexit.register(_close_at_exit, _engine)
        return _engine


def _close_at_exit(running: Engine) -> None:
    if _engine_pid == os.getpid():
        running.close()
