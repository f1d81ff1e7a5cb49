"""Plain HTTP(S) downloads that survive restarts.

Bytes go to `<final>.part` next to the final file (same filesystem, so the
last step is an atomic rename, by `placing.place_for_job`). A later attempt resumes with
`Range: bytes=<part size>-` and `If-Range: <validator>`, the ETag or
Last-Modified remembered from the first response: if the file changed
upstream, the server answers 200 with the whole new file instead of
splicing new bytes onto old ones. The SHA-256 is computed while writing
(after re-reading the existing part on resume) and checked against any
digest the server or the caller gave.

Several users' jobs for the same URL fetch it once: the runner lets the
first download and the others link its file (`downloads.sharing`).
"""

from __future__ import annotations

import base64
import binascii
import errno
import hashlib
import logging
import os
import re
import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import requests
import urllib3
from django.conf import settings

from downloads import net
from downloads.net.client import parse_retry_after
from downloads.net.errors import find_cause, is_transient_status

from ..conf import setting
from ..errors import Cancelled, PermanentError, TransientError
from ..files import part_path
from ..placing import place_for_job
from ..share_keys import url_key
from .base import DownloadRequest, DownloadResult, ProgressSink

log = logging.getLogger(__name__)

MiB = 1 << 20


def chunk_size() -> int:
    # 1 MiB reads keep syscalls and Python overhead low at disk speed while
    # memory stays flat (one chunk in flight).
    return int(setting("DOWNLOAD_CHUNK_BYTES"))


def stall_seconds() -> float:
    return float(setting("DOWNLOAD_STALL_SECONDS"))


class _Restart(Exception):  # internal control flow, never leaves this module
    """The partial file cannot be resumed: start again from byte 0."""


@dataclass(frozen=True)
class ContentRange:
    start: int
    end: int
    total: int | None


def parse_content_range(value: str | None) -> ContentRange | None:
    match = re.fullmatch(r"\s*bytes\s+(\d+)-(\d+)/(\d+|\*)\s*", value or "")
    if not match:
        return None
    total = None if match[3] == "*" else int(match[3])
    start, end = int(match[1]), int(match[2])
    if end < start or (total is not None and end >= total):
        return None
    return ContentRange(start, end, total)


def parse_sha256_digest(value: str | None) -> str | None:
    """The sha-256 member of an RFC 9530 Content-Digest/Repr-Digest field, as hex."""
    for member in (value or "").split(","):
        name, _, raw = member.strip().partition("=")
        if name.strip().lower() != "sha-256":
            continue
        raw = raw.strip()
        if len(raw) < 2 or not (raw.startswith(":") and raw.endswith(":")):
            return None
        try:
            digest = base64.b64decode(raw[1:-1], validate=True)
        except (binascii.Error, ValueError):
            return None
        return digest.hex() if len(digest) == 32 else None
    return None


def _validator(response: requests.Response) -> str | None:
    """A validator usable in If-Range: a strong ETag, else Last-Modified."""
    etag = response.headers.get("ETag", "").strip()
    if etag and not etag.startswith("W/"):
        return etag
    return response.headers.get("Last-Modified") or None


def _status_error(response: requests.Response) -> Exception:
    code = response.status_code
    if is_transient_status(code):
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        return TransientError(_transient_words(code), retry_after=retry_after)
    return PermanentError(_permanent_words(code))


def _transient_words(code: int) -> str:
    if code == 429:
        return "The server asked us to slow down (HTTP 429)."
    if code in (408, 425):
        return f"The server timed out the request (HTTP {code})."
    return f"The server had a problem (HTTP {code})."


def _permanent_words(code: int) -> str:
    if code == 404:
        return "The file was not found on the server (HTTP 404)."
    if code == 410:
        return "The file has been removed from the server (HTTP 410)."
    if code in (401, 403):
        return f"The server refused access to the file (HTTP {code})."
    if 400 <= code < 500:
        return f"The server rejected the request (HTTP {code})."
    return f"The server gave an unexpected answer (HTTP {code})."


def _fetch_error(exc: net.FetchError) -> Exception:
    if isinstance(exc, net.UnsafeURL):
        return PermanentError(f"This address may not be downloaded from: {exc}")
    message = str(exc) or "The server could not be reached."
    if exc.permanent:
        return PermanentError(message)
    return TransientError(message, retry_after=exc.retry_after)


class _ChunkSink:
    """Writes and hashes received chunks on two helper threads.

    Receiving, writing and SHA-256 (about 1 GB/s) all release the GIL, so
    with a thread each they overlap instead of adding up: chunk N is written
    and hashed while chunk N+1 arrives. Each helper takes one chunk at a
    time, in order, so memory stays at a few chunks and the file and the
    digest see the bytes in sequence. A write error (disk full) surfaces at
    the next chunk or at close.
    """

    def __init__(self, fh: BinaryIO, hashers: list[Any]) -> None:
        self._fh = fh
        self._hashers = hashers
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="download-write")
        self._hasher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="download-sha256")
        self._pending: list[Future[Any]] = []

    def _hash(self, chunk: bytes) -> None:
        for hasher in self._hashers:
            hasher.update(chunk)

    def put(self, chunk: bytes) -> None:
        self.wait()
        self._pending = [self._writer.submit(self._fh.write, chunk), self._hasher.submit(self._hash, chunk)]

    def wait(self) -> None:
        pending, self._pending = self._pending, []
        for future in pending:
            future.result()

    def __enter__(self) -> _ChunkSink:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.wait()
        finally:
            self._writer.shutdown(wait=True)
            self._hasher.shutdown(wait=True)


def _hash_existing(fh: BinaryIO, size: int, hasher: Any) -> None:
    fh.seek(0)
    remaining = size
    while remaining:
        block = fh.read(min(4 * MiB, remaining))
        if not block:
            raise _Restart()  # the part shrank under us
        hasher.update(block)
        remaining -= len(block)


def _reserve() -> int:
    return int(setting("DOWNLOAD_MIN_FREE_BYTES"))


def max_bytes() -> int:
    return int(setting("DOWNLOAD_MAX_BYTES"))


def _check_free_space(folder: Path, needed: int) -> None:
    reserve = _reserve()
    free = shutil.disk_usage(folder).free
    if free < needed + reserve:
        raise PermanentError(
            f"Not enough free disk space: the download needs {_human(needed)} "
            f"(plus {_human(reserve)} kept free) but only {_human(free)} is available."
        )


def _check_announced_size(total: int | None) -> None:
    limit = max_bytes()
    if total is not None and total > limit:
        raise PermanentError(
            f"The file is {_human(total)}, more than the {_human(limit)} a download may be (DOWNLOAD_MAX_BYTES)."
        )


class _WriteGuard:
    """Checks, while bytes arrive, what an announced size let us check up
    front: a source that sends no Content-Length (or lies in it) is stopped
    at DOWNLOAD_MAX_BYTES, and before the disk goes below the free-space
    reserve. The disk is looked at every FREE_SPACE_CHECK_BYTES written (one
    statvfs call), so the reserve can be overshot by that much at most."""

    def __init__(self, part: Path, done: int) -> None:
        self.part = part
        self.limit = max_bytes()
        self.reserve = _reserve()
        self.every = int(setting("DOWNLOAD_FREE_SPACE_CHECK_BYTES"))
        self.next_look = done + self.every

    def wrote(self, done: int) -> None:
        if done > self.limit:
            self.part.unlink(missing_ok=True)
            raise PermanentError(
                f"The file is larger than the {_human(self.limit)} a download may be (DOWNLOAD_MAX_BYTES); "
                "the partial file was removed."
            )
        if done >= self.next_look:
            self.next_look = done + self.every
            free = shutil.disk_usage(self.part.parent).free
            if free < self.reserve:
                # The partial file goes: the space is everyone's, and a
                # retry after space is freed starts over.
                self.part.unlink(missing_ok=True)
                raise PermanentError(
                    f"The disk went below the {_human(self.reserve)} kept free while downloading "
                    f"({_human(done)} written); the partial file was removed."
                )


def _human(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB"):
        if size < 1024 or unit == "TiB":
            return f"{int(size)} bytes" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} bytes"  # pragma: no cover


def _os_error(exc: OSError) -> Exception:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return PermanentError("The disk is full: no space left to write the download.")
    return PermanentError(f"The file could not be written: {exc.strerror or exc}.")


def _check_answer(response: requests.Response) -> None:
    """Only a whole file (200) or the rest of one (206), sent as is."""
    if response.status_code not in (200, 206):
        raise _status_error(response)
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        raise PermanentError(f"The server compressed the file ({encoding}) although we asked it not to.")


def _check_not_a_torrent_file(response: requests.Response) -> None:
    """A .torrent file is a torrent's description, not the video: saved
    under the episode's name it would pass for a download. Links that say
    nothing of what they are ("/download?id=7") only show it here."""
    media_type = response.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
    if media_type == "application/x-bittorrent":
        raise PermanentError(
            "The link gave a .torrent file, not the video: the source lists a torrent without saying so "
            "(a feed should give a magnet, a .torrent link or an enclosure of type application/x-bittorrent)."
        )


def _check_received(
    part: Path, done: int, total: int | None, offset: int, content_digest: str | None, range_hash: Any
) -> None:
    """The body was as long as announced and matches this response's digest."""
    if total is not None and done != total:
        if done > total:
            part.unlink(missing_ok=True)
            raise TransientError(f"The server sent more data than it announced ({done} of {total} bytes).")
        raise TransientError(f"The connection closed early ({done} of {total} bytes); will resume.")
    if content_digest and content_digest != range_hash.hexdigest():
        part.unlink(missing_ok=True)
        if offset:
            raise TransientError("The resumed data did not match the server's checksum; starting over.")
        raise PermanentError("The downloaded file did not match the server's checksum (Content-Digest).")


class HttpBackend:
    name = "http"

    def share_key(self, request: DownloadRequest) -> str:
        """Jobs for the same URL download it once (downloads/sharing.py)."""
        return url_key(request.url)

    def adopt(self, request: DownloadRequest, progress: ProgressSink, other: Path, other_state: dict[str, Any]) -> bool:
        """Take the partial file another job of the same URL left (it stopped
        without finishing; see downloads/sharing.py) to resume from it. A
        rename, so on one file system nothing is copied; across file systems
        the download starts over, as it would have anyway."""
        mine, theirs = part_path(request.destination), part_path(other)
        if mine.exists() or not other_state.get("validator") or not theirs.is_file():
            return False  # our own part, or one that could not be resumed safely
        try:
            request.destination.parent.mkdir(parents=True, exist_ok=True)
            os.replace(theirs, mine)
        except OSError:
            return False
        # Its validator and size: the resume asks If-Range with them, so a
        # file that changed upstream since is fetched whole.
        progress.save_state({k: other_state[k] for k in ("validator", "total", "sha256") if k in other_state})
        return True

    def discard(self, request: DownloadRequest) -> None:
        part_path(request.destination).unlink(missing_ok=True)

    def download(self, request: DownloadRequest, progress: ProgressSink) -> DownloadResult:
        try:
            request.destination.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _os_error(exc) from exc
        session = net.guarded_session()
        try:
            # A resume the server cannot honour restarts once from byte 0; a
            # second inconsistency is the server's problem, retried later.
            for _ in range(2):
                try:
                    return self._attempt(session, request, progress)
                except _Restart:
                    part_path(request.destination).unlink(missing_ok=True)
                    progress.save_state({})
            raise TransientError("The server answered resume requests inconsistently; will try again.")
        finally:
            session.close()

    def _request(self, session: requests.Session, url: str, headers: dict[str, str]) -> requests.Response:
        connect = float(getattr(settings, "HTTP_TIMEOUT_SECONDS", 20))
        try:
            # The read timeout is the stall detector: no byte for that long on
            # an open connection aborts the attempt.
            return session.get(url, headers=headers, stream=True, timeout=(connect, stall_seconds()))
        except net.FetchError as exc:
            raise _fetch_error(exc) from exc
        except requests.Timeout as exc:
            raise TransientError(f"The server did not answer within {int(stall_seconds())} seconds.") from exc
        except requests.ConnectionError as exc:
            cause = find_cause(exc, net.FetchError)
            if cause is not None:
                raise _fetch_error(cause) from exc
            raise TransientError("The server could not be reached.") from exc
        except requests.RequestException as exc:
            raise TransientError(f"The request failed: {exc.__class__.__name__}.") from exc

    def _attempt(self, session: requests.Session, request: DownloadRequest, progress: ProgressSink) -> DownloadResult:
        part = part_path(request.destination)
        offset = part.stat().st_size if part.exists() else 0
        state = dict(progress.state)
        if offset and not state.get("validator"):
            # Without a validator the server cannot tell us the file changed,
            # and splicing two versions is worse than starting over.
            raise _Restart()

        headers = {"Accept-Encoding": "identity"}
        if offset:
            headers["Range"] = f"bytes={offset}-"
            headers["If-Range"] = state["validator"]
        response = self._request(session, request.url, headers)
        with response:
            return self._receive(response, request, progress, part, offset, state)

    def _receive(
        self,
        response: requests.Response,
        request: DownloadRequest,
        progress: ProgressSink,
        part: Path,
        offset: int,
        state: dict[str, Any],
    ) -> DownloadResult:
        """The stages of one answer: what it offers (the rest of the part, a
        whole file, or nothing more to fetch), room for it, the bytes, and
        the checks that they are the bytes announced."""
        if response.status_code == 416 and offset:
            # The part may already hold the whole file (a crash between the
            # last byte and the rename); then there is nothing to receive.
            self._check_complete_part(response, offset, state)
            return self._finish(request, progress, part, offset, None, state, resumed=True)
        _check_answer(response)
        _check_not_a_torrent_file(response)
        if response.status_code == 206:
            total = self._resumed_total(response, request, offset, state)
        else:
            offset, total, state = self._whole_file(response, request, offset)
            # Durable before the first byte lands, so a crash mid-body can resume.
            progress.save_state(state)

        _check_announced_size(total)
        if total is not None:
            _check_free_space(part.parent, total - offset)

        content_digest = parse_sha256_digest(response.headers.get("Content-Digest"))
        full_hash = hashlib.sha256()
        # Content-Digest covers this response's bytes: on a resume that is
        # a second hash; on a full response it is the file's hash.
        range_hash = hashlib.sha256() if offset and content_digest else full_hash
        done = self._write_part(response, part, offset, total, progress, full_hash, range_hash)
        _check_received(part, done, total, offset, content_digest, range_hash)
        repr_digest = parse_sha256_digest(response.headers.get("Repr-Digest"))
        if repr_digest:
            state["sha256"] = repr_digest
        return self._finish(request, progress, part, done, full_hash, state, resumed=bool(offset))

    @staticmethod
    def _check_complete_part(response: requests.Response, offset: int, state: dict[str, Any]) -> None:
        """416 to a resume: fine only when "bytes */N" says the file is
        exactly the part we hold; otherwise start over."""
        match = re.fullmatch(r"\s*bytes\s+\*/(\d+)\s*", response.headers.get("Content-Range", ""))
        if not (match and int(match[1]) == offset == state.get("total")):
            raise _Restart()

    @staticmethod
    def _resumed_total(
        response: requests.Response, request: DownloadRequest, offset: int, state: dict[str, Any]
    ) -> int | None:
        """206: the rest of the part, if it starts where ours ends."""
        if not offset:
            raise TransientError("The server sent part of the file when the whole file was asked for.")
        content_range = parse_content_range(response.headers.get("Content-Range"))
        if content_range is None or content_range.start != offset:
            log.info(
                "Download %s: resume at %s refused (Content-Range %r), restarting",
                request.job_id,
                offset,
                response.headers.get("Content-Range"),
            )
            raise _Restart()
        total = content_range.total
        if total is not None and state.get("total") not in (None, total):
            raise _Restart()  # same validator, different size: do not trust the part
        return total

    @staticmethod
    def _whole_file(
        response: requests.Response, request: DownloadRequest, offset: int
    ) -> tuple[int, int | None, dict[str, Any]]:
        """200: the whole file from byte 0, and the resume state it gives."""
        if offset:
            # 200 to a Range request: the file changed (If-Range failed)
            # or the server has no range support. Either way, start over.
            log.info("Download %s: server sent the whole file, discarding %s partial bytes", request.job_id, offset)
        length = response.headers.get("Content-Length")
        total = int(length) if length and length.isdigit() else None
        state: dict[str, Any] = {"validator": _validator(response), "total": total}
        digest = parse_sha256_digest(response.headers.get("Repr-Digest")) or parse_sha256_digest(
            response.headers.get("Content-Digest")
        )
        if digest:
            state["sha256"] = digest
        return 0, total, state

    def _write_part(
        self,
        response: requests.Response,
        part: Path,
        offset: int,
        total: int | None,
        progress: ProgressSink,
        full_hash: Any,
        range_hash: Any,
    ) -> int:
        """Append the body to the part (after hashing what it already
        holds), durably; returns the part's size."""
        done = offset
        try:
            with part.open("r+b" if offset else "wb") as fh:
                if offset:
                    _hash_existing(fh, offset, full_hash)
                    fh.seek(offset)
                    fh.truncate(offset)
                progress(done, total)
                hashers = [full_hash] if range_hash is full_hash else [full_hash, range_hash]
                guard = _WriteGuard(part, done)
                with _ChunkSink(fh, hashers) as sink:
                    done = self._copy_body(response, sink, done, total, progress, guard)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            raise _os_error(exc) from exc
        return done

    def _copy_body(
        self,
        response: requests.Response,
        sink: _ChunkSink,
        done: int,
        total: int | None,
        progress: ProgressSink,
        guard: _WriteGuard,
    ) -> int:
        size = chunk_size()
        raw = response.raw
        try:
            while True:
                # read1 returns what the socket has (up to size) instead of
                # blocking until a full chunk: progress keeps flowing on slow links.
                chunk = raw.read1(size, decode_content=False)
                if not chunk:
                    return done
                guard.wrote(done + len(chunk))  # before the chunk is written
                sink.put(chunk)
                done += len(chunk)
                progress(done, total)
        except Cancelled:
            raise
        except (urllib3.exceptions.ReadTimeoutError, TimeoutError) as exc:
            raise TransientError(
                f"The download stalled: no data for {int(stall_seconds())} seconds ({done} bytes so far); will resume."
            ) from exc
        except urllib3.exceptions.ProtocolError as exc:
            # IncompleteRead (body shorter than Content-Length) and resets land here;
            # the part stays for the next attempt to resume.
            raise TransientError(f"The connection was interrupted after {done} bytes; will resume.") from exc
        except (urllib3.exceptions.HTTPError, requests.RequestException, ConnectionError) as exc:
            raise TransientError(f"The connection failed after {done} bytes; will resume.") from exc

    def _finish(
        self,
        request: DownloadRequest,
        progress: ProgressSink,
        part: Path,
        size: int,
        full_hash: Any | None,
        state: dict[str, Any],
        *,
        resumed: bool,
    ) -> DownloadResult:
        if full_hash is None:  # resumed a part that was already complete
            full_hash = hashlib.sha256()
            with part.open("rb") as fh:
                _hash_existing(fh, size, full_hash)
        sha256 = full_hash.hexdigest()
        for source, expected in (("server", state.get("sha256")), ("expected", request.expected_sha256)):
            if expected and expected.lower() != sha256:
                part.unlink(missing_ok=True)
                if resumed:
                    raise TransientError("The resumed file did not match its checksum; starting over.")
                who = "the server's checksum" if source == "server" else "the expected checksum"
                raise PermanentError(f"The downloaded file did not match {who}.")
        # Last chance to notice a cancel before the file appears under its final name.
        progress(size, size)
        progress.flush()
        # Never over a file that appeared at the name meanwhile (placing.py).
        placed = place_for_job(request.job_id, part, request.destination, keep_source=False, sha256=sha256)
        return DownloadResult(path=placed.path, size=size, sha256=sha256)
