"""What a release name says about itself: the parser's answer."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class ReleaseName:
    # The series title without group, tags, episode, season or year markers.
    # For a bilingual name ("中文名 / English Title") the Latin-script one.
    title: str = ""
    # The number as the name writes it: the per-season one for ``S02E05``;
    # the first one of a range (``01-12``, ``S03E01E02``).
    episode: int | None = None
    episode_end: int | None = None  # last episode of a range or batch
    # The series-wide number when a scene name also gives it (``S02E05 (E17)``).
    absolute_episode: int | None = None
    season: int | None = None
    resolution: int | None = None  # vertical pixels
    version: int = 1  # ``v0`` (a pre-release) is 0
    language: str = ""  # a tag of releases.languages, "" when none
    is_special: bool = False  # OVA, SP, Special, NCOP, recap ``05.5``, part ``05a``, movie, ...
    is_batch: bool = False
    group: str = ""
    # Added fields.
    title_aliases: tuple[str, ...] = ()  # every title the name gives, the primary first
    year: int | None = None
    # What kind of special: "movie", "ova", "special", "recap", "part",
    # "opening", "ending", "preview", "pilot", "extra"; "" for an episode.
    special_kind: str = ""
    part: str = ""  # the suffix of a split episode: "a", "C", ".5"
    # A later cour of the season, which AniList lists as an entry of its own
    # ("Title 2nd Season Part 2 - 05", "Title Cour 2 - 03"): 2 and up, the
    # first cour's "Part 1" adds nothing to its season.
    cour: int | None = None

    @property
    def number(self) -> int | None:
        """The episode number to track: absolute when known."""
        return self.absolute_episode if self.absolute_episode is not None else self.episode


def merged(primary: ReleaseName, fallback: ReleaseName) -> ReleaseName:
    """``primary`` with the fields it lacks taken from ``fallback`` (a feed
    entry title and its file name often say different halves)."""
    if primary.episode is None and not primary.is_batch and not primary.is_special:
        primary = replace(
            primary,
            episode=fallback.episode,
            episode_end=fallback.episode_end,
            absolute_episode=fallback.absolute_episode,
            is_special=fallback.is_special,
            is_batch=fallback.is_batch,
            special_kind=fallback.special_kind,
            part=fallback.part,
        )
    return replace(
        primary,
        title=primary.title or fallback.title,
        title_aliases=primary.title_aliases or fallback.title_aliases,
        season=primary.season if primary.season is not None else fallback.season,
        year=primary.year if primary.year is not None else fallback.year,
        cour=primary.cour if primary.cour is not None else fallback.cour,
        resolution=primary.resolution or fallback.resolution,
        version=max(primary.version, fallback.version),
        language=primary.language or fallback.language,
        group=primary.group or fallback.group,
    )
