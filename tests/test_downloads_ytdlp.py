"""The yt-dlp backend, through yt-dlp's generic extractor on a direct media
URL served from 127.0.0.1 (no network, no ffmpeg needed)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from downloads.backends import DownloadRequest
from downloads.backends.ytdlp import YtdlpBackend, format_selector
from downloads.errors import Cancelled, PermanentError, TransientError
from tests.support.download_fixtures import MemorySink
from tests.support.media_server import tiny_mp4

VIDEO = tiny_mp4(payload_size=2 * 1024 * 1024)
SHA = hashlib.sha256(VIDEO).hexdigest()


def request_for(url: str, root: Path, **kwargs) -> DownloadRequest:
    return DownloadRequest(
        job_id="job1",
        url=url,
        destination=root / "alice" / "Show" / "Show - S01E01 [1080p].mkv",
        temp_dir=root / ".tmp" / "job1",
        **kwargs,
    )


def test_direct_media_url(media, download_dir):
    url = media.add("/ep1.mp4", VIDEO, content_type="video/mp4")
    request = request_for(url, download_dir, quality="1080p")
    sink = MemorySink()
    result = YtdlpBackend().download(request, sink)
    # yt-dlp names the file with the real container's extension.
    assert result.path == download_dir / "alice" / "Show" / "Show - S01E01 [1080p].mp4"
    assert result.path.read_bytes() == VIDEO
    assert result.sha256 == SHA and result.size == len(VIDEO)
    assert not request.temp_dir.exists()  # scratch space cleaned up
    assert sink.calls and max(d for d, _ in sink.calls) == len(VIDEO)
    assert any(r.method == "GET" and r.status in (200, 206) for r in media.requests_for("/ep1.mp4"))


def test_percent_signs_in_the_name_are_literal(media, download_dir):
    url = media.add("/ep1.mp4", VIDEO, content_type="video/mp4")
    request = DownloadRequest(
        job_id="job2",
        url=url,
        destination=download_dir / "alice" / "100% Show" / "100% Show - S01E01 %(id)s.mkv",
        temp_dir=download_dir / ".tmp" / "job2",
    )
    result = YtdlpBackend().download(request, MemorySink())
    assert result.path.name == "100% Show - S01E01 %(id)s.mp4"


def test_cancel_from_the_progress_hook(media, download_dir):
    url = media.add("/ep1.mp4", VIDEO, content_type="video/mp4", rate=1_000_000)
    request = request_for(url, download_dir)
    with pytest.raises(Cancelled):
        YtdlpBackend().download(request, MemorySink(cancel_after=200_000))
    YtdlpBackend().discard(request)
    assert not request.temp_dir.exists()
    assert not list(request.destination.parent.glob("*.mp4"))


def test_missing_video_is_permanent(media, download_dir):
    with pytest.raises(PermanentError):
        YtdlpBackend().download(request_for(media.url("/missing.mp4"), download_dir), MemorySink())


def test_server_error_is_transient(media, download_dir):
    url = media.add("/ep1.mp4", VIDEO, content_type="video/mp4", fail_times=10, fail_status=503)
    with pytest.raises(TransientError, match="503"):
        YtdlpBackend().download(request_for(url, download_dir), MemorySink())


def test_expected_checksum_mismatch_is_permanent(media, download_dir):
    url = media.add("/ep1.mp4", VIDEO, content_type="video/mp4")
    request = request_for(url, download_dir, expected_sha256="0" * 64)
    with pytest.raises(PermanentError, match="checksum"):
        YtdlpBackend().download(request, MemorySink())
    assert not list(request.destination.parent.glob("*.mp4"))


def test_private_addresses_are_refused_unless_allowed(media, download_dir, settings):
    settings.ALLOW_PRIVATE_SOURCES = False
    settings.PRIVATE_SOURCE_ALLOWLIST = []
    url = media.add("/ep1.mp4", VIDEO, content_type="video/mp4")
    with pytest.raises(PermanentError, match="may not be downloaded"):
        YtdlpBackend().download(request_for(url, download_dir), MemorySink())
    assert media.requests_for("/ep1.mp4") == []


@pytest.mark.parametrize(
    ("quality", "merge", "expected"),
    [
        ("auto", False, "b[protocol^=http]/b[protocol=m3u8_native]"),
        (
            "1080p",
            True,
            "bv*[height<=?1080][protocol^=http]+ba[protocol^=http]/b[height<=?1080][protocol^=http]/"
            "bv*[height<=?1080][protocol=m3u8_native]+ba[protocol=m3u8_native]/b[height<=?1080][protocol=m3u8_native]/"
            "bv*[protocol^=http]+ba[protocol^=http]/b[protocol^=http]/"
            "bv*[protocol=m3u8_native]+ba[protocol=m3u8_native]/b[protocol=m3u8_native]",
        ),
        (
            "720p",
            False,
            "b[height<=?720][protocol^=http]/b[height<=?720][protocol=m3u8_native]/"
            "b[protocol^=http]/b[protocol=m3u8_native]",
        ),
    ],
)
def test_format_selector(quality, merge, expected):
    assert format_selector(quality, merge=merge) == expected


def _select(quality: str, formats: list[dict]) -> list[str]:
    """The format ids yt-dlp's own selection engine picks (no network)."""
    import yt_dlp

    info = {"id": "x", "title": "x", "extractor": "generic", "webpage_url": "http://127.0.0.1/x", "formats": formats}
    with yt_dlp.YoutubeDL({"quiet": True, "format": format_selector(quality, merge=False)}) as ydl:
        result = ydl.process_ie_result(info, download=False)
    return [f["format_id"] for f in result.get("requested_formats") or [result]]


def test_formats_outside_the_guard_are_never_chosen():
    rtmp = {
        "format_id": "rtmp-1080",
        "url": "rtmp://10.0.0.1/live",
        "protocol": "rtmp",
        "height": 1080,
        "vcodec": "h264",
        "acodec": "aac",
    }
    https_720 = {
        "format_id": "https-720",
        "url": "https://cdn.example.org/v.mp4",
        "protocol": "https",
        "height": 720,
        "vcodec": "h264",
        "acodec": "aac",
    }
    # The better rtmp format loses to the guarded one...
    assert _select("auto", [rtmp, https_720]) == ["https-720"]
    assert _select("1080p", [rtmp, https_720]) == ["https-720"]
    # ...and with nothing guarded on offer, nothing is downloaded.
    import yt_dlp

    with pytest.raises(yt_dlp.utils.ExtractorError, match="format is not available"):
        _select("auto", [rtmp])
