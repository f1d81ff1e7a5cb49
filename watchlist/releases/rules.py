"""The user's release rules: which releases an item may take, and in what
order of preference.

Refusals (a release the rules do not allow, with the reason in plain words):
language, blocked groups, forbidden and required words, minimum seeders,
maximum size per episode, remakes (skipped by default), and an exact or
minimum resolution.

Preference, first difference wins: the resolution rule; a preferred group;
a trusted uploader; not a remake; the higher version (v2 over v1); more
seeders; the smaller file; the newer upload; the listing order. Releases
that carry no torrent figures (a plain feed of files) tie on those and are
ordered by resolution, version and date, as before rules existed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .languages import language_matches, normalize_language
from .quality import QUALITY_AUTO, quality_height

if TYPE_CHECKING:
    from watchlist.models import WatchlistItem
    from watchlist.release_models import ReleaseRules

PREFER, EXACT, MINIMUM, BEST = "prefer", "exact", "minimum", "best"
MODES = (PREFER, EXACT, MINIMUM, BEST)


@dataclass(frozen=True)
class Rules:
    preferred_groups: tuple[str, ...] = ()
    blocked_groups: tuple[str, ...] = ()
    required_words: tuple[str, ...] = ()
    forbidden_words: tuple[str, ...] = ()
    resolution_mode: str = PREFER
    height: int | None = None  # the resolution aimed at; None: the best
    language: str = ""  # "" takes every language
    min_seeders: int = 0
    max_episode_bytes: int | None = None
    skip_remakes: bool = True


DEFAULT_RULES = Rules()


def _words(values: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(str(v).strip() for v in (values or []) if str(v).strip()))


def effective_rules(item: WatchlistItem, user_rules: ReleaseRules | None, item_rules: ReleaseRules | None) -> Rules:
    """The rules that apply to ``item``: the item's overrides over the user's
    rules over the defaults. Lists add up (the item's first); the item's own
    quality and language fields come before both."""
    rows = [row for row in (item_rules, user_rules) if row is not None]

    def first(name: str, empty: Any = None) -> Any:
        for row in rows:
            value = getattr(row, name)
            if value is not None and value != empty:
                return value
        return None

    def joined(name: str) -> tuple[str, ...]:
        return _words([word for row in rows for word in (getattr(row, name) or [])])

    height = quality_height(item.quality_preference or QUALITY_AUTO)
    if height is None:
        height = first("resolution")
    max_mb = first("max_episode_mb")
    skip_remakes = first("skip_remakes")
    return Rules(
        preferred_groups=joined("preferred_groups"),
        blocked_groups=joined("blocked_groups"),
        required_words=joined("required_words"),
        forbidden_words=joined("forbidden_words"),
        resolution_mode=first("resolution_mode", "") or PREFER,
        height=height,
        language=item.lang or first("language", "") or "",
        min_seeders=first("min_seeders") or 0,
        max_episode_bytes=max_mb * 1024 * 1024 if max_mb else None,
        skip_remakes=DEFAULT_RULES.skip_remakes if skip_remakes is None else skip_remakes,
    )


def rules_for(item: WatchlistItem) -> Rules:
    """The item's effective rules, read in one query."""
    from django.db.models import Q

    from watchlist.release_models import ReleaseRules

    query = Q(owner_id=item.owner_id, item__isnull=True) | Q(item_id=item.pk)
    rows = {row.item_id: row for row in ReleaseRules.objects.filter(query)}
    return effective_rules(item, rows.get(None), rows.get(item.pk))


@dataclass(frozen=True)
class Candidate:
    """What the rules look at in one release."""

    name: str
    url: str
    group: str = ""
    resolution: int | None = None
    version: int = 1
    language: str = ""
    seeders: int | None = None
    size: int | None = None
    episodes: int = 1  # how many episodes the file holds (size per episode)
    trusted: bool = False
    remake: bool = False
    published_at: datetime | None = None
    order: int = 0  # position in the listing: earlier wins a tie


def _has_word(name: str, word: str) -> bool:
    return re.search(rf"(?<![0-9a-z]){re.escape(word.lower())}(?![0-9a-z])", name.lower()) is not None


def _same_group(a: str, b: str) -> bool:
    return bool(a) and a.casefold() == b.casefold()


def size_text(size: int | None) -> str:
    if size is None:
        return "unknown size"
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}".replace(".0 ", " ")
    return f"{size} B"


def _height_text(height: int | None) -> str:
    return f"{height}p" if height else "unknown resolution"


def refusal(rules: Rules, candidate: Candidate) -> tuple[str, str] | None:
    """(code, reason) when the rules do not allow the release, else None."""
    if not language_matches(rules.language, candidate.language):
        wanted = normalize_language(rules.language).upper()
        return "language", f"{candidate.language.upper()} release, you want {wanted}"
    for group in rules.blocked_groups:
        if _same_group(candidate.group, group):
            return "blocked_group", f"from {candidate.group}, a group you blocked"
    for word in rules.forbidden_words:
        if _has_word(candidate.name, word):
            return "forbidden_word", f"has “{word}”, a word you refuse"
    for word in rules.required_words:
        if not _has_word(candidate.name, word):
            return "missing_word", f"lacks “{word}”, a word you require"
    if rules.min_seeders and candidate.seeders is not None and candidate.seeders < rules.min_seeders:
        return "seeders", f"{candidate.seeders} seeders, you want at least {rules.min_seeders}"
    if rules.max_episode_bytes and candidate.size:
        per_episode = candidate.size // max(candidate.episodes, 1)
        if per_episode > rules.max_episode_bytes:
            limit = size_text(rules.max_episode_bytes)
            return "size", f"{size_text(per_episode)} per episode, your limit is {limit}"
    if rules.skip_remakes and candidate.remake:
        return "remake", "a remake (re-upload), which you skip"
    height = rules.height
    if height and rules.resolution_mode == EXACT and candidate.resolution != height:
        return "resolution", f"{_height_text(candidate.resolution)}, you want exactly {height}p"
    if height and rules.resolution_mode == MINIMUM and (candidate.resolution or 0) < height:
        return "resolution", f"{_height_text(candidate.resolution)}, you want at least {height}p"
    return None


def _resolution_score(rules: Rules, height: int | None) -> tuple[int, int]:
    target = None if rules.resolution_mode in (BEST, MINIMUM) else rules.height
    if height is None:
        return 0, 0  # unknown resolution: a last resort
    if target is None:
        return 3, height
    if height == target:
        return 3, 0
    if height < target:
        return 2, height  # the nearest lower one first
    return 1, -height  # none lower: the nearest higher one


def rank(rules: Rules, candidate: Candidate) -> tuple:
    """Sort key: the highest is the release to take."""
    preferred = any(_same_group(candidate.group, group) for group in rules.preferred_groups)
    published = candidate.published_at.timestamp() if candidate.published_at else float("-inf")
    return (
        _resolution_score(rules, candidate.resolution),
        preferred,
        candidate.trusted,
        not candidate.remake,
        candidate.version,
        candidate.seeders if candidate.seeders is not None else -1,
        -(candidate.size or 0),
        published,
        -candidate.order,
    )


_RANK_PARTS = ("resolution", "group", "trusted", "remake", "version", "seeders", "size", "published", "order")


def why_lower(rules: Rules, picked: Candidate, other: Candidate) -> tuple[str, str]:
    """Why ``other`` lost to ``picked``, in plain words (the first rank part
    where they differ)."""
    for part, mine, theirs in zip(_RANK_PARTS, rank(rules, other), rank(rules, picked), strict=True):
        if mine == theirs:
            continue
        if part == "resolution":
            if rules.height and rules.resolution_mode == PREFER:
                return part, f"{_height_text(other.resolution)}, you prefer {rules.height}p"
            return part, f"{_height_text(other.resolution)}; {_height_text(picked.resolution)} is out"
        if part == "group":
            return part, f"not from a group you prefer ({picked.group} is)"
        if part == "trusted":
            return part, "not from a trusted uploader"
        if part == "remake":
            return part, "a remake (re-upload)"
        if part == "version":
            return part, f"v{other.version}; v{picked.version} is out"
        if part == "seeders":
            return part, f"{other.seeders or 0} seeders, {picked.seeders or 0} for the one picked"
        if part == "size":
            return part, f"larger ({size_text(other.size)} against {size_text(picked.size)})"
        if part == "published":
            return part, "an older upload"
        return part, "an equal release listed later"
    return "duplicate", "the same release listed twice"
