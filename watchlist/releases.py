"""Release names: what a file or feed-entry name says about the episode it
carries, and which of several releases of one episode to take.

Parsing is anitopy first (it knows fansub shapes: ``[Group] Title - 05
[1080p][CRC32].mkv``), with guessit as a second opinion for scene-style
names (``Title.S01E05.720p.x264-GRP``), which anitopy reads less well.
Two small table look-ups fill the gaps both leave: language tags (anitopy
misses VF, SUBFRENCH, MULTI; guessit cannot tell VOSTFR from VF in the
same field) and ``4K``/``UHD``. A targeted pattern picks up the absolute
number that some scene names add after ``SxxEyy`` (``S02E05 (E17)``).

Shapes that are NOT handled (``tests/test_release_names.py::
test_documented_unhandled_shapes`` asserts what happens to each, so a
parser upgrade that changes them is noticed):

* a number that ends the title and an episode number with no separator
  between them: ``Mob Psycho 100 03`` reads as episode 100;
* a title that starts with a decimal number: ``2.5 Jigen no Ririsa - 05``
  reads as a special (episode "2.5");
* Japanese episode markers: ``Title 第05話`` gives no episode;
* a bare absolute number after ``SxxEyy`` *without* parentheses
  (``Show S02E05 17``) is not taken as the absolute episode;
* ``Title - 05 [FHD]`` / ``[HD]`` / ``[SD]``: those words give no resolution
  (only ``4K``/``UHD`` are mapped, because they name a single height), and
  when no ``[Group]`` leads the name the first bracket is taken for the
  group (harmless: groups are shown, never matched);
* a title with a number and no episode at all (a video titled ``Top 10
  Anime Openings``) reads as episode 10;
* a bare ``FR`` tag is not a language: in anime releases it is used both for
  subtitled and dubbed French, so it is left unknown ("" = matches any).

Language tags (``normalize_language`` and the ``language`` of a parsed
name) follow the conventions of the trackers that use them:

==========  ==============================================================
tag         written in release names as
==========  ==============================================================
``vostfr``  VOSTFR, VOSTF, VOST, SUBFRENCH, STFR, "French Sub(s)",
            "FR Sub(s)", "Sub FR"
``vf``      VF, VFF, VFQ, VFI, TRUEFRENCH, FRENCH (scene: French audio),
            "French Dub"
``multi``   MULTI, MULTi, "Multi-Subs", "Multi Sub", "Multiple
            Subtitle(s)", MultiSub, "Dual Audio"
``en``      ENG, English, "Eng Sub", "English Sub(s)", EngSub, "En Sub"
``en-dub``  DUB, Dubbed, "Eng Dub", "English Dub(bed)" (a bare "Dub" on
            English-language trackers means an English dub)
``ja``      JPN, JAP, Japanese, RAW
``de``      GER, German, "Ger Sub", GerSub, "German Dub"
``es``      SPA, Spanish, ESP, Castellano, Latino
``it``      ITA, Italian
``pt-br``   PT-BR, PTBR, Portuguese
``ru``      RUS, Russian
``ar``      ARA, Arabic
==========  ==============================================================

When a name carries several tags, the first of this order wins: multi,
vf, vostfr, en-dub, en, then the others; a MULTI release serves everyone,
and French tags are the most specific ones users filter on.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import anitopy

if TYPE_CHECKING:
    from watchlist.providers.base import EpisodeInfo

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReleaseName:
    title: str = ""
    # The number as the name writes it: the per-season one for ``S02E05``.
    episode: int | None = None
    episode_end: int | None = None  # last episode of a batch (``01-12``)
    # The series-wide number when a scene name also gives it (``S02E05 (E17)``).
    absolute_episode: int | None = None
    season: int | None = None
    resolution: int | None = None  # vertical pixels
    version: int = 1
    language: str = ""  # a tag from the table above, "" when none
    is_special: bool = False  # OVA, SP, Special, NCOP, recap ``05.5``, ...
    is_batch: bool = False
    group: str = ""

    @property
    def number(self) -> int | None:
        """The episode number to track: absolute when known."""
        return self.absolute_episode if self.absolute_episode is not None else self.episode


# --- language tags -------------------------------------------------------

_LANGUAGE_PHRASES: dict[tuple[str, ...], str] = {
    # two-word phrases are looked up before single words
    ("french", "sub"): "vostfr",
    ("french", "subs"): "vostfr",
    ("fr", "sub"): "vostfr",
    ("fr", "subs"): "vostfr",
    ("sub", "fr"): "vostfr",
    ("french", "dub"): "vf",
    ("multi", "sub"): "multi",
    ("multi", "subs"): "multi",
    ("multiple", "subtitle"): "multi",
    ("multiple", "subtitles"): "multi",
    ("dual", "audio"): "multi",
    ("eng", "sub"): "en",
    ("eng", "subs"): "en",
    ("en", "sub"): "en",
    ("english", "sub"): "en",
    ("english", "subs"): "en",
    ("english", "subbed"): "en",
    ("eng", "dub"): "en-dub",
    ("english", "dub"): "en-dub",
    ("english", "dubbed"): "en-dub",
    ("ger", "sub"): "de",
    ("german", "sub"): "de",
    ("german", "dub"): "de",
    ("pt", "br"): "pt-br",
    ("vost", "fr"): "vostfr",
    ("vo", "stfr"): "vostfr",
}
_LANGUAGE_WORDS: dict[str, str] = {
    "vostfr": "vostfr",
    "vostf": "vostfr",
    "vost": "vostfr",
    "subfrench": "vostfr",
    "stfr": "vostfr",
    "vf": "vf",
    "vff": "vf",
    "vfq": "vf",
    "vfi": "vf",
    "truefrench": "vf",
    "french": "vf",
    "multi": "multi",
    "multisub": "multi",
    "multisubs": "multi",
    "eng": "en",
    "english": "en",
    "engsub": "en",
    "dub": "en-dub",
    "dubbed": "en-dub",
    "jpn": "ja",
    "jap": "ja",
    "japanese": "ja",
    "raw": "ja",
    "ger": "de",
    "german": "de",
    "gersub": "de",
    "spa": "es",
    "esp": "es",
    "spanish": "es",
    "castellano": "es",
    "latino": "es",
    "ita": "it",
    "italian": "it",
    "ptbr": "pt-br",
    "portuguese": "pt-br",
    "rus": "ru",
    "russian": "ru",
    "ara": "ar",
    "arabic": "ar",
}
_LANGUAGE_PRECEDENCE = ("multi", "vf", "vostfr", "en-dub", "en")
# guessit answers with babelfish languages; these are the ones we can map
# without the VOSTFR/VF distinction it does not make on its own.
_GUESSIT_LANGUAGES = {
    "mul": "multi", "en": "en", "ja": "ja", "de": "de", "es": "es", "it": "it", "ru": "ru", "ar": "ar",
}  # fmt: skip

_TOKEN_SPLIT = re.compile(r"[^0-9a-z]+")


def _tokens(text: str) -> list[str]:
    return [t for t in _TOKEN_SPLIT.split(text.lower()) if t]


def _without_run(tokens: list[str], run: list[str]) -> list[str]:
    """``tokens`` minus the first occurrence of ``run`` (a title, a group):
    a language word inside a series title ("The French Chef") is no tag."""
    if not run:
        return tokens
    for i in range(len(tokens) - len(run) + 1):
        if tokens[i : i + len(run)] == run:
            return tokens[:i] + tokens[i + len(run) :]
    return tokens


def _languages_in(tokens: list[str]) -> list[str]:
    found: list[str] = []
    i = 0
    while i < len(tokens):
        pair = tuple(tokens[i : i + 2])
        if len(pair) == 2 and pair in _LANGUAGE_PHRASES:
            found.append(_LANGUAGE_PHRASES[pair])
            i += 2
            continue
        if tokens[i] in _LANGUAGE_WORDS:
            found.append(_LANGUAGE_WORDS[tokens[i]])
        i += 1
    return found


def _strongest(tags: Iterable[str]) -> str:
    tags = list(tags)
    for tag in _LANGUAGE_PRECEDENCE:
        if tag in tags:
            return tag
    return tags[0] if tags else ""


def normalize_language(value: str) -> str:
    """A user's or a release's language label as one of the tags above.

    Unknown labels are kept (lower-cased, trimmed) so that two sides using
    the same unknown label still match.
    """
    tokens = _tokens(value)
    if not tokens:
        return ""
    tag = _strongest(_languages_in(tokens))
    if tag:
        return tag
    # "pt-br", "en-dub": already a tag from the table
    return value.strip().lower()


def language_matches(wanted: str, release_language: str) -> bool:
    """Whether a release in ``release_language`` suits an item that wants
    ``wanted``. A release with no tag matches any wanted language (most
    fansub releases carry none), and a MULTI release matches every one."""
    wanted_tag = normalize_language(wanted)
    if not wanted_tag or not release_language:
        return True
    return release_language in ("multi", wanted_tag)


# --- parsing -------------------------------------------------------------

# anitopy's anime_type values that mean "not a regular episode"
_SPECIAL_TYPES = {
    "ova", "oad", "oav", "ona", "sp", "special", "specials", "movie", "gekijouban",
    "op", "ed", "ncop", "nced", "pv", "preview", "cm", "menu", "extra", "extras", "tokuten",
}  # fmt: skip
MAX_NAME_LENGTH = 300
_EXTRA_WORDS = {"trailer", "teaser", "recap", "pv", "cm", "preview"}
_BATCH_WORDS = {"batch", "complete", "completa", "intégrale", "integrale"}
_RESOLUTION_WORDS = {"4k": 2160, "uhd": 2160}
# Scene names sometimes add the series-wide number in parentheses right
# after SxxEyy: "Show S02E05 (E17)", "Show S02E05 (17)".
_ABSOLUTE_AFTER_SXXEYY = re.compile(r"\bS\d{1,2}E(\d{1,4})\s*\(\s*(?:EP?\.?\s*|#)?(\d{1,4})\s*\)", re.IGNORECASE)
_GROUP_NOT_A_GROUP = re.compile(r"^(?:E|EP|#)?\d+$", re.IGNORECASE)  # "(E17)" taken for a group


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def _first_int(value: Any) -> int | None:
    for item in _as_list(value):
        if item.isdecimal():
            return int(item)
    return None


def _resolution(value: Any) -> int | None:
    """'1080p', '1080i', '1080', '1920x1080' -> 1080."""
    for item in _as_list(value):
        text = item.lower()
        if "x" in text:
            text = text.rsplit("x", 1)[1]
        text = text.rstrip("pi")
        if text.isdecimal() and 144 <= int(text) <= 4320:
            return int(text)
        if text in _RESOLUTION_WORDS:
            return _RESOLUTION_WORDS[text]
    return None


def _episodes(value: Any) -> tuple[int | None, int | None, bool]:
    """anitopy's episode_number -> (first, last of a range, is a fraction).

    ``05.5`` is a recap/special between 5 and 6: it keeps 5 as its number
    but is flagged, so it never passes for episode 5.
    """
    numbers = _as_list(value)
    if not numbers:
        return None, None, False
    first = numbers[0]
    fraction = False
    if not first.isdecimal():
        whole, _, part = first.partition(".")
        if not (whole.isdecimal() and part.isdecimal()):
            return None, None, False
        first, fraction = whole, True
    start = int(first)
    end = None
    if len(numbers) > 1 and numbers[-1].isdecimal() and int(numbers[-1]) > start:
        end = int(numbers[-1])
    return start, end, fraction


def _clean_title(title: str, anime_types: list[str]) -> str:
    # anitopy leaves the type it found inside the title: "Title - OVA", "Title (TV)".
    title = title.strip()
    for word in anime_types:
        for suffix in (f" - {word}", f" ({word})", f" {word}"):
            if title.lower().endswith(suffix.lower()):
                title = title[: -len(suffix)].rstrip(" -")
                break
    return title


# anitopy keeps its parser state in module-level objects: two threads parsing
# at once corrupt each other's results (measured: 37 wrong episode numbers in
# 480 names over 4 threads). Parsing is serialised per process; prefork
# workers each have their own. guessit shares the lock to be safe.
_PARSER_LOCK = threading.Lock()


def _guessit(name: str) -> dict[str, Any]:
    from guessit import guessit  # slow to import and ~15 ms a call: only when needed

    try:
        with _PARSER_LOCK:
            return dict(guessit(name))
    except Exception:  # guessit raises its own errors on odd input; a second opinion may fail quietly
        logger.debug("guessit failed on %r", name, exc_info=True)
        return {}


@lru_cache(maxsize=4096)
def parse_release(name: str) -> ReleaseName:
    """Everything a release name says about itself; fields stay empty when
    the name does not say.

    Cached: a feed is refreshed again and again with mostly the same names,
    and the result is immutable.
    """
    # File names stop at 255 bytes; longer "names" are descriptions, and
    # guessit's time grows with the length.
    name = " ".join(name.split())[:MAX_NAME_LENGTH]
    if not name:
        return ReleaseName()
    try:
        with _PARSER_LOCK:
            found: dict[str, Any] = anitopy.parse(name) or {}
    except Exception:  # anitopy is a tokenizer over arbitrary text; never let one name break a listing
        logger.debug("anitopy failed on %r", name, exc_info=True)
        found = {}

    anime_types = _as_list(found.get("anime_type"))
    special_types = [t for t in anime_types if t.lower() in _SPECIAL_TYPES]
    episode, episode_end, fraction = _episodes(found.get("episode_number"))
    season = _first_int(found.get("anime_season"))
    release_info = {t.lower() for t in _as_list(found.get("release_information"))}
    title = _clean_title(str(found.get("anime_title") or ""), anime_types)
    title_words = title.split()
    if len(title_words) > 1 and title_words[-1].lower() in _EXTRA_WORDS:
        # anitopy does not know "Trailer 2"/"Teaser": it leaves them in the title
        special_types.append(title_words[-1])
        title = _clean_title(title, [title_words[-1]])
    group = str(found.get("release_group") or "")
    if _GROUP_NOT_A_GROUP.match(group) or group.lower() in _LANGUAGE_WORDS:
        group = ""
    resolution = _resolution(found.get("video_resolution"))
    version = _first_int(found.get("release_version")) or 1
    absolute = None

    batch_marked = bool(release_info & _BATCH_WORDS) or found.get("volume_number") is not None
    scene_style = season is not None
    guessed: dict[str, Any] = {}
    if scene_style or (episode is None and not special_types and not batch_marked):
        guessed = _guessit(name)
    if guessed.get("type") == "episode":
        g_episodes = [e for e in _as_list(guessed.get("episode")) if e.isdecimal()]
        g_season = _first_int(guessed.get("season"))
        if episode is None and g_episodes and not batch_marked:
            # anitopy gives up on "show-03.mp4" and "S01E05E06"; guessit reads
            # them ("S01E05E06" as a two-episode release).
            episode = int(g_episodes[0])
            if len(g_episodes) > 1 and int(g_episodes[-1]) > episode:
                episode_end = int(g_episodes[-1])
            title = str(guessed.get("title") or "")  # anitopy's title kept the number: "show-03"
            if season is None and g_season is not None and g_season < 100:  # guessit takes years for seasons
                season = g_season
            scene_style = season is not None
        if scene_style:
            # anitopy keeps the year of "Title.2024.S01E05" in the title and
            # misses the "-GRP" suffix; guessit knows both.
            year = str(guessed.get("year") or "")
            if year and title.endswith(f" {year}"):
                title = title[: -len(year) - 1]
            group = group or str(guessed.get("release_group") or "")
    if resolution is None:
        resolution = _resolution(guessed.get("screen_size"))

    if scene_style and episode is not None:
        match = _ABSOLUTE_AFTER_SXXEYY.search(name)
        if match and int(match.group(1)) == episode and int(match.group(2)) >= episode:
            absolute = int(match.group(2))

    tokens = _without_run(_without_run(_tokens(name), _tokens(title)), _tokens(group))
    if resolution is None:
        resolution = next((_RESOLUTION_WORDS[t] for t in tokens if t in _RESOLUTION_WORDS), None)
    language = _strongest(_languages_in(tokens))
    if not language:
        g_lang = [str(v) for v in _as_list(guessed.get("language")) + _as_list(guessed.get("subtitle_language"))]
        language = _strongest(_GUESSIT_LANGUAGES[v] for v in g_lang if v in _GUESSIT_LANGUAGES)

    # "Complete" next to a single number marks the last episode, not a batch.
    is_batch = episode_end is not None or "batch" in release_info or (episode is None and batch_marked)
    return ReleaseName(
        title=title,
        episode=episode,
        episode_end=episode_end,
        absolute_episode=absolute,
        season=season,
        resolution=resolution,
        version=version,
        language=language,
        is_special=bool(special_types) or fraction,
        is_batch=is_batch,
        group=group,
    )


# --- choosing among releases ---------------------------------------------

QUALITY_AUTO = "auto"


def quality_height(preference: str) -> int | None:
    """'auto' -> None (best available); '1080p' -> 1080."""
    text = (preference or QUALITY_AUTO).strip().lower()
    if text == QUALITY_AUTO:
        return None
    height = _resolution(text)
    if height is None:
        raise ValueError(f"unknown quality preference {preference!r}")
    return height


def _published_key(info: EpisodeInfo) -> float:
    return info.published_at.timestamp() if info.published_at else float("-inf")


def release_rank(info: EpisodeInfo, preference: str = QUALITY_AUTO) -> tuple[int, int, int, float]:
    """Sort key: the highest key is the release to take.

    Resolution first (by the preference), then version (v2 replaces a
    broken v1 of the same episode), then the newest publication.
    """
    target = quality_height(preference)
    height = info.resolution
    if height is None:
        closeness, distance = 0, 0  # unknown resolution: a last resort
    elif target is None:
        closeness, distance = 3, height
    elif height == target:
        closeness, distance = 3, 0
    elif height < target:
        closeness, distance = 2, height  # the nearest lower one first
    else:
        closeness, distance = 1, -height  # none lower: the nearest higher one
    return closeness, distance, info.version, _published_key(info)


def pick_release(releases: Sequence[EpisodeInfo], quality_preference: str = QUALITY_AUTO) -> EpisodeInfo:
    """The release of one episode to download.

    ``auto`` takes the best resolution; a fixed quality takes that one, else
    the nearest lower, else the nearest higher; among equal resolutions the
    highest version wins, then the newest. Ties keep the listing order.
    """
    if not releases:
        raise ValueError("pick_release needs at least one release")
    quality_height(quality_preference)  # reject junk even when there is one release
    return max(releases, key=lambda info: release_rank(info, quality_preference))


def better_release(a: EpisodeInfo, b: EpisodeInfo, quality_preference: str = QUALITY_AUTO) -> EpisodeInfo:
    return pick_release([a, b], quality_preference)


def best_per_episode(releases: Iterable[EpisodeInfo], quality_preference: str = QUALITY_AUTO) -> list[EpisodeInfo]:
    """One release per episode number, chosen by ``pick_release``, in
    episode order."""
    by_episode: dict[int, list[EpisodeInfo]] = {}
    for info in releases:
        by_episode.setdefault(info.episode, []).append(info)
    return [pick_release(group, quality_preference) for _, group in sorted(by_episode.items())]


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
        )
    return replace(
        primary,
        title=primary.title or fallback.title,
        season=primary.season if primary.season is not None else fallback.season,
        resolution=primary.resolution or fallback.resolution,
        version=max(primary.version, fallback.version),
        language=primary.language or fallback.language,
        group=primary.group or fallback.group,
    )
