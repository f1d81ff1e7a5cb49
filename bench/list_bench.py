"""Benchmark: ``GET /api/watchlist?page_size=200`` for a user with 10 items
against one with 50, through Django's whole request path (middleware,
authentication, filtering, pagination, rendering), in process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/list_bench.py --rounds 60

Every item has a series (with a next airing, so the nested serializers all
run) and a last check, as a user's list looks after a day of use. Prints the
median and the 90th percentile of each size, the 50/10 ratio of the medians
(goal: <= 1.5x) and the SQL statements per request (which must not grow with
the number of items).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from check_bench import BenchDatabase  # noqa: E402 - after the path is set


def make_user(name: str, items: int):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from watchlist.metadata.models import Series
    from watchlist.models import CheckRun, Source, WatchlistItem

    owner = get_user_model().objects.create_user(username=name, password=None)
    now = timezone.now()
    for n in range(items):
        series, _ = Series.objects.get_or_create(
            anilist_id=10_000 + n,
            defaults={
                "title_romaji": f"Series {n}",
                "title_english": f"The Series {n}",
                "synonyms": [f"S{n}"],
                "format": "TV",
                "status": "RELEASING",
                "episodes": 12,
                "genres": ["Action", "Drama"],
                "synopsis": "A bench series.",
                "cover_url": f"https://img.example/{n}.jpg",
                "next_airing_episode": 5,
                "next_airing_at": now + timedelta(days=2),
                "fetched_at": now,
            },
        )
        url = f"https://feeds.example/{n}.xml"
        source, _ = Source.objects.get_or_create(provider_id="feed", url=url, lang="vostfr")
        item = WatchlistItem.objects.create(
            owner=owner,
            source=source,
            series=series,
            anime_title=f"Series {n}",
            anime_url=url,
            provider_id="feed",
            lang="vostfr",
            last_episode_downloaded=3,
            genres=["Action"],
            title_aliases=[f"Alias {n}"],
            last_checked_at=now,
        )
        for k in range(3):  # the list shows the latest one
            CheckRun.objects.create(
                item=item,
                started_at=now - timedelta(hours=k),
                duration_ms=120 + k,
                new_episodes=1,
                new_episode_numbers=[4 - k],
                queued_episode_numbers=[4 - k],
                source_status="fetched",
            )
    return owner


def measure(owner, rounds: int) -> tuple[list[float], int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(owner)
    for _ in range(5):  # warm caches (URL resolver, serializer fields)
        client.get("/api/watchlist?page_size=200")
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get("/api/watchlist?page_size=200")
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/watchlist?page_size=200").json()
    return times, len(queries), body["count"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--sizes", type=int, nargs=2, default=[10, 50], metavar=("SMALL", "LARGE"))
    args = parser.parse_args()

    db = BenchDatabase(os.environ.get("DATABASE_URL") or "sqlite://")
    os.environ.pop("REDIS_URL", None)
    os.environ.update(
        DATABASE_URL=db.url,
        DJANGO_SETTINGS_MODULE="watchlist_project.settings",
        VAR_DIR=db.tmpdir,
        SECRET_KEY="bench-only-not-secret",  # noqa: S106 - a throwaway database
        ALLOWED_HOSTS="testserver",
        LOG_LEVEL="WARNING",
    )
    db.create()
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from django.db import connection

        medians = {}
        for size in args.sizes:
            owner = make_user(f"bench{size}", size)
            times, queries, count = measure(owner, args.rounds)
            medians[size] = statistics.median(times)
            p90 = statistics.quantiles(times, n=10)[-1]
            print(
                f"db={connection.vendor} items={count:<4} median={medians[size]:6.1f} ms p90={p90:6.1f} ms "
                f"queries={queries}",
                flush=True,
            )
        small, large = args.sizes
        print(f"ratio {large}/{small} items (medians): {medians[large] / medians[small]:.2f}x")
    finally:
        db.drop()


if __name__ == "__main__":
    main()
