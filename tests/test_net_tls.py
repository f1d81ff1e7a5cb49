"""HTTPS through the guard: the connection goes to the checked address while
SNI, the Host header and certificate checks keep the URL's host name."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from socket import AF_INET6

import pytest
import requests

from downloads.net import FetchError, fetch, guarded_session
from tests.support.httpserver import LoopbackServer


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    command = "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=secure.test"
    command += " -addext subjectAltName=DNS:secure.test"
    subprocess.run([*command.split(), "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


@pytest.fixture
def tls_server(certificate: tuple[Path, Path]) -> Iterator[tuple[LoopbackServer, list[str]]]:
    """The test-suite's loopback server behind TLS; also yields the SNI names it was sent."""
    server_names: list[str] = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    context.sni_callback = lambda _sock, name, _ctx: server_names.append(name)
    server = LoopbackServer()
    server._httpd.socket = context.wrap_socket(server._httpd.socket, server_side=True)
    server.start()
    yield server, server_names
    server.stop()


def test_https_keeps_the_host_name_for_sni_host_and_certificate(settings, fake_dns, tls_server, certificate) -> None:
    server, server_names = tls_server
    fake_dns.add("secure.test", "127.0.0.1")
    settings.ALLOW_PRIVATE_SOURCES = False
    settings.PRIVATE_SOURCE_ALLOWLIST = [f"127.0.0.1:{server.port}"]
    server.add("/feed", "<rss/>")
    with guarded_session() as session:
        response = session.get(f"https://secure.test:{server.port}/feed", verify=str(certificate[0]))
    assert response.text == "<rss/>"
    assert server_names == ["secure.test"]
    assert server.requests_for("/feed")[0].headers["host"] == f"secure.test:{server.port}"


def test_https_certificate_is_checked_against_the_host_name(settings, fake_dns, tls_server, certificate) -> None:
    server, _names = tls_server
    fake_dns.add("other.test", "127.0.0.1")
    settings.PRIVATE_SOURCE_ALLOWLIST = [f"127.0.0.1:{server.port}"]
    server.add("/feed", "<rss/>")
    # Right address, wrong name: pinning the address must not skip the name check.
    with pytest.raises(requests.exceptions.SSLError, match="Hostname mismatch"), guarded_session() as session:
        session.get(f"https://other.test:{server.port}/feed", verify=str(certificate[0]))
    # fetch() trusts only the public CAs: a self-signed certificate is a permanent error.
    fake_dns.add("secure.test", "127.0.0.1")
    with pytest.raises(FetchError, match="secure connection to secure.test failed") as info:
        fetch(f"https://secure.test:{server.port}/feed")
    assert info.value.permanent is True
    assert server.seen == []


class _V6Server(ThreadingHTTPServer):
    address_family = AF_INET6
    daemon_threads = True


class _Hello(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"v6")

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_ipv6_loopback_literal_when_private_sources_are_allowed(settings) -> None:
    try:
        httpd = _V6Server(("::1", 0), _Hello)
    except OSError:
        pytest.skip("no IPv6 loopback here")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://[::1]:{httpd.server_address[1]}/"
        settings.ALLOW_PRIVATE_SOURCES = False
        settings.PRIVATE_SOURCE_ALLOWLIST = []
        with pytest.raises(FetchError, match="address ::1 is loopback"):
            fetch(url)
        settings.ALLOW_PRIVATE_SOURCES = True
        assert fetch(url).text == "v6"
        settings.ALLOW_PRIVATE_SOURCES = False
        settings.PRIVATE_SOURCE_ALLOWLIST = [f"[::1]:{httpd.server_address[1]}"]
        assert fetch(url).text == "v6"
    finally:
        httpd.shutdown()
        httpd.server_close()
