"""yt-dlp behind the address guard: real YoutubeDL.extract_info calls against
loopback servers, with yt-dlp's own networking (no mocks)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import yt_dlp

from downloads.net import ytdlp_guard_params
from tests.support.httpserver import LoopbackServer


def feed(server: LoopbackServer) -> str:
    items = "".join(
        f"<item><title>Episode {n}</title><link>{server.url(f'/ep{n}.mp4')}</link>"
        f'<enclosure url="{server.url(f"/ep{n}.mp4")}" type="video/mp4" length="100"/></item>'
        for n in (1, 2)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Show</title>{items}</channel></rss>'


@pytest.fixture
def guard(settings) -> Any:
    settings.ALLOW_PRIVATE_SOURCES = False
    settings.PRIVATE_SOURCE_ALLOWLIST = []
    return settings


@pytest.fixture
def other_server() -> Iterator[LoopbackServer]:
    server = LoopbackServer().start()
    yield server
    server.stop()


def extract(url: str, **extra: Any) -> dict[str, Any]:
    params = {"quiet": True, "no_warnings": True, "extract_flat": "in_playlist", **extra, **ytdlp_guard_params()}
    with yt_dlp.YoutubeDL(params) as ydl:
        return ydl.extract_info(url, download=False)


def test_allowlisted_page_is_listed(guard, http_server) -> None:
    guard.PRIVATE_SOURCE_ALLOWLIST = [f"127.0.0.1:{http_server.port}"]
    url = http_server.add("/show.rss", feed(http_server), content_type="application/rss+xml")
    info = extract(url)
    assert info["_type"] == "playlist"
    assert [entry["url"] for entry in info["entries"]] == [http_server.url("/ep1.mp4"), http_server.url("/ep2.mp4")]
    assert len(http_server.requests_for("/show.rss")) >= 1


def test_page_not_allowlisted_is_refused_without_a_connection(guard, http_server, other_server) -> None:
    guard.PRIVATE_SOURCE_ALLOWLIST = [f"127.0.0.1:{other_server.port}"]
    url = http_server.add("/show.rss", feed(http_server), content_type="application/rss+xml")
    with pytest.raises(yt_dlp.utils.DownloadError, match="address 127.0.0.1 is loopback and not allowed"):
        extract(url)
    assert http_server.seen == []


def test_redirect_to_a_server_not_allowed_is_refused(guard, http_server, other_server) -> None:
    guard.PRIVATE_SOURCE_ALLOWLIST = [f"127.0.0.1:{http_server.port}"]
    other_server.add("/show.rss", feed(other_server), content_type="application/rss+xml")
    url = http_server.add("/go", status=302, headers={"Location": other_server.url("/show.rss")})
    with pytest.raises(yt_dlp.utils.DownloadError, match="127.0.0.1 is loopback and not allowed"):
        extract(url)
    assert http_server.requests_for("/go")
    assert other_server.seen == []


def test_redirect_to_a_private_address_is_refused(guard, http_server) -> None:
    guard.PRIVATE_SOURCE_ALLOWLIST = [f"127.0.0.1:{http_server.port}"]
    url = http_server.add("/go", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    # Had the guard missed it, the socket safety net would fail the test.
    with pytest.raises(yt_dlp.utils.DownloadError, match="cloud metadata"):
        extract(url)


def test_the_legacy_urllib_handler_cannot_be_chosen_around_the_guard(guard, http_server) -> None:
    # This compat option boosts yt-dlp's urllib handler, which knows nothing of the guard.
    url = http_server.add("/show.rss", feed(http_server), content_type="application/rss+xml")
    with pytest.raises(yt_dlp.utils.DownloadError, match="not allowed"):
        extract(url, compat_opts=["prefer-legacy-http-handler"])
    assert http_server.seen == []


def test_other_schemes_and_proxies_are_refused(guard, http_server) -> None:
    guard.PRIVATE_SOURCE_ALLOWLIST = [f"127.0.0.1:{http_server.port}"]
    url = http_server.add("/show.rss", feed(http_server), content_type="application/rss+xml")
    with yt_dlp.YoutubeDL({"quiet": True, **ytdlp_guard_params()}) as ydl:
        with pytest.raises(yt_dlp.networking.exceptions.RequestError, match="address guard"):
            ydl.urlopen("ftp://127.0.0.1:21/file")
        with pytest.raises(yt_dlp.networking.exceptions.RequestError, match="proxies"):
            ydl.urlopen(yt_dlp.networking.Request(url, proxies={"all": http_server.url("")}))
        # data: URLs open no connection and still work.
        assert ydl.urlopen("data:text/plain,hello").read() == b"hello"
    assert http_server.seen == []


def test_a_proxy_from_the_environment_is_not_used(guard, http_server, monkeypatch) -> None:
    from tests.support.receivers import CountingListener

    guard.PRIVATE_SOURCE_ALLOWLIST = [f"127.0.0.1:{http_server.port}"]
    proxy = CountingListener().start()
    try:
        for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
            monkeypatch.setenv(name, f"http://127.0.0.1:{proxy.port}")
        url = http_server.add("/show.rss", feed(http_server), content_type="application/rss+xml")

        info = extract(url)

        assert len(info["entries"]) == 2  # fetched directly...
        assert proxy.connections_so_far() == 0  # ...not through the proxy
    finally:
        proxy.stop()


def test_file_urls_are_refused(guard, tmp_path) -> None:
    # Twice over: enable_file_urls is off, and the guard's handler takes no
    # file: URL either (so this holds with either alone).
    secret = tmp_path / "secret.mp4"
    secret.write_bytes(b"not for yt-dlp")
    with pytest.raises(yt_dlp.utils.DownloadError):
        extract(secret.as_uri())


def test_downloads_stay_with_the_guarded_native_downloaders() -> None:
    # External programs (ffmpeg, aria2c) would connect past the guard; what
    # they would fetch cannot be observed here without them, so the options
    # that keep them out are checked as such.
    params = ytdlp_guard_params()
    assert params["external_downloader"] == {"default": "native"}
    assert params["hls_prefer_native"] is True


def test_the_backend_and_the_provider_share_one_yt_dlp_setup(settings, tmp_path, http_server, caplog, capfd) -> None:
    """Both yt-dlp users build their options with the one wrapper: the same
    base options, the same logger routing into Python logging (nothing on
    the terminal), the guard's options last."""
    import logging

    from downloads.backends import DownloadRequest
    from downloads.backends.ytdlp import YtdlpBackend
    from downloads.errors import PermanentError
    from downloads.net.ytdlp import YtdlpLogger, base_params, guard_params
    from tests.support.download_fixtures import MemorySink
    from watchlist.models import Source
    from watchlist.providers.base import ProviderError
    from watchlist.providers.ytdlp import YtDlpProvider, ytdlp_params

    settings.ALLOW_PRIVATE_SOURCES = True
    request = DownloadRequest(
        job_id="j", url=http_server.url("/gone.mp4"), destination=tmp_path / "a.mkv", temp_dir=tmp_path / "t"
    )
    backend_params = YtdlpBackend().params(request, MemorySink())
    provider_params = ytdlp_params()
    base = base_params(logging.getLogger("any"))
    for key in base.keys() - {"logger"}:
        assert backend_params[key] == provider_params[key] == base[key], key
    for key, value in guard_params().items():
        assert backend_params[key] == provider_params[key] == value, key
    assert isinstance(backend_params["logger"], YtdlpLogger)
    assert isinstance(provider_params["logger"], YtdlpLogger)

    capfd.readouterr()
    with caplog.at_level(logging.DEBUG):
        with pytest.raises(PermanentError):
            YtdlpBackend().download(request, MemorySink())
        with pytest.raises(ProviderError):
            YtDlpProvider().list_episodes(Source(provider_id="ytdlp", url=http_server.url("/gone"), lang=""))
    said = {(r.name, r.levelno) for r in caplog.records if r.getMessage().startswith("yt-dlp: ERROR")}
    assert said == {("downloads.backends.ytdlp", logging.INFO), ("watchlist.providers.ytdlp", logging.INFO)}
    out, err = capfd.readouterr()
    assert "ERROR" not in out + err
