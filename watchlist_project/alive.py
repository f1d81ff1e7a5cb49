"""Container health checks of the worker and beat processes.

Each process touches its own file with every heartbeat
(watchlist/heartbeats.py); the check reads the file's age, so it needs
neither the database nor the broker, nor Django:

    python -m watchlist_project.alive worker     # exit 0 while fresh, 1 when stale
    python -m watchlist_project.alive beat --max-age 60
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

# Twice the longest gap between two stamps (beat: 10 s, worker: 20 s), and
# more: a health check must not fail a part that is merely busy for a moment.
DEFAULT_MAX_AGE = {"beat": 60, "worker": 90}


def alive_file(part: str) -> Path:
    """The file a part touches with each heartbeat, in the temporary folder:
    one per container, which is what a container health check wants (two
    workers on one machine outside containers share it; the System page
    tells them apart)."""
    return Path(tempfile.gettempdir()) / f"watchlist-{part}.alive"


def age_seconds(part: str, now: float | None = None) -> float | None:
    try:
        return (now if now is not None else time.time()) - alive_file(part).stat().st_mtime
    except OSError:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Exit 0 when the part stamped its heartbeat recently.")
    parser.add_argument("part", choices=sorted(DEFAULT_MAX_AGE))
    parser.add_argument("--max-age", type=float, default=None, help="seconds (default: 60 for beat, 90 for a worker)")
    args = parser.parse_args(argv)
    limit = args.max_age if args.max_age is not None else DEFAULT_MAX_AGE[args.part]
    age = age_seconds(args.part)
    if age is None:
        print(f"{args.part}: no heartbeat yet ({alive_file(args.part)})")
        return 1
    print(f"{args.part}: last heartbeat {age:.0f} s ago (limit {limit:.0f} s)")
    return 0 if age <= limit else 1


if __name__ == "__main__":
    sys.exit(main())
