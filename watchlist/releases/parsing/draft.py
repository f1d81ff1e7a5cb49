"""The release parser's shared vocabulary: the draft each stage fills in,
the words and patterns several stages read, and ``prepare`` (stage 1: one
clean form of the name). See ``watchlist/releases/parse.py`` for the stages."""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass, field
from typing import Any

from .. import markers

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
    "menu": "extra", "picture drama": "extra", "extra": "extra", "extras": "extra", "tokuten": "extra",
    "bonus": "extra", "interview": "extra",
    "recap": "recap", "pilot": "pilot", "ex": "extra", "特典": "extra", "映像特典": "extra", "omake": "extra",
}  # fmt: skip
TRAILING_KIND_WORDS = {
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
BATCH_WORDS = {"batch", "complete", "completa", "intégrale", "integrale", "合集", "全集"}
DASHED_KIND = re.compile(
    r"\s+-\s+(?P<kind>SP|SPs|TVSP|OVA|OAD|OAV|Special|Specials|Extra|Extras|Movie|Film)$", re.IGNORECASE
)
DATE = re.compile(r"(?<![0-9])(?:19|20)\d\d[ ._-](?P<m>0[1-9]|1[0-2])[ ._-](?P<d>0[1-9]|[12]\d|3[01])(?![0-9])")
VOLUME_RANGE = re.compile(
    r"(?<![a-z])vol(?:ume)?s?\.?\s*(?P<first>\d{1,2})\s*[-~&]\s*(?:vol(?:ume)?\.?\s*)?(?P<end>\d{1,2})(?![0-9])",
    re.IGNORECASE,
)
# Episode words of several languages left at a title's end ("Title Cap 05", "Title Tập 05").
TRAILING_EPISODE_WORD = re.compile(
    r"\s+(?:episodes?|episodios?|[ée]pisodes?|eps?|cap[ií]tulos?|caps?|folgen?|odc|tập|серия|серии|эпизоды?|ตอนที่)\.?$",
    re.IGNORECASE,
)
# "Title | 28 Episodes [BD 1080p]": the number of episodes in a batch.
EPISODE_COUNT = re.compile(r"(?<![0-9.])(?P<n>\d{1,4})\s*(?:episodes|eps|épisodes|episodios)(?![a-z])", re.IGNORECASE)
# "Title Disc 1": a disc of a set, not episode 1.
DISC = re.compile(r"(?<![a-z])(?:disc|disk)[ ._-]?0*(?P<n>\d{1,2})(?![0-9])", re.IGNORECASE)
TV_PLUS_EXTRAS = re.compile(r"\bTV\s*\+\s*(?:SPs?|OVAs?|OADs?|Specials?|Movies?)(?![a-z])", re.IGNORECASE)
# What is left of it at the title's end once anitopy took "OVA" or "Movie".
TV_PLUS_TAIL = re.compile(
    r"[\s_-]*\bTV(?:\s*\+\s*(?:SPs?|OVAs?|OADs?|Specials?|Movies?|[A-Za-z]+)?)*[\s+]*$", re.IGNORECASE
)
FINISHED_BRACKET = re.compile(r"[\[(](?:[^\[\]()]*\s)?(?:Fin|Finished|完结|完結)[\])]", re.IGNORECASE)
TAG_BRACKET = re.compile(r"\[([^\[\]]*)\]")
BOX_SET = re.compile(r"(?<![a-z])(?:BD|DVD|Blu-?ray)[ ._-]?BOX(?![a-z])", re.IGNORECASE)
BATCH_CJK = re.compile(
    r"合集|全集|\[全\]|全\d+[话話集]|(?<![0-9])\d+[话話集]全"
)  # "全12集", "264集全", "[全]": the whole set
# Scene names sometimes add the series-wide number in parentheses right
# after SxxEyy: "Show S02E05 (E17)", "Show S02E05 (17)", "Show.S02E05.(17)".
ABSOLUTE_AFTER_SXXEYY = re.compile(r"\bS\d{1,4}E(\d{1,4})[\s._]*\(\s*(?:EP?\.?\s*|#)?(\d{1,4})\s*\)", re.IGNORECASE)
# Anime names of scene-numbering groups write it bare after the marker:
# "[Grp] Show S10E14 214", "[Grp]Show.S01E01.001.HDTV". Only in a name led by
# a group bracket, or zero-padded to three digits, and never a resolution
# written without its "p", so "Show.S01E05.1080.WEB" keeps no absolute number.
BARE_ABSOLUTE = re.compile(r"^[ ._]*(?:-[ ._]*)?(?P<abs>\d{2,4})(?=$|[ ._\[(]|-[ ._])")
BARE_RESOLUTIONS = {"360", "480", "540", "576", "720", "1080", "2160"}
NOT_A_GROUP = re.compile(r"^(?:E|EP|#)?\d+$|^(?:\d{3,4}[pi]|[fq]?hd|sd|uhd|4k|2k)$", re.IGNORECASE)
SCENE_GROUP = re.compile(r"-(?P<group>[A-Za-z0-9][A-Za-z0-9_]*)(?:\s*\[[^\]]*\])*$")
SCENE_GROUP_NOT = {"dl", "rip", "web", "hd", "sd", "10bit", "8bit", "x264", "x265", "h264", "h265", "hevc", "avc"}
VERSION = re.compile(r"(?:(?<=\d)|(?<![0-9a-z]))v(\d)(?![0-9a-z])", re.IGNORECASE)
MOVIE_WORDS = re.compile(r"(?<![a-z])(?:the\s+movie|movie|gekijouban|劇場版|剧场版)(?![a-z])", re.IGNORECASE)
SPECIAL_NUMBER = re.compile(r"(?<![a-z])(?P<kind>SP|OVA|OAD|Special|NCOP|NCED|EX)[ ._]*0*(?P<n>\d{1,3})(?![0-9])", re.I)
# "Movie 9", "Movie - 09", "Movie_9": a film's number in its series.
MOVIE_SEQUENCE = re.compile(r"(?<![a-z])(?:movie|film|gekijouban)[ ._]*(?:-[ ._]*)?0*\d{1,2}(?![0-9.])", re.IGNORECASE)
MOVIE_RANGE = re.compile(
    r"(?<![a-z])(?:movies?|films?)[ ._]*0*(?P<a>\d{1,2})\s*(?:[~-]|to|&)\s*0*(?P<b>\d{1,2})(?![0-9])", re.IGNORECASE
)
# "(1988 - 89)", "(2019-2021)": the years a season aired.
YEAR_RANGE = re.compile(r"\(\s*(?:19|20)\d\d\s*[-–]\s*(?:(?:19|20)(?=\d\d))?(?P<end>\d\d)\s*\)")
PILOT_WORDS = re.compile(r"(?<![a-z])pilot(?![a-z])", re.IGNORECASE)
# A trailing " - 05" (with "v2", "END"): the episode of a loose CJK title;
# "- 14(OVA2)": the episode, then which special it is.
DASH_EPISODE = re.compile(
    r"^(?P<title>.*?)\s*(?P<sep>-|–|\s)\s*(?:#|EP?\.?\s*)?(?P<ep>\d{1,4})(?:\.(?P<frac>5))?(?:v(?P<v>\d))?"
    r"(?:\s*\((?P<abs>\d{1,4})\)|\s*\((?:OVA|OAD|SP)\s*\d{0,2}\))?(?:\s*(?:END|完))?$"
)
TRAILING_SPECIAL = re.compile(
    r"^(?P<title>.*?)[\s_-]+(?P<kind>OVA|OAD|OAV|SP|Special)[ ._]*0*(?P<n>\d{1,3})$", re.IGNORECASE
)
DASH_RANGE = re.compile(
    r"^(?P<title>.*?)\s*(?:-|–|\s)\s*(?P<ep>\d{1,4})(?:-|\s*[~～]\s*)(?P<end>\d{1,4})(?:v\d)?(?:\s*(?:END|完|Fin))?$"
)
# A number after these words is a season, part, volume or the title's own
# ("Kaiju No. 8"), not an episode.
NOT_BEFORE_EPISODE = re.compile(r"(?:^|\s)(?:season|part|cour|vol\.?|s|no\.|第)$", re.IGNORECASE)
YEAR = re.compile(r"^(?:19|20)\d\d$")
BRACKET_YEAR = re.compile(r"^(?:19[5-9]\d|20[0-3]\d)$")
CHINESE_SUBS = re.compile(r"[简繁][体體]?|中字|中文|双语|雙語|CHS|CHT|BIG5|GB(?![a-z])", re.IGNORECASE)
# Bracket contents that are tags, not titles, in CJK-style names.
TAG_WORDS = re.compile(
    r"^(?:\d{3,4}[pPiI]|\d{3,4}x\d{3,4}|[248]k|hevc|avc|x26[45]|h\.?26[45]|10-?bits?|8-?bits?|hi10p?|aac|flac|ac3|"
    r"eac3|opus|dts|mp4|mkv|avi|web|webrip|web-?dl|dl|remux|ver|bd|bdrip|bdmv|bluray|dvd|dvdrip|tvrip|hdtv|gb|big5|chs|cht|"
    r"jpsc|jptc|sc|tc|baha|cr|nf|amzn|b-global|bilibili|iqiyi|abema|uhd|hdr|sdr|dual|audio|raw|raws|sub|subs|tv|series|"
    r"v\d|fin|end|ass|srt|pgs|jp|jpn|jap|big|gb_mp4|big5_mp4|gb_mkv|cht_mp4|chs_mp4|mp4_gb|mp4_big5|"
    r"(?:flac|aac|ac3|dts|opus)x\d|\d+(?:\.\d+)?[kmgt]i?b|mb|kb|tb|mib|gib)$",
    re.IGNORECASE,
)
# Category brackets of Chinese trackers: "Chinese / Japanese / Hong Kong comics".
CATEGORY_TAGS = {"国漫", "國漫", "日漫", "港漫", "美漫", "国创", "國創", "动漫", "動漫"}
# A bracket naming only the edition ("[普通版]" ordinary, "[典藏版]" collector's): no title.
EDITION_TAGS = {"普通版", "收藏版", "典藏版", "珍藏版", "完整版"}
# Subtitle words in pairs ("简日", "繁中", "日语"): a lone 日 or 繁 is part of
# many titles ("港灣日和", "繁星"), so only a bracket that is nothing else
# but one of them is a tag (ONE_CHARACTER_TAGS); so is a lone "[全]" ("all":
# the whole series).
TAG_CJK = re.compile(
    r"[简簡繁][体體中日繁英]|[中简簡繁]日|日[语語文英双雙]|内封|內封|内嵌|內嵌|字幕|双语|雙語|招募|翻译|翻譯|校对|校對|"
    r"外挂|外掛|国语|國語|粤语|中字|生肉|修正|重制|合集|全集|网盘|網盤|急招|特效歌词|特效歌詞|复制磁连|複製磁連"
)
# What a release group's name is made of ("XX字幕组", "YY-Raws", "ZZ工作室").
GROUP_WORDS = re.compile(
    r"字幕|[组組社]|sub|raws?|team|studio|工作室|家族|搬[运運]|[压壓]制|[汉漢]化|部|fansub|&", re.IGNORECASE
)
ONE_CHARACTER_TAGS = {"简", "簡", "繁", "日", "中", "全"}
MAX_CJK_LEFT_IN_TAG = 6
# "(檢索:/别名)", "（搜索用：别名）": search keywords a tracker post adds.
SEARCH_NOTE = re.compile(r"^(?:檢索|检索|搜索|搜尋)")


def as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def first_int(value: Any) -> int | None:
    for item in as_list(value):
        if item.isdecimal():
            return int(item)
    return None


@dataclass
class Draft:
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
    cour: int | None = None  # a later cour's number ("Season 3 Part 2", "Cour 2")
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
PARSER_LOCK = threading.Lock()
# "Gunbuster-ep1", "Title.Episodio.13": an episode word glued to the title.
EPISODE_WORD = re.compile(
    r"(?<![a-z0-9])(?:ep|eps|episode|episodio|[ée]pisode|epis[óo]dio|cap[ií]tulo|folge)[ ._]?(?P<ep>\d{1,4})(?![0-9])",
    re.IGNORECASE,
)
# "Part01", "Part 2", "Part.Two", followed by the words of a scene release.
MINI_SERIES_PART = re.compile(
    r"(?<![a-z])Part[ ._]?(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)(?![0-9a-z])"
    r"(?=.*(?:\d{3,4}p|hdtv|web|dsr|pdtv|xvid|x26[45]|dvdrip|bluray|bdrip|repack|proper)(?![a-z]))",
    re.IGNORECASE,
)
