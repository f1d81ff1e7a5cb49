"""Benchmark: release-name parsing, speed and accuracy.

    .venv/bin/python bench/parse_bench.py [--rounds 3] [--cpu]

Speed: names parsed per second in this one process, the parser's cache
bypassed (every name is parsed for real), over the names of the project's
table (tests/release_table.py), several rounds, best round reported; with
--cpu, per second of this process's CPU time (steadier when other jobs
share the machine).

Accuracy: the share of the table's rows whose checked fields all come out
right, per family, for this parser and for its two peers measured in the
same run on the same rows: anitopy 2.1.1 alone and guessit 3.8 alone (their
answers mapped to the same fields; a field a peer does not give counts as
empty). The table is the project's own, written with the rules: read the
peers' figures as "what the rules add", not as an independent measure.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "watchlist_project.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")

import re

import anitopy
from guessit import guessit

from tests.release_table import ROWS
from watchlist.releases import parse_release
from watchlist.releases.text import height_of

SPECIAL_TYPES = {"ova", "oad", "oav", "sp", "special", "specials", "movie", "op", "ed", "ncop", "nced", "pv", "preview"}


def _ints(value: Any) -> list[int]:
    values = value if isinstance(value, list) else [value] if value is not None else []
    return [int(v) for v in map(str, values) if v.isdecimal()]


def ours(name: str) -> dict[str, Any]:
    parsed = parse_release.__wrapped__(name)  # past the cache
    return {key: getattr(parsed, key) for key in parsed.__dataclass_fields__} | {"number": parsed.number}


# anitopy 2.1.1 never returns on a dash left alone at a name's end
# ("Title - 160 -.mkv"); such a row counts as an empty answer for the peer.
_ANITOPY_LOOPS = re.compile(r"[\s_]+[-\u2010-\u2015]+[\s_]*(?:\.\w{2,4})?$")


def anitopy_alone(name: str) -> dict[str, Any]:
    try:
        found = {} if _ANITOPY_LOOPS.search(name) else anitopy.parse(name) or {}
    except Exception:  # anitopy 2.1.1 raises on a number ending a name: an empty answer for the peer
        found = {}
    episodes = _ints(found.get("episode_number"))
    types = (
        [str(t).lower() for t in (found.get("anime_type") or [])]
        if isinstance(found.get("anime_type"), list)
        else [str(found.get("anime_type") or "").lower()]
    )
    return {
        "title": str(found.get("anime_title") or ""),
        "episode": episodes[0] if episodes else None,
        "episode_end": episodes[-1] if len(episodes) > 1 else None,
        "season": (_ints(found.get("anime_season")) or [None])[0],
        "resolution": height_of(str(found.get("video_resolution") or "")),
        "version": (_ints(found.get("release_version")) or [1])[0],
        "group": str(found.get("release_group") or ""),
        "is_special": any(t in SPECIAL_TYPES for t in types),
        "is_batch": len(episodes) > 1 or "batch" in str(found.get("release_information") or "").lower(),
        "year": (_ints(found.get("anime_year")) or [None])[0],
    }


def guessit_alone(name: str) -> dict[str, Any]:
    try:
        found = dict(guessit(name))
    except Exception:
        found = {}
    episodes = _ints(found.get("episode"))
    return {
        "title": str(found.get("title") or ""),
        "episode": episodes[0] if episodes else None,
        "episode_end": episodes[-1] if len(episodes) > 1 else None,
        "season": (_ints(found.get("season")) or [None])[0],
        "resolution": height_of(str(found.get("screen_size") or "")),
        "version": (_ints(found.get("version")) or [1])[0],
        "group": str(found.get("release_group") or ""),
        "is_special": found.get("episode_details") is not None or found.get("type") == "movie",
        "is_batch": len(episodes) > 1,
        "year": found.get("year"),
    }


def accuracy(parser) -> tuple[Counter, Counter]:
    right, total = Counter(), Counter()
    for family, name, expected in ROWS:
        got = parser(name)
        total[family] += 1
        if all(got.get(key) == value for key, value in expected.items()):
            right[family] += 1
    return right, total


def speed(parser, rounds: int, clock=time.perf_counter) -> float:
    names = [name for _, name, _ in ROWS]
    best = 0.0
    for _ in range(rounds):
        started = clock()
        for name in names:
            parser(name)
        best = max(best, len(names) / (clock() - started))
    return best


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--rounds", type=int, default=3)
    # CPU time of this process: steadier than the wall clock on a machine other jobs share
    args.add_argument("--cpu", action="store_true", help="time with process CPU time instead of the wall clock")
    options = args.parse_args()
    clock, unit = (time.process_time, "CPU-second") if options.cpu else (time.perf_counter, "second")

    peers = {"this parser": ours, "anitopy alone": anitopy_alone, "guessit alone": guessit_alone}
    results = {label: accuracy(parser) for label, parser in peers.items()}
    families = list(dict.fromkeys(family for family, _, _ in ROWS))
    print(f"{len(ROWS)} names in {len(families)} families (tests/release_table.py)\n")
    print("| family | rows | " + " | ".join(peers) + " |")
    print("|---|---:|" + "---:|" * len(peers))
    for family in [*families, "all"]:
        cells = []
        for label in peers:
            right, total = results[label]
            hits = sum(right.values()) if family == "all" else right[family]
            count = sum(total.values()) if family == "all" else total[family]
            cells.append(f"{100 * hits / count:.1f} %")
        count = len(ROWS) if family == "all" else results["this parser"][1][family]
        print(f"| {family} | {count} | " + " | ".join(cells) + " |")

    print(f"\nnames parsed per {unit}, one process, best of", options.rounds, "rounds:")
    rates = {label: speed(parser, options.rounds, clock) for label, parser in peers.items()}
    for label, rate in rates.items():
        print(f"  {label:14} {rate:10,.0f} /s")
    print(f"  ratio this parser / anitopy alone: {rates['this parser'] / rates['anitopy alone']:.2f}")
    print(f"  ratio this parser / guessit alone: {rates['this parser'] / rates['guessit alone']:.1f}")


if __name__ == "__main__":
    main()
