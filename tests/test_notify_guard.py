"""The address guard at the socket layer (downloads/net/sockets.py): what a
library that opens its own connections may reach inside
guarded_connections(), with real sockets on 127.0.0.1."""

from __future__ import annotations

import contextvars
import socket
import threading

import pytest

from downloads.net.sockets import ConnectionRefusedByGuard, guarded_connections
from tests.support.receivers import CountingListener


@pytest.fixture
def listener():
    server = CountingListener().start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def strict_rules(settings):
    settings.ALLOW_PRIVATE_SOURCES = False
    settings.PRIVATE_SOURCE_ALLOWLIST = []


def _connect(host: str, port: int) -> None:
    with socket.create_connection((host, port), timeout=2):
        pass


def test_outside_a_guarded_block_nothing_changes(listener):
    _connect("127.0.0.1", listener.port)
    assert listener.connections_so_far() == 1


def test_loopback_is_refused_inside_and_nothing_connects(listener):
    with (
        guarded_connections() as scope,
        pytest.raises(ConnectionRefusedByGuard, match="address 127.0.0.1 is loopback and not allowed"),
    ):
        _connect("127.0.0.1", listener.port)
    assert scope.refusals == ["address 127.0.0.1 is loopback and not allowed"]
    assert listener.connections_so_far() == 0


def test_an_allow_list_entry_for_the_port_lets_it_through(settings, listener):
    settings.PRIVATE_SOURCE_ALLOWLIST = [f"127.0.0.1:{listener.port}"]
    with guarded_connections() as scope:
        _connect("127.0.0.1", listener.port)
    assert scope.refusals == []
    assert listener.connections_so_far() == 1


def test_a_name_that_resolves_to_a_private_address_is_refused_at_the_lookup(fake_dns):
    fake_dns.add("nas.test", "10.0.0.5")
    with (
        guarded_connections(),
        pytest.raises(ConnectionRefusedByGuard, match=r"10\.0\.0\.5 \(from nas\.test\) is private"),
    ):
        # Refused before any connect: the test's socket safety net never sees 10.0.0.5.
        _connect("nas.test", 80)


def test_metadata_addresses_stay_refused_even_with_private_sources_allowed(settings):
    settings.ALLOW_PRIVATE_SOURCES = True
    with guarded_connections(), pytest.raises(ConnectionRefusedByGuard, match="cloud metadata endpoint"):
        _connect("169.254.169.254", 80)


def test_allow_list_by_name_covers_the_name_not_the_bare_address(settings, fake_dns, listener):
    fake_dns.add("hooks.test", "127.0.0.1")
    settings.PRIVATE_SOURCE_ALLOWLIST = ["hooks.test"]
    with guarded_connections():
        _connect("hooks.test", listener.port)
    assert listener.connections_so_far() == 1
    with guarded_connections(), pytest.raises(ConnectionRefusedByGuard):
        _connect("127.0.0.1", listener.port)
    assert listener.connections_so_far() == 1


def test_a_name_that_changes_its_answer_between_check_and_connect_is_refused(settings, fake_dns, listener):
    # The guard's lookup sees an allowed address; the library's own lookup
    # right after gets another one (DNS rebinding): that one was never
    # approved and is judged on its own.
    fake_dns.sequence("rebind.test", ["127.0.0.1"], ["127.0.0.2"])
    settings.PRIVATE_SOURCE_ALLOWLIST = ["rebind.test"]
    with guarded_connections(), pytest.raises(ConnectionRefusedByGuard, match="127.0.0.2 is loopback"):
        _connect("rebind.test", listener.port)
    assert fake_dns.lookups["rebind.test"] == 2


def test_local_sockets_are_refused(tmp_path):
    path = tmp_path / "redis.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(1)
    try:
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        with guarded_connections(), pytest.raises(ConnectionRefusedByGuard, match="local sockets"):
            client.connect(str(path))
        client.close()
    finally:
        server.close()


def test_datagrams_are_checked_too():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        with guarded_connections(), pytest.raises(ConnectionRefusedByGuard, match="loopback"):
            sock.sendto(b"x", ("127.0.0.1", 9))
    finally:
        sock.close()


def test_work_handed_to_a_thread_with_the_callers_context_is_guarded(listener):
    # What Apprise's dispatcher does (contextvars.copy_context() per worker).
    errors: list[BaseException] = []

    def work() -> None:
        try:
            _connect("127.0.0.1", listener.port)
        except ConnectionRefusedByGuard as exc:
            errors.append(exc)

    with guarded_connections():
        context = contextvars.copy_context()
        thread = threading.Thread(target=context.run, args=(work,))
        thread.start()
        thread.join()
    assert len(errors) == 1
    assert listener.connections_so_far() == 0
