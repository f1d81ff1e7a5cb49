"""Downloads of anything yt-dlp can extract (pages, playlists entries,
direct media URLs), through its Python API.

yt-dlp writes fragments and `.part` files to a per-job folder under
`DOWNLOAD_DIR/.tmp/` and finishes the file in a folder of its own there;
`placing.place_for_job` then puts it in the user's folder, so media
scanners never index half-written files and a file already at the name is
never overwritten (nor taken for ours: yt-dlp would call it "already
downloaded"). Its progress hooks feed the
same throttled progress sink as the HTTP backend; raising from a hook is
how a cancel stops it.
"""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
from pathlib import Path
from typing import Any

from downloads import net
from downloads.net.errors import find_cause, is_transient_status

from ..conf import setting
from ..errors import Cancelled, DownloadError, PermanentError, TransientError
from ..placing import place_for_job
from .base import DownloadRequest, DownloadResult, ProgressSink

log = logging.getLogger(__name__)

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_MERGE_CONTAINERS = {".mkv": "mkv", ".mp4": "mp4", ".webm": "webm"}


def can_merge() -> bool:
    """Separate video and audio streams need ffmpeg to become one file."""
    return shutil.which("ffmpeg") is not None


# Formats yt-dlp downloads with its own HTTP code, which the address guard
# covers. Other protocols (rtmp, rtsp, mms, ffmpeg-driven HLS/DASH) are
# fetched by external programs that connect on their own, past the guard.
GUARDED_PROTOCOLS = ("[protocol^=http]", "[protocol=m3u8_native]")


def format_selector(quality: str, *, merge: bool) -> str:
    """yt-dlp format spec for a quality preference ("auto", "1080p", ...),
    limited to GUARDED_PROTOCOLS.

    `<=?` keeps formats whose height is unknown (direct links usually are),
    and the later alternatives fall back to the best there is rather than
    failing when nothing is small enough.
    """
    match = re.fullmatch(r"\s*(\d{3,4})p?\s*", quality or "")
    caps = [f"[height<=?{int(match[1])}]", ""] if match else [""]
    choices = []
    for cap in caps:
        for proto in GUARDED_PROTOCOLS:
            if merge:
                choices.append(f"bv*{cap}{proto}+ba{proto}")
            choices.append(f"b{cap}{proto}")
    return "/".join(choices)


class _ProgressHook:
    """Turns yt-dlp's per-file reports into one running total.

    A merged download reports the video file, then the audio file; bytes of
    finished files are carried over so progress does not jump back to zero.
    """

    def __init__(self, progress: ProgressSink) -> None:
        self.progress = progress
        self.finished_bytes = 0

    def __call__(self, report: dict[str, Any]) -> None:
        status = report.get("status")
        if status == "downloading":
            done = int(report.get("downloaded_bytes") or 0)
            total = report.get("total_bytes") or report.get("total_bytes_estimate")
            self.progress(self.finished_bytes + done, self.finished_bytes + int(total) if total else None)
        elif status == "finished":
            self.finished_bytes += int(report.get("total_bytes") or report.get("downloaded_bytes") or 0)
            self.progress(self.finished_bytes, None)


def _plain(message: str) -> str:
    message = _ANSI.sub("", message).strip()
    message = re.sub(r"^(ERROR|WARNING):\s*", "", message)
    message = re.sub(r"^\[[\w:]+\]\s*[\w-]*:?\s*", "", message)  # "[generic] abc: " extractor prefix
    return message.splitlines()[0] if message else "yt-dlp could not download this video."


def _map_error(exc: Exception) -> Exception:
    """Tell transient yt-dlp failures from permanent ones by their cause."""
    from yt_dlp.networking.exceptions import HTTPError, TransportError
    from yt_dlp.utils import ContentTooShortError, ExtractorError

    cause: BaseException | None = exc
    # DownloadError keeps the exception that caused it in exc_info; an
    # ExtractorError may wrap a network error in .cause.
    exc_info = getattr(exc, "exc_info", None)
    if exc_info and exc_info[1] is not None:
        cause = exc_info[1]
    if isinstance(cause, ExtractorError) and cause.cause is not None:
        inner = cause.cause
        if isinstance(inner, HTTPError | TransportError | net.FetchError):
            cause = inner
    message = _plain(str(exc))
    # The address guard's refusal reaches us wrapped in yt-dlp's own error
    # types; the UnsafeURL is somewhere down the chain.
    guard = find_cause(exc, net.FetchError)
    if guard is not None:
        cause = guard

    if isinstance(cause, Cancelled):
        return cause
    if isinstance(cause, net.UnsafeURL):
        return PermanentError(f"This address may not be downloaded from: {cause}")
    if isinstance(cause, net.FetchError):
        return DownloadError(str(cause) or message, permanent=cause.permanent, retry_after=cause.retry_after)
    if isinstance(cause, HTTPError):
        code = cause.status
        if is_transient_status(code):
            return TransientError(f"The server had a problem (HTTP {code}).")
        if code == 404:
            return PermanentError("The video was not found on the server (HTTP 404).")
        return PermanentError(f"The server refused the download (HTTP {code}).")
    if isinstance(cause, TransportError | ContentTooShortError | TimeoutError | ConnectionError):
        return TransientError(f"The connection failed: {message}")
    if isinstance(cause, ExtractorError) and cause.expected:
        # yt-dlp's "expected" errors are about the URL itself: unsupported
        # site, video removed, format not offered. Retrying will not help.
        return PermanentError(message)
    if isinstance(cause, OSError):
        return PermanentError(f"The file could not be written: {message}")
    return TransientError(message)


def _sha256_of(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(4 << 20):
            hasher.update(block)
    return hasher.hexdigest()


class YtdlpBackend:
    name = "ytdlp"

    def discard(self, request: DownloadRequest) -> None:
        shutil.rmtree(request.temp_dir, ignore_errors=True)

    def params(self, request: DownloadRequest, progress: ProgressSink) -> dict[str, Any]:
        destination = request.destination
        merge = can_merge()
        # The stem is literal text inside a %-template.
        stem = destination.stem.replace("%", "%%")
        options: dict[str, Any] = {
            "paths": {"home": str(finished_folder(request)), "temp": str(request.temp_dir)},
            "outtmpl": {"default": f"{stem}.%(ext)s"},
            "noplaylist": True,
            "progress_hooks": [_ProgressHook(progress)],
            # One read with no data for this long is a stall; the job-level
            # retry (with backoff, resuming the .part) takes over from there.
            "socket_timeout": float(setting("DOWNLOAD_STALL_SECONDS")),
            "retries": 1,
            "fragment_retries": 3,
            "continuedl": True,
            "updatetime": False,
            "ignoreerrors": False,
            "format": format_selector(request.quality, merge=merge),
        }
        if merge:
            options["merge_output_format"] = _MERGE_CONTAINERS.get(destination.suffix.lower(), "mkv")
        return net.ytdlp_params(log, **options)

    def download(self, request: DownloadRequest, progress: ProgressSink) -> DownloadResult:
        import yt_dlp  # heavy: imported by workers only

        try:
            request.destination.parent.mkdir(parents=True, exist_ok=True)
            request.temp_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise PermanentError(f"The download folder could not be created: {exc.strerror or exc}.") from exc
        try:
            with yt_dlp.YoutubeDL(self.params(request, progress)) as ydl:
                info = ydl.extract_info(request.url, download=True)
        except Cancelled:
            raise
        except (yt_dlp.utils.YoutubeDLError, net.FetchError, OSError) as exc:
            mapped = _map_error(exc)
            raise mapped from exc

        path = self._final_path(info, request)
        progress.flush()
        sha256 = _sha256_of(path)
        if request.expected_sha256 and request.expected_sha256.lower() != sha256:
            path.unlink(missing_ok=True)
            raise PermanentError("The downloaded file did not match the expected checksum.")
        size = path.stat().st_size
        # The real container's extension (planned ".mkv", the video is ".mp4").
        final = request.destination.with_name(path.name)
        try:
            placed = place_for_job(request.job_id, path, final, keep_source=False, sha256=sha256)
        except OSError as exc:
            raise TransientError(f"The file could not be put in the library: {exc.strerror or exc}.") from exc
        shutil.rmtree(request.temp_dir, ignore_errors=True)
        return DownloadResult(path=placed.path, size=size, sha256=sha256)

    @staticmethod
    def _final_path(info: dict[str, Any] | None, request: DownloadRequest) -> Path:
        if info and info.get("_type") in ("playlist", "multi_video"):
            raise PermanentError("This address is a playlist, not a single episode.")
        for item in (info or {}).get("requested_downloads") or []:
            candidate = item.get("filepath")
            if candidate and Path(candidate).is_file():
                return Path(candidate)
        # Older result shapes: look for "<stem>.<ext>" in the home folder.
        matches = sorted(finished_folder(request).glob(f"{glob_escape(request.destination.stem)}.*"))
        matches = [m for m in matches if m.is_file() and not m.name.endswith((".part", ".ytdl"))]
        if len(matches) == 1:
            return matches[0]
        raise TransientError("yt-dlp finished but the downloaded file could not be found.")


def finished_folder(request: DownloadRequest) -> Path:
    """Where yt-dlp leaves the finished file, before it is placed."""
    return request.temp_dir / "finished"


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)
