"""Benchmark: per-user schedules with one dispatcher (what the service does)
against one django-celery-beat PeriodicTask per user.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
    REDIS_URL=redis://127.0.0.1:6379/8 \\
        .venv/bin/python bench/scheduler_bench.py --users 1000 10000 100000

For each N, on a fresh PostgreSQL database (``bench_sched_<pid>``, dropped
at the end) with every user due, and a real Redis broker (the given database
number is FLUSHED before and after each run: do not point it at data you
keep), each design runs in its own process so that peak RSS is its own:

(a) one PeriodicTask per user (bulk-inserted: the cheapest way to create
    them; the API would insert one by one): time to create the rows, beat's
    schedule load (DatabaseScheduler's initial read of every row), then beat's
    ticks until every due user has been sent, and beat's write-back of
    last_run_at (sync); ``--budget`` seconds at most for the ticks, after
    which the figure is the rate extrapolated from what was sent;
(b) the dispatcher: schedule rows for every user due now, then
    ``dispatch_due_users()`` until none is due.

Printed: seconds per phase, messages sent, peak RSS of the process, and the
ratios (a)/(b).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _setup_django(database_url: str, redis_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["REDIS_URL"] = redis_url
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ["LOG_LEVEL"] = "WARNING"  # beat logs every send at INFO
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "watchlist_project.settings")
    import django

    django.setup()


def _make_users(n: int) -> list[int]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    User = get_user_model()
    password = make_password(None)
    users = [User(username=f"bench{i:07d}", password=password) for i in range(n)]
    # bulk_create skips post_save, so no schedule rows are made here.
    User.objects.bulk_create(users, batch_size=5000)
    return list(User.objects.filter(username__startswith="bench").values_list("pk", flat=True))


def _flush_broker() -> None:
    from watchlist_project.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.client.flushdb()


def _queued_messages() -> int:
    from watchlist_project.broker import queue_lengths

    return sum(n or 0 for n in queue_lengths().values())


def measure_per_user_tasks(n: int, budget: float) -> dict:
    from datetime import timedelta

    from django.utils import timezone
    from django_celery_beat.models import IntervalSchedule, PeriodicTask
    from django_celery_beat.schedulers import DatabaseScheduler

    from watchlist_project.celery import app

    user_ids = _make_users(n)
    _flush_broker()
    base_rss = _peak_rss_mb()
    every, _ = IntervalSchedule.objects.get_or_create(every=6, period=IntervalSchedule.HOURS)
    due = timezone.now() - timedelta(hours=7)
    t0 = time.perf_counter()
    PeriodicTask.objects.bulk_create(
        [
            PeriodicTask(
                name=f"check user {uid}",
                task="watchlist.tasks.check_user_task",
                args=json.dumps([uid]),
                interval=every,
                last_run_at=due,
                queue="checks",
            )
            for uid in user_ids
        ],
        batch_size=5000,
    )
    create_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    scheduler = DatabaseScheduler(app=app, lazy=False)
    load_s = time.perf_counter() - t0

    # Beat's loop: tick() sends at most one due entry and answers 0 ("call me
    # again now") while more are due.
    t0 = time.perf_counter()
    deadline = t0 + budget
    while time.perf_counter() < deadline:
        if scheduler.tick() > 0:
            break
    tick_s = time.perf_counter() - t0
    sent = _queued_messages()
    finished = sent >= n
    t0 = time.perf_counter()
    scheduler.sync()
    sync_s = time.perf_counter() - t0
    queued = _queued_messages()
    _flush_broker()
    return {
        "design": "per-user PeriodicTask",
        "users": n,
        "create_s": round(create_s, 2),
        "load_s": round(load_s, 2),
        "send_s": round(tick_s, 2) if finished else round(tick_s * n / max(sent, 1), 2),
        "send_extrapolated": not finished,
        "sent": sent,
        "sync_s": round(sync_s, 2),
        "queued_in_broker": queued,
        "total_s": round(create_s + load_s + (tick_s if finished else tick_s * n / max(sent, 1)) + sync_s, 2),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "rss_growth_mb": round(_peak_rss_mb() - base_rss, 1),
    }


def measure_dispatcher(n: int) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    from watchlist.models import WatchlistSettings
    from watchlist.schedule import dispatch_due_users

    user_ids = _make_users(n)
    _flush_broker()
    base_rss = _peak_rss_mb()
    due = timezone.now() - timedelta(minutes=1)
    t0 = time.perf_counter()
    WatchlistSettings.objects.bulk_create(
        [WatchlistSettings(user_id=uid, next_check_at=due) for uid in user_ids], batch_size=5000
    )
    create_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    dispatched = 0
    while True:
        report = dispatch_due_users()
        dispatched += report.dispatched
        if not report.more_due:
            break
    dispatch_s = time.perf_counter() - t0
    queued = _queued_messages()
    _flush_broker()
    return {
        "design": "dispatcher",
        "users": n,
        "create_s": round(create_s, 2),
        "dispatch_s": round(dispatch_s, 2),
        "sent": dispatched,
        "queued_in_broker": queued,
        "total_s": round(create_s + dispatch_s, 2),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "rss_growth_mb": round(_peak_rss_mb() - base_rss, 1),
    }


# --- orchestration -----------------------------------------------------------


def _admin_url(database_url: str) -> str:
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(path="/postgres"))


def _run_psql(database_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(_admin_url(database_url), autocommit=True) as conn:
        conn.execute(sql)


def _child(args: argparse.Namespace) -> None:
    _setup_django(args.db_url, args.redis_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    result = measure_per_user_tasks(args.n, args.budget) if args.child == "tasks" else measure_dispatcher(args.n)
    print(json.dumps(result))


def _measure(design: str, n: int, args: argparse.Namespace) -> dict:
    name = f"bench_sched_{os.getpid()}"
    db_url = urlunsplit(urlsplit(args.database_url)._replace(path=f"/{name}"))
    _run_psql(args.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _run_psql(args.database_url, f'CREATE DATABASE "{name}"')
    try:
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                design,
                "--n",
                str(n),
                "--db-url",
                db_url,
                "--redis-url",
                args.redis_url,
                "--budget",
                str(args.budget),
            ],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        return json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        _run_psql(args.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--budget", type=float, default=120.0, help="seconds of beat ticks at most per run")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/8"))
    parser.add_argument("--child", choices=["tasks", "dispatcher"], help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--db-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must point at a PostgreSQL server (the benchmark creates its own database there)")

    print(
        f"{'users':>7} {'design':<22} {'create s':>9} {'load s':>7} {'send s':>8} {'sync s':>7} "
        f"{'total s':>8} {'sent':>7} {'peak RSS MB':>12} {'RSS growth MB':>14}"
    )
    for n in args.users:
        tasks = _measure("tasks", n, args)
        disp = _measure("dispatcher", n, args)
        send = f"{tasks['send_s']}{'*' if tasks['send_extrapolated'] else ''}"
        print(
            f"{n:>7} {'per-user PeriodicTask':<22} {tasks['create_s']:>9} {tasks['load_s']:>7} {send:>8} "
            f"{tasks['sync_s']:>7} {tasks['total_s']:>8} {tasks['sent']:>7} {tasks['peak_rss_mb']:>12} "
            f"{tasks['rss_growth_mb']:>14}"
        )
        print(
            f"{n:>7} {'dispatcher':<22} {disp['create_s']:>9} {'-':>7} {disp['dispatch_s']:>8} {'-':>7} "
            f"{disp['total_s']:>8} {disp['sent']:>7} {disp['peak_rss_mb']:>12} {disp['rss_growth_mb']:>14}"
        )
        send_ratio = tasks["send_s"] / max(disp["dispatch_s"], 1e-9)
        total_ratio = tasks["total_s"] / max(disp["total_s"], 1e-9)
        mem_ratio = tasks["rss_growth_mb"] / max(disp["rss_growth_mb"], 0.1)
        print(
            f"{n:>7} ratio per-task/dispatcher: send {send_ratio:.1f}x, total {total_ratio:.1f}x, "
            f"RSS growth {mem_ratio:.1f}x"
        )
    print("* extrapolated from the ticks done within --budget")


if __name__ == "__main__":
    main()
