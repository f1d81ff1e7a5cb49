"""Batch releases ("Show - 01-12 [Batch]"): when one fills several episodes.

A batch torrent is one download for many episodes, and only the wanted
episodes' files of it are fetched. Single-episode releases stay preferred
where they exist, because they come as each episode airs, are
re-released as v2s one by one and fail one by one. A batch takes:

- the wanted episodes no single release offers (a finished season whose
  weekly releases are gone from the listing);
- when at least ``BATCH_MIN_MISSING`` of its episodes are wanted (a series
  added late, many episodes behind), every wanted episode whose single
  release the rules do not prefer to the batch: one job instead of many.

"Wanted" is an episode the item has not recorded (so not queued either)
and that comes after the last one downloaded. Several batches are taken
greedily: the one filling most episodes first (then the rules' preferred).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .conf import batch_min_missing
from .rules import Candidate, Rules, rank

# Longer ranges are not read as batches of one series ("01-2000" is a
# catalogue number or a year span).
MAX_BATCH_EPISODES = 500

# The preference parts that say a release is better (resolution, preferred
# group, trusted uploader, not a remake, version); seeders, size and date
# differ between a batch and a single by nature and decide nothing here.
QUALITY_PARTS = 5


def number_span(numbers) -> str:
    """ "1-3, 5, 7-8" for [1, 2, 3, 5, 7, 8]."""
    runs: list[list[int]] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)


@dataclass
class BatchOffer:
    """One batch release that the rules allow, and its wanted episodes."""

    candidate: Candidate
    wanted: set[int]
    taken: list[int] = field(default_factory=list)  # filled by take_batches


def quality_rank(rules: Rules, candidate: Candidate) -> tuple:
    return rank(rules, candidate)[:QUALITY_PARTS]


def episodes_for(
    rules: Rules, offer: BatchOffer, singles: dict[int, Candidate], free: set[int], min_missing: int
) -> list[int]:
    """The episodes ``offer`` should fill among ``free`` ones; ``singles``:
    the best single release of each episode that has one."""
    wanted = offer.wanted & free
    without_single = {n for n in wanted if n not in singles}
    if len(wanted) < min_missing:
        return sorted(without_single)
    batch = quality_rank(rules, offer.candidate)
    return sorted(n for n in wanted if n in without_single or quality_rank(rules, singles[n]) <= batch)


def take_batches(
    rules: Rules, offers: list[BatchOffer], singles: dict[int, Candidate], min_missing: int | None = None
) -> list[BatchOffer]:
    """The batches to download, each with the episodes it fills
    (``taken``); an episode goes to one batch at most."""
    threshold = batch_min_missing() if min_missing is None else min_missing
    free = set().union(*(offer.wanted for offer in offers)) if offers else set()
    chosen = []
    remaining = list(offers)
    while remaining:
        scored = [(episodes_for(rules, offer, singles, free, threshold), offer) for offer in remaining]
        numbers, best = max(scored, key=lambda entry: (len(entry[0]), rank(rules, entry[1].candidate)))
        if not numbers:
            break
        best.taken = numbers
        chosen.append(best)
        free -= set(numbers)
        remaining.remove(best)
    return chosen
