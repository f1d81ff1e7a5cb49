"""Benchmark: memory of the embedded stack (``scripts/run``: SQLite, the
filesystem broker, web + worker + beat), as PSS summed over its whole
process tree from /proc/<pid>/smaps_rollup.

    .venv/bin/python bench/memory_bench.py [--command scripts/run] [--settle 20]

PSS (proportional set size) charges each shared page to the processes that
share it in equal parts, so the sum over the tree is what the stack costs
the machine, with copy-on-write sharing between forked children counted
once. Three moments:

1. **idle**: the service up and its first dispatcher ticks done;
2. **downloading**: an episode found by the schedule is being downloaded
   (a file served slowly by this script on 127.0.0.1);
3. **idle after work**: the download done, the children grown by what
   their tasks imported.

``scripts/run`` installs packages when requirements changed (a stamp under
var/): run it once by hand first so the measurement does not include pip.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SETUP = """
from django.contrib.auth import get_user_model
from watchlist.items import add_item
from watchlist.models import WatchlistSettings
user = get_user_model().objects.create_user("bench", password="bench-pass-123")
WatchlistSettings.objects.filter(user=user).update(check_interval_hours=24)
add_item(user, {"anime_title": "Mushishi", "anime_url": "FEED_URL", "provider_id": "feed", "lang": "vostfr"})
"""

EPISODE_NAME = "[Bench] Mushishi - 01 [720p] [VOSTFR].mkv"


# --- a feed and a slow file ---------------------------------------------------------


class Files(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, size: int, rate: float) -> None:
        super().__init__(("127.0.0.1", 0), FileHandler)
        self.size, self.rate = size, rate
        self.base = f"http://127.0.0.1:{self.server_address[1]}"
        self.download_started = threading.Event()
        self.download_done = threading.Event()

    def feed(self) -> bytes:
        link = f"{self.base}/files/episode-1.mkv"
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Bench</title>'
            f"<link>{self.base}/</link><description>bench</description>"
            f"<item><title>{EPISODE_NAME}</title><link>{link}</link><guid>{link}</guid>"
            "<pubDate>Mon, 06 Nov 2023 12:00:00 GMT</pubDate></item></channel></rss>"
        ).encode()


class FileHandler(BaseHTTPRequestHandler):
    server: Files
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def _answer(self, *, send_body: bool) -> None:
        if self.path.startswith("/feed.xml"):
            body = self.server.feed()
            self._head(200, "application/rss+xml", len(body))
            if send_body:
                self.wfile.write(body)
            return
        if not self.path.startswith("/files/"):
            self._head(404, "text/plain", 0)
            return
        size = self.server.size
        self._head(200, "video/x-matroska", size)
        if not send_body:
            return
        self.server.download_started.set()
        chunk = b"\0" * 65536
        began, sent = time.monotonic(), 0
        try:
            while sent < size:
                step = min(len(chunk), size - sent)
                self.wfile.write(chunk[:step])
                sent += step
                ahead = sent / self.server.rate - (time.monotonic() - began)
                if ahead > 0:
                    time.sleep(ahead)
        except OSError:
            return
        self.server.download_done.set()

    def _head(self, status: int, content_type: str, length: int) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(length))
        self.end_headers()


# --- PSS over a process tree ----------------------------------------------------------


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        todo += children(current)
    return pids


def pss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def name_of(pid: int) -> str:
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    words = [w.decode(errors="replace") for w in argv if w]
    # Parts forked by runservice's supervisor keep its command line; they
    # name themselves "wl:<part>" (processes.py).
    with contextlib.suppress(OSError):
        comm = Path(f"/proc/{pid}/comm").read_text().strip()
        if comm.startswith("wl:"):
            return comm
    if any(w.endswith("processes.py") for w in words):
        return "supervisor (processes.py)"
    interesting = [w for w in words if not w.startswith("-") and "/" not in w and w != "-m"][:3]
    return " ".join(interesting) or (words[0] if words else "?")


def snapshot(root: int) -> tuple[float, list[tuple[int, str, float]]]:
    rows = [(pid, name_of(pid), pss_kib(pid) / 1024) for pid in tree(root)]
    return sum(mb for _, _, mb in rows), rows


def report(label: str, root: int, samples: int = 5, every: float = 1.0) -> float:
    totals = []
    rows: list[tuple[int, str, float]] = []
    for _ in range(samples):
        total, rows = snapshot(root)
        totals.append(total)
        time.sleep(every)
    median = statistics.median(totals)
    print(f"\n{label}: total PSS {median:.1f} MB (median of {samples}; min {min(totals):.1f}, max {max(totals):.1f})")
    for pid, name, mb in rows:
        print(f"    {pid:>7}  {mb:7.1f} MB  {name}")
    return median


# --- the run ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, seconds: float, what: str, service: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        if service.poll() is not None:
            raise SystemExit(f"the service exited while waiting for {what}:\n{log.read_text()[-3000:]}")
        time.sleep(0.5)
    raise SystemExit(f"timed out waiting for {what}:\n{log.read_text()[-3000:]}")


def healthy(port: int) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
            return answer.status == 200
    except OSError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--command", default="scripts/run", help="what starts the stack")
    parser.add_argument("--settle", type=float, default=20.0, help="seconds after /healthz before 'idle'")
    parser.add_argument("--size-mb", type=int, default=300, help="episode size")
    parser.add_argument("--rate-mb", type=float, default=10.0, help="MB/s the file is served at")
    args = parser.parse_args()

    files = Files(args.size_mb * 1024 * 1024, args.rate_mb * 1024 * 1024)
    threading.Thread(target=files.serve_forever, daemon=True).start()
    var = Path(tempfile.mkdtemp(prefix="memory_bench_"))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "CI", "VIRTUAL_ENV")} | {
        "VAR_DIR": str(var / "var"),
        "DOWNLOAD_DIR": str(var / "library"),
        "SECRET_KEY": "memory-bench-only",
        "BIND": f"127.0.0.1:{port}",
        "PRIVATE_SOURCE_ALLOWLIST": f"127.0.0.1:{files.server_address[1]}",
        "CHECK_INTERVAL_UNIT_SECONDS": "3600",
        "SOURCE_MIN_REFRESH_MINUTES": "0",
        "LOG_LEVEL": "WARNING",
    }
    manage = [str(ROOT / ".venv" / "bin" / "python"), "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True)
    log = var / "service.log"
    with log.open("wb") as out:
        service = subprocess.Popen(
            [str(ROOT / args.command)], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_until(lambda: healthy(port), 180, "/healthz", service, log)
        time.sleep(args.settle)
        idle = report("idle", service.pid)
        # The item's first check comes from the schedule (the dispatcher's
        # minute, as in use); its episode is queued.
        setup = SETUP.replace("FEED_URL", f"{files.base}/feed.xml")
        done = subprocess.run([*manage, "shell", "-c", setup], cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"setting up the item failed:\n{done.stdout}{done.stderr}")
        wait_until(files.download_started.is_set, 180, "the download to start", service, log)
        time.sleep(3)
        downloading = report("downloading", service.pid)
        wait_until(files.download_done.is_set, 600, "the download to end", service, log)
        # Past the worker's autoscale keep-alive (30 s): the pool shrinks back.
        time.sleep(max(args.settle, 45))
        after = report("idle after work", service.pid)
    finally:
        with contextlib.suppress(ProcessLookupError):  # it may have exited on its own
            os.killpg(service.pid, signal.SIGINT)
        try:
            service.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(service.pid, signal.SIGKILL)
        files.shutdown()
    print(
        f"\nsummary: idle {idle:.0f} MB, downloading {downloading:.0f} MB, idle after work {after:.0f} MB "
        f"(goals: <= 250 idle, <= 300 downloading); python {sys.version.split()[0]}"
    )


if __name__ == "__main__":
    main()
