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


def measure(owners: dict[int, object], rounds: int) -> dict[int, tuple[list[float], list[float], int]]:
    """Times of each size's request, taken in turn (10, 50, 10, 50...) so
    that the load of a shared machine falls on both sizes alike. Returns,
    per size, the wall times, this process's CPU times (ms) and the SQL
    statements of one request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    clients = {}
    for size, owner in owners.items():
        clients[size] = APIClient()
        clients[size].force_authenticate(owner)
        for _ in range(5):  # warm caches (URL resolver, serializer fields)
            clients[size].get("/api/watchlist?page_size=200")
    wall: dict[int, list[float]] = {size: [] for size in owners}
    cpu: dict[int, list[float]] = {size: [] for size in owners}
    for _ in range(rounds):
        for size, client in clients.items():
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get("/api/watchlist?page_size=200")
            wall[size].append((time.perf_counter() - started) * 1000)
            cpu[size].append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == 200, response.status_code
            assert response.json()["count"] == size
    statements = {}
    for size, client in clients.items():
        with CaptureQueriesContext(connection) as queries:
            client.get("/api/watchlist?page_size=200")
        statements[size] = len(queries)
    return {size: (wall[size], cpu[size], statements[size]) for size in owners}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--sizes", type=int, nargs=2, default=[10, 50], metavar=("SMALL", "LARGE"))
    args = parser.parse_args()

    db = BenchDatabase(os.environ.get("DATABASE_URL") or "sqlite://")
    db.use(ALLOWED_HOSTS="testserver")
    db.create()
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from django.db import connection

        owners = {size: make_user(f"bench{size}", size) for size in args.sizes}
        medians = {}
        for size, (wall, cpu, statements) in measure(owners, args.rounds).items():
            medians[size] = statistics.median(wall)
            p90 = statistics.quantiles(wall, n=10)[-1]
            print(
                f"db={connection.vendor} items={size:<4} median={medians[size]:6.1f} ms p90={p90:6.1f} ms "
                f"cpu median={statistics.median(cpu):6.1f} ms statements={statements}",
                flush=True,
            )
        small, large = args.sizes
        print(f"ratio {large}/{small} items (wall medians): {medians[large] / medians[small]:.2f}x")
    finally:
        db.drop()


if __name__ == "__main__":
    main()
