"""The address guard, through check_url and through real requests to loopback servers.

The socket safety net (tests/support/socket_guard.py) is the backstop: had
the guard let a request through to 10.0.0.1, the test would fail with a
SocketGuardViolation rather than pass on some other error.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.exceptions import ImproperlyConfigured

from downloads.net import FetchError, UnsafeURL, check_url, fetch, guarded_session
from tests.support.httpserver import LoopbackServer

PUBLIC_IP = "8.8.8.8"  # check_url only resolves; nothing connects to it


@pytest.fixture
def guard(settings):
    """No private sources allowed, empty allow-list; ``allow(server)`` lets one server's port through."""
    settings.ALLOW_PRIVATE_SOURCES = False
    settings.PRIVATE_SOURCE_ALLOWLIST = []

    class Guard:
        @staticmethod
        def allow(*entries: str | LoopbackServer) -> None:
            settings.PRIVATE_SOURCE_ALLOWLIST = [
                *settings.PRIVATE_SOURCE_ALLOWLIST,
                *(f"127.0.0.1:{e.port}" if isinstance(e, LoopbackServer) else e for e in entries),
            ]

    return Guard()


@pytest.fixture
def other_server() -> Iterator[LoopbackServer]:
    server = LoopbackServer().start()
    yield server
    server.stop()


def refused(url: str) -> str:
    with pytest.raises(UnsafeURL) as info:
        check_url(url)
    assert info.value.permanent is True
    return str(info.value)


# --- what is refused ---------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://10.0.0.1/", "address 10.0.0.1 is private and not allowed"),
        ("http://172.16.5.4/", "private"),
        ("http://192.168.1.1:8080/", "private"),
        ("http://169.254.169.254/latest/meta-data/", "address 169.254.169.254 is a cloud metadata endpoint"),
        ("http://[fd00:ec2::254]/", "cloud metadata"),
        ("http://169.254.10.10/", "link-local"),
        ("http://[fe80::1]/", "link-local"),
        ("http://100.64.0.1/", "carrier-grade NAT"),
        ("http://100.127.255.254/", "carrier-grade NAT"),
        ("http://[::1]:8000/", "address ::1 is loopback"),
        ("http://[fc00::1]/", "private"),
        ("http://0.0.0.0:8000/", "unspecified"),
        ("http://[::]/", "unspecified"),
        ("http://224.0.0.1/", "multicast"),
        ("http://[ff02::1]/", "multicast"),
        ("http://255.255.255.255/", "reserved"),
        ("http://192.0.2.1/", "reserved"),
        # IPv6 forms that carry an IPv4 address are judged by that address.
        ("http://[::ffff:10.0.0.1]/", "private (IPv4 10.0.0.1)"),
        ("http://[::ffff:169.254.169.254]/", "cloud metadata endpoint (IPv4 169.254.169.254)"),
        ("http://[::127.0.0.1]/", "loopback (IPv4 127.0.0.1)"),
        ("http://[64:ff9b::a00:1]/", "private (IPv4 10.0.0.1)"),
        ("http://[2002:a00:1::1]/", "private (IPv4 10.0.0.1)"),
        ("http://[64:ff9b:1::1]/", "reserved"),
        # Numeric spellings resolve to the address they hide.
        ("http://2130706433/", "address 127.0.0.1 (from 2130706433) is loopback"),
        ("http://0x7f.1/", "loopback"),
        # Credentials and fragments do not change which host is contacted.
        ("http://127.0.0.1@10.0.0.1/", "address 10.0.0.1 is private"),
        ("http://example.org:80@10.0.0.1/", "address 10.0.0.1 is private"),
        ("http://10.0.0.1#@example.org/", "address 10.0.0.1 is private"),
    ],
)
def test_non_public_addresses_are_refused(guard, url: str, words: str) -> None:
    assert words in refused(url)


def test_ipv4_mapped_loopback_is_refused_like_loopback(guard, http_server) -> None:
    url = f"http://[::ffff:127.0.0.1]:{http_server.port}/feed"
    http_server.add("/feed", "never served")
    assert "loopback (IPv4 127.0.0.1)" in refused(url)
    with pytest.raises(UnsafeURL):
        fetch(url)
    assert http_server.seen == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/x",
        "gopher://127.0.0.1:70/",
        "javascript:alert(1)",
        "//example.org/",
        "",
    ],
)
def test_only_http_and_https_schemes(guard, url: str) -> None:
    assert "only http and https URLs can be fetched" in refused(url)
    with pytest.raises(UnsafeURL):
        fetch(url)


def test_a_public_address_passes(guard, fake_dns) -> None:
    fake_dns.add("public.test", PUBLIC_IP, "2606:4700:4700::1111")
    check_url(f"http://{PUBLIC_IP}/feed")
    check_url("https://public.test/feed")
    check_url("http://[::ffff:8.8.8.8]/")  # a public IPv4 address reached through IPv6


def test_host_names_are_judged_by_what_they_resolve_to(guard, fake_dns) -> None:
    fake_dns.add("loopback.test", "127.0.0.1")
    fake_dns.add("private.test", "10.0.0.1")
    fake_dns.add("mixed.test", PUBLIC_IP, "192.168.1.20")
    assert "address 127.0.0.1 (from loopback.test) is loopback" in refused("http://loopback.test/")
    assert "address 10.0.0.1 (from private.test) is private" in refused("http://private.test/")
    # Every address must pass: which one a connection gets is not ours to choose.
    assert "192.168.1.20 (from mixed.test) is private" in refused("http://mixed.test/")


def test_unresolvable_host_is_a_fetch_error_not_unsafe(guard) -> None:
    with pytest.raises(FetchError) as info:
        check_url("http://no-such-host.test/")
    assert not isinstance(info.value, UnsafeURL)
    assert str(info.value) == "cannot resolve host no-such-host.test"


# --- refused over real connections --------------------------------------------


def test_loopback_server_on_a_port_not_allowlisted_is_never_contacted(guard, http_server, other_server) -> None:
    guard.allow(other_server)
    http_server.add("/feed", "secret")
    with pytest.raises(UnsafeURL, match="address 127.0.0.1 is loopback and not allowed"):
        fetch(http_server.url("/feed"))
    with pytest.raises(UnsafeURL), guarded_session() as session:
        session.get(http_server.url("/feed"))
    assert http_server.seen == []


def test_host_name_resolving_to_loopback_is_never_contacted(guard, http_server, fake_dns) -> None:
    fake_dns.add("loopback.test", "127.0.0.1")
    http_server.add("/feed", "secret")
    with pytest.raises(UnsafeURL, match=r"127\.0\.0\.1 \(from loopback\.test\) is loopback"):
        fetch(f"http://loopback.test:{http_server.port}/feed")
    assert http_server.seen == []


def test_private_address_is_refused_before_connecting(guard) -> None:
    # Had the guard failed, the safety net would have raised SocketGuardViolation instead.
    with pytest.raises(UnsafeURL, match="address 10.0.0.1 is private"):
        fetch("http://10.0.0.1:9/feed", retries=0)
    with pytest.raises(UnsafeURL, match="cloud metadata"), guarded_session() as session:
        session.get("http://169.254.169.254/latest/meta-data/")


def test_redirect_to_a_server_not_allowed_is_refused_and_never_contacted(guard, http_server, other_server) -> None:
    guard.allow(http_server)
    other_server.add("/internal", "secret")
    http_server.add("/hop", status=302, headers={"Location": other_server.url("/internal")})
    with pytest.raises(UnsafeURL, match="127.0.0.1 is loopback and not allowed"):
        fetch(http_server.url("/hop"))
    with pytest.raises(UnsafeURL), guarded_session() as session:
        session.get(http_server.url("/hop"))
    assert len(http_server.requests_for("/hop")) == 2
    assert other_server.seen == []


@pytest.mark.parametrize(
    "location",
    ["http://10.0.0.1/admin", "http://169.254.169.254/latest/meta-data/", "http://[::ffff:10.0.0.1]/", "http://0/"],
)
def test_redirect_to_a_private_address_is_refused(guard, http_server, location: str) -> None:
    guard.allow(http_server)
    http_server.add("/hop", status=301, headers={"Location": location})
    with pytest.raises(UnsafeURL, match="not allowed"):
        fetch(http_server.url("/hop"))


def test_redirect_through_a_host_name_resolving_to_private_is_refused(guard, http_server, fake_dns) -> None:
    guard.allow(http_server)
    fake_dns.add("private.test", "10.0.0.1")
    http_server.add("/hop", status=307, headers={"Location": "http://private.test/admin"})
    with pytest.raises(UnsafeURL, match=r"10\.0\.0\.1 \(from private\.test\) is private"):
        fetch(http_server.url("/hop"))


@pytest.mark.parametrize("location", ["file:///etc/passwd", "gopher://127.0.0.1:70/_x", "ftp://10.0.0.1/"])
def test_redirect_to_another_scheme_is_refused(guard, http_server, location: str) -> None:
    guard.allow(http_server)
    http_server.add("/hop", status=302, headers={"Location": location})
    with pytest.raises(UnsafeURL, match="only http and https"):
        fetch(http_server.url("/hop"))
    assert len(http_server.requests_for("/hop")) == 1  # permanent: not retried


def test_allowed_redirect_is_followed(guard, http_server, other_server) -> None:
    guard.allow(http_server, other_server)
    other_server.add("/feed", "<rss/>")
    http_server.add("/hop", status=302, headers={"Location": other_server.url("/feed")})
    response = fetch(http_server.url("/hop"))
    assert response.text == "<rss/>"
    assert response.url == other_server.url("/feed")


def test_too_many_redirects(guard, http_server) -> None:
    guard.allow(http_server)
    http_server.add("/loop", status=302, headers={"Location": "/loop"})
    with pytest.raises(FetchError, match="too many redirects") as info:
        fetch(http_server.url("/loop"))
    assert info.value.permanent
    assert len(http_server.requests_for("/loop")) == 6  # the first request and 5 redirects


# --- what the administrator can allow --------------------------------------------


def test_allowlist_host_port_allows_only_that_port(guard, http_server, other_server) -> None:
    guard.allow(http_server)
    http_server.add("/feed", "ok")
    other_server.add("/feed", "ok")
    assert fetch(http_server.url("/feed")).text == "ok"
    check_url(http_server.url("/feed"))
    # The same socket spelled as an IPv4-mapped IPv6 address is the same entry.
    check_url(f"http://[::ffff:127.0.0.1]:{http_server.port}/feed")
    with pytest.raises(UnsafeURL):
        fetch(other_server.url("/feed"))
    assert other_server.seen == []


@pytest.mark.parametrize(
    ("entry", "url"),
    [
        ("127.0.0.0/8", "http://127.0.0.5:1234/"),
        ("10.0.0.0/8", "http://10.1.2.3/"),
        ("10.1.2.3", "http://10.1.2.3:8080/"),
        ("10.1.2.3:8080", "http://10.1.2.3:8080/"),
        ("[fd12::1]:443", "https://[fd12::1]/"),
        ("fd12::/16", "http://[fd12::99]/"),
        ("nas.test", "http://nas.test:8096/"),
        ("NAS.test:8096", "http://nas.test:8096/"),
        ("169.254.169.254", "http://169.254.169.254/"),  # only an explicit entry opens metadata
    ],
)
def test_allowlist_entries(guard, fake_dns, entry: str, url: str) -> None:
    fake_dns.add("nas.test", "192.168.1.20")
    guard.allow(entry)
    check_url(url)


@pytest.mark.parametrize(
    ("entry", "url"),
    [
        ("10.1.2.3:8080", "http://10.1.2.3/"),
        ("10.1.2.3", "http://10.1.2.4/"),
        ("nas.test", "http://other.test/"),  # same address, but the entry names a host
        ("nas.test:80", "http://nas.test:8096/"),
    ],
)
def test_allowlist_entries_do_not_allow_more(guard, fake_dns, entry: str, url: str) -> None:
    fake_dns.add("nas.test", "192.168.1.20")
    fake_dns.add("other.test", "192.168.1.20")
    guard.allow(entry)
    refused(url)


def test_malformed_allowlist_entry_is_a_configuration_error(guard) -> None:
    guard.allow("http://nas.test/path")
    with pytest.raises(ImproperlyConfigured, match="PRIVATE_SOURCE_ALLOWLIST"):
        check_url("http://10.0.0.1/")


def test_allow_private_sources_opens_the_lan(guard, settings, http_server, fake_dns) -> None:
    settings.ALLOW_PRIVATE_SOURCES = True
    fake_dns.add("loopback.test", "127.0.0.1")
    http_server.add("/feed", "ok")
    for url in (
        "http://10.0.0.1/",
        "http://192.168.1.1/",
        "http://[::ffff:10.0.0.1]/",
        "http://100.64.0.1/",
        "http://169.254.10.10/",
        "http://[::1]/",
        "http://[fd12::1]/",
    ):
        check_url(url)
    assert fetch(http_server.url("/feed")).text == "ok"
    assert fetch(f"http://loopback.test:{http_server.port}/feed").text == "ok"
    assert http_server.requests_for("/feed")[-1].headers["host"] == f"loopback.test:{http_server.port}"


@pytest.mark.parametrize(
    "url", ["http://169.254.169.254/", "http://[fd00:ec2::254]/", "http://0.0.0.0/", "http://224.0.0.1/"]
)
def test_allow_private_sources_does_not_open_metadata_or_odd_addresses(guard, settings, url: str) -> None:
    settings.ALLOW_PRIVATE_SOURCES = True
    refused(url)


# --- the checked address is the one connected to ------------------------------


def test_dns_rebinding_cannot_swap_the_address_after_the_check(guard, http_server, fake_dns) -> None:
    # The first answer is allowed, every later one is private. Each new
    # connection resolves once and connects to exactly what it checked, so
    # the fetch either reaches the allowed server or is refused, and never
    # touches 10.0.0.1 (the safety net would fail the test).
    guard.allow(http_server)
    http_server.add("/feed", "ok")
    fake_dns.sequence("rebind.test", ["127.0.0.1"], ["10.0.0.1"])
    assert fetch(f"http://rebind.test:{http_server.port}/feed").text == "ok"
    assert fake_dns.lookups["rebind.test"] == 1
    with pytest.raises(UnsafeURL, match=r"10\.0\.0\.1 \(from rebind\.test\)"):
        fetch(f"http://rebind.test:{http_server.port}/feed")
    assert len(http_server.requests_for("/feed")) == 1


def test_proxies_are_refused(guard, http_server) -> None:
    guard.allow(http_server)
    with pytest.raises(UnsafeURL, match="proxies"), guarded_session() as session:
        session.get(http_server.url("/feed"), proxies={"http": http_server.url("")})
    assert http_server.seen == []
