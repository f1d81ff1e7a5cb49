"""Kill -9 the download worker in the middle of downloads, again and again,
and count what was lost.

    .venv/bin/python bench/chaos_bench.py               # 20 kills
    .venv/bin/python bench/chaos_bench.py --kills 5 --size 8M

Everything is private to the run: a PostgreSQL cluster and a Redis server
of its own on free loopback ports (tests/support), a media server on
127.0.0.1 sending random files at a limited rate, and a real Celery worker
process on the downloads queue. Each round queues two more downloads,
waits until one is part-way, then SIGKILLs the worker's whole process group
(no cleanup of any kind) and starts a new worker. The reaper (beat's job,
run here by the script every second) re-queues the jobs whose heartbeat
stopped, and they resume from their partial files.

Printed: jobs queued, completed, lost (not completed at the end), duplicate
files (more than one file per job, or numbered variants), checksum
mismatches, partial files left, and the bytes the media server sent against
the bytes of the files: the peer is a download that starts over after each
kill, whose extra cost is the bytes the killed attempts had already
received.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.media_server import MediaServer, random_bytes  # noqa: E402
from tests.support.postgres_server import PrivatePostgres  # noqa: E402
from tests.support.redis_server import PrivateRedis  # noqa: E402


def parse_size(text: str) -> int:
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    text = text.strip().upper().removesuffix("B")
    return int(float(text[:-1]) * units[text[-1]]) if text[-1] in units else int(text)


def start_worker(env: dict[str, str], log: Path, n: int) -> subprocess.Popen:
    argv = [sys.executable, "-m", "celery", "-A", "watchlist_project", "worker", "-Q", "downloads", "-c", "3",
            "-l", "warning", "--without-gossip", "--without-mingle", "--without-heartbeat",
            "-n", f"chaos{n}@%h"]  # fmt: skip
    with log.open("ab") as out:
        return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--size", default="16M", help="size of each episode file")
    parser.add_argument("--rate", default="4M", help="bytes per second the media server sends each file at")
    args = parser.parse_args()
    size, rate = parse_size(args.size), parse_size(args.rate)

    work = Path(tempfile.mkdtemp(prefix="chaos-bench-"))
    postgres = PrivatePostgres().init()
    broker = PrivateRedis(work / "redis").start()
    media = MediaServer().start()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "watchlist_project.settings",
        "DATABASE_URL": postgres.url,
        "REDIS_URL": broker.url,
        "SECRET_KEY": "chaos-bench",
        "DEBUG": "false",
        "VAR_DIR": str(work / "var"),
        "DOWNLOAD_DIR": str(work / "library"),
        "ALLOW_PRIVATE_SOURCES": "true",
        "DOWNLOAD_HEARTBEAT_SECONDS": "1",
        "DOWNLOAD_STALE_SECONDS": "10",
        "DOWNLOAD_RETRY_BASE_SECONDS": "1",
        "DOWNLOAD_MAX_ATTEMPTS": "100",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if migrate.returncode:
        raise SystemExit(migrate.stdout + migrate.stderr)

    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from downloads import manager
    from downloads.models import DownloadJob, JobStatus

    owner = get_user_model().objects.create_user("chaos")
    library = work / "library"
    expected: dict[str, str] = {}
    sizes: dict[str, int] = {}

    def queue(n: int) -> None:
        body = random_bytes(size, seed=n)
        url = media.add(f"/ep{n:03d}.mkv", body, rate=rate)
        job, _ = manager.enqueue(owner, url, "http", library / "chaos" / f"Episode {n:03d}.mkv", max_concurrent=3)
        expected[str(job.pk)] = hashlib.sha256(body).hexdigest()
        sizes[str(job.pk)] = len(body)

    log = work / "worker.log"
    worker = start_worker(env, log, 0)
    killed_at_bytes: list[int] = []
    recoveries: list[float] = []
    started = time.monotonic()
    n = 0
    try:
        for kill in range(args.kills):
            queue(n := n + 1)
            queue(n := n + 1)
            deadline = time.monotonic() + 120
            while True:  # part-way: some bytes received, far from the end
                manager.reap_stale()
                running = list(
                    DownloadJob.objects.filter(status=JobStatus.RUNNING, bytes_done__gt=size // 5,
                                               bytes_done__lt=size * 4 // 5).values_list("bytes_done", flat=True)
                )  # fmt: skip
                if running:
                    break
                if time.monotonic() > deadline:
                    raise SystemExit(f"round {kill + 1}: nothing got part-way in 120 s; see {log}")
                time.sleep(0.2)
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
            killed_at_bytes.append(sum(DownloadJob.objects.filter(status=JobStatus.RUNNING)
                                       .values_list("bytes_done", flat=True)))  # fmt: skip
            killed = time.monotonic()
            worker = start_worker(env, log, kill + 1)
            # Recovery: a job killed mid-way receives bytes again.
            before = {pk: done for pk, done in DownloadJob.objects.values_list("pk", "bytes_done")}
            while time.monotonic() - killed < 60:
                manager.reap_stale()
                moved = DownloadJob.objects.filter(status=JobStatus.RUNNING).exclude(
                    pk__in=[pk for pk, done in before.items() if done == 0]
                )
                if any(job.bytes_done > before.get(job.pk, 0) for job in moved):
                    break
                time.sleep(0.2)
            recoveries.append(time.monotonic() - killed)
            print(f"kill {kill + 1:2d}: {len(expected)} jobs queued, recovered in {recoveries[-1]:.1f} s", flush=True)
        deadline = time.monotonic() + 600
        while DownloadJob.objects.exclude(status=JobStatus.COMPLETED).exists() and time.monotonic() < deadline:
            manager.reap_stale()
            if DownloadJob.objects.filter(status__in=[JobStatus.FAILED, JobStatus.CANCELLED]).exists():
                break
            time.sleep(0.5)
        elapsed = time.monotonic() - started
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
        media.stop()

    jobs = {str(job.pk): job for job in DownloadJob.objects.all()}
    completed = [job for job in jobs.values() if job.status == JobStatus.COMPLETED]
    files = [p for p in library.rglob("*") if p.is_file()]
    media_files = [p for p in files if p.suffix == ".mkv"]
    parts = [p for p in files if p.name.endswith(".part")]
    numbered = [p for p in media_files if " (" in p.name]
    mismatched = [
        job for job in completed
        if job.checksum_sha256 != expected[str(job.pk)]
        or hashlib.sha256(Path(job.destination).read_bytes()).hexdigest() != expected[str(job.pk)]
    ]  # fmt: skip
    sent = sum(r.bytes_sent for r in media.seen)
    total = sum(sizes.values())
    restart_peer = total + sum(killed_at_bytes)
    print()
    print(f"kills: {args.kills}   files: {len(expected)} x {args.size} at {args.rate}/s   wall: {elapsed:.0f} s")
    print(f"jobs queued {len(jobs)}, completed {len(completed)}, lost {len(jobs) - len(completed)}")
    print(f"duplicate files {len(media_files) - len(completed) + len(numbered)}, checksum mismatches "
          f"{len(mismatched)}, partial files left {len(parts)}")  # fmt: skip
    print(f"attempts: max {max(j.attempts for j in jobs.values())}, "
          f"total {sum(j.attempts for j in jobs.values())}")  # fmt: skip
    print(f"recovery after a kill (bytes flowing again): median {sorted(recoveries)[len(recoveries) // 2]:.1f} s, "
          f"max {max(recoveries):.1f} s")  # fmt: skip
    print(f"bytes sent by the media server: {sent / 2**20:.0f} MiB for {total / 2**20:.0f} MiB of files "
          f"({sent / total:.2f}x); restarting from zero after each kill: {restart_peer / 2**20:.0f} MiB "
          f"({restart_peer / total:.2f}x)")  # fmt: skip
    broker.stop()
    postgres.destroy()


if __name__ == "__main__":
    main()
