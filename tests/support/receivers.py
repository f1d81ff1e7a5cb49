"""Real receivers on 127.0.0.1 for notification tests: an HTTP server that
records what is POSTed to it (Apprise's json:// and form:// send there), an
SMTP server (aiosmtpd) that keeps the mails it gets, and a bare TCP listener
that counts connections (a stand-in for Redis on 6379)."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler
from typing import Any

from .threaded_server import LoopbackHTTPServer, ThreadedServer


@dataclass
class Posted:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Answer:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


class _Handler(BaseHTTPRequestHandler):
    server: LoopbackHTTPServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        owner = self.server.owner
        posted = Posted(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
        answer = owner.answer_for(posted)
        with owner.lock:
            owner.posted.append(posted)
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()


class WebhookReceiver(ThreadedServer):
    """Answers every POST with 200 unless ``answers`` (a list consumed in
    order, or a callable) says otherwise; ``posted`` is what arrived."""

    def __init__(self) -> None:
        self.posted: list[Posted] = []
        self.lock = threading.Lock()
        self.answers: list[Answer] | Callable[[Posted], Answer] = []
        super().__init__(_Handler)

    def answer_for(self, posted: Posted) -> Answer:
        if callable(self.answers):
            return self.answers(posted)
        with self.lock:
            return self.answers.pop(0) if self.answers else Answer()

    @property
    def netloc(self) -> str:
        return f"127.0.0.1:{self.port}"


class SmtpReceiver:
    """aiosmtpd on 127.0.0.1: every mail it accepts lands in ``messages``."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        receiver = self

        class _Keep:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                receiver.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
                receiver.messages.append(message_from_bytes(envelope.content, policy=policy.default))
                return "250 Message accepted for delivery"

        port = _free_port()
        self._controller = Controller(_Keep(), hostname="127.0.0.1", port=port)
        self.port = port

    def start(self) -> SmtpReceiver:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()


class CountingListener:
    """A TCP port that accepts and counts connections, then drops them."""

    def __init__(self) -> None:
        self.connections = 0
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.1)
        self.port = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._probes: dict[tuple[str, int], threading.Event] = {}
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, peer = self._sock.accept()
            except (TimeoutError, OSError):
                continue
            conn.close()
            with self._lock:
                probe = self._probes.pop(peer[:2], None)
                if probe is None:
                    self.connections += 1
            if probe is not None:
                probe.set()

    def start(self) -> CountingListener:
        self._thread.start()
        return self

    def connections_so_far(self, timeout: float = 5.0) -> int:
        """How many connections were made before this call, counted for sure
        without a fixed wait: a probe connection of our own goes in after
        them, and accept() takes connections in the order they arrived, so
        once the probe is taken every earlier one has been counted. (Not
        counted itself: it is known by its source address.)"""
        probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            probe.bind(("127.0.0.1", 0))
            taken = threading.Event()
            with self._lock:
                self._probes[probe.getsockname()[:2]] = taken
            probe.settimeout(timeout)
            probe.connect(("127.0.0.1", self.port))
            if not taken.wait(timeout):
                raise AssertionError("the listener did not take the probe connection")
        finally:
            probe.close()
        with self._lock:
            return self.connections

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._sock.close()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
