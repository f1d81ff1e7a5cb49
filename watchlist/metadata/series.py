"""Series records: one row per AniList id, written from AniList's answers.

- `remember(records)` stores search results (no schedule yet), so a result
  the user then chooses needs no second request and its poster can be
  served from our side.
- `series_for_anilist_id(id)` is what adding an item by AniList id calls:
  the stored row, or a fetch; when AniList is down, a placeholder row that
  the refresh task fills in later (adding an item never fails on AniList).
- `apply_record` writes one answer onto a row; refresh.py calls it for every
  series it refreshes, with the airing schedule (airing.py) and the
  first absolute episode number.

First absolute episode: AniList numbers each season from 1 while many
release groups number a long series across seasons (season 2's first
episode is "13"). AniList's relations give each season's PREQUEL; walking
that chain back and adding up the episode counts of the TV/TV_SHORT/ONA
seasons on it (films, OVAs and specials on the way are passed through, not
counted) gives the absolute number of this season's episode 1. A season
without a prequel starts at 1 (one whose PREQUEL edge has no entry to
follow does not: unknown). Unknown (None) when a season on the chain
has no episode count yet, or the chain is longer than MAX_PREQUEL_HOPS.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from .anilist import AniListClient, AniListError, MediaRecord, Relation
from .models import Series

logger = logging.getLogger(__name__)

MAIN_FORMATS = frozenset({"TV", "TV_SHORT", "ONA"})
MAX_PREQUEL_HOPS = 15


class UnknownSeries(Exception):
    """AniList has no anime with this id."""


# Fields every answer (search or full) carries.
_BASIC_FIELDS = [
    "mal_id",
    "title_english",
    "title_romaji",
    "title_native",
    "synonyms",
    "format",
    "status",
    "episodes",
    "duration_minutes",
    "season",
    "season_year",
    "start_date",
    "end_date",
    "genres",
    "synopsis",
    "site_url",
    "is_adult",
    "cover_url",
]


def apply_record(series: Series, record: MediaRecord, now: datetime) -> list[str]:
    """Copy ``record`` onto ``series`` (not saved); the names of the fields set."""
    changed = []
    for name in _BASIC_FIELDS:
        setattr(series, name, getattr(record, name))
        changed.append(name)
    series.next_airing_episode = record.next_airing.episode if record.next_airing else None
    series.next_airing_at = record.next_airing.airing_at if record.next_airing else None
    series.fetched_at = now
    changed += ["next_airing_episode", "next_airing_at", "fetched_at"]
    if record.relations is not None:
        prequel = choose_prequel(record.relations)
        series.prequel_anilist_id = prequel.anilist_id if prequel else None
        series.prequel_episodes = prequel.episodes if prequel else None
        next_cour = choose_next_cour(record.relations)
        series.next_cour_episodes = next_cour.episodes if next_cour else None
        sequel = choose_sequel(record.relations)
        series.sequel_start_date = sequel.start_date if sequel else ""
        changed += ["prequel_anilist_id", "prequel_episodes", "next_cour_episodes", "sequel_start_date"]
    return changed


def remember(records: Iterable[MediaRecord], now: datetime | None = None) -> dict[int, Series]:
    """Store search results: new rows for unknown ids, updated basic fields
    for known ones (a search answer is as fresh as a refresh for those)."""
    now = now or timezone.now()
    records = list(records)
    existing = {s.anilist_id: s for s in Series.objects.filter(anilist_id__in=[r.anilist_id for r in records])}
    stored: dict[int, Series] = {}
    for record in records:
        series = existing.get(record.anilist_id)
        if series is None:
            series = Series(anilist_id=record.anilist_id, next_refresh_at=None)
            apply_record(series, record, now)
            try:
                with transaction.atomic():
                    series.save(force_insert=True)
            except IntegrityError:  # a concurrent search stored it first
                series = Series.objects.get(anilist_id=record.anilist_id)
        else:
            fields = apply_record(series, record, now)
            series.save(update_fields=fields)
        stored[record.anilist_id] = series
    return stored


def series_for_anilist_id(anilist_id: int, *, client: AniListClient | None = None, detailed: bool = False) -> Series:
    """The row of ``anilist_id``, fetched from AniList when not stored (or,
    with ``detailed``, when only a search result is stored: no schedule).

    Raises UnknownSeries when AniList says there is no such anime. When
    AniList cannot be asked, returns a placeholder row due for refresh (or
    the search result as stored).
    """
    series = Series.objects.filter(anilist_id=anilist_id).first()
    if series is not None and series.fetched_at is not None and (series.detailed_at or not detailed):
        return series
    client = client or AniListClient()
    try:
        records = client.series([anilist_id], max_wait=5.0)
    except AniListError as exc:
        if series is not None and series.fetched_at is not None:
            return series
        logger.info("AniList id %s not fetched now (%s); stored as a placeholder", anilist_id, exc)
        if series is None:
            series, _ = Series.objects.get_or_create(
                anilist_id=anilist_id, defaults={"next_refresh_at": timezone.now(), "last_error": exc.message[:300]}
            )
        return series
    record = records.get(anilist_id)
    if record is None:
        raise UnknownSeries(anilist_id)
    from .refresh import store_full_records  # refresh imports this module

    return store_full_records({anilist_id: record}, client=client)[anilist_id]


# --- the prequel chain --------------------------------------------------------


def choose_next_cour(relations: list[Relation]) -> Relation | None:
    """The SEQUEL that is a later cour of the same season, as its title
    says ("Title Season 2 Part 2", "Title Cour 2"): a group numbering the
    season on writes its episodes as the season's ("Title S2 - 15")."""
    from watchlist.releases.match import later_part

    for relation in relations:
        sequel = relation.relation_type == "SEQUEL" and relation.format in MAIN_FORMATS
        if sequel and any(later_part(title)[0] is not None for title in relation.titles):
            return relation
    return None


def choose_sequel(relations: list[Relation]) -> Relation | None:
    """The main SEQUEL (a season or arc, not a film or special): the entry
    of the franchise that airs after this one."""
    return next((r for r in relations if r.relation_type == "SEQUEL" and r.format in MAIN_FORMATS), None)


def choose_prequel(relations: list[Relation]) -> Relation | None:
    """The PREQUEL to follow: a main season first, else any anime."""
    prequels = [r for r in relations if r.relation_type == "PREQUEL" and r.media_type in ("ANIME", "")]
    main = [r for r in prequels if r.format in MAIN_FORMATS]
    return (main or prequels or [None])[0]


def first_absolute_episodes(records: dict[int, MediaRecord], client: AniListClient) -> dict[int, int | None]:
    """First absolute episode number of each main-format record (see the
    module docstring). Asks AniList for the prequels it does not know yet,
    one request per level of the chains (all series together). Raises
    AniListError when AniList cannot be asked."""
    known: dict[int, MediaRecord] = dict(records)
    heads = [anilist_id for anilist_id, record in records.items() if record.format in MAIN_FORMATS]
    for _ in range(MAX_PREQUEL_HOPS):
        missing: set[int] = set()
        for anilist_id in heads:
            _walk(known[anilist_id], known, missing)
        if not missing:
            break
        fetched = client.prequel_links(missing)
        for anilist_id in missing:
            # An id AniList does not return ends its chain as unknown.
            known[anilist_id] = fetched.get(anilist_id) or MediaRecord(anilist_id=anilist_id, format="?")
    return {anilist_id: _walk(known[anilist_id], known, set()) for anilist_id in heads}


def _walk(record: MediaRecord, known: dict[int, MediaRecord], missing: set[int]) -> int | None:
    """Sum of the main seasons' episodes before ``record`` + 1; None when
    unknown, adding the ids whose relations are needed to ``missing``."""
    total = 0
    current = record
    seen = {record.anilist_id}
    for _ in range(MAX_PREQUEL_HOPS):
        if current.relations is None:
            missing.add(current.anilist_id)
            return None
        prequel = choose_prequel(current.relations)
        if prequel is None:
            return None if current.unreadable_prequel else total + 1
        if prequel.anilist_id in seen:
            return None  # a cycle in the relations
        seen.add(prequel.anilist_id)
        node = known.get(prequel.anilist_id)
        if node is None:
            missing.add(prequel.anilist_id)
            return None
        if node.format == "?":
            return None
        if (node.format or prequel.format) in MAIN_FORMATS:
            episodes = node.episodes if node.episodes is not None else prequel.episodes
            if episodes is None:
                return None
            total += episodes
        current = node
    return None
