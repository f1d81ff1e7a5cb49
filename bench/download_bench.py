"""HTTP backend vs curl on the same file over loopback, peak memory of the
downloading process, and what a kill at 50% costs on resume.

    .venv/bin/python bench/download_bench.py            # 1 GiB
    .venv/bin/python bench/download_bench.py --size 256M

The file is random bytes (nothing compresses or dedupes) in a temp folder,
served by the test suite's media server (sendfile, Range, ETag). The backend
runs in a child process so its peak RSS is its own; it fsyncs the file
before the rename and curl does not, so the backend is timed with that
fsync included (the honest number) and curl is timed both bare and followed
by an fsync of its output.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def parse_size(text: str) -> int:
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    text = text.strip().upper().removesuffix("IB").removesuffix("B")
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


def make_file(path: Path, size: int) -> None:
    block = 16 << 20
    with path.open("wb") as fh:
        left = size
        while left:
            n = min(block, left)
            fh.write(os.urandom(n))
            left -= n


def child_env(workdir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "watchlist_project.settings",
        "DEBUG": "true",
        "VAR_DIR": str(workdir / "var"),
        "DOWNLOAD_DIR": str(workdir / "library"),
        "ALLOW_PRIVATE_SOURCES": "true",
        "DATABASE_URL": "",
    }


def run_child(url: str, dest: Path, state_file: Path, workdir: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, __file__, "--child", url, str(dest), str(state_file)],
        env=child_env(workdir),
        stdout=subprocess.PIPE,
    )


def wait_child(proc: subprocess.Popen) -> tuple[int, dict, int]:
    """(exit status, the child's JSON report, its peak RSS in KiB)."""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = status
    out = proc.stdout.read() if proc.stdout else b""
    report = json.loads(out) if out.strip() else {}
    return status, report, usage.ru_maxrss


def child(url: str, dest: str, state_file: str) -> None:
    """Runs in the child: one HttpBackend.download, no database."""
    import django

    django.setup()
    from downloads.backends import DownloadRequest
    from downloads.backends.http import HttpBackend

    class FileSink:
        def __init__(self) -> None:
            path = Path(state_file)
            self.state = json.loads(path.read_text()) if path.exists() else {}

        def __call__(self, done: int, total: int | None) -> None:
            pass

        def save_state(self, state: dict) -> None:
            self.state = dict(state)
            Path(state_file).write_text(json.dumps(state))

        def flush(self) -> None:
            pass

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    target = Path(dest)
    request = DownloadRequest(job_id="bench", url=url, destination=target, temp_dir=target.parent / ".tmp")
    started = time.perf_counter()
    result = HttpBackend().download(request, FileSink())
    elapsed = time.perf_counter() - started
    print(json.dumps({"seconds": elapsed, "size": result.size, "sha256": result.sha256, "rss_before_kib": rss_before}))


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="1G", help="file size, e.g. 256M, 1G (default 1G)")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds of each (default 3)")
    parser.add_argument("--dir", default=None, help="work folder (default: a new temp folder, removed after)")
    args = parser.parse_args()
    size = parse_size(args.size)
    curl = shutil.which("curl")

    workdir = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="download-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        from tests.support.media_server import MediaServer

        source = workdir / "source.bin"
        print(f"Generating {size / (1 << 20):.0f} MiB of random bytes in {workdir} ...", flush=True)
        make_file(source, size)
        os.sync()
        (workdir / "library").mkdir(exist_ok=True)

        with MediaServer() as server:
            server.add("/file.bin", path=source, content_type="application/octet-stream")
            url = server.url("/file.bin")

            # Page-cache writeback makes single runs noisy (a VM disk can
            # swing 10x): alternate the two, flush dirty pages before each
            # run, and compare the best of several rounds.
            curl_times: list[float] = []
            curl_sync_times: list[float] = []
            backend_times: list[float] = []
            peak_kib = 0
            report: dict = {}
            for _ in range(args.rounds):
                if curl:
                    out = workdir / "curl.bin"
                    os.sync()
                    started = time.perf_counter()
                    subprocess.run([curl, "-s", "-f", "-o", str(out), url], check=True)
                    curl_times.append(time.perf_counter() - started)
                    fsync_file(out)
                    curl_sync_times.append(time.perf_counter() - started)
                    out.unlink()
                dest = workdir / "library" / "backend.bin"
                (workdir / "state1.json").unlink(missing_ok=True)
                os.sync()
                proc = run_child(url, dest, workdir / "state1.json", workdir)
                status, report, peak = wait_child(proc)
                if status != 0:
                    raise SystemExit("backend run failed")
                backend_times.append(report["seconds"])
                peak_kib = max(peak_kib, peak)
                dest.unlink()
            curl_seconds = min(curl_times) if curl_times else None
            curl_sync_seconds = min(curl_sync_times) if curl_sync_times else None
            backend_seconds = min(backend_times)

            # Kill at 50% and resume.
            server.seen.clear()
            dest2 = workdir / "library" / "resume.bin"
            part = dest2.with_name(dest2.name + ".part")
            state = workdir / "state2.json"
            proc = run_child(url, dest2, state, workdir)
            while proc.poll() is None:
                if part.exists() and part.stat().st_size >= size // 2:
                    os.kill(proc.pid, signal.SIGKILL)
                    break
                time.sleep(0.002)
            wait_child(proc)
            killed_at = part.stat().st_size if part.exists() else 0
            proc = run_child(url, dest2, state, workdir)
            status, resumed, _ = wait_child(proc)
            if status != 0:
                raise SystemExit("resume run failed")
            requests = server.requests_for("/file.bin")
            resumed_from = next((r.range_start for r in requests if r.range_start), 0)
            second = requests[-1].bytes_sent if requests else 0
            # What the resume fetched again beyond the bytes it was missing:
            # 0 when it asked from exactly the part's end. (Bytes the killed
            # process had received but not yet written are lost with it; they
            # are at most one chunk plus the socket buffers.)
            refetched = second - (size - killed_at)

        mib = size / (1 << 20)
        print()
        print(f"file: {mib:.0f} MiB over http://127.0.0.1 (sendfile server), best of {args.rounds} rounds")
        if curl_seconds is not None:
            print(
                f"curl -o                     : {curl_seconds:7.2f} s  {mib / curl_seconds:6.0f} MiB/s  "
                f"(all: {', '.join(f'{t:.2f}' for t in curl_times)})"
            )
            print(f"curl -o + fsync             : {curl_sync_seconds:7.2f} s  {mib / curl_sync_seconds:6.0f} MiB/s")
        print(
            f"HttpBackend (+sha256, fsync): {backend_seconds:7.2f} s  {mib / backend_seconds:6.0f} MiB/s  "
            f"(all: {', '.join(f'{t:.2f}' for t in backend_times)})"
        )
        if curl_seconds is not None:
            print(
                f"ratio backend / curl  : {backend_seconds / curl_seconds:.2f}x "
                f"({backend_seconds / curl_sync_seconds:.2f}x vs curl + fsync)"
            )
        print(
            f"peak RSS of the backend process: {peak_kib / 1024:.0f} MiB "
            f"(after imports, before the download: {report['rss_before_kib'] / 1024:.0f} MiB)"
        )
        print(f"kill at {killed_at / size:.0%} ({killed_at} bytes on disk), then resume:")
        print(f"  requests: {[(r.status, r.range_start, r.bytes_sent) for r in requests]}")
        print(f"  resume asked for bytes {resumed_from}- and received {second} bytes")
        print(f"  bytes re-transferred that were already on disk: {refetched}")
        print(f"  resumed file sha256 ok: {resumed['sha256'] == report['sha256']}")
    finally:
        if not args.dir:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(*sys.argv[2:5])
    else:
        main()
