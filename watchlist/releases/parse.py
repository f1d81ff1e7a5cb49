"""Parsing a release name in stages.

1. ``prepare``: one clean form (full-width folded, ``×`` as ``x``, CJK
   brackets as ``[ ]`` unless glued inside a CJK title, a backslash
   between aliases as `` / ``, a region note ``（仅限港澳台地区）`` and
   the extension dropped).
2. ``_read_brackets``: CJK fansub names (``[组名][中文名 / English][05]
   [1080P][简繁内封]``), whose title anitopy takes from the wrong bracket
   and whose episode markers (``第05话``, ``[12END]``, ``[13完]``) it does
   not know.
3. ``_read_scene``: ``S01E05`` and the episodes listed after it in any
   joined form, ``1x05``/``2009x09``, ``Season 1 Episode 5``, ``Cap.201``,
   the compact ``103``/``10708``, a mini-series' ``Part 2`` (season 1);
   anitopy reads only the plainest of these.
4. ``_read_anitopy``: anitopy 2.1.1 for everything else a fansub name says
   (group, resolution, version, type), with our corrections for what it gets
   wrong: split episodes (``05a``), numbers that belong to the title
   (``Fairy Tail - 100 Years Quest - 01``, ``2.5 Jigen no Ririsa - 05``).
5. ``_read_ranges``: ``01 ~ 10``, ``01-02-03``, ``01+02+03`` and
   ``01 - 119 [Batch]`` ranges; then ``_drop_season_numbers``: a number
   read from a season marker (``Seasons 1 & 2``, ``Reno.911.S01``) is no
   episode; then ``_read_leading``: the episode before the title
   (``[Grp] 01 - Title``, ``003. Title - Name``), glued episode words
   (``Title-ep1``), ``5of9`` parts, ``- 04.1``, ``Title.08.Name.720p``.
6. ``_read_guessit``: guessit as a second opinion for names nobody else
   numbered (``show-03.mp4``), only where the number it finds is written as
   an episode number (never ``Evangelion 3.33`` or ``1001 Nights``); it is
   not asked at all when no number is written that way (it costs ~15 ms).
7. ``_finish``: the title cleaned of season and year markers and split into
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

import logging
import re
import threading
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import anitopy

from . import markers
from .languages import LANGUAGE_WORDS, guessit_language, language_of_tokens, tokens, without_run
from .names import ReleaseName
from .text import HEIGHT_WORDS, has_cjk, height_of, is_video_file, prepare, tagged_height
from .titles import clean_title

logger = logging.getLogger(__name__)

MAX_NAME_LENGTH = 300

# anitopy's anime_type (and words we find ourselves) -> the kind of special.
# ONA is missing on purpose: a web series' episodes are episodes.
SPECIAL_KINDS = {
    "movie": "movie", "gekijouban": "movie", "劇場版": "movie", "剧场版": "movie", "film": "movie",
    "ova": "ova", "oad": "ova", "oav": "ova",
    "sp": "special", "tvsp": "special", "special": "special", "specials": "special", "sps": "special",
    "op": "opening", "ncop": "opening", "ed": "ending", "nced": "ending",
    "pv": "preview", "preview": "preview", "cm": "preview", "trailer": "preview", "teaser": "preview",
    "menu": "extra", "extra": "extra", "extras": "extra", "tokuten": "extra", "bonus": "extra",
    "recap": "recap", "pilot": "pilot", "ex": "extra", "特典": "extra", "映像特典": "extra", "omake": "extra",
}  # fmt: skip
_TRAILING_KIND_WORDS = {
    "trailer",
    "teaser",
    "recap",
    "pv",
    "cm",
    "preview",
    "pilot",
    "movie",
    "film",
    "ncop",
    "nced",
    "omake",
}
_BATCH_WORDS = {"batch", "complete", "completa", "intégrale", "integrale", "合集", "全集"}
_DASHED_KIND = re.compile(
    r"\s+-\s+(?P<kind>SP|SPs|TVSP|OVA|OAD|OAV|Special|Specials|Extra|Extras|Movie|Film)$", re.IGNORECASE
)
_DATE = re.compile(r"(?<![0-9])(?:19|20)\d\d[ ._-](?P<m>0[1-9]|1[0-2])[ ._-](?P<d>0[1-9]|[12]\d|3[01])(?![0-9])")
_VOLUME_RANGE = re.compile(
    r"(?<![a-z])vol(?:ume)?s?\.?\s*(?P<first>\d{1,2})\s*[-~&]\s*(?:vol(?:ume)?\.?\s*)?(?P<end>\d{1,2})(?![0-9])",
    re.IGNORECASE,
)
# Episode words of several languages left at a title's end ("Title Cap 05", "Title Tập 05").
_TRAILING_EPISODE_WORD = re.compile(
    r"\s+(?:episodes?|episodios?|[ée]pisodes?|eps?|cap[ií]tulos?|caps?|folgen?|odc|tập|серия|серии|ตอนที่)\.?$",
    re.IGNORECASE,
)
# "Title | 28 Episodes [BD 1080p]": the number of episodes in a batch.
_EPISODE_COUNT = re.compile(r"(?<![0-9.])(?P<n>\d{1,4})\s*(?:episodes|eps|épisodes|episodios)(?![a-z])", re.IGNORECASE)
# "Title Disc 1": a disc of a set, not episode 1.
_DISC = re.compile(r"(?<![a-z])(?:disc|disk)[ ._-]?0*(?P<n>\d{1,2})(?![0-9])", re.IGNORECASE)
_TV_PLUS_EXTRAS = re.compile(r"\bTV\s*\+\s*(?:SPs?|OVAs?|OADs?|Specials?|Movies?)(?![a-z])", re.IGNORECASE)
# What is left of it at the title's end once anitopy took "OVA" or "Movie".
_TV_PLUS_TAIL = re.compile(
    r"[\s_-]*\bTV(?:\s*\+\s*(?:SPs?|OVAs?|OADs?|Specials?|Movies?|[A-Za-z]+)?)*[\s+]*$", re.IGNORECASE
)
_FINISHED_BRACKET = re.compile(r"[\[(](?:[^\[\]()]*\s)?(?:Fin|Finished|完结|完結)[\])]", re.IGNORECASE)
_TAG_BRACKET = re.compile(r"\[([^\[\]]*)\]")
_BOX_SET = re.compile(r"(?<![a-z])(?:BD|DVD|Blu-?ray)[ ._-]?BOX(?![a-z])", re.IGNORECASE)
_BATCH_CJK = re.compile(r"合集|全集|全\d+[话話集]|(?<![0-9])\d+[话話集]全")  # "全12集", "264集全": the whole set
# Scene names sometimes add the series-wide number in parentheses right
# after SxxEyy: "Show S02E05 (E17)", "Show S02E05 (17)", "Show.S02E05.(17)".
_ABSOLUTE_AFTER_SXXEYY = re.compile(r"\bS\d{1,4}E(\d{1,4})[\s._]*\(\s*(?:EP?\.?\s*|#)?(\d{1,4})\s*\)", re.IGNORECASE)
# Anime names of scene-numbering groups write it bare after the marker:
# "[Grp] Show S10E14 214", "[Grp]Show.S01E01.001.HDTV". Only in a name led by
# a group bracket, or zero-padded to three digits, and never a resolution
# written without its "p", so "Show.S01E05.1080.WEB" keeps no absolute number.
_BARE_ABSOLUTE = re.compile(r"^[ ._]*(?:-[ ._]*)?(?P<abs>\d{2,4})(?=$|[ ._\[(]|-[ ._])")
_BARE_RESOLUTIONS = {"360", "480", "540", "576", "720", "1080", "2160"}
_NOT_A_GROUP = re.compile(r"^(?:E|EP|#)?\d+$|^(?:\d{3,4}[pi]|[fq]?hd|sd|uhd|4k|2k)$", re.IGNORECASE)
_SCENE_GROUP = re.compile(r"-(?P<group>[A-Za-z0-9][A-Za-z0-9_]*)(?:\s*\[[^\]]*\])*$")
_SCENE_GROUP_NOT = {"dl", "rip", "web", "hd", "sd", "10bit", "8bit", "x264", "x265", "h264", "h265", "hevc", "avc"}
_VERSION = re.compile(r"(?:(?<=\d)|(?<![0-9a-z]))v(\d)(?![0-9a-z])", re.IGNORECASE)
_MOVIE_WORDS = re.compile(r"(?<![a-z])(?:the\s+movie|movie|gekijouban|劇場版|剧场版)(?![a-z])", re.IGNORECASE)
_SPECIAL_NUMBER = re.compile(
    r"(?<![a-z])(?P<kind>SP|OVA|OAD|Special|NCOP|NCED|EX)[ ._]*0*(?P<n>\d{1,3})(?![0-9])", re.I
)
# "Movie 9", "Movie - 09", "Movie_9": a film's number in its series.
_MOVIE_SEQUENCE = re.compile(r"(?<![a-z])(?:movie|film|gekijouban)[ ._]*(?:-[ ._]*)?0*\d{1,2}(?![0-9.])", re.IGNORECASE)
_MOVIE_RANGE = re.compile(
    r"(?<![a-z])(?:movies?|films?)[ ._]*0*(?P<a>\d{1,2})\s*(?:[~-]|to|&)\s*0*(?P<b>\d{1,2})(?![0-9])", re.IGNORECASE
)
# "(1988 - 89)", "(2019-2021)": the years a season aired.
_YEAR_RANGE = re.compile(r"\(\s*(?:19|20)\d\d\s*[-–]\s*(?:(?:19|20)(?=\d\d))?(?P<end>\d\d)\s*\)")
_PILOT_WORDS = re.compile(r"(?<![a-z])pilot(?![a-z])", re.IGNORECASE)
# A trailing " - 05" (with "v2", "END"): the episode of a loose CJK title.
_DASH_EPISODE = re.compile(
    r"^(?P<title>.*?)\s*(?P<sep>-|–|\s)\s*(?:#|EP?\.?\s*)?(?P<ep>\d{1,4})(?:\.(?P<frac>5))?(?:v(?P<v>\d))?"
    r"(?:\s*\((?P<abs>\d{1,4})\))?(?:\s*(?:END|完))?$"
)
_TRAILING_SPECIAL = re.compile(
    r"^(?P<title>.*?)[\s_-]+(?P<kind>OVA|OAD|OAV|SP|Special)[ ._]*0*(?P<n>\d{1,3})$", re.IGNORECASE
)
_DASH_RANGE = re.compile(
    r"^(?P<title>.*?)\s*(?:-|–|\s)\s*(?P<ep>\d{1,4})(?:-|\s*[~～]\s*)(?P<end>\d{1,4})(?:v\d)?(?:\s*(?:END|完|Fin))?$"
)
# A number after these words is a season, part, volume or the title's own
# ("Kaiju No. 8"), not an episode.
_NOT_BEFORE_EPISODE = re.compile(r"(?:^|\s)(?:season|part|cour|vol\.?|s|no\.|第)$", re.IGNORECASE)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_BRACKET_YEAR = re.compile(r"^(?:19[5-9]\d|20[0-3]\d)$")
_CHINESE_SUBS = re.compile(r"[简繁][体體]?|中字|中文|双语|雙語|CHS|CHT|BIG5|GB(?![a-z])", re.IGNORECASE)
# Bracket contents that are tags, not titles, in CJK-style names.
_TAG_WORDS = re.compile(
    r"^(?:\d{3,4}[pPiI]|\d{3,4}x\d{3,4}|[248]k|hevc|avc|x26[45]|h\.?26[45]|10-?bits?|8-?bits?|hi10p?|aac|flac|ac3|"
    r"eac3|opus|dts|mp4|mkv|avi|web|webrip|web-?dl|dl|remux|ver|bd|bdrip|bdmv|bluray|dvd|dvdrip|tvrip|hdtv|gb|big5|chs|cht|"
    r"jpsc|jptc|sc|tc|baha|cr|nf|amzn|b-global|bilibili|iqiyi|abema|uhd|hdr|sdr|dual|audio|raw|raws|sub|subs|tv|series|"
    r"v\d|fin|end|ass|srt|pgs|jp|jpn|jap|big|gb_mp4|big5_mp4|gb_mkv|cht_mp4|chs_mp4|mp4_gb|mp4_big5|"
    r"(?:flac|aac|ac3|dts|opus)x\d|\d+(?:\.\d+)?[kmgt]i?b|mb|kb|tb|mib|gib)$",
    re.IGNORECASE,
)
# Category brackets of Chinese trackers: "Chinese / Japanese / Hong Kong comics".
_CATEGORY_TAGS = {"国漫", "國漫", "日漫", "港漫", "美漫", "国创", "國創", "动漫", "動漫"}
# Subtitle words in pairs ("简日", "繁中", "日语"): a lone 日 or 繁 is part of
# many titles ("港灣日和", "繁星"), so only a bracket that is nothing else
# but one of them is a tag (_ONE_CHARACTER_TAGS).
_TAG_CJK = re.compile(
    r"[简簡繁][体體中日繁英]|[中简簡繁]日|日[语語文英双雙]|内封|內封|内嵌|內嵌|字幕|双语|雙語|招募|翻译|翻譯|校对|校對|"
    r"外挂|外掛|国语|國語|粤语|中字|生肉|修正|重制|合集|全集|网盘|網盤|急招|特效歌词|特效歌詞|复制磁连|複製磁連"
)
# What a release group's name is made of ("XX字幕组", "YY-Raws", "ZZ工作室").
_GROUP_WORDS = re.compile(
    r"字幕|[组組社]|sub|raws?|team|studio|工作室|家族|搬[运運]|[压壓]制|[汉漢]化|部|fansub|&", re.IGNORECASE
)
_ONE_CHARACTER_TAGS = {"简", "簡", "繁", "日", "中"}
_MAX_CJK_LEFT_IN_TAG = 6
# "(檢索:/别名)", "（搜索用：别名）": search keywords a tracker post adds.
_SEARCH_NOTE = re.compile(r"^(?:檢索|检索|搜索|搜尋)")


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


@dataclass
class _Draft:
    """What the stages have read so far; each stage fills only what is still
    empty, so an earlier (more specific) stage wins."""

    text: str
    title: str = ""
    title_is_scene: bool = False
    episode: int | None = None
    episode_end: int | None = None
    absolute: int | None = None
    season: int | None = None
    resolution: int | None = None
    version: int | None = None
    group: str = ""
    year: int | None = None
    part: str = ""
    kinds: list[str] = field(default_factory=list)
    batch: bool = False
    cjk: bool = False  # stage 2 read the name
    leading_title: bool = False  # the leading bracket is the title, not a group
    scene: bool = False  # stage 3 read an SxxEyy (or 1x05, or 103)
    season_pack: bool = False
    video_file: bool = False  # the name ends with a video file's extension
    found: dict[str, Any] = field(default_factory=dict)  # anitopy's answer

    def numbered(self) -> bool:
        return self.episode is not None

    def set_episodes(self, marker: markers.Marker) -> None:
        self.episode = marker.episode
        self.episode_end = marker.episode_end
        if marker.version is not None and self.version is None:
            self.version = marker.version
        if marker.part:
            self.part = marker.part
        if marker.absolute is not None and self.absolute is None:
            self.absolute = marker.absolute


# anitopy keeps its parser state in module-level objects: two threads parsing
# at once corrupt each other's results (measured: 37 wrong episode numbers in
# 480 names over 4 threads). Parsing is serialised per process; prefork
# workers each have their own. guessit shares the lock to be safe.
_PARSER_LOCK = threading.Lock()


# --- stage 2: CJK bracket names --------------------------------------------

_SEGMENTS = re.compile(r"\[(?P<bracket>[^\[\]]*)\]|(?P<loose>[^\[\]]+)")


def _mostly_cjk_tag_words(content: str) -> bool:
    """'简繁日内封字幕', '粤日双语+内封繁体中文字幕', '(检索: 别名)': tag words and
    little else. A long title that happens to contain one ('开外挂的前勇者…',
    where 外挂 is "cheat", not "external subtitles") is no tag."""
    if _SEARCH_NOTE.match(content.strip(" ()")):
        return True
    if not _TAG_CJK.search(content):
        return False
    rest = _TAG_CJK.sub("", content)
    return sum(1 for c in rest if has_cjk(c)) <= _MAX_CJK_LEFT_IN_TAG


def _is_tag(content: str) -> bool:
    if tagged_height(content) is not None:
        return True  # "(BS11 1280x720 x264 AAC)": a title never says its resolution
    words = [w for w in re.split(r"[\s_&+,]+|(?<=[a-z0-9])-(?=[a-z0-9])", content.strip(), flags=re.IGNORECASE) if w]
    if not words:
        return True
    if _mostly_cjk_tag_words(content) or content.strip() in _CATEGORY_TAGS or content.strip() in _ONE_CHARACTER_TAGS:
        return True
    return all(_TAG_WORDS.match(w) or (tokens(w) and all(t in LANGUAGE_WORDS for t in tokens(w))) for w in words)


def _strip_tag_words(text: str) -> str:
    """'Dungeon Meshi 10-bit 1080p HEVC BDRip' -> 'Dungeon Meshi'; a loose
    title followed by '(ABEMA 1920x1080 AVC AAC MP4)' loses the parentheses."""
    text = re.sub(r"\(([^()]*)\)\s*$", lambda m: " " if _is_tag(m.group(1)) else m.group(0), text).strip()
    words = text.split(" ")
    # "HEVC/AVC": tags joined by a slash are tags
    while len(words) > 1 and all(_TAG_WORDS.match(w) for w in words[-1].split("/")):
        words.pop()
    return " ".join(words)


def _bracket_episode(draft: _Draft, brackets: list[str]) -> set[int]:
    """Number the name from its brackets; return the indexes used."""
    found = [(i, m) for i, content in enumerate(brackets) if (m := markers.bracket_episode(content)) is not None]
    if not found:
        found = [(i, m) for i, content in enumerate(brackets) if (m := markers.named_bracket_episode(content))]
    # "[斗罗大陆][2019][268]", "[OVA][480P][1987]": a bracket holding a year
    # alone is the year of the series; no series has reached episode 1950
    years = {i for i, m in found if _BRACKET_YEAR.match(brackets[i])}
    if years:
        draft.year = int(brackets[min(years)])
        found = [(i, m) for i, m in found if i not in years]
    if not found:
        return years
    # "[WEB-DL][2160][TV Series][TV 04]": a bracket holding a bare frame
    # height is the resolution when another bracket holds an episode
    heights = [(i, m) for i, m in found if brackets[i] in _BARE_RESOLUTIONS]
    if heights and len(heights) < len(found):
        found = [(i, m) for i, m in found if (i, m) not in heights]
        draft.resolution = draft.resolution or int(brackets[heights[0][0]])
    index, marker = found[0]
    draft.set_episodes(marker)
    return {index} | years


def _loose_episode(draft: _Draft, content: str) -> str:
    """Number the name from loose text ("中文名 / English - 05", "标题 第05话");
    return the text without the marker."""
    marker = markers.cjk_episode(content)
    if marker is not None:
        draft.set_episodes(marker)
        return content[: marker.start].strip(" -_")
    scene = markers.scene_episode(content)
    if scene is not None and content[: scene.start].strip(" -_"):
        # "中文名 - S01E04 - 中文名 English": the series' title, then the
        # marker, then the episode's title
        draft.set_episodes(scene)
        draft.season, draft.scene = scene.season, True
        return content[: scene.start].strip(" -_")
    dash = _DASH_RANGE.match(content)
    if dash and dash.group("title").strip():
        draft.episode, draft.episode_end = int(dash.group("ep")), int(dash.group("end"))
        return dash.group("title").strip(" -_")
    dash = _DASH_EPISODE.match(content)
    after_word = dash is not None and dash.group("sep").isspace() and _NOT_BEFORE_EPISODE.search(dash.group("title"))
    if dash and dash.group("title").strip() and not after_word:
        return _dash_episode(draft, dash)
    special = _TRAILING_SPECIAL.match(content)
    if special and special.group("title").strip():
        # "中文名 / English OVA01": the special's number, not part of the title
        draft.episode = int(special.group("n"))
        draft.kinds.append(SPECIAL_KINDS[special.group("kind").lower()])
        return special.group("title").strip(" -_")
    return content


def _dash_episode(draft: _Draft, dash: re.Match[str]) -> str:
    """Record a loose " - 05" ("- 05v2", "- 48.5", "- 16(40)"); return the title before it."""
    draft.episode = int(dash.group("ep"))
    if dash.group("v"):
        draft.version = int(dash.group("v"))
    if dash.group("frac"):
        draft.part = "." + dash.group("frac")  # "- 48.5": a recap between 48 and 49
    if dash.group("abs") and int(dash.group("abs")) > draft.episode:
        draft.absolute = int(dash.group("abs"))  # "- 11(44)": the season's number, then the series-wide one
    return dash.group("title").strip(" -_")


def _bare_number_after_title(segments: list[tuple[str | None, str | None]], index: int, loose: str) -> bool:
    """'[Grp][Title] 02 [BIG]': a bare number after two brackets (a group, a title)."""
    before = segments[:index]
    return (
        len(before) >= 2
        and all(b is not None for b, _ in before)
        and bool(markers.bracket_episode(loose.strip(" -_.")))
    )


Segments = list[tuple[str | None, str | None]]  # (bracket content, loose text between brackets)


def _read_brackets(draft: _Draft) -> None:
    read = _bracket_segments(draft)
    if read is None:
        return
    segments, text = read
    brackets = [bracket.strip() if bracket is not None else "" for bracket, _ in segments]
    used = _bracket_episode(draft, brackets)
    titles, loose_titles = _bracket_titles(draft, segments, used)
    _choose_bracket_title(draft, text, titles, loose_titles)


def _latin_tag_bracket(content: str | None) -> bool:
    """'[1080P]', '[BDRip]' (a group's name may hold a tag word: '[Amor字幕组]')."""
    return content is not None and bool(content.strip()) and not has_cjk(content) and _is_tag(content)


# One bracket and nothing else before a scene marker ("[Title] S03E35").
_LEADING_BRACKET_ONLY = re.compile(r"^\s*\[(?P<content>[^\[\]]*)\][\s._-]*$")


# "[Grp][Title][01][CHS].sc.ass": a subtitle file's language and extension
# after the last bracket are no loose title.
_SIDE_FILE_AFTER_BRACKET = re.compile(r"(?<=\])(?:\.[A-Za-z]{2,4}){0,2}\.(?:ass|ssa|srt|smi|sub|vtt|sup|idx)$", re.I)


def _bracket_segments(draft: _Draft) -> tuple[Segments, str] | None:
    """The name's brackets and the loose text between them, the group taken
    off the first, and the name without its season tags; None when the name
    is not one this stage reads."""
    text = _SIDE_FILE_AFTER_BRACKET.sub("", draft.text)
    if not has_cjk(text) and text.count("[") < 3:
        return None
    scene = markers.scene_episode(text)
    if (
        scene is not None
        and re.search(r"S\d", text[scene.start : scene.end], re.IGNORECASE)
        and not has_cjk(text[: scene.start])
    ):
        return None  # "[Grp] Title - S03E23 (中文名; Alias)": a scene marker after a Latin title
    if scene is not None and _LEADING_BRACKET_ONLY.match(text[: scene.start]):
        return None  # "【推しの子】.S03E03.第27話": the title's bracket, then a scene marker
    text = markers.strip_season_tags(text)
    segments: Segments = [(m.group("bracket"), m.group("loose")) for m in _SEGMENTS.finditer(text)]
    if not segments:
        return None
    # "[Grp][Title] 02 [BIG]": a bare number between brackets is the episode, no loose title
    worded = [(index, loose) for index, (_, loose) in enumerate(segments) if loose and re.search(r"[^\W_]", loose)]
    if not has_cjk(text) and any(not _bare_number_after_title(segments, i, loose) for i, loose in worded):
        return None  # "[Grp] Title - 05 [1080p][x265]": anitopy reads Latin names with loose text well
    # "[1080P][字幕组][龙珠GT][60]": tags before the group are no group
    while len(segments) > 2 and _latin_tag_bracket(segments[0][0]):
        draft.resolution = draft.resolution or tagged_height(segments[0][0])
        segments = segments[1:]
    # "[011北側諸国の冬][Site][Title]": a first bracket holding the episode is no group
    if segments[0][0] is not None and not draft.group and not markers.named_bracket_episode(segments[0][0]):
        group, star, first_title = segments[0][0].partition("★")
        draft.group = group.strip()
        # "[字幕组★Title]": a group and a title in one bracket
        segments = ([(first_title.strip(), None)] if star and first_title.strip() else []) + segments[1:]
    return segments, text


def _bracket_titles(draft: _Draft, segments: Segments, used: set[int]) -> tuple[list[str], list[str]]:
    """Brackets that are none of group, episode, tag; and the loose texts
    that are titles (an episode found on the way is recorded)."""
    titles: list[str] = []
    loose_titles: list[str] = []
    episode_at = min(used, default=len(segments))
    titled = False  # a title bracket came before the episode's bracket
    for index, (bracket, loose) in enumerate(segments):
        if index == episode_at:
            titled = bool(titles)
        if index > episode_at and titled:
            # "[Grp][Title][1247]小丸子陷入大恐慌[GB]": the episode's own title;
            # "[Title][2022][WEB-DL][TV 04][TV Series][LeagueWEB]": a site's tags
            continue
        if bracket is not None:
            content = bracket.strip()
            if not content or index in used:
                continue
            if _is_tag(content) or _not_a_title_bracket(content):
                if draft.resolution is None:
                    draft.resolution = tagged_height(content)
                continue
            titles.append(content)
            continue
        content = _loose_title(draft, loose or "")
        if not content:
            continue
        if loose_titles and content.startswith("/"):
            # "中文名 [Season 2] / English - 01": one title and its alias around a tag
            loose_titles[-1] = f"{loose_titles[-1]} {content}"
        else:
            loose_titles.append(content)
    return titles, loose_titles


def _not_a_title_bracket(content: str) -> bool:
    """'[Movie]', '[OVA]', '[SP]', '[05]': a kind of release or an episode, no title."""
    return (
        bool(_MOVIE_WORDS.fullmatch(content))
        or content.lower() in SPECIAL_KINDS
        or bool(markers.bracket_episode(content))
    )


def _loose_title(draft: _Draft, loose: str) -> str:
    """Loose text between brackets as a title, or "" (a bare episode number,
    recorded; a star or dash between brackets; a tag)."""
    content = _strip_tag_words(loose.strip(" -_"))
    kind = content.strip(" ★☆")
    if _MOVIE_WORDS.fullmatch(kind) or kind.lower() in SPECIAL_KINDS:
        # "[Grp]★剧场版★[Title]": the kind of release between brackets, no title
        draft.kinds.append(SPECIAL_KINDS.get(kind.lower(), "movie"))
        return ""
    bare = markers.bracket_episode(content) if content and not draft.numbered() else None
    if bare is not None:
        draft.set_episodes(bare)
        return ""
    if content and not draft.numbered():
        content = _loose_episode(draft, content)
    # "【Grp】★【Title】": a star or dash between brackets is no title
    if content and re.search(r"\w", content) and not _is_tag(content):
        return content
    return ""


def _choose_bracket_title(draft: _Draft, text: str, titles: list[str], loose_titles: list[str]) -> None:
    # Loose text between brackets is the title when there is one ("[Grp]
    # 中文名 / English - 05 [1080p]"); else the first bracket that is none of
    # group, episode, tag.
    # Several title brackets ("[国漫][斗罗大陆][Douro Mainland]") are aliases
    # of one another: the Latin one becomes the primary title.
    chosen = loose_titles[0] if loose_titles else " / ".join(titles)
    named = draft.numbered() or " / " in draft.group or _BATCH_CJK.search(text) is not None
    if not chosen and named and draft.group and not _GROUP_WORDS.search(draft.group):
        # "[吞噬星空][第161集][国语中字]", "[Deaimon][01][BDRIP]": nothing but
        # tags after the first bracket, which names no group: it is the title
        chosen, draft.group, draft.leading_title = draft.group, "", True
    if chosen and (has_cjk(text) or draft.numbered()):
        draft.title = chosen
        draft.cjk = True
    elif not draft.numbered():
        draft.group = ""  # not a bracket name after all: let anitopy read it whole


# --- stage 3: scene markers --------------------------------------------------


def _scene_head(text: str, start: int) -> str:
    """The title a scene name writes before its marker: leading brackets
    (a group, a site) and trailing tag brackets ("[HDTV 720p]") left out."""
    head = re.sub(r"^\s*(?:\[[^\]]*\]\s*)+", "", text[:start])
    while True:
        tail = re.search(r"[\[(]([^\[\]()]*)[\])]\s*$", head)
        if tail is None or not _is_tag(tail.group(1)):
            break
        head = head[: tail.start()]
    if " " not in head.strip():
        head = head.replace(".", " ").replace("_", " ")
    # "Title [2x05] Episode", "Title (S02E05)": the marker's own bracket opens the head's end
    return re.sub(r"[\s\-_.]*[\[({]\s*$", "", head)


def _read_scene(draft: _Draft) -> None:
    if draft.numbered():
        return
    text = draft.text
    marker = markers.scene_episode(text) or markers.long_form_episode(text) or markers.compact_episode(text)
    if marker is None:
        _read_mini_series_part(draft)
        return
    draft.scene = True
    draft.season = marker.season
    draft.set_episodes(marker)
    dash = markers.dash_episode(text[: marker.start])
    if dash is not None and _inside_brackets(text, marker.start) and not draft.title:
        # "[Grp] Title - 07 (S2E03)": the series-wide number, then the season's
        draft.absolute = dash.episode
        draft.title = re.sub(r"^\s*(?:\[[^\]]*\]\s*)+", "", text[: dash.start])
        draft.title_is_scene = True
    if not draft.title:
        # An empty head is an answer too ("S03E09 WS PDTV XviD"): what
        # follows the marker is the episode's title, not the series'.
        draft.title = _absolute_in_head(draft, _scene_head(text, marker.start)) or _bracket_before(text, marker)
        draft.title_is_scene = True
    absolute = _ABSOLUTE_AFTER_SXXEYY.search(text)
    if absolute and int(absolute.group(1)) == draft.episode and int(absolute.group(2)) >= draft.episode:
        draft.absolute = int(absolute.group(2))
    elif draft.absolute is None:
        _bare_absolute(draft, text[marker.end :])
    if not draft.group and not text.startswith("["):
        group = _SCENE_GROUP.search(text)
        if group and group.group("group").lower() not in _SCENE_GROUP_NOT and not group.group("group").isdecimal():
            draft.group = group.group("group")


# "Bleach - 012 - s02e03", "165.Naruto Shippuuden.s08e014", "07-GHOST - 012-013 -
# s02e03e04": the series-wide number (or range) written before the scene
# marker belongs to no title.
_HEAD_ABSOLUTE_AFTER = re.compile(r"\s+-\s+(?P<abs>\d{2,4})(?:-(?P<end>\d{2,4}))?$")
_HEAD_ABSOLUTE_BEFORE = re.compile(r"^(?P<abs>\d{2,4})(?:-(?P<end>\d{2,4}))?\.(?=\S)")
_HEAD_RANGE_BEFORE = re.compile(r"^(?P<abs>\d{2,4})-(?P<end>\d{2,4})[ .](?=\S)")


def _absolute_in_head(draft: _Draft, head: str) -> str:
    head = head.rstrip(" -._")
    match = _HEAD_ABSOLUTE_AFTER.search(head) or _HEAD_RANGE_BEFORE.match(head)
    if match is None and " " in head:
        match = _HEAD_ABSOLUTE_BEFORE.match(head)  # "165.Title": a dot left only after the number
    if match is None:
        return head
    rest = (head[: match.start()] + " " + head[match.end() :]).strip(" -._")
    if not re.search(r"[^\W\d_]", rest):
        return head  # "24 - S01E01": the number is the whole title
    number = int(match.group("abs"))
    if match.group("end") is None and draft.absolute is None and draft.episode is not None and number >= draft.episode:
        draft.absolute = number
    return rest


def _read_mini_series_part(draft: _Draft) -> None:
    """'Title Part 02 720p HDTV', 'Title.Part.Two.720p': a mini-series' part,
    numbered as season 1's episode the way TV databases list them. Not in
    fansub names ('[Grp] Title Movie Part 1') nor when a number follows
    ('Title Final Season Part 2 - 05 1080p')."""
    text = draft.text
    match = _MINI_SERIES_PART.search(text)
    if match is None or text.startswith("[") or markers.season_spans(text) or _EPISODE_WORD.search(text):
        return  # "Title_Ep05_Name_Part1": the part of an episode's title
    if re.search(r"(?<![\w.])\d{1,4}(?![\w.])", text[match.end() :]):
        return
    if re.match(r"[ ._-]*\(?(?:19|20)\d\d(?![0-9])", text[match.end() :]):
        return  # "Dune.Part.Two.2024.1080p": a film's second part, released that year
    word = match.group("n").lower()
    draft.episode = int(word) if word.isdecimal() else markers.season_number(word)
    draft.season = 1
    draft.scene = True
    draft.title = _scene_head(text, match.start()).rstrip(" -._")
    draft.title_is_scene = True


def _bracket_before(text: str, marker: markers.Marker) -> str:
    """'【OSHI NO KO】 S03E35', '【推しの子】.S03E03': a name whose only words
    before the marker are in one bracket has its title there (a group would
    leave the name without one)."""
    only = _LEADING_BRACKET_ONLY.match(text[: marker.start])
    content = only.group("content").strip() if only else ""
    return "" if not content or _is_tag(content) or _GROUP_WORDS.search(content) else content


# "【推しの子】.S03E03.第27話": the series-wide number in CJK right after the
# marker; "Title S05E53 - Ep.129": the same, written with an episode word.
_CJK_ABSOLUTE_AFTER = re.compile(
    r"^[\s._-]*(?:[第제]\s*(?=\d{1,4}\s*[话話集回화])|Ep\.?\s*(?=\d{2,4}(?![0-9])))(?P<abs>\d{1,4})", re.IGNORECASE
)


def _bare_absolute(draft: _Draft, after: str) -> None:
    cjk = _CJK_ABSOLUTE_AFTER.match(after)
    if cjk is not None and draft.episode is not None and int(cjk.group("abs")) >= draft.episode:
        draft.absolute = int(cjk.group("abs"))
        return
    match = _BARE_ABSOLUTE.match(after)
    if match is None or draft.episode is None:
        return
    raw = match.group("abs")
    if raw in _BARE_RESOLUTIONS or _YEAR.match(raw) or int(raw) < draft.episode:
        return
    if draft.text.lstrip().startswith("[") or (len(raw) >= 3 and raw.startswith("0")):
        draft.absolute = int(raw)


# --- stage 4: anitopy ----------------------------------------------------------


# A dash left alone at the end ("Title - 160 -.mkv"): anitopy 2.1.1 loops
# forever looking for an episode title after it, so it never reaches anitopy.
_TRAILING_DASH = re.compile(r"[\s_]+[-\u2010-\u2015]+[\s_]*$")


def _anitopy(text: str) -> dict[str, Any]:
    text = _TRAILING_DASH.sub("", text) or text
    # anitopy 2.1.1 raises on a number that ends the name ("Title (Alias) 01"):
    # it looks at the token after it. An empty bracket gives it one.
    for attempt in (text, f"{text} []"):
        try:
            with _PARSER_LOCK:
                return anitopy.parse(attempt) or {}
        except Exception:  # anitopy is a tokenizer over arbitrary text; never let one name break a listing
            logger.debug("anitopy failed on %r", attempt, exc_info=True)
    return {}


def _anitopy_episode(draft: _Draft, value: Any) -> None:
    numbers = _as_list(value)
    if not numbers:
        return
    first = numbers[0]
    if not first.isdecimal():
        split = markers.part_episode(first)
        whole, dot, fraction = first.partition(".")
        if split is not None:
            draft.episode, draft.part = split
        elif dot and whole.isdecimal() and fraction.isdecimal():
            draft.episode, draft.part = int(whole), "." + fraction
        else:
            return
    else:
        draft.episode = int(first)
    if len(numbers) > 1 and numbers[-1].isdecimal() and int(numbers[-1]) > draft.episode:
        draft.episode_end = int(numbers[-1])


def _read_volume_file(draft: _Draft) -> None:
    """'[Grp] Title Vol.1 (BD 720p).mkv': one video file of an OVA released by
    volumes, a volume each, so the volume is the episode. A name that is no
    file ("Title Vol.2 [BD]") or that holds volumes ("Vol.1-3") stays a set."""
    volumes = _as_list(draft.found.get("volume_number"))
    if draft.video_file and not draft.numbered() and len(volumes) == 1 and volumes[0].isdecimal():
        draft.episode, draft.batch = int(volumes[0]), False


def _clean_anitopy_title(title: str, anime_types: list[str]) -> str:
    # anitopy leaves the type it found inside the title: "Title - OVA", "Title (TV)",
    # "Title The Movie" (whose "The" alone would be left at the end).
    title = title.strip()
    for word in anime_types:
        for suffix in (f" - {word}", f" ({word})", f" The {word}", f" {word}"):
            if title.lower().endswith(suffix.lower()):
                # "Title The Movie": the article went with the kind word
                title = re.sub(r"\s+the$", "", title[: -len(suffix)], flags=re.IGNORECASE).rstrip(" -")
                break
    return title


def _read_anitopy(draft: _Draft) -> None:
    text = markers.strip_season_tags(draft.text) if has_cjk(draft.text) else draft.text
    found = draft.found = _anitopy(text)
    anime_types = _as_list(found.get("anime_type"))
    draft.kinds += [SPECIAL_KINDS[t.lower()] for t in anime_types if t.lower() in SPECIAL_KINDS]
    release_info = {t.lower() for t in _as_list(found.get("release_information"))}
    if release_info & _BATCH_WORDS or found.get("volume_number") is not None:
        draft.batch = True
    title = _clean_anitopy_title(str(found.get("anime_title") or ""), anime_types)
    dashed_kind = _DASHED_KIND.search(title)
    if dashed_kind and found.get("episode_number") is not None:
        # "Title - SP 01": anitopy keeps a spaced kind word in the title
        draft.kinds.append(SPECIAL_KINDS[dashed_kind.group("kind").lower()])
        title = title[: dashed_kind.start()]
    words = title.split()
    if len(words) > 1 and words[-1].lower() in _TRAILING_KIND_WORDS:
        # anitopy does not know "Trailer 2"/"Teaser"/"Pilot": they stay in the title
        draft.kinds.append(SPECIAL_KINDS[words[-1].lower()])
        title = _clean_anitopy_title(title, [words[-1]])
    if not draft.numbered():
        _anitopy_episode(draft, found.get("episode_number"))
        if draft.numbered():
            title = _number_fixes(draft, title, found)
            title = _number_before_parentheses(draft, title)
            title = _number_before_promo(draft, title)
    if not draft.title and not draft.title_is_scene:
        draft.title = title
    if draft.season is None:
        draft.season = _first_int(found.get("anime_season"))
    if draft.year is None:
        draft.year = _first_int(found.get("anime_year"))
    group = str(found.get("release_group") or "")
    # A group leads the name in brackets; anitopy also takes a trailing
    # "[eztv]" or a 「title」 for one.
    leading = re.match(r"^\s*[\[(]([^\])]*)[\])]", draft.text)
    is_leading = leading is not None and group and group in leading.group(1)
    if (
        not draft.group
        and is_leading
        and not draft.leading_title
        and not (_NOT_A_GROUP.match(group) or group.lower() in LANGUAGE_WORDS)
    ):
        draft.group = group
    if draft.resolution is None:
        for value in _as_list(found.get("video_resolution")):
            draft.resolution = height_of(value)
            if draft.resolution:
                break
    if draft.version is None:
        draft.version = _first_int(found.get("release_version"))


def _number_fixes(draft: _Draft, title: str, found: dict[str, Any]) -> str:
    """Numbers anitopy took for the episode that belong to the title."""
    text = draft.text
    raw = _as_list(found.get("episode_number"))[0]
    position = _raw_position(text, raw)
    late = markers.dash_episode(text) or _episode_between_dashes(text, position)
    between = text[position + len(raw) : late.start] if late is not None and position is not None else ""
    inside_word = position is not None and re.search(r"[a-z]\d*[._]?$", text[:position], re.IGNORECASE) is not None
    in_tags = position is not None and late is not None and position > late.end and _inside_brackets(text, position)
    if late is None and position is not None and not re.search(r"(?:E|EP|#)\.?\s?$", text[:position], re.I):
        late = _marked_episode_after(text, position + len(raw))
        between = text[position + len(raw) : late.start] if late is not None else ""
        if late is not None and not re.search(r"[^\W\d_]", between):
            # "Fujimoto Tatsuki 17-26 E01", "2.5 Jigen no Ririsa E01": a marked
            # episode after the number anitopy took names the episode
            between = between + "E"
    if (
        late is not None
        and (late.episode != draft.episode or not raw.isdecimal() or draft.episode_end is not None)
        and position is not None
        and (
            (
                position < late.start
                # "Ranma 1-2 (2024) - 03": the title's number, its year, then the episode
                and (re.search(r"[^\W\d_]|\((?:19|20)\d\d\)", between) or inside_word or "." in raw)
            )
            # "Title - 01 [1080p 10b ...]": anitopy read a tag's number
            or in_tags
        )
    ):
        # "Fairy Tail - 100 Years Quest - 01", "2.5 Jigen no Ririsa - 05",
        # "Nier Automata Ver1.1a - 05": the number anitopy took comes before
        # the " - 05" where fansub names put the episode.
        head = re.sub(r"^\s*(?:\[[^\]]*\]\s*)+", "", text[: late.start]).rstrip(" -")
        draft.episode, draft.episode_end, draft.part = late.episode, None, ""
        if late.version is not None:
            draft.version = late.version
        return head
    later = _LATER_EPISODE.match(text, position + len(raw)) if position is not None and late is None else None
    if later is not None and _only_tags(later.group("rest")) and re.fullmatch(r"[1-9]\d?", raw):
        # "Title 2 - The Subtitle 04 vostfr": the title's number, an alias, then the episode
        draft.episode, draft.episode_end, draft.part = int(later.group("ep")), None, ""
        return f"{title} {raw}" if not title.endswith(raw) else title
    leading = _LEADING_NUMBER.match(text)
    if (
        leading is not None
        and late is None
        and position is not None
        and position > leading.end("ep")
        and not re.search(r"(?<![a-z])S\d{1,2}\s?x?E\d", text, re.IGNORECASE)
    ):
        # "02 - Title 14 More", "7 - 12 Angry Men": the number that leads the name
        draft.episode, draft.episode_end, draft.part = int(leading.group("ep")), None, ""
        return leading.group("title").strip()
    after = _number_after(text, raw, position)
    if after is not None:
        # "Title 2 05 [720p]": the season's number kept in the title, then the episode
        draft.episode, draft.episode_end, draft.part = int(after.group("ep")), None, ""
        if after.group("v"):
            draft.version = int(after.group("v"))
        if len(raw) > 2:
            return _title_before(text, after.start())
        return f"{title} {raw}" if not title.endswith(raw) else title
    if late is None and re.search(rf"(?<![A-Za-z])No\.\s?{re.escape(raw)}(?![0-9])", text):
        # "Kaiju No. 8", "Blue Submarine No.6": the title's number
        draft.episode, draft.episode_end, draft.part = None, None, ""
        return title if title.endswith(raw) else f"{title} {raw}".strip()
    if position is not None and _single_digit_of_title(text, raw, position, "movie" in draft.kinds):
        # "Byousoku 5 Centimeter [BD 1080p]": one unpadded digit inside the
        # title's words, and nothing after them but tags, names no episode.
        draft.episode, draft.episode_end, draft.part = None, None, ""
        head = re.split(r"\s*[\[(]", re.sub(r"^\s*(?:\[[^\]]*\]\s*)+", "", text), maxsplit=1)[0].split()
        tag_at = next((i for i, w in enumerate(head) if i and _TAG_WORDS.match(w)), len(head))
        return " ".join(head[:tag_at])
    if position is not None and re.search(r"(?<![a-z])(?:cour|part|pt\.?)[ ._]*$", text[:position], re.IGNORECASE):
        # "Bleach - Sennen Kessen-hen cour 2 (1080p)": the second cour, all of it
        draft.episode, draft.episode_end, draft.part = None, None, ""
        return re.sub(r"[ ._]+(?:cour|part|pt\.?)$", "", title, flags=re.IGNORECASE)
    if position is not None and (raw == "0" or re.search(r"\d[.,]$", text[:position])):
        # "Jujutsu Kaisen 0", "Evangelion.3.33": a number of the title.
        draft.episode, draft.episode_end, draft.part = None, None, ""
        return _title_with_decimal(title, text, raw, position, found)
    return title


def _title_with_decimal(title: str, text: str, raw: str, position: int, found: dict[str, Any]) -> str:
    """'Film 3.0+1.11 Thrice Upon A Time': the decimal's last part, and the
    name anitopy took for the episode's after it, are the title's (a spaced
    name only: a dotted one has its dots turned to spaces later)."""
    if raw == "0" or " " not in text or title.endswith(raw) or not title.endswith(text[: position - 1][-1:]):
        return title
    return f"{title}{text[position - 1]}{raw} {found.get('episode_title') or ''}".strip()


# "Title - 0083 Stardust Memory - 05 - Episode Name": an episode between two
# dashes after the number anitopy took, then the episode's own name.
_EPISODE_BETWEEN_DASHES = re.compile(r"\s-\s(?P<ep>\d{1,4})(?:v(?P<v>\d))?\s-\s(?=[^\W\d_])")


def _episode_between_dashes(text: str, start: int | None) -> markers.Marker | None:
    """Only when title words follow the number anitopy took ("- 05 - Name
    - 2 - Name" is an episode and its name's own number)."""
    if start is None or not re.match(r"\d+\s+[^\W\d_]", text[start:]):
        return None
    match = _EPISODE_BETWEEN_DASHES.search(text, start + 1)
    if match is None:
        return None
    version = int(match.group("v")) if match.group("v") else None
    return markers.Marker(start=match.start(), end=match.end("ep"), episode=int(match.group("ep")), version=version)


# "Title E01 [1080p]": an episode marked with its letter(s), then tags or the end.
_MARKED_EPISODE = re.compile(
    r"(?<![A-Za-z0-9])(?:E|EP|Ep\.)\s?(?P<ep>\d{1,4})(?:v(?P<v>\d))?(?=\s*(?:$|[\[(]))", re.IGNORECASE
)


def _marked_episode_after(text: str, start: int) -> markers.Marker | None:
    match = _MARKED_EPISODE.search(text, start)
    if match is None:
        return None
    version = int(match.group("v")) if match.group("v") else None
    return markers.Marker(start=match.start(), end=match.end(), episode=int(match.group("ep")), version=version)


# "Title 07 (1).mkv" (a browser's second copy), "Title - 29 (04)" (the
# season's number after the series-wide one): the first number is the episode.
_NUMBER_THEN_PARENTHESES = re.compile(r"(?<![0-9A-Za-z.])(?P<ep>\d{1,4})(?:v\d)?[ _]*\((?P<other>\d{1,4})\)")


def _number_before_parentheses(draft: _Draft, title: str) -> str:
    if draft.episode_end is not None:
        return title
    for match in _NUMBER_THEN_PARENTHESES.finditer(draft.text):
        rest = re.sub(r"\[[^\]]*\]|\([^)]*\)", " ", draft.text[match.end() :])
        if re.search(r"(?<![0-9A-Za-z])\d{1,4}(?![0-9A-Za-z])", rest):
            continue  # "Gundam 00 (2) - 05": a number follows, the episode is there
        if int(match.group("other")) == draft.episode and not _YEAR.match(match.group("ep")):
            draft.episode, draft.part = int(match.group("ep")), ""
            return re.sub(rf"[ _-]*{match.group('ep')}$", "", title.rstrip()) or title
    return title


_LATER_EPISODE = re.compile(r"\s+-\s+[^\W\d_][^\d\[\]()]*?\s(?P<ep>\d{2,4})(?:v\d)?(?P<rest>(?:\s.*)?)$")


def _only_tags(rest: str) -> bool:
    rest = re.sub(r"[\[(][^\])]*[\])]", " ", rest)
    words = rest.lower().split()
    return all(w in _NOT_TITLE_WORDS or w in LANGUAGE_WORDS or _TAG_WORDS.match(w) for w in words)


_LEADING_NUMBER = re.compile(r"^(?P<ep>\d{1,3})(?:\s+-\s+|\.\s+)(?P<title>[^\[(]*?)\s*(?:[\[(].*)?$")
# A second number right after the one anitopy took, then tags or the end;
# or in a bracket of its own ("Steins;Gate 0 [05][1080p]").
_NEXT_NUMBER = re.compile(
    r"(?:[ ._]+|(?=\[))(?P<open>\[)?(?P<ep>\d{2,4})(?:v(?P<v>\d))?(?(open)\]|(?=[ ._]*(?:$|[\[(])))"
)
# The first zero-padded number that only tags follow (words may come before it).
_PADDED_NEXT = re.compile(
    r"(?<=[ ._])(?P<ep>0\d{1,3})(?:v(?P<v>\d))?(?=[ ._]*(?:$|[\[(]|\d{3,4}[pi](?![a-z])|(?:web|bd|hdtv)(?![a-z])))",
    re.IGNORECASE,
)


def _number_after(text: str, raw: str, position: int | None) -> re.Match[str] | None:
    if position is None or _inside_brackets(text, position):
        return None
    if re.fullmatch(r"[1-9]\d{2,3}", raw) and not _YEAR.match(raw):
        # "Mob Psycho 100 05", "Zom 100: ... Shitai 100 no Koto 05": the
        # title's number, then a zero-padded episode
        for found in re.finditer(rf"(?<![0-9.]){raw}(?![0-9])", text):
            after = _PADDED_NEXT.search(text, found.end())
            if after is not None and not _inside_brackets(text, after.start("ep")):
                return after
        return None
    if not re.fullmatch(r"[1-9]\d?|00?", raw):
        return None
    after = _NEXT_NUMBER.match(text, position + len(raw))
    if after is None or _YEAR.match(after.group("ep")) or after.group("ep") in _BARE_RESOLUTIONS:
        return None  # "Title 2 [2021]", "Title 2 [1080]": a year, a frame height
    return after


_NOT_TITLE_WORDS = {"end", "final", "finale", "fin", "raw", "vostfr", "vf", "sub", "subs", "dub", "hd", "fhd", "uhd"}


def _single_digit_of_title(text: str, raw: str, position: int, movie: bool = False) -> bool:
    if not re.fullmatch(r"[1-9]", raw) or _inside_brackets(text, position) or _NUMBER_THEN_KIND_AT_END.search(text):
        return False  # "Title 2 TVSP [1080p]": the season's special (_number_before_promo)
    if movie and re.match(r"\s+-\s+[^\W\d_]", text[position + 1 :]) and re.search(r"[^\W\d_]\s*$", text[:position]):
        return True  # "PSYCHO-PASS 3 - FIRST INSPECTOR (2020) [Movie]": a film's title holds the number
    after = re.match(r" (?P<words>[^\W\d_][^\[\]()]*?)\s*(?:[\[(].*)?$", text[position + 1 :])
    if after is None or not re.search(r"[^\W\d_]", text[:position]) or " - " in after.group("words"):
        return False
    words = after.group("words").lower().split()
    if any(w in _NOT_TITLE_WORDS or w in LANGUAGE_WORDS for w in words):
        return False
    # "Danganronpa 3 Future Arc 1080p BDRip": the title's words, then tags
    # without brackets; a word with a digit that is no tag ("2nd") says nothing.
    tag_at = next((i for i, w in enumerate(words) if _TAG_WORDS.match(w) or re.search(r"\d", w)), len(words))
    return tag_at > 0 and (tag_at == len(words) or bool(_TAG_WORDS.match(words[tag_at])))


# "Title 3 - PV", "Title 2 - Pilot", "Chihayafuru 2 - OVA - Name", "Title 2 -
# TVSP": a promotional video, the pilot or a special of the third (second) season,
# not an episode. ("Title - 03 - PV" and "Title - Ep03 Preview" keep their
# episode: a dash before the number makes it one.)
_NUMBER_BEFORE_PROMO = re.compile(
    r"[^\W\d_][ _](?P<n>\d{1,2})[ _]+-[ _]+"
    r"(?P<kind>PV|CM|Trailer|Teaser|Pilot|OVA|OAD|OAV|SPs?|TVSP|Specials?|Movie|Film|Extras?|Recap|NCOP|NCED)\d*(?![a-z])",
    re.I,
)


# "Bleach - Gotei 13 Omake (DVDRip)", "Title 2 OVA [BD]": an unpadded number,
# then the kind of special and nothing but tags: the special of "Gotei 13".
# "TVSP" is a TV special.
_NUMBER_THEN_KIND_AT_END = re.compile(
    r"[^\W\d_][ _](?P<n>[1-9]\d?)[ _]+(?P<kind>Omake|OVA|OAD|OAV|SP|TVSP|Specials?|PV|CM|Recap|Pilot|Extras?)"
    r"(?=[ _]*(?:$|[\[(]))",
    re.I,
)


def _number_before_promo(draft: _Draft, title: str) -> str:
    match = _NUMBER_BEFORE_PROMO.search(draft.text) or _NUMBER_THEN_KIND_AT_END.search(draft.text)
    if match is None or int(match.group("n")) != draft.episode:
        return title
    draft.episode, draft.episode_end, draft.part = None, None, ""
    kind = SPECIAL_KINDS[match.group("kind").lower()]
    if kind not in draft.kinds:
        draft.kinds.append(kind)
    return f"{title} {match.group('n')}" if not title.endswith(match.group("n")) else title


def _title_before(text: str, end: int) -> str:
    """The name up to ``end``, the leading brackets (group, site) left out."""
    return re.sub(r"^\s*(?:\[[^\]]*\]\s*)+", "", text[:end]).strip(" -_.")


def _inside_brackets(text: str, position: int) -> bool:
    before = text[:position]
    return before.rfind("[") > before.rfind("]") or before.rfind("(") > before.rfind(")")


def _raw_position(text: str, raw: str) -> int | None:
    """Where anitopy's episode string stands in the text (as a whole number);
    a word of its own first ("[U3-Web] Title 3 - Name": not the group's 3)."""
    match = re.search(rf"(?<![0-9A-Za-z]){re.escape(raw)}(?![0-9A-Za-z])", text) or re.search(
        rf"(?<![0-9]){re.escape(raw)}(?![0-9])", text
    )
    return match.start() if match else None


# "86 - Eighty Six - 01 - Undertaker": a title that starts with a number, then
# the episode between dashes, then the episode's title.
_NUMBERED_TITLE_THEN_EPISODE = re.compile(
    r"^(?P<lead>\d{1,4})\s+-\s+(?P<title>[^\W\d_][^\[\]()]*?)\s+-\s+(?P<ep>\d{1,4})(?:v\d)?\s+-\s+[^\W\d_]"
)


def _read_numbered_title(draft: _Draft) -> None:
    """The number leading the name is the title's when a later " - 01 - "
    numbers the episode (anitopy takes the first)."""
    match = _NUMBERED_TITLE_THEN_EPISODE.match(draft.text)
    if match is None or draft.episode != int(match.group("lead")) or draft.episode_end is not None:
        return
    draft.episode = int(match.group("ep"))
    draft.title = f"{match.group('lead')} - {match.group('title')}"


# "[PV4]", "[CM05]", "[NCOP2]", "[Menu01]": the extra's own number in a bracket of its own.
_EXTRA_NUMBER_BRACKET = re.compile(
    r"\[(?P<kind>PV|CM|NCOP|NCED|OP|ED|Menu|Preview|Trailer|Teaser)[ _]?0*(?P<n>\d{1,2})\]", re.I
)


def _drop_extra_number(draft: _Draft) -> None:
    """An opening, preview or menu numbered in its own bracket is no episode
    (an OVA's or a special's number is kept: those are numbered like episodes)."""
    match = _EXTRA_NUMBER_BRACKET.search(draft.text)
    if match is None or draft.episode != int(match.group("n")) or draft.episode_end is not None:
        return
    draft.episode, draft.part = None, ""
    kind = SPECIAL_KINDS[match.group("kind").lower()]
    if kind not in draft.kinds:
        draft.kinds.append(kind)
    draft.title = " / ".join(t for t in draft.title.split(" / ") if t.strip() != match.group(0)[1:-1])


def _read_noted_bracket(draft: _Draft) -> None:
    """'[VCB-Studio] Title [11(Director's Cut Ver.)][Ma10p_1080p]', '[13(OAD)]',
    '[14(OVA02)]': a bracket holding the episode and a note on it; anitopy
    reads nothing there, or the note's number."""
    if draft.scene or draft.episode_end is not None:
        return
    match = markers.NOTED_EPISODE_BRACKET.search(draft.text)
    if match is None:
        return
    if draft.numbered() and str(draft.episode) not in re.sub(r"^0+", "", match.group("note")):
        return
    draft.episode = int(match.group("ep"))
    kind = SPECIAL_KINDS.get(re.sub(r"[\d\s]+$", "", match.group("note")).lower())
    if kind is not None and kind not in draft.kinds:
        draft.kinds.append(kind)  # "[13(OAD)]": the disc set's 13th file is the OAD


# --- stage 5: ranges -----------------------------------------------------------


def _read_ranges(draft: _Draft) -> None:
    text = draft.text
    if draft.episode_end is not None:
        longer = markers.chained_episodes(text)  # "01+02+03": anitopy stops at the second
        if longer is not None and longer.episode == draft.episode and longer.episode_end > draft.episode_end:
            draft.episode_end = longer.episode_end
        return
    marker = (
        markers.episode_list(text)
        or markers.hash_range(text)
        or markers.tilde_range(text, draft.episode)
        or markers.chained_episodes(text)
        or markers.bracketed_range(text)
        or markers.dashed_range(text)
        or markers.comma_list(text)
    )
    if marker is not None and draft.episode == marker.episode_end and marker.episode_end is not None:
        draft.episode = marker.episode  # "(01 - 12)": anitopy took the range's last number alone
    if marker is None:
        marker = markers.spaced_range(text)
        if marker is not None and draft.episode == marker.episode_end:
            draft.episode = marker.episode  # anitopy took the range's last number alone
    if marker is None or (draft.episode is not None and marker.episode != draft.episode):
        return
    draft.episode, draft.episode_end = marker.episode, marker.episode_end
    chain = text[marker.start : marker.end]
    first = chain.split()[0]
    opened = re.search(rf"[\[(]\s*(?:[a-z]+\.?:?\s*)?0*{marker.episode}\s*[-~]", draft.title, re.IGNORECASE)
    if chain in draft.title:
        draft.title = draft.title[: draft.title.index(chain)]
    elif opened is not None and chain[0] in "[(":
        draft.title = draft.title[: opened.start()]  # "(0001-1071+Movies)": anitopy spaced out the "+"
    elif draft.title.rstrip().endswith(" " + first):
        draft.title = draft.title.rstrip()[: -len(first)]  # "Title 01 - 119": anitopy kept the "01"
    else:
        # "Title E10 - E17", "Title #1-4": anitopy kept the first number with its episode letter or sign
        head = re.sub(rf"\s+EP?\.?\s*{re.escape(first)}$", "", draft.title.rstrip(), flags=re.IGNORECASE)
        draft.title = re.sub(rf"\s+#{marker.episode}$", "", head)


# "[Group] 01 - Title [..]", "003. Title - Episode Title", "003-004. Title":
# the episode first, then the series' title up to the next " - " or tag.
_LEADING_EPISODE = re.compile(
    r"^(?:\s*\[[^\]]*\])*\s*(?P<ep>\d{1,4})(?:-(?P<end>\d{1,4}))?(?:\.\s+|\s+-\s+)"
    r"(?P<title>[^\W\d_][^\[(]*?)(?:\s+-\s+.*|\s*[\[(].*)?$"
)
# "[Grp] 06 Title II (720p)": a zero-padded episode between the group and the
# title ("[Grp] 91 Days [BD]" is a title that starts with a number).
_PADDED_FIRST = re.compile(
    r"^(?:\s*\[[^\]]*\])+\s*(?P<ep>0\d{1,3})(?:v\d)?\s+(?P<title>[^\W\d_][^\[(]*?)\s*(?:[\[(].*)?$"
)
_GROUP_THEN_NUMBER = re.compile(r"^(?:\s*\[[^\]]*\])+\s*(?P<ep>\d{1,4})(?:v\d)?\s*$")
_DISC_OR_SET = re.compile(
    r"(?<![a-z])(?:BD|BDRip|BDMV|Blu-?Ray|DVD|DVDRip|Remux|Batch|Complete)(?![a-z])", re.IGNORECASE
)
# "02 The Invitation.mp4": a zero-padded number leading a name that has no
# other digit (so "07 Ghost 05" and "07 Ghost [BD 1080p]" are left alone).
_PADDED_FIRST_ALONE = re.compile(r"^(?P<ep>0\d{1,2})\s+(?P<title>[^\W\d_][^\d\[(]*?)\s*$")
# "Detective-Conan-656 Title", "Show-121.H264.Grp": a title joined by dashes,
# the episode glued to it by one more.
_GLUED_DASH_NUMBER = re.compile(r"^(?P<title>[^\W\d_][^\W_]*(?:-[^\W\d_][^\W_]*)*)-(?P<ep>\d{2,4})(?=$|[ ._])")
# "Title.(01.serija)", "Title.(08.seriya)": the number, then the Russian word for episode.
_NUMBER_THEN_EPISODE_WORD = re.compile(
    r"(?<![0-9])(?P<ep>\d{1,4})[ ._]?(?:serija|seriya|serya|серия|серии)(?![a-zа-я])", re.I
)
# "Gunbuster-ep1", "Title.Episodio.13": an episode word glued to the title.
_EPISODE_WORD = re.compile(
    r"(?<![a-z0-9])(?:ep|eps|episode|episodio|[ée]pisode|epis[óo]dio|cap[ií]tulo|folge)[ ._]?(?P<ep>\d{1,4})(?![0-9])",
    re.IGNORECASE,
)


_DASH_DECIMAL = re.compile(r"[\s_][-–][\s_]+(?P<ep>\d{1,4})\.(?P<frac>\d)(?=[\s_]*(?:$|[\[(]))")
# A dotted scene name numbering its episode without a season: two digits,
# then the episode's title and the scene words ("Apollo.13.1995.720p" and
# "Title.12.720p" have no episode title: they stay unnumbered).
_DOTTED_EPISODE = re.compile(
    r"^(?P<title>[^\s\[\]()]+?)(?<![0-9])\.(?P<ep>\d{2})\.(?=[A-Za-z][a-z]*\.)(?![^.]*\.(?:19|20)\d\d\.)"
    r"(?=.*\.(?:720p|1080p|2160p|480p|hdtv|web|webrip|web-dl|bluray|bdrip|dvdrip)[.-])",
    re.IGNORECASE,
)
# "Part01", "Part 2", "Part.Two", followed by the words of a scene release.
_MINI_SERIES_PART = re.compile(
    r"(?<![a-z])Part[ ._]?(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)(?![0-9a-z])"
    r"(?=.*(?:\d{3,4}p|hdtv|web|dsr|pdtv|xvid|x26[45]|dvdrip|bluray|bdrip|repack|proper)(?![a-z]))",
    re.IGNORECASE,
)
# "5of9", "[05 of 12]", the Russian "[05 из 12]", a bracketed "[05/12]" (a
# date's "05/12/2020" is none).
_OF_COUNT = re.compile(
    r"(?<![0-9/])(?P<ep>\d{1,3})(?:[ ._]?(?:of|из)[ ._]?|(?<=\[\d\d)/|(?<=\[\d)/)(?P<of>\d{1,3})(?![0-9/])",
    re.IGNORECASE,
)


def _read_leading(draft: _Draft) -> None:
    """Names that write the episode before the title, or glue an episode
    word to it; anitopy reads neither."""
    if draft.numbered() or draft.kinds or draft.batch or draft.cjk:
        return
    text = draft.text
    match = _LEADING_EPISODE.match(text)
    if match and not _YEAR.match(match.group("ep")):
        first = int(match.group("ep"))
        last = int(match.group("end")) if match.group("end") else None
        draft.episode = first
        draft.episode_end = last if last is not None and last > first else None
        draft.title = match.group("title")
        return
    match = _GROUP_THEN_NUMBER.match(text)
    if match and not _YEAR.match(match.group("ep")) and (draft.video_file or match.group("ep").startswith("0")):
        # "[Grp] 05.mkv": a file of a batch ("[Grp] 86", no file, is the series "86")
        draft.episode, draft.title = int(match.group("ep")), ""
        return
    match = _PADDED_FIRST.match(text) or _PADDED_FIRST_ALONE.match(text)
    if match and (draft.video_file or not _DISC_OR_SET.search(text)):
        # "[Grp] 07 Ghost [BD 1080p]" (no file): a disc set of the series "07 Ghost"
        draft.episode, draft.title = int(match.group("ep")), match.group("title")
        return
    match = _GLUED_DASH_NUMBER.match(text)
    if match and not _YEAR.match(match.group("ep")):
        # "Detective-Conan-656 Title", "Show-121.H264.Grp": the number glued to a dash-joined title
        draft.episode, draft.title = int(match.group("ep")), match.group("title").replace("-", " ")
        return
    match = _OF_COUNT.search(text)
    in_season = match is not None and any(start <= match.start() < end for start, end in markers.season_spans(text))
    if match and int(match.group("ep")) <= int(match.group("of")) and not in_season:
        draft.episode = int(match.group("ep"))  # "5of9": a mini-series' fifth part
        if not text.startswith("[") and draft.season is None and not markers.season_spans(text):
            draft.season = 1  # numbered in season 1, as for "Part 5" (a fansub's "[05 of 12]" says nothing)
        head = _scene_head(text, match.start()).rstrip(" -._[(")
        if head and not markers.season_spans(head):
            draft.title = head
        return
    match = _DASH_DECIMAL.search(text)
    if match:
        draft.episode, draft.part = int(match.group("ep")), "." + match.group("frac")  # " - 04.1"
        draft.title = re.sub(r"^\s*(?:\[[^\]]*\]\s*)+", "", text[: match.start()])
        return
    match = _DOTTED_EPISODE.match(text)
    if match and not _YEAR.match(match.group("ep")):
        draft.episode = int(match.group("ep"))  # "The.Animatrix.08.A.Detective.Story.720p.BluRay"
        draft.title = match.group("title").replace(".", " ")
        return
    match = _EPISODE_WORD.search(text) or _NUMBER_THEN_EPISODE_WORD.search(text)
    if match and match.start() > 0:
        draft.episode = int(match.group("ep"))
        head = re.sub(r"^\s*(?:\[[^\]]*\]\s*)+", "", text[: match.start()]).rstrip(" -._([")
        if head:
            draft.title = head.replace("_", " ") if " " not in head else head


# A note in parentheses that says something of an episode ("(With Fixed
# Episodes & Missing EP218)"): words, then the episode's marked number.
_EPISODE_IN_NOTE = r"\([^()]*[^\W\d_][^()]*?(?:EP|Episode)\.?\s?0*{n}(?![0-9])[^()]*\)"


def _drop_episode_noted_in_batch(draft: _Draft) -> None:
    """'Title Complete Series (... Missing EP218) [Batch]': the set's note names
    an episode it lacks or fixed; the set itself has no episode."""
    if not draft.batch or draft.episode is None or draft.episode_end is not None or draft.scene:
        return
    note = re.compile(_EPISODE_IN_NOTE.format(n=draft.episode), re.IGNORECASE)
    if note.search(draft.text) is None:
        return
    if re.search(rf"(?<![0-9]){draft.episode}(?![0-9])", note.sub(" ", draft.text)) is None:
        draft.episode, draft.part = None, ""


# "Title_Orphans_2-01.mkv": the title's own number, then the episode glued by
# a dash; a range never runs backwards, so "2-01" is no range from 2 to 1.
_TITLE_NUMBER_DASH_EPISODE = re.compile(
    r"^(?P<title>[^\[\]()]*[^\W\d_][^\[\]()]*?[ _](?P<n>\d{1,2}))-(?P<ep>\d{2,3})(?=[ ._]*(?:$|[\[(]))"
)


# "[Grp] Title-25 OVA [BD]": anitopy takes the kind word and leaves the
# episode glued to the title by a dash ("Title-25"); the kind word right
# after the number says it is the special's episode.
_GLUED_NUMBER_THEN_KIND = r"-{n}[ ._]+(?:OVA|OAD|OAV|SP|Specials?|TVSP)(?![a-z])"


def _read_glued_number_before_kind(draft: _Draft) -> None:
    if draft.numbered() or not draft.kinds or draft.batch:
        return
    match = re.fullmatch(r"(?P<title>.*[^\W\d_])-(?P<ep>\d{2,4})", draft.title)
    if match is None or _YEAR.match(match.group("ep")):
        return
    if re.search(_GLUED_NUMBER_THEN_KIND.format(n=match.group("ep")), draft.text, re.IGNORECASE):
        draft.episode, draft.title = int(match.group("ep")), match.group("title")


def _read_number_after_title_number(draft: _Draft) -> None:
    if draft.numbered() or draft.kinds or draft.batch or draft.cjk:
        return
    match = _TITLE_NUMBER_DASH_EPISODE.match(draft.text)
    if match is not None and int(match.group("ep")) < int(match.group("n")):
        draft.episode = int(match.group("ep"))
        draft.title = match.group("title").replace("_", " ")


# "Title.the.Animation.5.1080p": a series named "… the Animation" is the TV
# anime of a work, and a bare number right after those words is its episode
# (anitopy keeps it in the title when it is not zero-padded).
_ANIMATION_THEN_NUMBER = re.compile(
    r"[ ._]the[ ._]animation(?P<gap>[ ._]+)(?P<ep>\d{1,3})(?=[ ._]*(?:$|[\[(]|\d{3,4}p|[A-Za-z]))", re.IGNORECASE
)


def _read_animation_number(draft: _Draft) -> None:
    if draft.numbered() or draft.kinds or draft.batch or draft.cjk:
        return
    match = _ANIMATION_THEN_NUMBER.search(draft.text)
    if match is not None:
        draft.episode = int(match.group("ep"))
        draft.title = _title_before(draft.text, match.start("gap"))


# "Title (2024) - 01SubsPlease" (a side file: subtitles): the group's name
# glued to the episode that ends the name.
_EPISODE_THEN_GROUP = re.compile(
    r"\s-\s(?P<ep>\d{2,4})(?P<group>[A-Z][a-z]+[A-Z]?[A-Za-z]+)(?:\.(?:ass|ssa|srt|smi|sub|vtt|sup|idx|mka|flac|aac))?$"
)


def _read_glued_group(draft: _Draft) -> None:
    if draft.numbered() or draft.kinds:
        return
    match = _EPISODE_THEN_GROUP.search(draft.text)
    title = re.sub(r"^\s*(?:\[[^\]]*\]\s*)+", "", draft.text[: match.start()]).strip() if match else ""
    if match is None or not re.search(r"[^\W\d_]", title) or _YEAR.match(match.group("ep")):
        return
    draft.episode, draft.title = int(match.group("ep")), title
    draft.group = draft.group or match.group("group")


def _drop_season_numbers(draft: _Draft) -> None:
    """A number anitopy, guessit or a range took from a season marker is no
    episode ("Season 1-3", "Seasons 1 & 2", "Seasons 4 Complete")."""
    if draft.scene or draft.episode is None:
        return
    spans = markers.season_spans(draft.text)
    if not spans:
        return
    pack = markers.season_pack(draft.text)
    numbers = [n for n in (draft.episode, draft.episode_end) if n is not None]
    if pack is not None and _title_number_before_pack(draft, pack, numbers):
        return
    for number in numbers:
        for found in re.finditer(rf"(?<![0-9])0*{number}(?![0-9])", draft.text):
            if not any(start <= found.start() < end for start, end in spans):
                return  # written outside the season marker too: an episode
    draft.episode = draft.episode_end = None
    draft.part = ""
    head = _scene_head(draft.text, spans[0][0]).strip(" -._")
    if head and not draft.cjk:
        draft.title = head  # anitopy's title stopped at the number it took


def _title_words_only(between: str) -> bool:
    """'', '.Bucket.List.of.the.Dead.': nothing, or words of a title (no tag, no number)."""
    words = [w for w in re.split(r"[ ._]+", between) if w]
    return all(re.fullmatch(r"[^\W\d_][\w']*", w) and not _TAG_WORDS.match(w) for w in words)


def _title_number_before_pack(draft: _Draft, pack: markers.Marker, numbers: list[int]) -> bool:
    """'Reno.911.S01.DVDRip', 'Hawaii Five 0 S01 720p', '[Grp] Zom 100 Bucket
    List of the Dead - S1 - BD': a number written only before a season pack's
    marker is the title's; the title runs up to the marker. (A number after a
    dash behind the marker is an episode: no pack then.)"""
    text = draft.text
    if pack.start == 0 or re.match(r"\[[^\]]*\d", text) or re.search(r"\s-\s*\d", text[pack.end :]):
        return False
    found = [m for n in numbers for m in re.finditer(rf"(?<![0-9])0*{n}(?![0-9])", text)]
    if not found or max(m.start() for m in found) >= pack.start:
        return False
    if not any(_title_words_only(text[m.end() : pack.start].rstrip(" -")) for m in found):
        return False  # only a number before the marker, or before title words and then the marker
    draft.episode = draft.episode_end = None
    draft.part = ""
    draft.title = _scene_head(text, pack.start)
    draft.title_is_scene = True
    return True


# --- stage 6: guessit -----------------------------------------------------------


def _guessit(name: str) -> dict[str, Any]:
    from guessit import guessit  # slow to import and ~15 ms a call: only when needed

    try:
        with _PARSER_LOCK:
            return dict(guessit(name))
    except Exception:  # guessit raises its own errors on odd input; a second opinion may fail quietly
        logger.debug("guessit failed on %r", name, exc_info=True)
        return {}


# A number written the ways _written_as_episode accepts ("E05", "#5", "show-05", "05").
_EPISODE_LIKE = re.compile(
    r"(?<![a-z])(?:e|ep|episode|eps|#)[ ._-]*\d|(?<=[a-z\])])[ ._]*[-_][ ._]*\d|^\s*\d+\s*$", re.IGNORECASE
)
# Digits that never number an episode.
_NO_EPISODE_DIGITS = re.compile(
    r"(?<![0-9])(?:19|20)\d\d(?![0-9])|\d{3,4}[pi](?![a-z])|\d{3,4}x\d{3,4}|[xh]\.?26[45]|\d+-?bits?|\d\.\d"
    r"|\b[0-9A-F]{8}\b|(?:aac|ac3|dd|ddp|eac3|flac|opus|dts)\d(?:\.\d)?|\b[248]k\b|hi10p?",
    re.IGNORECASE,
)


def _written_as_episode(text: str, number: int) -> bool:
    """Whether ``number`` appears in ``text`` the way episode numbers are
    written (``E05``, ``Ep 5``, ``#5``, ``show-05``, a bare ``05`` name),
    and not as part of a decimal (``3.33``) or as the title's first word
    (``1001 Nights``)."""
    digits = rf"0*{number}"
    marked = rf"(?:(?<![a-z])(?:e|ep|episode|eps|#)[ ._-]*{digits}(?![0-9.]))"
    if re.search(marked, text, re.IGNORECASE):
        return True
    if re.search(rf"(?:\d[.,]{digits}|{digits}[.,]\d)", text):
        return False
    if re.fullmatch(digits, text.strip()):
        return True  # "03.mkv"
    return re.search(rf"(?<=[a-z\])])[ ._]*[-_][ ._]*{digits}(?![0-9])", text, re.IGNORECASE) is not None


def _read_guessit(draft: _Draft) -> dict[str, Any]:
    if draft.numbered() or draft.kinds or draft.batch or draft.cjk:
        return {}
    if not _EPISODE_LIKE.search(_NO_EPISODE_DIGITS.sub(" ", draft.text)):
        # No number written the way _written_as_episode accepts (years,
        # resolutions, codecs and hashes aside): guessit (~15 ms a call) would
        # find no episode the stages before missed.
        return {}
    guessed = _guessit(draft.text)
    if guessed.get("type") != "episode":
        return guessed
    episodes = [int(e) for e in _as_list(guessed.get("episode")) if e.isdecimal()]
    if not episodes or not _written_as_episode(draft.text, episodes[0]):
        return guessed
    draft.episode = episodes[0]
    if len(episodes) > 1 and episodes[-1] > draft.episode:
        draft.episode_end = episodes[-1]
    guessed_title = str(guessed.get("title") or "")
    if guessed_title:
        draft.title = guessed_title  # anitopy's title kept the number: "show-03"
    season = _first_int(guessed.get("season"))
    if draft.season is None and season is not None and season < 100:  # guessit takes years for seasons
        draft.season = season
    return guessed


# "灌篮高手日语版098", "三国演义01.桃园三结义", "名侦探柯南 976 追踪!侦探出租车",
# "咒术回战第1季02", "少年白马醉春风 第15 以剑为刀", "天道EP22": a CJK title, then
# the episode's number (maybe marked), then maybe the episode's own CJK title.
_CJK_TITLE_THEN_NUMBER = re.compile(
    r"^(?P<title>.*?[\u3040-\u30ff\u3400-\u9fff])(?P<space>\s*)(?P<di>第\s*|(?:EP?|#)\.?)?(?P<ep>\d{2,4})"
    r"(?P<rest>[ ._]+[\u3040-\u30ff\u3400-\u9fff].*)?$"
)


# "49. さらばヌメモン": a file of a set, its episode and then the episode's own CJK title.
_LEADING_CJK_EPISODE = re.compile(r"^(?P<ep>\d{1,3})\.\s+(?=[\u3040-\u30ff\u3400-\u9fff])[^\[\]()]*$")


def _cjk_title_then_number(part: str) -> re.Match[str] | None:
    match = _CJK_TITLE_THEN_NUMBER.match(part)
    if match is None or _YEAR.match(match.group("ep")) or match.group("ep") in _BARE_RESOLUTIONS:
        return None
    ep = match.group("ep")
    # A number glued to the title with nothing after it is the title's own
    # ("僵尸100", "怪獸8號"), unless written as an episode: zero-padded,
    # after 第 or a season marker, or followed by the episode's title.
    said = match.group("di") or match.group("rest") or ep.startswith("0") or match.group("title")[-1] in "季期部"
    spaced = bool(match.group("space")) and len(ep) >= 3
    return match if said or spaced else None


def _read_cjk_trailing_number(draft: _Draft) -> None:
    """A CJK title (or one alias of it) ending with the episode number; the
    stages before took the number for part of the title."""
    if draft.numbered() or draft.kinds or draft.batch or not has_cjk(draft.title):
        return
    if _MOVIE_WORDS.search(draft.text):
        return  # "名侦探柯南 剧场版 27 …": the film's number in its series
    if leading := _LEADING_CJK_EPISODE.match(draft.text):
        draft.episode, draft.title = int(leading.group("ep")), ""  # "49. さらばヌメモン": the episode, then its title
        return
    parts = draft.title.split(" / ")
    for index, part in enumerate(parts):
        match = _cjk_title_then_number(part.strip())
        if match is not None:
            draft.episode = int(match.group("ep"))
            parts[index] = match.group("title").strip()
            draft.title = " / ".join(parts)
            return


# --- stage 7: finishing ------------------------------------------------------------


def _finish(draft: _Draft, guessed: dict[str, Any]) -> ReleaseName:
    text = draft.text
    dotted = " " not in text and text.count(".") >= 2
    _drop_numbers_that_are_not_episodes(draft, text)
    _number_before_film_year(draft, text)
    _season_number_before_discs(draft, text)
    title = _trim_title_tail(draft, _finished_title(draft, text, dotted), dotted)
    # A year ends the title of a scene name and of a name with no episode
    # (a film: "Spirited Away 2001 (BD Remux)"); before an episode it is the
    # title's own ("Tokyo 2020 - 05").
    cleaned = clean_title(title, scene=draft.title_is_scene or dotted or not draft.numbered())
    season = draft.season if draft.season is not None else cleaned.season
    if not draft.scene and (season is None or not draft.numbered()):
        season = _pack_season(draft, text, season)
    _mark_kinds(draft, text)
    if season is not None and not (draft.numbered() or draft.kinds or draft.video_file):
        # "[Grp] Title - 2nd Season [BDRip 1080p]": a season's discs (a film names no season)
        draft.season_pack = draft.season_pack or _DISC_OR_SET.search(text) is not None
    resolution, language = _quality(draft, text, cleaned.aliases, guessed)
    batch_marked = draft.batch or draft.season_pack or _BATCH_CJK.search(text) is not None
    # "Complete" next to a single number marks the last episode, not a batch.
    is_batch = draft.episode_end is not None or (
        batch_marked and (not draft.numbered() or "batch" in text.lower() or draft.season_pack)
    )
    version = draft.version
    if version is None:
        match = _VERSION.search(text)
        version = int(match.group(1)) if match else 1
    kinds = draft.kinds
    return ReleaseName(
        title=cleaned.title,
        episode=draft.episode,
        episode_end=draft.episode_end,
        absolute_episode=draft.absolute,
        season=season,
        resolution=resolution,
        version=version,
        language=language,
        is_special=bool(kinds),
        is_batch=is_batch,
        group=draft.group.strip(),
        title_aliases=cleaned.aliases,
        year=draft.year if draft.year is not None else cleaned.year,
        special_kind=kinds[0] if kinds else "",
        part=draft.part,
    )


def _pack_season(draft: _Draft, text: str, season: int | None) -> int | None:
    """The season a season marker names: the pack's when nothing numbers an
    episode; the episode's when the title was cut before the marker
    ("Title Series 1 4of4"), unless the marker took the episode's number
    ("Title.3.sezon.22.seria": the number after the word is the episode)."""
    pack = markers.season_pack(text)
    if pack is None or (draft.numbered() and pack.season == draft.episode):
        return season
    if not draft.numbered():
        draft.season_pack = True
    return season if season is not None else pack.season


def _drop_numbers_that_are_not_episodes(draft: _Draft, text: str) -> None:
    """Numbers read as the episode that the rest of the name shows to be a
    date, a film's place in a series, the years a season aired, volumes or
    a count of episodes."""
    date = _DATE.search(text)
    if date is not None and not draft.scene and draft.episode in (int(date.group("m")), int(date.group("d"))):
        rest = text[: date.start()] + " " + text[date.end() :]
        if not re.search(rf"(?<![0-9]){draft.episode:02d}(?![0-9])|(?<![0-9]){draft.episode}(?![0-9])", rest):
            draft.episode, draft.episode_end, draft.part = None, None, ""  # "Show 2019 05 17": a daily show's date
    movies = _MOVIE_RANGE.search(text)
    if movies is not None and (draft.episode, draft.episode_end) == (int(movies.group("a")), int(movies.group("b"))):
        # "Title (Movie 01~02) + (Two Specials)": the first two films, no episodes
        draft.episode, draft.episode_end, draft.batch = None, None, True
    movie = _MOVIE_SEQUENCE.search(text)
    if movie is not None and draft.episode_end is None and not draft.scene:
        # "Dragon Ball Z Movie - 09 - Bojack": the ninth film, not an episode
        draft.episode, draft.absolute, draft.part = None, None, ""
        if "movie" not in draft.kinds:
            draft.kinds.append("movie")
    years = _YEAR_RANGE.search(text)
    if years is not None and draft.episode is not None and draft.episode_end is None and not draft.scene:
        rest = text[: years.start()] + " " + text[years.end() :]
        if int(years.group("end")) == draft.episode and not re.search(rf"(?<![0-9])0*{draft.episode}(?![0-9])", rest):
            draft.episode, draft.part = None, ""  # "Season 1 (1988 - 89)": the years it aired
    _drop_volumes(draft, text)
    count = _EPISODE_COUNT.search(text)
    if count is not None and draft.episode == int(count.group("n")) and draft.episode_end is None:
        draft.episode, draft.part, draft.batch = None, "", True  # "| 28 Episodes [BD]": how many, not which
    _drop_bit_depth(draft, text)


def _drop_volumes(draft: _Draft, text: str) -> None:
    """Volumes of a set ("Vol.01-Vol.03", "Vols. 1-3") are a batch, not
    episodes; a number right before them ("Title 2 Vol.1-3") ends the title."""
    volumes = _VOLUME_RANGE.search(text)
    if volumes is None or draft.episode is None:
        return
    first, end = int(volumes.group("first")), int(volumes.group("end"))
    before = re.search(r"(?<![0-9])(?P<n>\d{1,2})[ ._]+$", text[: volumes.start()])
    if draft.episode_end is not None and (draft.episode, draft.episode_end) != (first, end):
        return
    if draft.episode_end is None and draft.episode != end:
        if before is None or int(before.group("n")) != draft.episode:
            return
        draft.title = f"{draft.title} {before.group('n')}"
    draft.episode, draft.episode_end, draft.part, draft.batch = None, None, "", True
    # "某作品 Vol.1-3": a CJK name's dash episode left the first volume in the title
    draft.title = re.sub(rf"[ ._-]+vol(?:ume)?s?\.?(?:\s*0*{first})?$", "", draft.title, flags=re.IGNORECASE)


# "BDRip.10.bits", "(1080p 10 bits FLAC)": the colour depth written apart.
_BIT_DEPTH_APART = re.compile(r"(?<![0-9])(?<!\d\.)(?P<n>8|10|12)[ ._]bits?(?![a-z])", re.IGNORECASE)


def _drop_bit_depth(draft: _Draft, text: str) -> None:
    depth = _BIT_DEPTH_APART.search(text)
    if depth is None or draft.episode != int(depth.group("n")) or draft.episode_end is not None or draft.scene:
        return
    rest = text[: depth.start()] + " " + text[depth.end() :]
    if not re.search(rf"(?<![0-9]){draft.episode}(?![0-9])", rest):
        draft.episode, draft.part = None, ""  # written only as the bit depth


# "[组] Title BD-BOX 1-13+SP (BDRip x264)": a title read from the loose
# text of a bracket name, numbered by a later stage, still holds the number.
_NUMBER_ENDING_TITLE = re.compile(
    r"\s(?P<n>\d{1,4})(?:\s*[-~]\s*(?P<end>\d{1,4}))?(?:\+[A-Za-z]+)*(?P<rest>(?:\s*\([^()]*\))*)\s*$"
)


def _title_without_its_number(draft: _Draft) -> str:
    title = draft.title
    match = _NUMBER_ENDING_TITLE.search(title) if draft.cjk else None
    if match is None or (int(match.group("n")), _first_int(match.group("end"))) != (draft.episode, draft.episode_end):
        return title
    notes = re.findall(r"\(([^()]*)\)", match.group("rest"))
    if not all(_is_tag(note) or _YEAR.match(note.strip()) for note in notes) or not title[: match.start()].strip():
        return title
    return title[: match.start()]


# "The 355 2022 BluRay 1080p", "Harbor.355.2022.1080p.WEB": a number right
# after a word and right before a (past) year and the tags is the film's
# title; an episode is not followed by the release's year. A dash before the
# number ("Title - 05 (2024)") or a zero-padded one keeps it an episode.
_NUMBER_THEN_YEAR = re.compile(
    r"^(?:\[[^\]]*\]\s*)?(?P<head>[^\[\]()]*?[^\W_][ ._](?P<n>[1-9]\d{0,3}))"
    r"[ ._]+\(?(?P<year>(?:19[3-9]|20[0-2])\d)\)?[ ._]+\S"
)


def _number_before_film_year(draft: _Draft, text: str) -> None:
    match = _NUMBER_THEN_YEAR.match(text)
    if match is None or draft.scene or draft.episode_end is not None or int(match.group("n")) != draft.episode:
        return
    draft.episode, draft.part, draft.year = None, "", int(match.group("year"))
    draft.title = match.group("head").strip()


# "[Grp] Title 2 [BDRip 1920x1080 HEVC FLAC]": a one-digit number right after
# the title and before nothing but tag brackets, in a folder of discs (no
# file), is the season the set holds ("Title 02 [BD]" stays an episode).
_NUMBER_BEFORE_TAG_BRACKETS = re.compile(
    r"^(?:\[[^\]]*\]\s*)*(?P<head>[^\[\]()]*?[^\W\d_])\s+(?P<n>[2-9])(?P<tags>(?:\s*(?:\[[^\]]*\]|\([^)]*\)))+)\s*$"
)


def _season_number_before_discs(draft: _Draft, text: str) -> None:
    if draft.video_file or draft.episode not in range(2, 10) or draft.episode_end is not None or draft.kinds:
        return
    match = _NUMBER_BEFORE_TAG_BRACKETS.match(text)
    if match is None:
        return
    if int(match.group("n")) != draft.episode or not _DISC_OR_SET.search(match.group("tags")):
        return
    if _DISC.search(text) or _NOT_BEFORE_EPISODE.search(match.group("head")) or _MOVIE_WORDS.search(text):
        return  # "Title Disc 2 [DVD]", "Title Part 2 [BD]", "劇場版 Title 2 [BD]": a disc, a part, a film
    draft.episode, draft.part, draft.season, draft.season_pack = None, "", int(match.group("n")), True
    draft.title = match.group("head").strip()


def _without_range_note(draft: _Draft, title: str) -> str:
    """'Title (BD REENCODE EP01-12+SP Fin)': a note ending the title that
    holds the set's range says what the set is, no part of its name."""
    if draft.episode_end is None:
        return title
    first, last = draft.episode, draft.episode_end
    note = re.search(rf"\s*\([^()]*(?<![0-9])0*{first}\s*[-~]\s*(?:EP?\.?\s*)?0*{last}(?![0-9])[^()]*\)$", title, re.I)
    return title[: note.start()] if note is not None and title[: note.start()].strip() else title


def _finished_title(draft: _Draft, text: str, dotted: bool) -> str:
    """The title with what marks a set (a disc, a box, "TV + SP", "[Fin]")
    or an episode word taken off; the set is recorded as a batch."""
    title = _without_range_note(draft, _title_without_its_number(draft))
    disc = _DISC.search(text)
    if disc is not None and draft.episode == int(disc.group("n")) and draft.episode_end is None:
        draft.episode, draft.part, draft.batch = None, "", True
        title = re.sub(r"[ ._-]*(?:disc|disk)$", "", title, flags=re.IGNORECASE)
    if draft.numbered():
        title = _TRAILING_EPISODE_WORD.sub("", title)  # "Title Capitulos 01 al 12"
    title = re.sub(r"\s+-\s+本[篇編]$", "", title)  # "犬夜叉 - 本篇": the main series, as against its films
    if _BATCH_CJK.search(title):
        # "孤独摇滚 全12集 合集", "斗罗大陆.264集全.4K": what the set holds, and the tags after it
        title = _BATCH_CJK.sub(" ", title)
        title = _strip_tag_words(re.sub(r"[.\s]+", " ", title) if dotted else title).strip(" -_")
    if not draft.numbered() and not draft.kinds and _FINISHED_BRACKET.search(text):
        draft.batch = True  # "[VCB-Studio] Title 10-bit 1080p HEVC BDRip [Fin]": the finished series
    if not draft.numbered() and (_TV_PLUS_EXTRAS.search(text) or _plus_extras_on_discs(draft, text)):
        # "[Grp] Title [ x265-10Bit Ver. ] - TV + SP": the series and its specials
        draft.batch, draft.kinds = True, []
        title = _TV_PLUS_TAIL.sub("", title).strip(" -_")
    if _BOX_SET.search(text):
        draft.batch = draft.batch or not draft.numbered()  # "Title BD-BOX": the whole series on discs
        title = _BOX_SET.sub(" ", title).strip(" -_")
    # "Title [ x265-10Bit Ver. ] - Movie": a bracket of tags is never the title's
    title = " ".join(
        _TAG_BRACKET.sub(lambda m: " " if _is_tag(m.group(1).replace(".", " ")) else m.group(0), title).split()
    )
    if dotted and not draft.title_is_scene:
        title = re.sub(r"(?<=\w)\.(?=\w)", " ", title)
    return title


# "[Grp] Title + Special [BD]", "Title + OVA (BDRip)": the series and its extras on discs.
_PLUS_EXTRAS = re.compile(r"\s\+\s*(?:SPs?|OVAs?|OADs?|Specials?)\s*(?=[\[(]|$)", re.IGNORECASE)


def _plus_extras_on_discs(draft: _Draft, text: str) -> bool:
    return not draft.video_file and _PLUS_EXTRAS.search(text) is not None and _DISC_OR_SET.search(text) is not None


# What a title's end may carry that names no series: a cour ("Spy x Family
# Cour 2"), the extras of a set ("Title + OVAs + Specials"), subtitle and dub
# tags ("Death Note MULTi VF/VOSTFR").
# "Title - S01SP1", "Title S02OVA": a season's numbered special, no part of the title.
_SEASON_SPECIAL_AT_END = re.compile(r"[\s._-]+S\d{1,2}(?:SP|OVA|OAD)\d{0,3}$", re.IGNORECASE)
_COUR_AT_END = re.compile(r"[\s._-]+Cour[\s._]*\d{1,2}$", re.IGNORECASE)
_EXTRAS_AT_END = re.compile(r"(?:\s*\+\s*(?:OVAs?|OADs?|OAVs?|Specials?|SPs?|Movies?|Extras?))+[\s+]*$", re.IGNORECASE)
_LAST_WORD = re.compile(r"[\s/._-]+(?P<word>[A-Za-z0-9]+)$")
# Tags that end a title alone; other language words ("French", "Dub") only in a run of two or more.
_LANGUAGE_TAGS = {"vostfr", "vostf", "vost", "vf", "vff", "vfi", "vfq", "multisub", "multisubs", "engsub", "gersub"}
# "Dragon.Ball.Z.Movie.14.Battle.of.Gods.2013.EXTENDED.DUAL.AUDiO": a dotted
# film's title ends at its year (the last one, so "Blade Runner 2049 2017" keeps 2049).
_DOTTED_YEAR_THEN_TAGS = re.compile(r"^(?P<head>.*\S)\s+(?P<year>(?:19[3-9]|20[0-2])\d)\s+\S.*$")


# "Title - Movie 01 - Its Own Title", "Title (TV Special)": a film of the series or the kind
# of release, written after the series' title.
_DASHED_FILM = re.compile(r"\s+-\s+(?P<kind>Movie|Film)[ ._]*0*\d{1,2}(?:\s+-\s+.+)?$", re.IGNORECASE)
_KIND_IN_PARENS = re.compile(r"\s*\((?:TV\s*)?(?P<kind>Special|SP|OVA|OAD|OAV|Movie|Film)s?\)$", re.IGNORECASE)


def _cut_kind_at_end(draft: _Draft, title: str) -> str:
    """'Title - OVA', 'Title - Movie 1', 'Title (TV Special)' -> 'Title', the kind noted."""
    for pattern in (_DASHED_KIND, _DASHED_FILM, _KIND_IN_PARENS):
        found = pattern.search(title)
        if found is not None and title[: found.start()].strip():
            title = title[: found.start()]
            kind = SPECIAL_KINDS[found.group("kind").lower()]
            draft.kinds += [] if kind in draft.kinds else [kind]
    return title


def _trim_title_tail(draft: _Draft, title: str, dotted: bool) -> str:
    title = _SEASON_SPECIAL_AT_END.sub("", _COUR_AT_END.sub("", title))
    extras = _EXTRAS_AT_END.search(title)
    if extras is not None and title[: extras.start()].strip():
        title = title[: extras.start()]
        draft.batch = draft.batch or not draft.numbered()  # the series with its extras
    title = _cut_kind_at_end(draft, title)
    head, stripped = title, []
    while (last := _LAST_WORD.search(head)) is not None and last.group("word").lower() in LANGUAGE_WORDS:
        stripped.append(last.group("word").lower())
        head = head[: last.start()]
    if head.strip() and (len(stripped) > 1 or (stripped and stripped[0] in _LANGUAGE_TAGS)):
        title = head
    if dotted and not draft.title_is_scene and (cut := _DOTTED_YEAR_THEN_TAGS.match(title)):
        title = f"{cut.group('head')} {cut.group('year')}"
    return title


def _mark_kinds(draft: _Draft, text: str) -> None:
    """Movies, pilots, recaps and parts, and numbered specials."""
    if not draft.numbered() and _MOVIE_WORDS.search(text) and "movie" not in draft.kinds:
        draft.kinds.append("movie")
    if not draft.numbered() and _PILOT_WORDS.search(text) and "pilot" not in draft.kinds:
        draft.kinds.append("pilot")
    if draft.part:
        draft.kinds.append("recap" if draft.part.startswith(".") else "part")
    if not draft.numbered() and not draft.kinds and (special := _SPECIAL_NUMBER.search(text)):
        draft.kinds.append(SPECIAL_KINDS[special.group("kind").lower()])
        draft.episode = int(special.group("n"))


def _quality(draft: _Draft, text: str, aliases: tuple[str, ...], guessed: dict[str, Any]) -> tuple[int | None, str]:
    """Resolution and subtitle language, from the words that are not the
    title's aliases or the group's."""
    resolution = draft.resolution or tagged_height(text)
    name_tokens = tokens(text)
    for alias in aliases:
        name_tokens = without_run(name_tokens, tokens(alias))
    name_tokens = without_run(name_tokens, tokens(draft.group))
    if resolution is None:
        resolution = next((HEIGHT_WORDS[t] for t in name_tokens if t in HEIGHT_WORDS), None)
    if resolution is None:
        resolution = next((height_of(str(v)) for v in _as_list(guessed.get("screen_size"))), None)
    language = language_of_tokens(name_tokens) or guessit_language(guessed)
    if not language and has_cjk(text) and _CHINESE_SUBS.search(text.replace(draft.group, "")):
        language = "zh"
    return resolution, language


# "2018.斗罗大陆.264集全.4K": a year leading a dotted CJK name is the series'
# year; "2022.8.2.Twelve.Monkeys.1995…": a date leading a name is the day it
# was saved, no part of the title (the film's year comes later).
_LEADING_CJK_YEAR = re.compile(r"^(?P<year>(?:19|20)\d\d)\.(?=[\u3040-\u30ff\u3400-\u9fff])")
_LEADING_DATE = re.compile(r"^(?:19|20)\d\d\.(?:0?[1-9]|1[0-2])\.(?:0?[1-9]|[12]\d|3[01])\.(?=[^\W\d_])")


# "01.Danganronpa The Animation S01 1080p BDRip": a collection's order of its
# parts leading a folder's name (a disc set, no file), no episode.
_LEADING_INDEX = re.compile(r"^\d{2}\.(?=[A-Z][a-z]+ )")


def _without_leading_year(draft: _Draft) -> None:
    if not draft.video_file and _LEADING_INDEX.match(draft.text) and _DISC_OR_SET.search(draft.text):
        draft.text = draft.text[3:]
    if match := _LEADING_CJK_YEAR.match(draft.text):
        draft.year, draft.text = int(match.group("year")), draft.text[match.end() :]
    elif match := _LEADING_DATE.match(draft.text):
        draft.text = draft.text[match.end() :]


@lru_cache(maxsize=8192)
def parse_release(name: str) -> ReleaseName:
    """Everything a release name says about itself; fields stay empty when
    the name does not say.

    Cached: a feed is refreshed again and again with mostly the same names,
    and the result is immutable.
    """
    whole = _parse_name(name)
    return _parse_in_folders(name, whole) or whole


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
        if match := _SEASON_FOLDER.match(folder.strip()):
            season_folder = True
            number = match.group("number") or match.group("short")
            if season is None and number:
                season = int(number)
            continue
        parsed = _parse_name(folder)
        if not re.search(r"[^\W\d_]", parsed.title):
            season = season if season is not None else parsed.season
            continue
        return _Folders(parsed.title, season, season_folder)
    return _Folders("", season, season_folder)


def _same_series(file_title: str, series: str) -> bool:
    """The folder names the file's series: the same words, or more after
    them ("Title (Series) 2011 [BD] [Batch]" holding "Title (2011) - 148")."""
    short, long = (re.sub(r"\W+", "", text).casefold() for text in (file_title, series))
    return short == long or (len(short) >= 3 and long.startswith(short))


def _parse_in_folders(name: str, whole: ReleaseName) -> ReleaseName | None:
    """A file's path read as folders and a file name: the file name says
    the episode, the folders the series (and season) when the file name
    does not. None when the name is no such path. A slash inside a title
    ("[Grp] Fate/stay night - 05") stays a title: a name whose whole
    reading has an episode is taken as a path only when a season folder,
    a file name starting with its episode, or the series named in both
    says so."""
    rooted = _ROOTED_PATH.match(name) is not None
    if not (rooted or is_video_file(name)):
        return None
    *folders, file_name = _PATH_SEPARATOR.split(name.strip())
    if not folders:
        return None
    inner = _parse_name(file_name)
    place = _read_folders(folders)
    if rooted and inner.title and inner.episode is None and not inner.is_batch:
        return inner  # "E:/Anime/Title/[Grp] Film (BD 1080p).mkv": the file's own name
    if (inner.episode is None and not inner.is_batch) or not place.series:
        return None
    starts = _STARTS_WITH_EPISODE.match(file_name.strip()) is not None
    named_in_both = bool(inner.title) and _same_series(inner.title, place.series)
    grouped = bool(inner.title) and _STARTS_WITH_GROUP.match(file_name.strip()) is not None
    if whole.episode is not None and not (rooted or starts or named_in_both or place.season_folder or grouped):
        return None
    season = inner.season if inner.season is not None else place.season
    if inner.title and not starts:
        return replace(inner, season=season)
    return replace(inner, title=place.series, title_aliases=(place.series,), season=season)


def _parse_name(name: str) -> ReleaseName:
    text = prepare(name)
    if not text:
        return ReleaseName()
    draft = _Draft(text=text, video_file=is_video_file(name))
    _without_leading_year(draft)
    _read_brackets(draft)
    _read_scene(draft)
    _read_anitopy(draft)
    _read_volume_file(draft)
    _read_noted_bracket(draft)
    _drop_extra_number(draft)
    _read_numbered_title(draft)
    _read_ranges(draft)
    _drop_season_numbers(draft)
    _read_leading(draft)
    _read_glued_number_before_kind(draft)
    _read_number_after_title_number(draft)
    _read_animation_number(draft)
    _read_glued_group(draft)
    _read_cjk_trailing_number(draft)
    guessed = _read_guessit(draft)
    _drop_season_numbers(draft)
    _drop_episode_noted_in_batch(draft)
    return _finish(draft, guessed)
