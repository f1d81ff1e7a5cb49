"""The HTTP backend against a real Range-capable server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import time
from email.utils import formatdate
from pathlib import Path

import pytest

from downloads.backends import DownloadRequest
from downloads.backends.http import HttpBackend, parse_content_range, parse_retry_after, parse_sha256_digest
from downloads.errors import Cancelled, PermanentError, TransientError
from downloads.files import part_path
from tests.support.download_fixtures import MemorySink
from tests.support.httpserver import LoopbackServer
from tests.support.media_server import random_bytes, sha256_digest_header

SIZE = 3 * 1024 * 1024 + 123  # more than one 1 MiB chunk, not a multiple of it
BODY = random_bytes(SIZE, seed=1)
SHA = hashlib.sha256(BODY).hexdigest()


def request_for(url: str, root: Path, expected_sha256: str = "") -> DownloadRequest:
    return DownloadRequest(
        job_id="test",
        url=url,
        destination=root / "alice" / "Show" / "Show - S01E01.mkv",
        temp_dir=root / ".tmp" / "test",
        expected_sha256=expected_sha256,
    )


def run(url: str, root: Path, sink: MemorySink | None = None, **kwargs):
    sink = sink if sink is not None else MemorySink()
    return HttpBackend().download(request_for(url, root, **kwargs), sink), sink


def test_full_download(media, download_dir):
    url = media.add("/ep1.mkv", BODY)
    result, sink = run(url, download_dir)
    assert result.sha256 == SHA and result.size == SIZE
    assert result.path.read_bytes() == BODY
    assert not part_path(result.path).exists()
    [seen] = media.requests_for("/ep1.mkv")
    assert seen.headers["accept-encoding"] == "identity"
    assert "range" not in seen.headers
    assert sink.state["validator"] == media.files["/ep1.mkv"].current_etag()
    assert sink.state["total"] == SIZE
    # Progress rises to the total; a 1 MiB read size means a handful of calls, not thousands.
    done = [d for d, _ in sink.calls]
    assert done == sorted(done) and done[-1] == SIZE
    assert sink.flushes >= 1


def test_interrupted_download_resumes_with_range_and_if_range(media, download_dir):
    url = media.add("/ep1.mkv", BODY, truncate_times=1, truncate_after=1_000_000)
    sink = MemorySink()
    with pytest.raises(TransientError, match=r"interrupted|closed early"):
        run(url, download_dir, sink)
    part = part_path(request_for(url, download_dir).destination)
    assert part.stat().st_size == 1_000_000

    result, _ = run(url, download_dir, MemorySink(state=sink.state))
    assert result.sha256 == SHA
    assert result.path.read_bytes() == BODY
    _, second = media.requests_for("/ep1.mkv")
    assert second.headers["range"] == "bytes=1000000-"
    assert second.headers["if-range"] == media.files["/ep1.mkv"].current_etag()
    assert second.status == 206
    assert second.bytes_sent == SIZE - 1_000_000  # only the missing bytes crossed the wire


def test_resume_with_last_modified_when_there_is_no_etag(media, download_dir):
    url = media.add(
        "/ep1.mkv", BODY, send_etag=False, last_modified=1_700_000_000, truncate_times=1, truncate_after=500_000
    )
    sink = MemorySink()
    with pytest.raises(TransientError):
        run(url, download_dir, sink)
    result, _ = run(url, download_dir, MemorySink(state=sink.state))
    assert result.sha256 == SHA
    second = media.requests_for("/ep1.mkv")[1]
    assert second.headers["if-range"] == formatdate(1_700_000_000, usegmt=True)
    assert second.status == 206


def test_no_usable_validator_means_start_over(media, download_dir):
    # A weak ETag cannot be used in If-Range, and there is no Last-Modified.
    url = media.add(
        "/ep1.mkv", BODY, weak_etag=True, send_last_modified=False, truncate_times=1, truncate_after=500_000
    )
    sink = MemorySink()
    with pytest.raises(TransientError):
        run(url, download_dir, sink)
    result, _ = run(url, download_dir, MemorySink(state=sink.state))
    assert result.sha256 == SHA
    second = media.requests_for("/ep1.mkv")[1]
    assert "range" not in second.headers and second.status == 200


def test_file_changed_upstream_if_range_gets_the_whole_new_file(media, download_dir):
    url = media.add("/ep1.mkv", BODY, truncate_times=1, truncate_after=1_000_000)
    sink = MemorySink()
    with pytest.raises(TransientError):
        run(url, download_dir, sink)
    new_body = random_bytes(SIZE - 1000, seed=2)
    media.replace("/ep1.mkv", new_body)

    result, sink2 = run(url, download_dir, MemorySink(state=sink.state))
    second = media.requests_for("/ep1.mkv")[1]
    assert second.headers["range"] == "bytes=1000000-" and second.status == 200
    assert result.path.read_bytes() == new_body  # no splice of old and new bytes
    assert result.sha256 == hashlib.sha256(new_body).hexdigest()
    assert sink2.state["validator"] == media.files["/ep1.mkv"].current_etag()


def test_server_without_range_support_restarts_from_zero(media, download_dir):
    url = media.add("/ep1.mkv", BODY, truncate_times=1, truncate_after=700_000)
    sink = MemorySink()
    with pytest.raises(TransientError):
        run(url, download_dir, sink)
    media.configure("/ep1.mkv", accept_ranges=False)
    result, _ = run(url, download_dir, MemorySink(state=sink.state))
    assert result.path.read_bytes() == BODY
    assert media.requests_for("/ep1.mkv")[1].status == 200


def test_part_already_complete_is_finished_without_downloading_again(media, download_dir):
    url = media.add("/ep1.mkv", BODY)
    request = request_for(url, download_dir)
    part = part_path(request.destination)
    part.parent.mkdir(parents=True)
    part.write_bytes(BODY)  # a worker died between the last byte and the rename
    state = {"validator": media.files["/ep1.mkv"].current_etag(), "total": SIZE}
    result = HttpBackend().download(request, MemorySink(state=state))
    assert result.sha256 == SHA and result.path.read_bytes() == BODY
    [seen] = media.requests_for("/ep1.mkv")
    assert seen.status == 416 and seen.bytes_sent == 0


def test_wrong_range_start_restarts(download_dir, http_server: LoopbackServer):
    calls = []

    def handler(seen):
        calls.append(seen.headers.get("range"))
        if "range" in seen.headers:
            # Claims to resume but starts at the wrong byte.
            return 206, {"Content-Range": f"bytes 10-{SIZE - 1}/{SIZE}", "ETag": '"a"'}, BODY[10:]
        return 200, {"ETag": '"a"'}, BODY

    http_server.add("/ep.mkv", handler=handler)
    request = request_for(http_server.url("/ep.mkv"), download_dir)
    part_path(request.destination).parent.mkdir(parents=True)
    part_path(request.destination).write_bytes(BODY[:5000])
    result = HttpBackend().download(request, MemorySink(state={"validator": '"a"', "total": SIZE}))
    assert result.sha256 == SHA
    assert calls == ["bytes=5000-", None]


@pytest.mark.parametrize(
    ("status", "retry_after", "expected"),
    [(503, "7", 7.0), (429, "3", 3.0), (500, None, None), (502, None, None), (408, None, None)],
)
def test_transient_statuses(media, download_dir, status, retry_after, expected):
    url = media.add("/ep1.mkv", BODY, fail_times=1, fail_status=status, retry_after=retry_after)
    with pytest.raises(TransientError) as caught:
        run(url, download_dir)
    assert str(status) in caught.value.message
    assert caught.value.retry_after == expected
    # The next attempt gets through.
    result, _ = run(url, download_dir)
    assert result.sha256 == SHA


def test_retry_after_as_a_date():
    assert 50 < parse_retry_after(formatdate(time.time() + 60, usegmt=True)) <= 60
    assert parse_retry_after("soon") is None


@pytest.mark.parametrize(
    ("status", "words"), [(404, "not found"), (410, "removed"), (403, "refused"), (400, "rejected")]
)
def test_permanent_statuses(media, download_dir, status, words):
    url = media.add("/ep1.mkv", BODY, fail_times=1, fail_status=status)
    with pytest.raises(PermanentError, match=words):
        run(url, download_dir)


def test_missing_file_is_permanent(media, download_dir):
    with pytest.raises(PermanentError, match="404"):
        run(media.url("/nothing.mkv"), download_dir)


def test_stall_is_detected_by_the_read_timeout(media, download_dir, settings):
    settings.DOWNLOAD_STALL_SECONDS = 1
    url = media.add("/ep1.mkv", BODY, stall_times=1, stall_after=600_000, stall_seconds=10)
    started = time.monotonic()
    with pytest.raises(TransientError, match="stalled"):
        run(url, download_dir)
    assert time.monotonic() - started < 5
    part = part_path(request_for(url, download_dir).destination)
    assert part.stat().st_size == 600_000  # kept for the resume


def test_unreachable_server_is_transient(download_dir):
    with pytest.raises(TransientError):
        run("http://127.0.0.1:9/ep.mkv", download_dir)  # discard port: connection refused


def test_content_length_longer_than_the_body_is_a_transient_truncation(media, download_dir):
    url = media.add("/ep1.mkv", BODY, length_delta=+1000)
    with pytest.raises(TransientError, match=r"interrupted|closed early"):
        run(url, download_dir)


def test_content_length_shorter_than_the_body_is_caught_by_the_digest(media, download_dir):
    # The server sends 1000 bytes less than the file has; only a digest can tell.
    url = media.add("/ep1.mkv", BODY, length_delta=-1000, repr_digest=True)
    with pytest.raises(PermanentError, match="checksum"):
        run(url, download_dir)
    assert not part_path(request_for(url, download_dir).destination).exists()


def test_content_digest_is_verified(media, download_dir):
    url = media.add("/ep1.mkv", BODY, content_digest=True)
    result, sink = run(url, download_dir)
    assert result.sha256 == SHA
    assert sink.state["sha256"] == SHA


def test_wrong_content_digest_fails_and_removes_the_part(media, download_dir):
    url = media.add("/ep1.mkv", BODY, content_digest=sha256_digest_header(b"something else"))
    with pytest.raises(PermanentError, match="checksum"):
        run(url, download_dir)
    request = request_for(url, download_dir)
    assert not part_path(request.destination).exists() and not request.destination.exists()


def test_digests_on_a_resumed_download(media, download_dir):
    # Content-Digest of a 206 covers the range sent; Repr-Digest the whole file.
    url = media.add("/ep1.mkv", BODY, truncate_times=1, truncate_after=1_500_000, content_digest=True, repr_digest=True)
    sink = MemorySink()
    with pytest.raises(TransientError):
        run(url, download_dir, sink)
    result, _ = run(url, download_dir, MemorySink(state=sink.state))
    assert result.sha256 == SHA
    assert media.requests_for("/ep1.mkv")[1].status == 206


def test_resumed_part_that_does_not_match_the_digest_starts_over(media, download_dir):
    url = media.add("/ep1.mkv", BODY, repr_digest=True)
    request = request_for(url, download_dir)
    part = part_path(request.destination)
    part.parent.mkdir(parents=True)
    part.write_bytes(b"\0" * 1000)  # corrupt bytes under the right validator
    state = {"validator": media.files["/ep1.mkv"].current_etag(), "total": SIZE, "sha256": SHA}
    with pytest.raises(TransientError, match="starting over"):
        HttpBackend().download(request, MemorySink(state=state))
    assert not part.exists()
    result = HttpBackend().download(request, MemorySink())
    assert result.sha256 == SHA


def test_expected_sha256_from_the_caller(media, download_dir):
    url = media.add("/ep1.mkv", BODY)
    result, _ = run(url, download_dir, expected_sha256=SHA.upper())
    assert result.sha256 == SHA
    result.path.unlink()
    with pytest.raises(PermanentError, match="expected checksum"):
        run(url, download_dir, expected_sha256="0" * 64)


def test_not_enough_free_space_is_permanent_and_writes_nothing(media, download_dir, settings):
    settings.DOWNLOAD_MIN_FREE_BYTES = 10**18  # more than any disk has free
    url = media.add("/ep1.mkv", BODY)
    with pytest.raises(PermanentError, match="Not enough free disk space"):
        run(url, download_dir)
    assert not part_path(request_for(url, download_dir).destination).exists()


def test_cancel_from_the_progress_sink_stops_and_discard_removes_the_part(media, download_dir):
    url = media.add("/ep1.mkv", BODY, rate=2_000_000)
    sink = MemorySink(cancel_after=300_000)
    with pytest.raises(Cancelled):
        run(url, download_dir, sink)
    request = request_for(url, download_dir)
    assert part_path(request.destination).exists()
    HttpBackend().discard(request)
    assert not part_path(request.destination).exists()
    assert not request.destination.exists()


def test_private_addresses_are_refused_unless_allowed(media, download_dir, settings):
    settings.ALLOW_PRIVATE_SOURCES = False
    settings.PRIVATE_SOURCE_ALLOWLIST = []
    url = media.add("/ep1.mkv", BODY)
    with pytest.raises(PermanentError, match="may not be downloaded"):
        run(url, download_dir)
    assert media.requests_for("/ep1.mkv") == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("bytes 0-9/10", (0, 9, 10)),
        ("bytes 5-9/*", (5, 9, None)),
        ("bytes 5-4/10", None),
        ("bytes 0-10/10", None),
        ("bytes */10", None),
        ("items 0-1/2", None),
        (None, None),
    ],
)
def test_parse_content_range(value, expected):
    parsed = parse_content_range(value)
    assert (None if parsed is None else (parsed.start, parsed.end, parsed.total)) == expected


def test_parse_digest():
    assert parse_sha256_digest(sha256_digest_header(b"abc")) == hashlib.sha256(b"abc").hexdigest()
    assert parse_sha256_digest("sha-512=:AAAA:, " + sha256_digest_header(b"x")) == hashlib.sha256(b"x").hexdigest()
    assert parse_sha256_digest("sha-256=:not base64!:") is None
    assert parse_sha256_digest("sha-256=:AAAA:") is None  # wrong length
    assert parse_sha256_digest(None) is None


def test_a_torrent_file_is_refused_not_saved_as_the_video(download_dir, http_server: LoopbackServer):
    url = http_server.add("/download", b"d4:infod4:name3:abcee", content_type="application/x-bittorrent")
    request = request_for(url + "?id=7", download_dir)
    with pytest.raises(PermanentError, match="torrent file, not the video"):
        HttpBackend().download(request, MemorySink())
    assert not request.destination.exists()
    assert not part_path(request.destination).exists()
