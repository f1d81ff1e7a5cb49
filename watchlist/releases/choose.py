"""Choosing an item's episodes among a source's releases, and saying why.

``decide(item, releases, recorded, now)`` looks at every release the
source lists and gives each one a decision:

1. the series: the release's title must be one of the item's titles
   (match.py). A source whose releases all carry one title (or none) is a
   per-series listing and every release is the item's: the user chose it
   for this series, whatever its releases call it;
2. what it is: specials (OVA, movie, recap ``13.5``, NCOP...) are not
   episodes (they are taken when the item asks for them); batches
   ("01-12") are not single episodes: when the caller can download a batch
   torrent's files one per episode (``batches``), batches.py says which
   wanted episodes a batch fills instead of single releases;
3. the season and the episode number (numbering.py: other seasons are not
   the item's; absolute numbers map to the season's; a linked AniList
   entry's own season, count and cours);
4. the user's rules (rules.py): refused releases say which rule refused them;
5. one release per episode by the rules' preference; the others say why
   they lost. An episode already recorded keeps its release unless a v2 of
   it, or a release the rules prefer within ``UPGRADE_WINDOW_HOURS`` of
   the first one, replaces it (upgrade.py does the download hand-off).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from . import conf
from .aired import seasons_by_date
from .batches import MAX_BATCH_EPISODES, BatchOffer, number_span, quality_rank, take_batches
from .films import film_keys, is_film_item, is_film_release, is_one_off_item, is_one_off_release, names_film
from .match import (
    SeriesMatch,
    first_absolute_episode,
    item_keys,
    item_season,
    item_years,
    match_series,
    release_keys,
)
from .names import ReleaseName
from .numbering import AS_NAMED, map_episode, numbering_of
from .parse import parse_release
from .rules import Candidate, Rules, rank, refusal, rules_for, why_lower

if TYPE_CHECKING:
    from watchlist.models import Episode, Release, WatchlistItem

_SPECIAL_WORDS = {
    "movie": "a movie",
    "ova": "an OVA",
    "special": "a special",
    "recap": "a recap",
    "part": "a part of a split episode",
    "opening": "an opening (NCOP)",
    "ending": "an ending (NCED)",
    "preview": "a preview or trailer",
    "pilot": "a pilot",
    "extra": "an extra",
}


@dataclass
class Decision:
    release: Release
    episode: int | None
    code: str
    reason: str
    picked: bool = False
    queue: bool = True  # a picked release with no seeders is recorded, not queued
    note: str = ""  # how it was found to be the item's, when the name alone does not say (aired.py)


@dataclass
class Upgrade:
    episode: Episode
    release: Release
    reason: str


@dataclass
class Outcome:
    decisions: list[Decision] = field(default_factory=list)
    # (release, the item's episode number, season) of episodes to record
    new: list[tuple[Release, int, int | None]] = field(default_factory=list)
    upgrades: list[Upgrade] = field(default_factory=list)
    specials: list[Release] = field(default_factory=list)  # wanted specials (item.include_specials)

    def picked_numbers(self) -> list[int]:
        return [number for _, number, _ in self.new]


def parsed_release(release: Release) -> ReleaseName:
    return parse_release(release.release_name or release.title or "")


def candidate_of(release: Release, order: int = 0) -> Candidate:
    name = release.release_name or release.title or release.url
    span = (release.episode_end - release.episode + 1) if release.episode_end else 1
    return Candidate(
        name=name,
        url=release.url,
        group=release.group or parsed_release(release).group,
        resolution=release.resolution,
        version=release.version,
        language=release.language,
        seeders=release.seeders,
        size=release.size,
        episodes=max(span, 1),
        trusted=release.trusted,
        remake=release.remake,
        published_at=release.published_at,
        order=order,
    )


def episode_candidate(episode: Episode) -> Candidate:
    """The release an episode was recorded with, as the rules see it (its
    release row may be gone from the listing)."""
    if episode.release is not None:
        return candidate_of(episode.release, order=-1)
    parsed = parse_release(episode.title or "")
    span = parsed.episode_end - parsed.episode + 1 if parsed.episode_end and parsed.episode else 1
    return Candidate(
        name=episode.title or episode.url,
        url=episode.url,
        episodes=max(span, 1),  # filled by a batch (the title is the batch's)
        group=parsed.group,
        resolution=episode.resolution,
        version=episode.version,
        language=episode.language,
        order=-1,
    )


def _summary(candidate: Candidate) -> str:
    parts = [f"{candidate.resolution}p" if candidate.resolution else "", f"v{candidate.version}"]
    parts = [p for p in parts if p and p != "v1"]
    if candidate.group:
        parts.append(f"from {candidate.group}")
    if candidate.seeders is not None:
        parts.append(f"{candidate.seeders} seeders")
    return ", ".join(parts) or "the only release"


def _special_reason(parsed: ReleaseName, release: Release) -> str:
    kind = _SPECIAL_WORDS.get(parsed.special_kind, "a special")
    if parsed.part.startswith(".") and parsed.episode is not None:
        kind = f"a recap ({parsed.episode}{parsed.part})"
    return f"{kind}, not an episode"


def _single_series(parsed: list[ReleaseName]) -> bool:
    bases = {key.joined for name in parsed for key in release_keys(name)[:1] if key.base}
    return len(bases) <= 1


def decide(
    item: WatchlistItem,
    releases: list[Release],
    recorded: dict[int, Episode],
    now: datetime,
    rules: Rules | None = None,
    *,
    batches: bool = False,
) -> Outcome:
    """``batches``: batch releases may fill episodes (their files can be
    downloaded one per episode); else they are explained and left out."""
    rules = rules if rules is not None else rules_for(item)
    keys = item_keys(item)
    season = item_season(item)
    parsed = [parsed_release(release) for release in releases]
    per_series = _single_series(parsed)
    outcome = Outcome()
    candidates: dict[int, list[tuple[Candidate, Decision]]] = {}
    offers: list[tuple[BatchOffer, Decision]] = []
    years = item_years(item)
    matches = [match_series(keys, name, years) for name in parsed]
    # When the listing names the item's (later) season for this series,
    # its releases without a season are another season's: a group that
    # writes "Title S2 - 01" writes season 1 as "Title - 01".
    named = {
        (release.season if release.season is not None else series.season)
        for release, series in zip(releases, matches, strict=True)
        if series.matches
    }
    unmarked_elsewhere = season is not None and season > 1 and season in named
    film = film_keys(item) if is_film_item(item) else None
    one_off = film is not None and is_one_off_item(item)
    by_date = seasons_by_date(item, season)
    if by_date is not None:
        by_date = by_date.with_listing(releases, parsed)

    for order, (release, name, series) in enumerate(zip(releases, parsed, matches, strict=True)):
        decision = Decision(release, None, "", "")
        outcome.decisions.append(decision)
        release_season = release.season if release.season is not None else series.season
        film_named = film is not None and not years.refuse(name.year) and names_film(film, name, one_off=one_off)
        if film_named:
            series = SeriesMatch(True, None)
        dated = by_date.answer(name, release, series.matches) if by_date is not None else None
        if dated is not None:
            # Named by the franchise and a season: its date says whether it
            # is this entry's (aired.py).
            if dated.number is None:
                decision.code, decision.reason = "other_season", dated.reason
                continue
            decision.note = dated.reason
            _consider(item, rules, candidates, decision, release, order, dated.number, recorded)
            continue
        if not series.matches and not per_series and name.title:
            decision.code, decision.reason = "other_series", f"another series: {name.title}"
            continue
        if years.published_before(release.published_at):
            decision.code = "other_series"
            decision.reason = f"published in {release.published_at.year}, before this series began ({years.began})"
            continue
        if one_off and film_named and (is_film_release(name) or is_one_off_release(name)):
            # A one-episode OVA's item: its film-like release is its episode
            # 1; a numbered one ("Title: Subtitle - 01") is numbered below.
            _consider(item, rules, candidates, decision, release, order, 1, recorded)
            continue
        if film is not None and not one_off:
            # A film's item: its film is its episode 1, nothing else is.
            if not is_film_release(name):
                decision.code, decision.reason = "other_series", "an episode or a batch of a series; this is a film"
                continue
            _consider(item, rules, candidates, decision, release, order, 1, recorded)
            continue
        if release.episode_end is not None:
            decision.code = "batch"
            decision.reason = (
                f"a batch (episodes {release.episode}-{release.episode_end}); episodes are taken one by one"
            )
            if batches:
                numbering = numbering_of(keys, series, season)
                offer = _batch_offer(item, rules, recorded, season, release, release_season, order, decision, numbering)
                if offer is not None:
                    offers.append((offer, decision))
            continue
        if release.is_special or name.is_special:
            if name.episode is None and not name.is_special:
                # Named without a number: a film, or the series' discs (a
                # film's item takes its film above); no episode or special.
                decision.code = "special"
                decision.reason = "no episode number (a film, or a set of the series), not an episode"
            elif item.include_specials:
                decision.code, decision.reason, decision.picked = "special", "a special you asked for", True
                outcome.specials.append(release)
            else:
                decision.code, decision.reason = "special", _special_reason(name, release)
            continue
        if unmarked_elsewhere and release_season is None and not first_absolute_episode(item):
            decision.code = "other_season"
            decision.reason = f"no season in its name, and this source names season {season}'s releases"
            continue
        mapping = map_episode(item, season, release_season, release.episode, numbering_of(keys, series, season))
        if mapping.number is None:
            decision.code, decision.reason = mapping.code, mapping.reason
            continue
        _consider(item, rules, candidates, decision, release, order, mapping.number, recorded)

    in_batch = _take_batches(rules, outcome, offers, candidates, season)
    window = timedelta(hours=conf.upgrade_window_hours())
    for number, entries in sorted(candidates.items()):
        if number in in_batch:
            for _, decision in entries:
                decision.code, decision.reason = "in_batch", f"episode {number} comes with {in_batch[number]}"
            continue
        best, best_decision = max(entries, key=lambda entry: rank(rules, entry[0]))
        episode = recorded.get(number)
        if episode is None:
            best_decision.picked = True
            best_decision.code, best_decision.reason = "picked", f"picked: {_summary(best)}"
            if best_decision.note:
                best_decision.reason += f"; {best_decision.note}"
            if best.seeders == 0:
                best_decision.queue = False
                best_decision.code = "no_seeders"
                best_decision.reason = "picked, but it has no seeders yet: recorded, not queued"
            episode_season = season if season is not None else best_decision.release.season
            outcome.new.append((best_decision.release, number, episode_season))
            _explain_losers(rules, entries, best, best_decision)
            continue
        _decide_recorded(rules, outcome, episode, entries, best, best_decision, now, window)
    outcome.new.sort(key=lambda entry: entry[1])  # the batches' episodes among the singles'
    return outcome


def _consider(
    item: WatchlistItem,
    rules: Rules,
    candidates: dict[int, list[tuple[Candidate, Decision]]],
    decision: Decision,
    release: Release,
    order: int,
    number: int,
    recorded: dict[int, Episode],
) -> None:
    """The release as a candidate for the item's episode ``number``, unless
    it comes before the last episode downloaded or the rules refuse it."""
    decision.episode = number
    if number <= item.last_episode_downloaded and number not in recorded:
        decision.code = "before_last"
        decision.reason = f"episode {number} is not after the last one you have ({item.last_episode_downloaded})"
        return
    candidate = candidate_of(release, order)
    refused = refusal(rules, candidate)
    if refused is not None:
        decision.code, decision.reason = refused
        return
    candidates.setdefault(number, []).append((candidate, decision))


def _batch_offer(
    item: WatchlistItem,
    rules: Rules,
    recorded: dict[int, Episode],
    season: int | None,
    release: Release,
    release_season: int | None,
    order: int,
    decision: Decision,
    numbering: str = AS_NAMED,
) -> BatchOffer | None:
    """The batch's wanted episodes (not recorded, after the last one
    downloaded), when the rules allow it; else None, and the decision says why."""
    from watchlist.downloading import is_torrent_link  # downloading imports the downloads app

    if not is_torrent_link(release.url, release.infohash, provider_id=item.provider_id, typed=release.typed_torrent):
        return None  # a file or page of many episodes: nothing to take one per episode
    span = mapped_span(item, season, release, release_season, numbering)
    if span is None:
        return None
    candidate = candidate_of(release, order)
    refused = refusal(rules, candidate)
    if refused is not None:
        decision.code, decision.reason = refused
        return None
    if span.code:
        decision.code, decision.reason = span.code, span.reason
        return None
    first, last = release.episode, release.episode_end
    wanted = {number for number in span.numbers if number not in recorded and number > item.last_episode_downloaded}
    if not wanted:
        decision.reason = f"a batch (episodes {first}-{last}); you have or expect every episode of it"
        return None
    decision.reason = f"a batch (episodes {first}-{last}); single releases are preferred for its episodes"
    return BatchOffer(candidate, wanted)


@dataclass(frozen=True)
class BatchSpan:
    """The item's episodes a batch release holds, or why none (``code``)."""

    numbers: list[int]
    code: str = ""
    reason: str = ""


def mapped_span(
    item: WatchlistItem, season: int | None, release: Release, release_season: int | None, numbering: str = AS_NAMED
) -> BatchSpan | None:
    """A batch's range as the item's episode numbers (absolute numbers
    mapped to the season's); None when the range is no batch of episodes
    ("01-2000" is a catalogue number)."""
    first, last = release.episode, release.episode_end
    if first is None or last is None or last < first or last - first >= MAX_BATCH_EPISODES:
        return None
    numbers = []
    for number in range(first, last + 1):
        mapping = map_episode(item, season, release_season, number, numbering)
        if mapping.number is None:
            return BatchSpan([], mapping.code, mapping.reason)
        numbers.append(mapping.number)
    return BatchSpan(numbers)


def batch_span(item: WatchlistItem, release: Release) -> BatchSpan | None:
    """`mapped_span` of a batch release on its own (the user's pick): the
    season as a check reads it from the item and the release's name."""
    keys = item_keys(item)
    series = match_series(keys, parsed_release(release), item_years(item))
    release_season = release.season if release.season is not None else series.season
    season = item_season(item)
    return mapped_span(item, season, release, release_season, numbering_of(keys, series, season))


def _take_batches(
    rules: Rules,
    outcome: Outcome,
    offers: list[tuple[BatchOffer, Decision]],
    candidates: dict[int, list[tuple[Candidate, Decision]]],
    season: int | None,
) -> dict[int, str]:
    """Record the episodes the chosen batches fill; return {episode: what
    fills it} for the single releases' decisions."""
    if not offers:
        return {}
    singles = {
        number: max((c for c, _ in entries), key=lambda c: rank(rules, c)) for number, entries in candidates.items()
    }
    decisions = {id(offer): decision for offer, decision in offers}
    filled: dict[int, str] = {}
    for offer in take_batches(rules, [offer for offer, _ in offers], singles):
        decision = decisions[id(offer)]
        release = decision.release
        shown = episode_span(offer.taken)
        decision.picked = True
        decision.code, decision.reason = "picked", f"picked for {shown}, in one download: {_summary(offer.candidate)}"
        if offer.candidate.seeders == 0:
            decision.queue = False
            decision.code = "no_seeders"
            decision.reason = f"picked for {shown}, but it has no seeders yet: recorded, not queued"
        episode_season = season if season is not None else release.season
        for number in offer.taken:
            outcome.new.append((release, number, episode_season))
            filled[number] = f"the batch picked for {shown}"
    return filled


def episode_span(numbers: list[int]) -> str:
    """ "episodes 1-3, 5" for [1, 2, 3, 5]; "episode 4" for [4]."""
    word = "episode" if len(set(numbers)) == 1 else "episodes"
    return f"{word} {number_span(numbers)}"


def _explain_losers(rules: Rules, entries: list[tuple[Candidate, Decision]], best: Candidate, picked: Decision) -> None:
    for candidate, decision in entries:
        if decision is not picked:
            decision.code, decision.reason = why_lower(rules, best, candidate)


def upgrade_reason(
    rules: Rules, have: Candidate, offered: Candidate, found_at: datetime, now: datetime, window: timedelta
) -> str | None:
    """Why ``offered`` should replace the recorded ``have``, or None."""
    same_release = have.group.casefold() == offered.group.casefold() and have.resolution == offered.resolution
    if same_release and offered.version > have.version:
        return f"v{offered.version} replaces the v{have.version} you have"
    better = rank(rules, offered)[:-1] > rank(rules, have)[:-1]
    if have.episodes > 1:
        # Filled by a batch: its seeders and size are the whole batch's, so
        # only a better release (resolution, group, version...) replaces it.
        better = quality_rank(rules, offered) > quality_rank(rules, have)
    if window and now - found_at <= window and better:
        hours = int(window.total_seconds() // 3600)
        return f"a release you prefer ({why_lower(rules, offered, have)[1]} for the one you have), within {hours} h"
    return None


def _decide_recorded(
    rules: Rules,
    outcome: Outcome,
    episode: Episode,
    entries: list[tuple[Candidate, Decision]],
    best: Candidate,
    best_decision: Decision,
    now: datetime,
    window: timedelta,
) -> None:
    have = episode_candidate(episode)
    current = next((decision for candidate, decision in entries if candidate.url == episode.url), None)
    offer = None
    if best.url != episode.url and not getattr(episode, "pinned", False):
        offer = upgrade_reason(rules, have, best, episode.found_at, now, window)
    elif best.url != episode.url:
        # Chosen by hand: only a v2 of the user's choice replaces it.
        reason = upgrade_reason(rules, have, best, episode.found_at, now, timedelta(0))
        offer = reason if reason and reason.startswith("v") else None
    if offer is not None:
        best_decision.picked = True
        best_decision.code, best_decision.reason = "upgrade", offer
        outcome.upgrades.append(Upgrade(episode, best_decision.release, offer))
        for candidate, decision in entries:
            if decision is best_decision:
                continue
            if decision is current:
                decision.code, decision.reason = "replaced", f"replaced: {offer}"
            else:
                decision.code, decision.reason = why_lower(rules, best, candidate)
        return
    state = episode.get_state_display().lower()
    for candidate, decision in entries:
        if decision is current:
            decision.picked = True
            decision.code, decision.reason = "recorded", f"the release of episode {episode.number} ({state})"
        elif rank(rules, candidate) > rank(rules, have):
            decision.code = "kept"
            decision.reason = f"preferred, but episode {episode.number} already has a release ({state})"
        else:
            decision.code, decision.reason = why_lower(rules, have, candidate)
