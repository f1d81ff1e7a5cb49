"""Parsing a release name in stages.

1. ``prepare`` (parsing/draft.py): one clean form (full-width folded, ``×`` as ``x``, CJK
   brackets as ``[ ]`` unless glued inside a CJK title, a backslash
   between aliases as `` / ``, a region note ``（仅限港澳台地区）`` and
   the extension dropped).
2. ``read_brackets`` (parsing/cjk_brackets.py): CJK fansub names (``[组名][中文名 / English][05]
   [1080P][简繁内封]``), whose title anitopy takes from the wrong bracket
   and whose episode markers (``第05话``, ``[12END]``, ``[13完]``) it does
   not know.
3. ``read_scene`` (parsing/scene.py): ``S01E05`` and the episodes listed after it in any
   joined form, ``1x05``/``2009x09``, ``Season 1 Episode 5``, ``Cap.201``,
   the compact ``103``/``10708``, a mini-series' ``Part 2`` (season 1);
   anitopy reads only the plainest of these.
4. ``read_anitopy`` (parsing/anitopy_reading.py): anitopy 2.1.1 for everything else a fansub name says
   (group, resolution, version, type), with our corrections for what it gets
   wrong: split episodes (``05a``), numbers that belong to the title
   (``Fairy Tail - 100 Years Quest - 01``, ``2.5 Jigen no Ririsa - 05``).
5. ``read_ranges`` (parsing/ranges.py): ``01 ~ 10``, ``01-02-03``, ``01+02+03`` and
   ``01 - 119 [Batch]`` ranges; then ``drop_season_numbers``: a number
   read from a season marker (``Seasons 1 & 2``, ``Reno.911.S01``) is no
   episode; then ``read_leading``: the episode before the title
   (``[Grp] 01 - Title``, ``003. Title - Name``), glued episode words
   (``Title-ep1``), ``5of9`` parts, ``- 04.1``, ``Title.08.Name.720p``.
6. ``read_guessit`` (parsing/guessit_reading.py): guessit as a second opinion for names nobody else
   numbered (``show-03.mp4``), only where the number it finds is written as
   an episode number (never ``Evangelion 3.33`` or ``1001 Nights``); it is
   not asked at all when no number is written that way (it costs ~15 ms).
7. ``finish`` (parsing/finishing.py): the title cleaned of season and year markers and split into
   aliases, the language, the batch and special flags.

Shapes that are NOT handled (``tests/test_release_names.py::
test_documented_unhandled_shapes`` asserts what happens to each):

* a number of one or two digits that ends the title and an episode number
  with no separator between them, the episode not zero-padded:
  ``Title 2 3 1080p`` (``Mob Psycho 100 03`` and ``Title 2 05`` are read);
* a bare absolute number after ``SxxEyy`` *without* parentheses
  (``Show S02E05 17``) is not taken as the absolute episode, except in a
  name led by a group bracket or zero-padded (``[Grp] Show S02E05 017``);
* a title with a number and no episode at all (a video titled ``Top 10
  Anime Openings``) reads as episode 10;
* a bare ``FR`` tag is not a language: in anime releases it is used both
  for subtitled and dubbed French, so it is left unknown ("" = any).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from .names import ReleaseName
from .parsing.anitopy_reading import (
    drop_extra_number,
    read_anitopy,
    read_noted_bracket,
    read_numbered_title,
    read_volume_file,
)
from .parsing.cjk_brackets import read_brackets
from .parsing.draft import Draft
from .parsing.finishing import LEADING_CJK_YEAR, LEADING_DATE, LEADING_INDEX, finish
from .parsing.guessit_reading import read_cjk_parenthesized_number, read_cjk_trailing_number, read_guessit
from .parsing.ranges import (
    DISC_OR_SET,
    drop_episode_noted_in_batch,
    drop_season_numbers,
    read_animation_number,
    read_bracketed_count,
    read_glued_group,
    read_glued_number_before_kind,
    read_leading,
    read_number_after_title_number,
    read_ranges,
)
from .parsing.scene import read_scene
from .text import is_video_file, prepare


def _without_leading_year(draft: Draft) -> None:
    if not draft.video_file and LEADING_INDEX.match(draft.text) and DISC_OR_SET.search(draft.text):
        draft.text = draft.text[3:]
    if match := LEADING_CJK_YEAR.match(draft.text):
        draft.year, draft.text = int(match.group("year")), draft.text[match.end() :]
    elif match := LEADING_DATE.match(draft.text):
        draft.text = draft.text[match.end() :]


@lru_cache(maxsize=8192)
def parse_release(name: str) -> ReleaseName:
    """Everything a release name says about itself; fields stay empty when
    the name does not say.

    Cached: a feed is refreshed again and again with mostly the same names,
    and the result is immutable.
    """
    name = bounded_name(name)
    if (disc := _disc_folder(name)) is not None:
        return _disc_release(_parse_name(disc))
    whole = _parse_name(name)
    return _parse_in_folders(name, whole) or whole


# The longest name read whole. Real names stay far under it (a torrent's
# title, a file name of at most 255 bytes, a path a few folders deep); a
# feed's entry can hold anything, and a long run of digits or markers
# costs the stages (guessit above all) seconds.
LONGEST_NAME = 1024


def bounded_name(name: str) -> str:
    """A name of at most LONGEST_NAME characters: a path's last folders and
    its file name (the part that names the episode), else the name's head
    (where the title is)."""
    if len(name) <= LONGEST_NAME:
        return name
    tail = name[-LONGEST_NAME:]
    parts = _PATH_SEPARATOR.split(tail, maxsplit=1)
    if is_video_file(name) and len(parts) == 2:
        return parts[1]
    return name[:LONGEST_NAME]


# A file inside its series' folders ("Show/Season 1/05 - Title.mkv", as
# listed in a batch torrent or a library): separators with no space beside
# them, so "中文名 / English Title" (aliases) is never read as a path.
_PATH_SEPARATOR = re.compile(r"(?<=\S)[\\/](?=\S)")
_SEASON_FOLDER = re.compile(
    r"^(?:(?:season|series|saison|staffel|temporada)[\s._-]*(?P<number>\d{1,3})|s(?P<short>\d{1,3})"
    r"|specials?|extras?|sp)$",
    re.IGNORECASE,
)
# "E:/Anime/…", "D:\\Downloads\\…", "/home/…/": a path from a drive or the root
# is a path whatever its last part, never a title holding a slash.
_ROOTED_PATH = re.compile(r"^\s*(?:[A-Za-z]:[\\/]|/(?=[^\s/]))")
# "Show/Season 02/Show - S02E11": a path without a file extension (as a player
# or a library scanner reports it) is a path when a folder between slashes
# names a season; no title holds "/Season 02/".
_INNER_SEASON_FOLDER = re.compile(r"[\\/](?:season|series|saison|staffel|temporada)[\s._-]*\d{1,3}[\\/]", re.IGNORECASE)
# The file name starts with its episode ("05 - Title", "E05", "S01E05"):
# its own title, if any, is the episode's, and the series is the folder's.
_STARTS_WITH_EPISODE = re.compile(r"^(?:s\d{1,3})?(?:e|ep)?\d{1,4}\b", re.IGNORECASE)
# The file name opens with its group's bracket ("…/Title (2012)/[Grp] Title - S01E01
# (BD).mkv"): a whole release name of its own, so the slash before it parts
# folders from the file (no title holds "/[Grp] ").
_STARTS_WITH_GROUP = re.compile(r"^\[[^\[\]/\\]+\]")


@dataclass(frozen=True)
class _Folders:
    series: str
    season: int | None
    season_folder: bool


def _read_folders(folders: list[str]) -> _Folders:
    """The series (the nearest folder that is not a season's) and the
    season a path's folders name. A folder whose name has no words ("01",
    "01. Season 1 + OVA": a part of a set, a season) names no series."""
    season, season_folder = None, False
    for folder in reversed(folders):
        if match := _SEASON_FOLDER.match(folder.strip(" /\\")):  # "/Season 3": a rooted path's first folder
            season_folder = True
            number = match.group("number") or match.group("short")
            if season is None and number:
                season = int(number)
            continue
        parsed = _parse_name(folder)
        if not re.search(r"[^\W\d_]", parsed.title):
            season = season if season is not None else parsed.season
            continue
        return _Folders(_folder_series(folder.strip(), parsed), season, season_folder)
    return _Folders("", season, season_folder)


def _folder_series(folder: str, parsed: ReleaseName) -> str:
    """'Mob Psycho 100': a folder named by its series and a number has the
    number in its title (its files say the episodes)."""
    bare = parsed.episode is not None and parsed.episode_end is None and parsed.title
    if bare and re.fullmatch(rf"{re.escape(parsed.title)}[ ._]+0*{parsed.episode}", folder):
        return folder
    return parsed.title


def _same_series(file_title: str, series: str) -> bool:
    """The folder names the file's series: the same words, or more after
    them ("Title (Series) 2011 [BD] [Batch]" holding "Title (2011) - 148"),
    or fewer ("Title/Title Junior High S01E01.mkv": a spin-off kept in the
    series' folder; a title's own slash, "Fate/Zero", never repeats its head)."""
    short, long = (re.sub(r"\W+", "", text).casefold() for text in (file_title, series))
    return short == long or (len(short) >= 3 and long.startswith(short)) or (len(long) >= 3 and short.startswith(long))


def _series_then_episode_title(file_title: str, series: str) -> bool:
    """'Show - The Long Night - S01E05.mkv' in 'Show/Season 1/': a library's
    file names its series, then the episode's title (the dashed part after
    the folder's series is no part of the series' name)."""
    head, dash, _ = file_title.partition(" - ")
    return bool(dash) and re.sub(r"\W+", "", head).casefold() == re.sub(r"\W+", "", series).casefold()


def _extra_file(inner: ReleaseName, file_name: str) -> bool:
    """'Show/Season 01/extras/[Grp] Show - NCOP 02 (BD).mkv': an extra's file
    named with its group says what it is (no episode: read whole, the path
    would be a season's pack)."""
    return (
        inner.episode is None
        and bool(inner.special_kind and inner.title)
        and _STARTS_WITH_GROUP.match(file_name.strip()) is not None
    )


def _names_itself(rooted: bool, file_name: str, inner: ReleaseName, place: _Folders) -> bool:
    """A file naming no episode is read by its own name when the path is
    plainly one: rooted, the file led by its group's bracket ("映画/[Grp]
    Film [BD].mkv"), or the file repeating its folder's series ("Title OVA/Title
    OVA [OVA].mkv"); a title's own slash ("Fate/Zero [BD].mkv") is neither."""
    return (
        rooted
        or _STARTS_WITH_GROUP.match(file_name.strip()) is not None
        or (bool(place.series) and _same_series(inner.title, place.series))
    )


def _plainly_folders(folders: list[str]) -> bool:
    """'[Grp] Title [BD 1080p]/Other 2x05.mkv', 'Show/_Sorted/Title - S12E04.mkv':
    a folder closed by a bracket of tags, or two folders, is a path (a title's
    own slash, "Gate/Keeper", sits between words, and only once)."""
    return len(folders) >= 2 or folders[-1].rstrip().endswith("]")


def _parse_in_folders(name: str, whole: ReleaseName) -> ReleaseName | None:
    """A file's path read as folders and a file name: the file name says
    the episode, the folders the series (and season) when the file name
    does not. None when the name is no such path. A slash inside a title
    ("[Grp] Fate/stay night - 05") stays a title: a name whose whole
    reading has an episode is taken as a path only when a season folder,
    a file name starting with its episode, or the series named in both
    says so."""
    rooted = _ROOTED_PATH.match(name) is not None
    if not (rooted or is_video_file(name) or _INNER_SEASON_FOLDER.search(name)):
        return None
    *folders, file_name = _PATH_SEPARATOR.split(name.strip())
    if not folders:
        return None
    inner = _parse_name(file_name)
    place = _read_folders(folders)
    if inner.title and inner.episode is None and not inner.is_batch and _names_itself(rooted, file_name, inner, place):
        return inner  # "E:/Anime/Title/[Grp] Film (BD 1080p).mkv": the file's own name
    if (inner.title and not place.series and place.season_folder) or _extra_file(inner, file_name):
        # "Season 17/One Piece - 17x53 - Name.mkv": a season's folder alone, the file names the series
        return replace(inner, season=inner.season if inner.season is not None else place.season)
    if (inner.episode is None and not inner.is_batch) or not place.series:
        return None
    starts = _STARTS_WITH_EPISODE.match(file_name.strip()) is not None
    named_in_both = bool(inner.title) and _same_series(inner.title, place.series)
    grouped = bool(inner.title) and _STARTS_WITH_GROUP.match(file_name.strip()) is not None
    plainly = rooted or _plainly_folders(folders)
    if whole.episode is not None and not (plainly or starts or named_in_both or place.season_folder or grouped):
        return None
    season = inner.season if inner.season is not None else place.season
    if inner.title and not starts:
        if place.season_folder and not grouped and _series_then_episode_title(inner.title, place.series):
            return replace(inner, title=place.series, title_aliases=(place.series,), season=season)
        return replace(inner, season=season)
    return replace(inner, title=place.series, title_aliases=(place.series,), season=season)


# A disc's own structure inside a path ("…/[BDMV][Title][Vol.4]/BDMV/STREAM/
# 00008.m2ts", "…\\BDROM\\BDMV\\PLAYLIST\\00000.mpls", "…\\Title\\BDISO"): its
# stream and playlist files are numbered clips, never episodes.
_DISC_STRUCTURE = re.compile(r"^(?:BDMV|BDROM|BD_VIDEO|BDISO|VIDEO_TS)$", re.IGNORECASE)
_DISC_WORDS = ("BDMV", "BDROM", "BD_VIDEO", "BDISO", "VIDEO_TS")
# What sits between the disc's folder and its structure: more structure, a
# disc or volume number ("DISC2", "Vol1"), the disc's label ("KIXA_90350",
# "TITLE_3": capitals joined by underscores), a drive.
_DISC_INNER = re.compile(
    r"^(?:(?i:BD|STREAM|PLAYLIST|CLIPINF|CERTIFICATE|DISC[\s_]*\d*|Vol\.?\s*\d+)|[A-Z0-9]+(?:_[A-Z0-9]+)+|[A-Za-z]:|\.{1,2}|)$"
)


def _disc_folder(name: str) -> str | None:
    """The folder a disc's structure sits in, which names the disc (its
    series, its volume: a disc of a set, no episode); None when the name
    holds no disc structure."""
    if not ("/" in name or "\\" in name) or not any(word in name.upper() for word in _DISC_WORDS):
        return None
    parts = _PATH_SEPARATOR.split(name.strip())
    inside = [i for i, part in enumerate(parts) if _DISC_STRUCTURE.match(part.strip())]
    if not inside:
        return None
    for part in reversed(parts[: inside[-1]]):
        if not (_DISC_STRUCTURE.match(part.strip()) or _DISC_INNER.match(part.strip())):
            return part
    return None


def _disc_release(folder: ReleaseName) -> ReleaseName:
    """A disc's folder read as a release: a lone number in it is the disc's
    volume ("[BDMV][131002] Title 2", "Title Vol.3"), a disc of the set."""
    if folder.episode is None or folder.episode_end is not None:
        return folder
    return replace(folder, episode=None, absolute_episode=None, part="", is_batch=True)


# "Title S4 - 03 [...] | Alias Season 4 | Episode 75": the last part after a
# pipe numbers the episode series-wide. Read apart, or it would outvote the
# name's own "- 03" (and leave "- 03" in the title).
_PIPED_EPISODE = re.compile(r"\s+\|\s*(?:Episode|Ep\.?)\s*(?P<n>\d{1,4})\s*$", re.IGNORECASE)


def _with_piped_episode(parsed: ReleaseName, piped: int) -> ReleaseName:
    """The pipe's number: the episode when the name gives none, else the
    series-wide number when it differs from the name's own."""
    if parsed.episode is None and not parsed.is_batch:
        return replace(parsed, episode=piped)
    if parsed.episode != piped and parsed.absolute_episode is None:
        return replace(parsed, absolute_episode=piped)
    return parsed


# "Title S4 - 03 (HDTV) | Alias S00E73": the same episode in another numbering
# (a short's place among the specials); the name's own marker comes first.
_PIPED_SCENE = re.compile(r"\s+\|[^|]*?\bS\d{1,2}E\d{1,4}\s*$", re.IGNORECASE)


def _parse_name(name: str) -> ReleaseName:
    text, video = prepare(name), is_video_file(name)
    if "|" in text:
        if match := _PIPED_EPISODE.search(text):
            return _with_piped_episode(_parse_text(text[: match.start()], video), int(match.group("n")))
        if (match := _PIPED_SCENE.search(text)) and (
            head := _parse_text(text[: match.start()], video)
        ).episode is not None:
            return head
    return _parse_text(text, video)


def _parse_text(text: str, video: bool) -> ReleaseName:
    if not text:
        return ReleaseName()
    draft = Draft(text=text, video_file=video)
    _without_leading_year(draft)
    read_brackets(draft)
    read_scene(draft)
    read_anitopy(draft)
    read_volume_file(draft)
    read_noted_bracket(draft)
    drop_extra_number(draft)
    read_numbered_title(draft)
    read_ranges(draft)
    read_bracketed_count(draft)
    drop_season_numbers(draft)
    read_leading(draft)
    read_glued_number_before_kind(draft)
    read_number_after_title_number(draft)
    read_animation_number(draft)
    read_glued_group(draft)
    read_cjk_trailing_number(draft)
    read_cjk_parenthesized_number(draft)
    guessed = read_guessit(draft)
    drop_season_numbers(draft)
    drop_episode_noted_in_batch(draft)
    return finish(draft, guessed)
