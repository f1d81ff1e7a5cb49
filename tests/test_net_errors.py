"""One rule for "is this worth retrying": every outgoing client (fetch(),
the HTTP and yt-dlp download backends, the yt-dlp provider) reads the same
statuses the same way, and finds the real failure inside wrapped exceptions
with the same walker."""

from __future__ import annotations

import io
import socket

import pytest
import requests
import urllib3
from yt_dlp.networking import Response as YtdlpResponse
from yt_dlp.networking.exceptions import HTTPError as YtdlpHTTPError
from yt_dlp.utils import DownloadError, ExtractorError

from downloads import net
from downloads.backends import http as http_backend
from downloads.backends import ytdlp as ytdlp_backend
from downloads.errors import PermanentError, TransientError
from downloads.net import client as net_client
from downloads.net.errors import causes, find_cause, is_transient_status
from tests.support.httpserver import LoopbackServer
from watchlist.models import Source
from watchlist.providers import ytdlp as ytdlp_provider
from watchlist.providers.base import ProviderError

STATUSES = [400, 401, 403, 404, 405, 408, 410, 418, 422, 425, 429, 451, 500, 501, 502, 503, 504, 599]
TRANSIENT = {408, 425, 429, 500, 501, 502, 503, 504, 599}


@pytest.mark.parametrize("status", STATUSES)
def test_the_rule(status: int) -> None:
    assert is_transient_status(status) is (status in TRANSIENT)


def _requests_response(status: int) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response.url = "http://127.0.0.1/file"
    response.reason = ""
    return response


def _ytdlp_http_error(status: int) -> YtdlpHTTPError:
    return YtdlpHTTPError(YtdlpResponse(io.BytesIO(b""), "http://127.0.0.1/page", {}, status=status))


@pytest.mark.parametrize("status", STATUSES)
def test_every_client_decides_a_status_the_same_way(status: int) -> None:
    expected_transient = status in TRANSIENT

    client_error = net_client._status_error(_requests_response(status))
    assert client_error.permanent is not expected_transient

    backend_error = http_backend._status_error(_requests_response(status))
    assert isinstance(backend_error, TransientError if expected_transient else PermanentError)

    # yt-dlp wraps what went wrong: the download error holds it in exc_info.
    wrapped = _ytdlp_http_error(status)
    try:
        raise DownloadError("ERROR: HTTP Error", exc_info=(type(wrapped), wrapped, None))
    except DownloadError as exc:
        mapped = ytdlp_backend._map_error(exc)
        assert isinstance(mapped, TransientError if expected_transient else PermanentError)
        assert ytdlp_provider._is_permanent(exc) is not expected_transient


@pytest.fixture
def server(settings, http_server: LoopbackServer) -> LoopbackServer:
    settings.ALLOW_PRIVATE_SOURCES = False
    settings.PRIVATE_SOURCE_ALLOWLIST = [f"127.0.0.1:{http_server.port}"]
    return http_server


@pytest.mark.parametrize("status", [408, 425])
def test_fetch_retries_a_request_timeout_and_too_early(server: LoopbackServer, status: int) -> None:
    replies = iter([(status, {}, b"later"), (200, {}, b"done")])
    server.add("/flaky", handler=lambda _seen: next(replies))

    response = net.fetch(server.url("/flaky"), retries=1)

    assert response.text == "done"
    assert [r.status for r in server.requests_for("/flaky")] == [status, 200]


@pytest.mark.parametrize("status", [408, 425])
def test_the_provider_keeps_a_page_answering_408_or_425_for_later(server: LoopbackServer, status: int) -> None:
    url = server.add("/channel", "not now", status=status)

    with pytest.raises(ProviderError) as excinfo:
        ytdlp_provider.YtDlpProvider().list_episodes(Source(provider_id="ytdlp", url=url, lang=""))

    assert excinfo.value.permanent is False
    assert server.requests_for("/channel")


def test_causes_walks_every_place_a_library_keeps_the_real_failure() -> None:
    dns = socket.gaierror(-2, "Name or service not known")
    retry = urllib3.exceptions.MaxRetryError(None, "/", reason=dns)  # urllib3: .reason
    connection = requests.ConnectionError(retry)  # requests: args
    extractor = ExtractorError("unable to download", cause=connection)  # yt-dlp: .cause
    download = DownloadError("ERROR: unable", exc_info=(ExtractorError, extractor, None))  # yt-dlp: .exc_info
    try:
        try:
            raise download
        except DownloadError as inner:
            raise RuntimeError("while listing") from inner  # Python: __cause__
    except RuntimeError as outer:
        raised = outer
    found = list(causes(raised))

    assert found[0] is raised  # the exception itself comes first
    for expected in (download, extractor, connection, retry, dns):
        assert any(cause is expected for cause in found)
    assert find_cause(raised, socket.gaierror) is dns
    assert find_cause(raised, net.UnsafeURL) is None


def test_causes_survives_a_cycle_and_reports_each_exception_once() -> None:
    first = ValueError("first")
    second = KeyError("second")
    first.__context__ = second
    second.__context__ = first

    assert list(causes(first)) == [first, second]
