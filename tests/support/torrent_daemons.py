"""Debian's qbittorrent-nox and transmission-daemon, started by the tests on
127.0.0.1 with their own temp config folder and free ports.

Everything that would reach beyond the machine is off in their configs:
DHT, local peer discovery, PeX, UPnP/NAT-PMP; they listen on the loopback
only. Torrents reach them through a BEP 19 web seed on the loopback media
server, so no other peer is needed.

    daemon = start_qbittorrent(tmp_path / "qb")   # or start_transmission
    daemon.url, daemon.username, daemon.password, daemon.save_path
    daemon.kill(); daemon.start()                  # down and back, same config
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

QBITTORRENT = shutil.which("qbittorrent-nox") or "/usr/bin/qbittorrent-nox"
TRANSMISSION = shutil.which("transmission-daemon") or "/usr/bin/transmission-daemon"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Daemon:
    kind: str  # "qbittorrent" or "transmission"
    home: Path
    port: int  # web UI / RPC
    peer_port: int
    username: str
    password: str
    save_path: Path
    command: list[str]
    process: subprocess.Popen | None = None
    log_path: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log_path = self.home / "daemon.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> Daemon:
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True, cwd=self.home
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.kind} exited at start:\n{self.output()[-3000:]}")
            if _listening(self.port):
                return self
            time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"{self.kind} did not listen on {self.port}:\n{self.output()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL: the client is down, as after a crash."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self._close_log()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self._close_log()

    def _close_log(self) -> None:
        if getattr(self, "_log", None):
            self._log.close()
            self._log = None

    def output(self) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        qb_log = self.home / "profile" / "qBittorrent" / "data" / "logs" / "qbittorrent.log"
        if qb_log.exists():
            text += "\n--- qbittorrent.log ---\n" + qb_log.read_text(errors="replace")
        return text


def qbittorrent_password_hash(password: str) -> str:
    """The PBKDF2-SHA512 form qBittorrent keeps in WebUI\\Password_PBKDF2."""
    salt = secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, 100_000, 64)
    return f"@ByteArray({base64.b64encode(salt).decode()}:{base64.b64encode(digest).decode()})"


def qbittorrent_config(port: int, peer_port: int, username: str, password: str, save_path: Path) -> str:
    return "\n".join(
        [
            "[LegalNotice]",
            "Accepted=true",
            "",
            "[BitTorrent]",
            "Session\\DHTEnabled=false",
            "Session\\LSDEnabled=false",
            "Session\\PeXEnabled=false",
            "Session\\AnonymousModeEnabled=false",
            "Session\\QueueingSystemEnabled=false",
            f"Session\\Port={peer_port}",
            "Session\\InterfaceAddress=127.0.0.1",
            f"Session\\DefaultSavePath={save_path}",
            "Session\\TempPathEnabled=false",
            "",
            "[Network]",
            "PortForwardingEnabled=false",
            "",
            "[Preferences]",
            "General\\Locale=en",
            "WebUI\\Address=127.0.0.1",
            f"WebUI\\Port={port}",
            "WebUI\\UseUPnP=false",
            f"WebUI\\Username={username}",
            f'WebUI\\Password_PBKDF2="{qbittorrent_password_hash(password)}"',
            # Tests log in from 127.0.0.1 too, and some with a wrong
            # password on purpose: no bypass, no ban.
            "WebUI\\LocalHostAuth=true",
            "WebUI\\MaxAuthenticationFailCount=0",
            "WebUI\\HostHeaderValidation=false",
            "WebUI\\CSRFProtection=false",
            "",
        ]
    )


def start_qbittorrent(
    home: Path, *, username: str = "admin", password: str | None = None, binds: dict[Path, Path] | None = None
) -> Daemon:
    password = password or secrets.token_urlsafe(12)  # a fresh one per daemon
    home.mkdir(parents=True, exist_ok=True)
    save_path = home / "downloads"
    save_path.mkdir(exist_ok=True)
    config = home / "profile" / "qBittorrent" / "config"
    config.mkdir(parents=True, exist_ok=True)
    port, peer_port = free_port(), free_port()
    (config / "qBittorrent.conf").write_text(qbittorrent_config(port, peer_port, username, password, save_path))
    command = [QBITTORRENT, f"--profile={home / 'profile'}"]
    if binds:
        command = with_own_mounts(command, binds)
    return Daemon("qbittorrent", home, port, peer_port, username, password, save_path, command).start()


def transmission_settings(port: int, peer_port: int, username: str, password: str, save_path: Path) -> dict:
    return {
        "dht-enabled": False,
        "lpd-enabled": False,
        "pex-enabled": False,
        "port-forwarding-enabled": False,
        "utp-enabled": False,
        "blocklist-enabled": False,
        "bind-address-ipv4": "127.0.0.1",
        "bind-address-ipv6": "::1",
        "peer-port": peer_port,
        "peer-port-random-on-start": False,
        "rpc-enabled": True,
        "rpc-bind-address": "127.0.0.1",
        "rpc-port": port,
        "rpc-authentication-required": True,
        "rpc-username": username,
        "rpc-password": password,  # the daemon replaces it with its salted hash at start
        "rpc-whitelist-enabled": True,
        "rpc-whitelist": "127.0.0.1",
        "rpc-host-whitelist-enabled": False,
        "download-dir": str(save_path),
        "incomplete-dir-enabled": False,
        "watch-dir-enabled": False,
        "start-added-torrents": True,
        "message-level": 2,
    }


def start_transmission(
    home: Path, *, username: str = "admin", password: str | None = None, binds: dict[Path, Path] | None = None
) -> Daemon:
    password = password or secrets.token_urlsafe(12)  # a fresh one per daemon
    home.mkdir(parents=True, exist_ok=True)
    save_path = home / "downloads"
    save_path.mkdir(exist_ok=True)
    config = home / "config"
    config.mkdir(exist_ok=True)
    port, peer_port = free_port(), free_port()
    settings = transmission_settings(port, peer_port, username, password, save_path)
    (config / "settings.json").write_text(json.dumps(settings, indent=2))
    command = [TRANSMISSION, "--foreground", "--config-dir", str(config)]
    if binds:
        command = with_own_mounts(command, binds)
    return Daemon("transmission", home, port, peer_port, username, password, save_path, command).start()


def with_own_mounts(command: list[str], binds: dict[Path, Path]) -> list[str]:
    """The command in a mount namespace of its own where each real folder
    is also seen at another path (real -> seen), as a container sees a
    volume: the daemon writes to the seen path, which on this machine is an
    empty folder. Needs root (unshare, mount)."""
    import shlex

    mounts = " && ".join(f"mount --bind {shlex.quote(str(r))} {shlex.quote(str(v))}" for r, v in binds.items())
    script = f"{mounts} && exec {shlex.join(command)}"
    return ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c", script]


STARTERS = {"qbittorrent": start_qbittorrent, "transmission": start_transmission}
