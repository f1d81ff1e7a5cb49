"""The embedded torrent engine against qBittorrent, from the same loopback seeder.

    .venv/bin/python bench/torrent_bench.py             # 1 GiB; --size 256M for less

One run:

1. writes a payload (pseudo-random, `--size`) and its v1 torrent, served by a
   libtorrent seeder on 127.0.0.1 (no rate limit) and announced by a
   loopback HTTP tracker that names the seeder;
2. the project's engine downloads it in a child process exactly as a worker
   does (`downloads.torrent.download.Attempt`: the .torrent fetched through
   the guarded client, the file moved into the library): time, and the
   child's peak RSS (VmHWM) against its RSS before the download;
3. `qbittorrent-nox` (Debian's package) downloads the same torrent from the
   same seeder, driven through its Web API on 127.0.0.1: time;
4. the engine again, SIGKILLed at 50 % and started again with the same job:
   the bytes the seeder sent beyond the payload's size are what was fetched
   twice.

With `--bare`, step 2 is also run by libtorrent alone in a process without
Django (the engine's session settings, the .torrent read from disk): what
the download costs libtorrent itself, apart from the worker's baseline.

Everything listens on 127.0.0.1 and has DHT, local peer discovery, UPnP and
NAT-PMP off; qBittorrent is bound to the loopback interface.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MiB = 1024 * 1024
PIECE = 4 * MiB  # what a 1 GiB release usually has (1-8 MiB)


def parse_size(text: str) -> int:
    units = {"K": 1024, "M": MiB, "G": 1024 * MiB}
    text = text.strip().upper()
    return int(float(text[:-1]) * units[text[-1]]) if text[-1] in units else int(text)


def rss_kib(field: str = "VmRSS") -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


class PeakSampler:
    """Peak anonymous (heap) and file-backed (mapped files) RSS, sampled:
    the kernel's VmHWM does not tell the two apart, and pages of a mapped
    file are page cache the kernel reclaims, not memory the process holds."""

    def __init__(self) -> None:
        import threading

        self.anon = self.file = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self.anon = max(self.anon, rss_kib("RssAnon"))
            self.file = max(self.file, rss_kib("RssFile"))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


# --- the engine, in a child process ------------------------------------------


def engine_child(job_id: str, url: str) -> None:
    """Run one download attempt like a worker, printing progress as JSON lines."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "watchlist_project.settings")
    import django

    django.setup()
    # The database was migrated by the parent (a worker does not migrate):
    # migrating here would load every migration module into the baseline.
    from downloads.backends.base import DownloadRequest
    from downloads.torrent import download
    from downloads.torrent.engine import Engine
    from downloads.torrent.session import session_settings

    library = Path(os.environ["DOWNLOAD_DIR"])
    request = DownloadRequest(
        job_id=job_id,
        url=url,
        destination=library / "bench" / "Bench - S01E01.mkv",
        temp_dir=library / ".tmp" / job_id,
    )

    class Sink:
        state: dict = {}

        def __init__(self) -> None:
            self.last = 0.0
            self.all_pieces_at: float | None = None

        def __call__(self, done: int, total: int | None) -> None:
            now = time.monotonic()
            if total and done >= total and self.all_pieces_at is None:
                self.all_pieces_at = now  # what qBittorrent's progress 1.0 means
            if now - self.last >= 0.2:
                self.last = now
                print(json.dumps({"done": done, "total": total, "anon_kib": rss_kib("RssAnon")}), flush=True)

        def save_state(self, state: dict) -> None:
            self.state = state

        def flush(self) -> None:
            pass

        def swarm(self, peers: int, seeds: int) -> None:
            pass

    baseline = rss_kib()
    baseline_anon = rss_kib("RssAnon")
    sampler = PeakSampler()
    # BENCH_ENGINE_SETTINGS: libtorrent settings to try on top of the engine's.
    running = Engine({**session_settings(), **json.loads(os.environ.get("BENCH_ENGINE_SETTINGS") or "{}")})
    started = time.monotonic()
    sink = Sink()
    try:
        result = download.Attempt(request, sink, running).run()
    finally:
        running.close()
    seconds = time.monotonic() - started
    # VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss across
    # exec, so a child's ru_maxrss is at least its parent's RSS when it forked
    # (here the benchmark with its seeder), whatever the child itself used.
    peak = rss_kib("VmHWM")
    sampler.stop()
    print(
        json.dumps(
            {
                "finished": True,
                "seconds": seconds,
                "download_seconds": (sink.all_pieces_at or time.monotonic()) - started,
                "size": result.size,
                "sha256": result.sha256,
                "baseline_rss_kib": baseline,
                "peak_rss_kib": peak,
                "baseline_anon_kib": baseline_anon,
                "peak_anon_kib": sampler.anon,
                "peak_file_kib": sampler.file,
            }
        ),
        flush=True,
    )


def bare_child(torrent: str, save: str, settings_json: str) -> None:
    """libtorrent alone, Django not set up: the download's own memory cost.
    The session is made by the project's one session factory, so the network
    audit of the test-suite sees it (it imports django.conf, nothing more)."""
    import libtorrent as lt

    from downloads.torrent.session import open_session

    baseline, baseline_anon = rss_kib(), rss_kib("RssAnon")
    sampler = PeakSampler()
    session = open_session(json.loads(settings_json))
    params = lt.add_torrent_params()
    params.ti = lt.torrent_info(torrent)
    params.save_path = save
    handle = session.add_torrent(params)
    started = time.monotonic()
    while not handle.status().is_seeding:
        session.pop_alerts()
        time.sleep(0.1)
    seconds = time.monotonic() - started
    sampler.stop()
    figures = {
        "seconds": seconds,
        "baseline_rss_kib": baseline,
        "peak_rss_kib": rss_kib("VmHWM"),
        "baseline_anon_kib": baseline_anon,
        "peak_anon_kib": sampler.anon,
        "peak_file_kib": sampler.file,
    }
    print(json.dumps(figures), flush=True)


def run_bare(work: Path, torrent: bytes) -> dict:
    from downloads.torrent.session import session_settings

    (work / "bare.torrent").write_bytes(torrent)
    save = work / "bare"
    save.mkdir(exist_ok=True)
    settings = json.dumps(session_settings())
    command = [sys.executable, __file__, "--bare-child", str(work / "bare.torrent"), str(save), settings]
    answer = subprocess.run(command, capture_output=True, text=True, check=True, timeout=1800)
    shutil.rmtree(save, ignore_errors=True)
    return json.loads(answer.stdout.strip().splitlines()[-1])


def child_env(work: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "watchlist_project.settings",
        "SECRET_KEY": "bench-only",
        "DEBUG": "true",
        "DATABASE_URL": "",
        "REDIS_URL": "",
        "VAR_DIR": str(work / "var"),
        "DOWNLOAD_DIR": str(work / "library"),
        "ALLOW_PRIVATE_SOURCES": "true",
        "TORRENT_DHT": "false",
        "TORRENT_LSD": "false",
        "TORRENT_UPNP": "false",
        "TORRENT_LISTEN_INTERFACES": "127.0.0.1:0",
        "TORRENT_SEED_RATIO": "0",
    }


def migrate_engine_database(work: Path) -> None:
    """The children's SQLite database, migrated once as a deployment would."""
    manage = [sys.executable, str(ROOT / "manage.py"), "migrate", "--verbosity", "0"]
    subprocess.run(manage, env=child_env(work), check=True, timeout=600)


def start_engine(work: Path, job_id: str, url: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, __file__, "--engine-child", job_id, url],
        env=child_env(work),
        stdout=subprocess.PIPE,
        text=True,
    )


def run_engine(work: Path, job_id: str, url: str, kill_at: float | None = None) -> dict:
    """Run the child to the end (or SIGKILL it once `kill_at` of the bytes are done)."""
    child = start_engine(work, job_id, url)
    assert child.stdout is not None
    last: dict = {}
    for line in child.stdout:
        last = json.loads(line)
        if kill_at is not None and last.get("total") and last["done"] >= kill_at * last["total"]:
            child.send_signal(signal.SIGKILL)
            child.wait()
            return {"killed_at": last["done"]}
    child.wait()
    if not last.get("finished"):
        raise RuntimeError(f"the engine child ended without finishing (exit {child.returncode})")
    return last


# --- qBittorrent ----------------------------------------------------------------


QBT_CONFIG = """[LegalNotice]
Accepted=true

[BitTorrent]
Session\\DHTEnabled=false
Session\\LSDEnabled=false
Session\\PeXEnabled=false
Session\\Interface=lo
Session\\InterfaceName=lo
Session\\InterfaceAddress=127.0.0.1
Session\\Port={port}
Session\\DefaultSavePath={save}
Session\\QueueingSystemEnabled=false

[Network]
PortForwardingEnabled=false

[Preferences]
WebUI\\Address=127.0.0.1
WebUI\\Port={webui}
WebUI\\LocalHostAuth=false
WebUI\\CSRFProtection=false
WebUI\\HostHeaderValidation=false
Connection\\UPnP=false
General\\Locale=en
"""


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def qbt_api(webui: int, path: str, data: bytes | None = None, headers: dict | None = None) -> bytes:
    request = urllib.request.Request(f"http://127.0.0.1:{webui}{path}", data=data, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback, fixed scheme
        return response.read()


def multipart(field: str, filename: str, content: bytes, extra: dict[str, str]) -> tuple[bytes, str]:
    boundary = "benchboundary7d1"
    parts = []
    for name, value in extra.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
        "Content-Type: application/x-bittorrent\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def run_qbittorrent(work: Path, torrent: bytes, infohash: str) -> dict:
    profile = work / "qbt"
    config = profile / "qBittorrent" / "config"
    config.mkdir(parents=True)
    save = work / "qbt-downloads"
    save.mkdir()
    webui = free_port()
    (config / "qBittorrent.conf").write_text(QBT_CONFIG.format(port=free_port(), save=save, webui=webui))
    process = subprocess.Popen(
        ["qbittorrent-nox", f"--profile={profile}", f"--webui-port={webui}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                qbt_api(webui, "/api/v2/app/version")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("qbittorrent-nox did not answer on its Web API") from None
                time.sleep(0.2)
        body, content_type = multipart("torrents", "bench.torrent", torrent, {"savepath": str(save)})
        started = time.monotonic()
        qbt_api(webui, "/api/v2/torrents/add", body, {"Content-Type": content_type})
        while True:
            info = json.loads(qbt_api(webui, f"/api/v2/torrents/info?hashes={infohash}") or b"[]")
            if info and info[0]["progress"] >= 1.0:
                return {"seconds": time.monotonic() - started}
            if time.monotonic() - started > 3600:
                raise RuntimeError("qBittorrent did not finish within an hour")
            time.sleep(0.1)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


# --- the run ---------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="1G", help="payload size (1G, 256M...)")
    parser.add_argument("--engine-only", action="store_true", help="skip qBittorrent and the kill run")
    parser.add_argument(
        "--kill-rate", type=float, default=0, help="seeder rate in MiB/s for the kill run (0: no limit)"
    )
    parser.add_argument("--bare", action="store_true", help="also measure libtorrent alone, without Django")
    parser.add_argument("--engine-child", nargs=2, metavar=("JOB_ID", "URL"), help=argparse.SUPPRESS)
    parser.add_argument("--bare-child", nargs=3, metavar=("TORRENT", "SAVE", "SETTINGS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine_child:
        engine_child(*args.engine_child)
        return
    if args.bare_child:
        bare_child(*args.bare_child)
        return

    os.environ.update({k: v for k, v in child_env(Path(tempfile.gettempdir())).items() if k.startswith("TORRENT_")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "watchlist_project.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    import django

    django.setup()
    from tests.support.httpserver import LoopbackServer
    from tests.support.torrent_files import make_torrent
    from tests.support.torrent_seeder import LoopbackTracker, TorrentSeeder

    size = parse_size(args.size)
    work = Path(tempfile.mkdtemp(prefix="torrent-bench-"))
    try:
        server = LoopbackServer().start()
        # TCP only: libtorrent's uTP is congestion-controlled for the internet
        # and slow on the loopback; both clients get the same peer transport.
        seeder = TorrentSeeder(enable_incoming_utp=False, enable_outgoing_utp=False)
        tracker = LoopbackTracker(server, [seeder.endpoint])
        t0 = time.monotonic()
        made = make_torrent(work / "seed", {"Bench - 01 [1080p].mkv": size}, trackers=[tracker.url], piece_length=PIECE)
        print(f"payload {size / MiB:.0f} MiB written and hashed in {time.monotonic() - t0:.1f} s", flush=True)
        seeder.seed(made)
        url = server.add("/bench.torrent", made.torrent, content_type="application/x-bittorrent")

        migrate_engine_database(work)
        sent = seeder.uploaded(made)
        engine = run_engine(work, str(uuid.uuid4()), url)
        assert engine["sha256"] == made.files[0].sha256, "the engine's file does not match"
        time.sleep(2)  # the seeder's counters settle
        engine_sent = seeder.uploaded(made) - sent
        shutil.rmtree(work / "library", ignore_errors=True)
        bare = run_bare(work, made.torrent) if args.bare else None

        if args.engine_only:
            qbt, killed, refetched = {"seconds": float("nan")}, {"killed_at": 0}, 0
        else:
            qbt = run_qbittorrent(work, made.torrent, made.infohash)
            shutil.rmtree(work / "qbt-downloads", ignore_errors=True)

            seeder.set_upload_rate(made, int(args.kill_rate * MiB))
            # libtorrent adds a second's transfer to the seeder's totals on its
            # next tick: read at once, the last second of qBittorrent's download
            # (~140 MB on the loopback) was counted as re-fetched by the engine.
            time.sleep(2)
            sent = seeder.uploaded(made)
            job_id = str(uuid.uuid4())
            killed = run_engine(work, job_id, url, kill_at=0.5)
            resumed = run_engine(work, job_id, url)
            assert resumed["sha256"] == made.files[0].sha256, "the resumed file does not match"
            time.sleep(2)
            refetched = seeder.uploaded(made) - sent - size

        mib = size / MiB
        report = {
            "size_mib": round(mib),
            "engine_seconds_to_all_pieces": round(engine["download_seconds"], 2),
            "engine_seconds_to_library_with_sha256": round(engine["seconds"], 2),
            "engine_mib_s": round(mib / engine["download_seconds"], 1),
            "engine_bytes_from_seeder": engine_sent,
            "qbittorrent_seconds": round(qbt["seconds"], 2),
            "qbittorrent_mib_s": round(mib / qbt["seconds"], 1),
            "throughput_ratio": round(qbt["seconds"] / engine["download_seconds"], 2),
            "engine_rss_before_mib": round(engine["baseline_rss_kib"] / 1024, 1),
            "engine_peak_rss_mib": round(engine["peak_rss_kib"] / 1024, 1),
            "engine_anon_before_mib": round(engine["baseline_anon_kib"] / 1024, 1),
            "engine_peak_anon_mib": round(engine["peak_anon_kib"] / 1024, 1),
            "engine_peak_file_backed_mib": round(engine["peak_file_kib"] / 1024, 1),
            **(
                {
                    "bare_libtorrent_seconds": round(bare["seconds"], 2),
                    "bare_libtorrent_rss_before_mib": round(bare["baseline_rss_kib"] / 1024, 1),
                    "bare_libtorrent_peak_rss_mib": round(bare["peak_rss_kib"] / 1024, 1),
                    "bare_libtorrent_peak_anon_mib": round(bare["peak_anon_kib"] / 1024, 1),
                    "bare_libtorrent_peak_file_backed_mib": round(bare["peak_file_kib"] / 1024, 1),
                }
                if bare
                else {}
            ),
            "kill_run_seeder_rate_mib_s": args.kill_rate or "unlimited",
            "killed_at_mib": round(killed["killed_at"] / MiB, 1),
            "refetched_bytes": refetched,
            "refetched_percent": round(100 * refetched / size, 2),
        }
        print(json.dumps(report, indent=2))
        seeder.stop()
        server.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
