"""Episode and season markers that anitopy 2.1.1 misses or misreads, as
small patterns over the prepared name. Each finder returns where the marker
sits, so the title can be cut in front of it.

Families (see tests/test_release_table.py for the rows of each):

* scene: ``S01E05``, ``S2009E09`` (a year as the season), ``S100E05``,
  ``S03E01E02``, ``S03E01-E03``, ``S03E01 - S03E02``, ``1x05``, a compact
  ``103`` (S1E03) in a dotted scene name, season packs ``S01``/``S01-S03``;
* CJK: ``第05话``/``第1008話``/``第5集``, ``[12END]``, ``[13完]``,
  ``[01-28 精校合集]``, season tags ``[10月新番]``, ``第二季``;
* ranges written the fansub way: ``01 ~ 10``, ``01-02-03``;
* split episodes ``05a``/``111C`` and recaps ``26.5``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise


@dataclass(frozen=True)
class Marker:
    start: int  # where the marker begins in the text (the title ends there)
    end: int
    season: int | None = None
    episode: int | None = None
    episode_end: int | None = None
    version: int | None = None
    part: str = ""
    pack: bool = False  # a season pack: seasons without episodes


# --- scene ---------------------------------------------------------------

_SXXEYY = re.compile(
    r"""(?<![a-z0-9])S(?P<season>\d{1,4})[ ._-]?E(?P<ep>\d{1,4})(?P<part>[a-c](?![a-z]))?
    (?:
        (?P<more>(?:[ ._-]?E\d{1,4}(?![0-9]))+)                       # E06E07
      | (?:-E?\d{1,4}(?![0-9a-z]))*-E?(?P<end1>\d{1,4})(?![0-9a-z])          # -E03, -03, -06-07
      | \s*[-~]\s*(?:S\d{1,4}[ ._-]?)?E(?P<end2>\d{1,4})(?![0-9])   # - E03, - S03E02
    )?
    (?:v(?P<version>\d)(?![0-9a-z]))?""",
    re.IGNORECASE | re.VERBOSE,
)
_NXNN = re.compile(
    r"(?<![0-9a-z])(?P<season>\d{1,2})x(?P<ep>\d{2,3})(?![0-9a-z])(?:\s*-\s*(?:\d{1,2}x)?(?P<end>\d{2,3})(?![0-9a-z]))?",
    re.IGNORECASE,
)
_SEASON_PACK = re.compile(
    r"(?<![a-z0-9])(?:S(?P<s1>\d{1,2})(?:\s*-\s*S?(?P<s2>\d{1,2}))?"
    r"|(?:Seasons?|Saisons?)[ ._]*(?P<s3>\d{1,2})(?:\s*(?:-|to)\s*(?P<s4>\d{1,2}))?)(?![0-9a-z])",
    re.IGNORECASE,
)
# Words that make a dotted name a scene release (for the compact "103").
_SCENE_WORDS = re.compile(
    r"(?<![a-z0-9])(?:hdtv|pdtv|web|webrip|web-?dl|bluray|bdrip|brrip|dvdrip|x26[45]|h\.?26[45]|xvid|\d{3,4}p)(?![a-z0-9])",
    re.IGNORECASE,
)
_COMPACT = re.compile(r"^(?P<title>[^\[\]()\s]+?)\.(?P<num>\d{3,4})\.(?P<rest>.+)$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")


def scene_episode(text: str) -> Marker | None:
    """``S01E05`` and its multi-episode forms, or ``1x05``."""
    match = _SXXEYY.search(text)
    if match:
        first = int(match.group("ep"))
        last = None
        if match.group("more"):
            last = int(re.findall(r"\d+", match.group("more"))[-1])
        elif match.group("end1") or match.group("end2"):
            last = int(match.group("end1") or match.group("end2"))
        return Marker(
            start=match.start(),
            end=match.end(),
            season=int(match.group("season")),
            episode=first,
            episode_end=last if last is not None and last > first else None,
            version=int(match.group("version")) if match.group("version") else None,
            part=match.group("part") or "",
        )
    match = _NXNN.search(text)
    if match:
        first = int(match.group("ep"))
        last = int(match.group("end")) if match.group("end") else None
        return Marker(
            start=match.start(),
            end=match.end(),
            season=int(match.group("season")),
            episode=first,
            episode_end=last if last is not None and last > first else None,
        )
    return None


def compact_episode(text: str) -> Marker | None:
    """``Title.103.720p.HDTV.x264-GRP``: season 1, episode 3. Only in a
    dotted scene name (no brackets, no spaces) with scene words after the
    number: anime names write long-running episode numbers the same way,
    but with spaces, dashes and brackets."""
    match = _COMPACT.match(text)
    if not match or not _SCENE_WORDS.search(match.group("rest")):
        return None
    number = match.group("num")
    if _YEAR.match(number) or number.endswith(("p", "i")):
        return None
    season, episode = int(number[:-2]), int(number[-2:])
    if season == 0 or episode == 0 or season > 30:
        return None
    return Marker(start=match.start("num") - 1, end=match.end("num"), season=season, episode=episode)


def season_pack(text: str) -> Marker | None:
    """``S01``, ``S01-S03``, ``Season 2``: a season without an episode."""
    match = _SEASON_PACK.search(text)
    if not match:
        return None
    first = match.group("s1") or match.group("s3")
    return Marker(start=match.start(), end=match.end(), season=int(first), pack=True)


# --- CJK -----------------------------------------------------------------

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def cjk_number(text: str) -> int | None:
    """'12', '十二', '二十', '第三' -> an int (up to 99 for Han numerals)."""
    text = text.strip()
    if text.isdecimal():
        return int(text)
    if not text or any(c not in _CN_DIGITS and c != "十" for c in text):
        return None
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    value = 0
    for char in text:
        value = value * 10 + _CN_DIGITS[char]
    return value


# 第05话 / 第1008話 / 第5集 / 第05-06话; a bracket holding only 05, 12END, 13完, 05v2.
_CJK_EPISODE = re.compile(r"第\s*(?P<ep>\d{1,4}(?:\.5)?)\s*(?:[-~]\s*(?P<end>\d{1,4})\s*)?[话話集回]")
_BRACKET_EPISODE = re.compile(
    r"^(?:EP?\.?\s*)?(?P<ep>\d{1,4})(?P<frac>\.5)?(?:\s*[vV](?P<version>\d))?\s*(?:END|End|end|Fin|FIN|完結?|完结|最终话|最終話)?(?:\s*[vV](?P<version2>\d))?$"
)
_BRACKET_RANGE = re.compile(
    r"^(?:第\s*)?(?P<ep>\d{1,4})\s*(?:[-~～]|to)\s*(?P<end>\d{1,4})\s*(?:[话話集])?(?:\s*(?:END|Fin|完))?(?P<rest>.*)$",
    re.IGNORECASE,
)
_CJK_SEASON = re.compile(
    r"第\s*(?P<n>\d{1,2}|[一二三四五六七八九十]{1,3})\s*[季期部]|(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})期(?![间間])"
)
_SEASON_TAG = re.compile(
    r"[★☆]?\s*(?:(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*(?:新番|番)|(?:\d{4}\s*年\s*)?[春夏秋冬]季?(?:新番|番)|新番(?:连载|連載)?|\d{4}\s*年\s*\d{1,2}\s*月|[一二三四五六七八九十]{1,2}月新番)\s*[★☆]?"
)


def cjk_episode(text: str) -> Marker | None:
    match = _CJK_EPISODE.search(text)
    if not match:
        return None
    first = match.group("ep")
    whole = int(first.split(".")[0])
    last = int(match.group("end")) if match.group("end") else None
    return Marker(
        start=match.start(),
        end=match.end(),
        episode=whole,
        episode_end=last if last is not None and last > whole else None,
        part=".5" if "." in first else "",
    )


def bracket_episode(content: str) -> Marker | None:
    """The episode a whole bracket of a CJK-style name holds: ``[05]``,
    ``[12END]``, ``[13完]``, ``[05v2]``, ``[01-28 精校合集]``."""
    content = content.strip()
    match = _BRACKET_EPISODE.match(content)
    if match:
        version = match.group("version") or match.group("version2")
        return Marker(
            start=0,
            end=len(content),
            episode=int(match.group("ep")),
            version=int(version) if version else None,
            part=".5" if match.group("frac") else "",
        )
    match = _BRACKET_RANGE.match(content)
    if match:
        first, last = int(match.group("ep")), int(match.group("end"))
        rest = match.group("rest").strip()
        if last > first and (not rest or not re.search(r"[a-z]{3,}", rest, re.IGNORECASE) or "batch" in rest.lower()):
            return Marker(start=0, end=len(content), episode=first, episode_end=last)
    cjk = cjk_episode(content)
    if cjk is not None and not content[: cjk.start].strip():
        return cjk
    return None


def cjk_season(text: str) -> Marker | None:
    match = _CJK_SEASON.search(text)
    if not match:
        return None
    number = cjk_number(match.group("n") or match.group("m"))
    if number is None:
        return None
    return Marker(start=match.start(), end=match.end(), season=number)


def strip_season_tags(text: str) -> str:
    """Drop airing-season tags (``[10月新番]``, ``★10月新番★``): they are
    no title and anitopy takes them for one."""
    text = re.sub(r"\[\s*" + _SEASON_TAG.pattern + r"\s*\]", " ", text)
    return " ".join(_SEASON_TAG.sub(" ", text).split())


# --- ranges and parts ----------------------------------------------------

# "01 ~ 10", "01～10", "01 to 10" after a title separator, ending the name or
# followed by tags.
_TILDE_RANGE = re.compile(
    r"(?:^|[\s\[(_-])(?P<ep>\d{1,4})\s*(?:~|～|〜|\bto\b)\s*(?P<end>\d{1,4})(?![0-9.])(?=\s*(?:$|[\[(]|v\d|END|Fin|\bBatch\b|[^\w]))",
    re.IGNORECASE,
)
# "01-02-03": every episode listed.
_CHAIN = re.compile(r"(?:^|[\s\[(_])(?P<chain>\d{1,4}(?:-\d{1,4}){2,})(?=$|[\s\])\[(])")
_PART = re.compile(r"^(?P<ep>\d{1,4})(?P<part>[a-fA-F])$")


def tilde_range(text: str, first: int | None) -> Marker | None:
    for match in _TILDE_RANGE.finditer(text):
        start, end = int(match.group("ep")), int(match.group("end"))
        if end > start and (first is None or start == first):
            return Marker(start=match.start("ep"), end=match.end("end"), episode=start, episode_end=end)
    return None


def chained_episodes(text: str) -> Marker | None:
    for match in _CHAIN.finditer(text):
        numbers = [int(n) for n in match.group("chain").split("-")]
        if all(b > a for a, b in pairwise(numbers)):
            if numbers[0] >= 1900 and len(numbers) == 3:
                continue  # a date: 2024-01-05
            return Marker(
                start=match.start("chain"), end=match.end("chain"), episode=numbers[0], episode_end=numbers[-1]
            )
    return None


def part_episode(value: str) -> tuple[int, str] | None:
    """anitopy's '05a'/'111C' -> (5, 'a')."""
    match = _PART.match(value)
    return (int(match.group("ep")), match.group("part")) if match else None


# " - 05" followed by tags or the end: where fansub names put the episode.
_DASH_EPISODE = re.compile(
    r"\s[-–]\s+(?:EP?\.?\s*)?(?P<ep>\d{1,4})(?:v(?P<version>\d))?(?:\s*END)?\s*(?=$|[\[(])", re.IGNORECASE
)


def dash_episode(text: str) -> Marker | None:
    """The last `` - 05`` of a fansub name that only tags follow."""
    found = list(_DASH_EPISODE.finditer(text))
    if not found:
        return None
    match = found[-1]
    return Marker(
        start=match.start(),
        end=match.end(),
        episode=int(match.group("ep")),
        version=int(match.group("version")) if match.group("version") else None,
    )


# "(0001-1000)", "[01-12]": a range in brackets.
_BRACKETED_RANGE = re.compile(r"[\[(](?P<ep>\d{1,4})\s*[-~]\s*(?P<end>\d{1,4})[\])]")


def bracketed_range(text: str) -> Marker | None:
    for match in _BRACKETED_RANGE.finditer(text):
        first, last = int(match.group("ep")), int(match.group("end"))
        if last > first and not (_YEAR.match(match.group("ep")) and _YEAR.match(match.group("end"))):
            return Marker(start=match.start(), end=match.end(), episode=first, episode_end=last)
    return None
