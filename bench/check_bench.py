"""Benchmark: checking U users x I items that track S distinct sources, with
shared sources (one Source row per series, what the service does) against
unshared ones (one Source row per item: one upstream fetch per item).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/check_bench.py --users 1000 --items 10 --sources 500 --latency-ms 20

DATABASE_URL names a server the script may create a database on: it creates
``bench_checks_<pid>`` there, migrates it, and drops it at the end (a SQLite
URL gets a temporary file instead). Feeds are served by an HTTP server on
127.0.0.1 that answers each request after ``--latency-ms`` and honours
If-None-Match with 304.

Each mode runs two passes over every item, in a pool of ``--workers``
processes calling the Celery task's function inline (the code path a
prefork worker runs, minus the broker):

1. first pass: every source is new;
2. second pass, "one refresh window later": the sources' last fetch is moved
   back past SOURCE_MIN_REFRESH_MINUTES, so every source is revalidated once
   (``--revalidate always`` instead sets the window to 0: every check asks).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

EPISODES_PER_FEED = 12
QUALITIES = (1080, 720)


# --- the feed server ------------------------------------------------------


@dataclass
class Counts:
    requests: int = 0
    ok: int = 0
    not_modified: int = 0
    other: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, status: int) -> None:
        with self.lock:
            self.requests += 1
            if status == 200:
                self.ok += 1
            elif status == 304:
                self.not_modified += 1
            else:
                self.other += 1

    def snapshot(self) -> tuple[int, int, int, int]:
        with self.lock:
            return self.requests, self.ok, self.not_modified, self.other


def feed_body(n: int, base: str) -> bytes:
    items = []
    for episode in range(1, EPISODES_PER_FEED + 1):
        for resolution in QUALITIES:
            name = f"[Bench] Series {n} - {episode:02d} [{resolution}p] [VOSTFR].mkv"
            link = f"{base}/files/{n}/{episode}-{resolution}.mkv"
            pub = formatdate(1_700_000_000 + episode * 3600, usegmt=True)
            items.append(
                f"<item><title>{name}</title><link>{link}</link><guid>{link}</guid><pubDate>{pub}</pubDate></item>"
            )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Series</title>'
        f"<link>{base}/</link><description>bench</description>{''.join(items)}</channel></rss>"
    ).encode()


class FeedServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # socketserver's 5 drops connections under a pool of workers

    def __init__(self, sources: int, latency: float) -> None:
        super().__init__(("127.0.0.1", 0), FeedHandler)
        self.latency = latency
        self.counts = Counts()
        base = f"http://127.0.0.1:{self.server_address[1]}"
        self.base = base
        self.feeds = {f"/feeds/{n}.xml": feed_body(n, base) for n in range(sources)}

    def url(self, n: int) -> str:
        return f"{self.base}/feeds/{n}.xml"


class FeedHandler(BaseHTTPRequestHandler):
    server: FeedServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        time.sleep(self.server.latency)
        path = urlsplit(self.path).path  # the unshared mode adds ?item=N
        body = self.server.feeds.get(path)
        if body is None:
            status, headers, payload = 404, {}, b"not found"
        else:
            etag = f'"{path}-v1"'
            headers = {"ETag": etag, "Content-Type": "application/rss+xml"}
            if self.headers.get("If-None-Match") == etag:
                status, payload = 304, b""
            else:
                status, payload = 200, body
        self.server.counts.add(status)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if payload:
            self.wfile.write(payload)


# --- the database -----------------------------------------------------------


class BenchDatabase:
    """A database of the benchmark's own, created and dropped by it."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.name = f"bench_checks_{os.getpid()}"
        self.tmpdir = tempfile.mkdtemp(prefix="check_bench_")
        parts = urlsplit(admin_url)
        self.sqlite = parts.scheme.startswith("sqlite")
        if self.sqlite:
            self.url = f"sqlite:///{self.tmpdir}/bench.sqlite3"
        else:
            self.url = urlunsplit(parts._replace(path=f"/{self.name}"))

    def use(self, **extra: str) -> None:
        """Point this process's Django at the database (and a throwaway
        VAR_DIR). Nothing is sent to a real Redis: REDIS_URL is dropped, so
        anything queued goes to a filesystem broker under VAR_DIR."""
        os.environ.pop("REDIS_URL", None)
        os.environ.update(
            DATABASE_URL=self.url,
            DJANGO_SETTINGS_MODULE="watchlist_project.settings",
            VAR_DIR=self.tmpdir,
            SECRET_KEY="bench-only-not-secret",  # noqa: S106 - a throwaway database
            LOG_LEVEL="WARNING",
            **extra,
        )

    def create(self) -> None:
        if not self.sqlite:
            self._admin(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        if not self.sqlite:
            from django.db import connections

            connections.close_all()
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        shutil.rmtree(self.tmpdir, ignore_errors=True)

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
            conn.execute(sql)  # the name is ours (bench_checks_<pid>), not input


# --- the benchmark ------------------------------------------------------------


@dataclass
class PassResult:
    label: str
    items: int
    seconds: float
    requests: int
    ok: int
    not_modified: int
    other: int
    errors: int
    new_episodes: int

    def line(self) -> str:
        rate = self.items / self.seconds if self.seconds else 0.0
        return (
            f"{self.label:<26} items={self.items:<6} upstream={self.requests:<6} 200={self.ok:<6} "
            f"304={self.not_modified:<6} other={self.other:<3} errors={self.errors:<3} "
            f"new_episodes={self.new_episodes:<7} wall={self.seconds:7.2f}s items/s={rate:8.1f}"
        )


def populate(server: FeedServer, users: int, items: int, sources: int, *, shared: bool) -> list[str]:
    """Users, sources and items, written in bulk (no password hashing: the
    benchmark is about checks). Returns the item ids."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from watchlist.models import Source, WatchlistItem

    User = get_user_model()
    password = make_password(None)
    owners = User.objects.bulk_create(
        [User(username=f"bench{u}", password=password) for u in range(users)], batch_size=1000
    )
    plan = []  # (owner, series number, item url)
    for u, owner in enumerate(owners):
        for j in range(items):
            n = (u * items + j) % sources  # a user's items are distinct series while items <= sources
            url = server.url(n) if shared else f"{server.url(n)}?item={u * items + j}"
            plan.append((owner, n, url))
    by_url = {url: Source(provider_id="feed", url=url, lang="vostfr") for _, _, url in plan}
    Source.objects.bulk_create(by_url.values(), batch_size=1000)
    source_ids = dict(Source.objects.values_list("url", "pk"))
    rows = [
        WatchlistItem(
            owner=owner,
            source_id=source_ids[url],
            anime_title=f"Series {n}",
            anime_url=url,
            provider_id="feed",
            lang="vostfr",
            auto_download=False,  # checking is measured here, not queueing downloads
        )
        for owner, n, url in plan
    ]
    WatchlistItem.objects.bulk_create(rows, batch_size=1000)
    return [str(row.pk) for row in rows]


def clear() -> None:
    from django.contrib.auth import get_user_model

    from watchlist.models import Source, WatchlistItem

    WatchlistItem.objects.all().delete()  # cascades to episodes and check runs
    Source.objects.all().delete()  # and to releases
    get_user_model().objects.filter(username__startswith="bench").delete()


def _child_init() -> None:
    # Each worker process opens its own database connection; the parent
    # closed its own before forking, so none is shared.
    from django.db import connections

    connections.close_all()


def _check(item_id: str) -> None:
    from watchlist.tasks import check_item_task

    check_item_task(item_id)  # Task.__call__: the task body, inline


def run_pass(label: str, server: FeedServer, item_ids: list[str], workers: int) -> PassResult:
    from django.db import connections

    from watchlist.models import CheckRun, Episode

    before = server.counts.snapshot()
    runs_before = CheckRun.objects.count()
    errors_before = CheckRun.objects.exclude(error="").count()
    episodes_before = Episode.objects.count()
    connections.close_all()
    started = time.perf_counter()
    # Processes, like Celery's default prefork pool: real parallelism, and
    # anitopy (module-level parser state) is not thread-safe.
    with multiprocessing.get_context("fork").Pool(workers, initializer=_child_init) as pool:
        pool.map(_check, item_ids, chunksize=16)
    seconds = time.perf_counter() - started
    after = server.counts.snapshot()
    assert CheckRun.objects.count() - runs_before == len(item_ids), "every item gets one check run"
    requests, ok, not_modified, other = (a - b for a, b in zip(after, before, strict=True))
    return PassResult(
        label,
        len(item_ids),
        seconds,
        requests,
        ok,
        not_modified,
        other,
        CheckRun.objects.exclude(error="").count() - errors_before,
        Episode.objects.count() - episodes_before,
    )


def one_window_later(revalidate: str) -> None:
    from datetime import timedelta

    from django.conf import settings
    from django.db.models import F

    from watchlist.models import Source

    if revalidate == "always":
        settings.SOURCE_MIN_REFRESH_MINUTES = 0
        return
    # As if the refresh window had passed since the first pass.
    moved = timedelta(minutes=settings.SOURCE_MIN_REFRESH_MINUTES, seconds=1)
    Source.objects.update(last_attempt_at=F("last_attempt_at") - moved, fetched_at=F("fetched_at") - moved)


def run_mode(shared: bool, args: argparse.Namespace, server: FeedServer) -> list[PassResult]:
    from django.conf import settings

    settings.SOURCE_MIN_REFRESH_MINUTES = args.window_minutes
    mode = "shared" if shared else "unshared"
    t0 = time.perf_counter()
    item_ids = populate(server, args.users, args.items, args.sources, shared=shared)
    print(f"[{mode}] created {len(item_ids)} items in {time.perf_counter() - t0:.1f}s", flush=True)
    first = run_pass(f"{mode}: first pass", server, item_ids, args.workers)
    print(first.line(), flush=True)
    if first.new_episodes != len(item_ids) * EPISODES_PER_FEED or first.errors:
        print(f"WARNING: expected {len(item_ids) * EPISODES_PER_FEED} new episodes and no errors", flush=True)
    one_window_later(args.revalidate)
    second = run_pass(f"{mode}: second pass", server, item_ids, args.workers)
    print(second.line(), flush=True)
    clear()
    return [first, second]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--items", type=int, default=10, help="items per user")
    parser.add_argument("--sources", type=int, default=500, help="distinct series")
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=8, help="check processes (a Celery worker's concurrency)")
    parser.add_argument("--window-minutes", type=int, default=10, help="SOURCE_MIN_REFRESH_MINUTES")
    parser.add_argument("--revalidate", choices=["aged", "always"], default="aged")
    parser.add_argument("--skip-unshared", action="store_true")
    parser.add_argument(
        "--scale", action="store_true", help="rows generated by SQL; old and new second pass (check_scale.py)"
    )
    parser.add_argument("--old-sample", type=int, default=4000, help="--scale: items the old path checks")
    parser.add_argument("--profile-items", type=int, default=40, help="--scale: first checks profiled")
    parser.add_argument(
        "--no-episodes", dest="episodes", action="store_false", help="--scale: settle items without episodes"
    )
    args = parser.parse_args()
    if args.items > args.sources:
        parser.error("--items must not exceed --sources (a user tracks a series once)")

    db = BenchDatabase(os.environ.get("DATABASE_URL") or "sqlite://")
    # Nothing is sent to a broker: items do not auto-download.
    db.use(ALLOW_PRIVATE_SOURCES="true")  # the feeds are on 127.0.0.1
    db.create()
    server = FeedServer(args.sources, args.latency_ms / 1000)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from django.db import connection

        print(
            f"users={args.users} items/user={args.items} sources={args.sources} latency={args.latency_ms:g}ms "
            f"workers={args.workers} db={connection.vendor} feed={EPISODES_PER_FEED} episodes x "
            f"{len(QUALITIES)} qualities revalidate={args.revalidate}",
            flush=True,
        )
        if args.scale:
            from check_scale import run_scale

            run_scale(args, server)
            return
        results = run_mode(True, args, server)
        if not args.skip_unshared:
            results += run_mode(False, args, server)
            for n in (0, 1):
                shared, unshared = results[n], results[n + 2]
                print(
                    f"pass {n + 1}: unshared/shared wall time = {unshared.seconds / shared.seconds:.1f}x, "
                    f"upstream requests {unshared.requests} vs {shared.requests}"
                )
    finally:
        server.shutdown()
        db.drop()


if __name__ == "__main__":
    main()
