"""Benchmark: how soon a new episode is found after it is published, and how
many source fetches that costs, with air-time-aware checks against plain
interval checks.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/detection_bench.py --weeks 4 --series 6 --users 2 --interval-hours 6

What runs is the service's own code under a simulated clock (time-machine):
the per-user dispatcher (``schedule.dispatch_due_users``), the airing
dispatcher (``metadata.airing.dispatch_airing_checks``), the tasks they
publish (``check_users_task``, ``check_item_task``, read back from a real
kombu broker, the filesystem transport in a temporary folder, and run here
as a worker would) and the checks themselves (real HTTP to a feed server on
127.0.0.1, the shared-source refresh window, the download hand-off). Beat is
simulated: the clock jumps to the next minute at which something is due
(user, airing offset or publication), so every dispatcher run happens at
the minute beat would run it; queued tasks run at once (no queue wait).

The feed server publishes each episode at its air time plus a delay (the
``--delays`` list, cycled over the episodes; the default mixes fast and
slow releases). "Detection latency" is from publication to the download job
being created (the check handing the episode to the download queue; with a
free download slot that is when the download starts). "Fetches per episode"
is every upstream request to the series' feed over the whole run (200s and
304s), divided by the episodes published.

The series' air times are written with the metadata code
(``airing.sync_schedule``) rather than fetched from AniList: AniList is not
what is measured.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from check_bench import BenchDatabase  # noqa: E402 - after the path is set

START = datetime(2026, 11, 2, 0, 0, tzinfo=UTC)  # a Monday
DEFAULT_DELAYS = "3,8,12,20,25,35,45,70"  # minutes after air time


# --- the feed server ------------------------------------------------------------


@dataclass
class Feed:
    title: str
    publications: list[tuple[int, datetime]]  # (episode, published at)
    fetches: int = 0


class FeedServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), FeedHandler)
        self.base = f"http://127.0.0.1:{self.server_address[1]}"
        self.feeds: dict[str, Feed] = {}
        self.lock = threading.Lock()

    def url(self, n: int) -> str:
        return f"{self.base}/feeds/{n}.xml"


class FeedHandler(BaseHTTPRequestHandler):
    server: FeedServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        feed = self.server.feeds.get(path)
        if feed is None:
            self._send(404, {}, b"")
            return
        # The simulated clock: time-machine moves time for every thread.
        now = datetime.now(UTC)
        with self.server.lock:
            feed.fetches += 1
            published = [(ep, at) for ep, at in feed.publications if at <= now]
        etag = f'"{len(published)}"'
        if self.headers.get("If-None-Match") == etag:
            self._send(304, {"ETag": etag}, b"")
            return
        items = []
        for episode, at in published:
            name = f"[Bench] {feed.title} - {episode:02d} [1080p].mkv"
            link = f"{self.server.base}/files/{feed.title.replace(' ', '_')}/{episode}.mkv"
            items.append(
                f"<item><title>{name}</title><link>{link}</link><guid>{link}</guid>"
                f"<pubDate>{format_datetime(at, usegmt=True)}</pubDate></item>"
            )
        body = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>bench</title>'
            f"<link>{self.server.base}/</link><description>bench</description>{''.join(items)}</channel></rss>"
        ).encode()
        self._send(200, {"ETag": etag, "Content-Type": "application/rss+xml"}, body)

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)


# --- the simulation ----------------------------------------------------------------


@dataclass
class Outcome:
    mode: str
    latencies: list[float] = field(default_factory=list)  # minutes, per (item, episode)
    missed: int = 0  # published episodes not found by the end
    fetches: int = 0
    episodes: int = 0
    checks: int = 0

    def line(self) -> str:
        lat = sorted(self.latencies)
        if lat:
            p90 = lat[min(len(lat) - 1, int(len(lat) * 0.9))]
            figures = f"median={statistics.median(lat):7.1f} min  p90={p90:7.1f} min  max={lat[-1]:7.1f} min"
        else:
            figures = "no detections"
        per_episode = self.fetches / self.episodes if self.episodes else 0.0
        return (
            f"{self.mode:<28} {figures}  fetches/episode={per_episode:5.1f}  "
            f"checks={self.checks:<5} found={len(lat):<4} missed={self.missed}"
        )


def drain(queue: str) -> list[tuple[str, list]]:
    import json

    from watchlist_project.celery import app

    messages = []
    with app.connection_for_read() as conn:
        channel = conn.default_channel
        try:
            channel.queue_declare(queue=queue, passive=True)
        except Exception:
            return []
        while (message := channel.basic_get(queue, no_ack=True)) is not None:
            body = message.body if isinstance(message.body, list | tuple) else json.loads(message.body)
            messages.append((message.headers["task"], list(body[0])))
    return messages


def run_queued_tasks() -> int:
    """Be the worker: run what the dispatchers published, until the queue is
    empty (a user's check fans out into item checks). Returns item checks."""
    from watchlist import tasks

    checks = 0
    while messages := drain("checks"):
        for name, args in messages:
            if name == "watchlist.tasks.check_users_task":
                tasks.check_users_task(*args)
            elif name == "watchlist.tasks.check_item_task":
                tasks.check_item_task(*args)
                checks += 1
    return checks


def simulate(mode: str, args: argparse.Namespace, server: FeedServer, traveller) -> Outcome:
    import random

    from django.contrib.auth import get_user_model
    from django.db.models import Min

    from downloads.models import DownloadJob
    from watchlist import schedule
    from watchlist.metadata.airing import dispatch_airing_checks, sync_schedule
    from watchlist.metadata.anilist import Airing
    from watchlist.metadata.models import Series, SeriesAiring
    from watchlist.models import WatchlistSettings
    from watchlist_project.celery import app

    rng = random.Random(args.seed)
    airing_aware = mode != "plain interval"
    delays = [int(d) for d in args.delays.split(",")]
    end = START + timedelta(weeks=args.weeks)
    traveller.move_to(START)
    app.conf.task_always_eager = False

    # Series: weekly, each at its own weekday and hour; episodes 1..weeks.
    publications: dict[tuple[int, int], datetime] = {}
    n_delay = 0
    for n in range(args.series):
        first_air = START + timedelta(days=n % 7, hours=(9 + 5 * n) % 24, minutes=rng.choice([0, 30]))
        episodes = []
        for week in range(args.weeks):
            aired = first_air + timedelta(weeks=week)
            delay = delays[n_delay % len(delays)]
            n_delay += 1
            published = aired + timedelta(minutes=delay)
            if published < end - timedelta(hours=3):
                episodes.append((week + 1, aired))
                publications[(n, week + 1)] = published
        title = f"Bench Show {n}"
        server.feeds[f"/feeds/{n}.xml"] = Feed(
            title, [(ep, publications[(n, ep)]) for ep, _ in episodes if (n, ep) in publications]
        )
        if airing_aware:
            series = Series.objects.create(anilist_id=1000 + n, title_romaji=title, episodes=args.weeks)
            sync_schedule(series, [Airing(ep, at) for ep, at in episodes], START)

    from watchlist.items import add_item

    User = get_user_model()
    for u in range(args.users):
        user = User.objects.create_user(f"bench{u}")  # its settings row comes with it
        row = WatchlistSettings.for_user(user)
        row.check_interval_hours = args.interval_hours
        row.max_concurrent_auto_downloads = 10
        # Users' schedules are spread over the interval, as real sign-ups are.
        row.next_check_at = START + timedelta(minutes=rng.uniform(0, args.interval_hours * 60))
        row.save()
        for n in range(args.series):
            item = add_item(
                user,
                {"anime_title": f"Bench Show {n}", "anime_url": server.url(n), "provider_id": "feed", "lang": ""},
            )
            if airing_aware:
                item.series = Series.objects.get(anilist_id=1000 + n)
                item.save(update_fields=["series"])

    outcome = Outcome(mode)
    tick = START - timedelta(minutes=1)
    while True:
        next_user = WatchlistSettings.objects.filter(scheduler_enabled=True).aggregate(t=Min("next_check_at"))["t"]
        next_airing = SeriesAiring.objects.filter(next_check_at__isnull=False).aggregate(t=Min("next_check_at"))["t"]
        due = min(t for t in (next_user, next_airing, end) if t is not None)
        # Beat runs the dispatchers once a minute: the first run at or after
        # the due time, and never twice in one minute.
        at_minute = due.replace(second=0, microsecond=0)
        if at_minute < due:
            at_minute += timedelta(minutes=1)
        tick = max(at_minute, tick + timedelta(minutes=1))
        if tick >= end:
            break
        traveller.move_to(tick)
        schedule.dispatch_due_users(tick)
        dispatch_airing_checks(tick)
        outcome.checks += run_queued_tasks()
    drain("downloads")  # the download tasks themselves are not run here

    items = {}
    for user_items in User.objects.filter(username__startswith="bench").prefetch_related("watchlist_items"):
        for item in user_items.watchlist_items.all():
            items[str(item.pk)] = int(item.anime_url.rsplit("/", 1)[1].split(".")[0])
    handed_over: dict[tuple[str, int], datetime] = {}
    for metadata, created_at in DownloadJob.objects.values_list("metadata", "created_at"):
        key = (metadata["item_id"], int(metadata["episode"]))
        handed_over[key] = min(created_at, handed_over.get(key, created_at))
    for (n, episode), published in publications.items():
        for item_id, series_n in items.items():
            if series_n != n:
                continue
            created = handed_over.get((item_id, episode))
            if created is None:
                outcome.missed += 1
            else:
                outcome.latencies.append((created - published).total_seconds() / 60)
    outcome.fetches = sum(feed.fetches for feed in server.feeds.values())
    outcome.episodes = len(publications)
    return outcome


def clear(server: FeedServer) -> None:
    from django.contrib.auth import get_user_model

    from downloads.models import DownloadJob
    from watchlist.metadata.models import Series
    from watchlist.models import Source

    DownloadJob.objects.all().delete()
    get_user_model().objects.filter(username__startswith="bench").delete()  # items, settings, episodes
    Source.objects.all().delete()
    Series.objects.all().delete()
    server.feeds.clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--weeks", type=int, default=4)
    parser.add_argument("--series", type=int, default=6, help="weekly series, each on its own feed")
    parser.add_argument("--users", type=int, default=1, help="users tracking every series (sources shared)")
    parser.add_argument("--interval-hours", type=int, default=6)
    parser.add_argument("--delays", default=DEFAULT_DELAYS, help="publication delays after air time, minutes")
    parser.add_argument(
        "--dense-offsets",
        default="10,20,30,40,50,60,75,90,105,120",
        help="a second airing-aware run with these offsets (minutes); '' to skip",
    )
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    db = BenchDatabase(os.environ.get("DATABASE_URL") or "sqlite://")
    db.use(ALLOW_PRIVATE_SOURCES="true")  # the feeds are on 127.0.0.1
    db.create()
    server = FeedServer()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        import random

        import django
        import time_machine

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        random.seed(args.seed)  # the dispatcher's jitter
        print(
            f"weeks={args.weeks} series={args.series} users={args.users} interval={args.interval_hours}h "
            f"delays={args.delays} min SOURCE_MIN_REFRESH_MINUTES={settings.SOURCE_MIN_REFRESH_MINUTES}",
            flush=True,
        )
        modes = [
            ("plain interval", None),
            (f"airing {','.join(map(str, settings.AIRING_CHECK_OFFSETS_MINUTES))}", None),
        ]
        if args.dense_offsets:
            modes.append((f"airing {args.dense_offsets}", [int(v) for v in args.dense_offsets.split(",")]))
        default_offsets = list(settings.AIRING_CHECK_OFFSETS_MINUTES)
        results = []
        with time_machine.travel(START, tick=False) as traveller:
            for mode, offsets in modes:
                settings.AIRING_CHECK_OFFSETS_MINUTES = offsets or default_offsets
                outcome = simulate(mode, args, server, traveller)
                print(outcome.line(), flush=True)
                results.append(outcome)
                clear(server)
        plain = results[0]
        for outcome in results[1:]:
            if outcome.latencies and plain.latencies:
                ratio = statistics.median(plain.latencies) / max(statistics.median(outcome.latencies), 0.01)
                print(
                    f"{outcome.mode}: median latency {ratio:.0f}x lower than plain interval checks, "
                    f"fetches/episode {outcome.fetches / outcome.episodes:.1f} vs {plain.fetches / plain.episodes:.1f}"
                )
    finally:
        server.shutdown()
        db.drop()


if __name__ == "__main__":
    main()
