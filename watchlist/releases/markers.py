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
    absolute: int | None = None  # the series-wide number written beside it ("[02(57)]")


# --- scene ---------------------------------------------------------------

_SXXEYY = re.compile(
    r"""(?<![a-z0-9])S(?P<season>\d{1,4})(?:(?:[ ._]|\s*-\s*)?E(?:P\.?)?|xE?(?!26[45](?![0-9])))
    [ ._]?(?P<ep>\d{1,5})(?P<part>[a-c](?![a-z]))?
    (?![0-9])(?:v(?P<version>\d)(?![0-9a-z]))?""",
    re.IGNORECASE | re.VERBOSE,
)
# A season written with a year ("2009x09") is only one of 1930-2039, so a
# resolution ("1920x1080", "1280x720", a film's cropped "1920x804",
# "2048x858") is never read as one.
_NXNN = re.compile(
    r"(?<![0-9a-z])(?P<season>\d{1,2}|19[3-9]\d|20[0-3]\d)x(?P<ep>\d{1,3})(?![0-9a-wyz]|x(?!\d))(?:v(?P<version>\d)(?![0-9a-z]))?",
    re.IGNORECASE,
)
# What may follow a first SxxEyy / NxNN and name more episodes of the same
# season: "S03E01E02", "S03E01-E03", "S03E01-03", "S03E01.S03E02",
# "S07E22 - 7x23", "2x04x05", "8x01_02", "S01E01+02", "S03E21.22", "S01E00 & S01E01",
# "S14E00.and.S14E01", "1x02 - 1x03 - 1x04", "10x17&18", "4x09 & 10". A bare number continues the
# list only when glued to it (" - 94 Meetings" is an episode title).
_JOIN = r"[ ._]*(?:-|&|\+|,|\band\b|\bto\b)?[ ._]*"
_NEXT_EPISODE = re.compile(
    rf"""(?:
        {_JOIN}S(?P<s1>\d{{1,4}})(?:[ ._]|\s*-\s*)?E(?:P\.?)?(?P<e1>\d{{1,5}})
      | {_JOIN}(?P<s2>\d{{1,2}}|(?:19|20)\d\d)x(?P<e2>\d{{1,3}})
      | (?:[ ._-]?|\s*-\s*|{_JOIN})E(?P<e3>\d{{1,5}})
      | x(?P<e4>\d{{1,3}})
      | (?:[-_+~&]|\s+&\s+)(?P<e5>\d{{1,5}})(?=v\d(?![0-9a-z])|[^0-9a-z]|$)
      | \.(?P<e6>\d{{2}})(?=[._ ]|$)
    )(?![0-9])(?:v\d(?![0-9a-z]))?""",
    re.IGNORECASE | re.VERBOSE,
)
# How release names write a season: a word in several languages, then a
# number in digits, Roman numerals or words ("Saison VII", "Saison sept").
# The British "Series 2" only with digits ("Monogatari Series" is a title).
SEASON_WORDS = (
    r"(?:Series(?=[ ._]*\d)|Seasons?|Saisons?|Temporadas?|Stagione|Staffel|Seizoen|Sezon|S[äæ]song|S[æe]son"
    r"|Temp\.?|Tem\.?|Сезон(?![^\W\d_]))"
)
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
}  # fmt: skip
_ROMAN = {"i": 1, "v": 5, "x": 10}
# Roman numerals and words only after a space or dot ("Temi" is no season).
SEASON_NUMBER = r"(?:\d{1,2}|(?<=[\s._])(?:[IVX]{1,5}|" + "|".join(_NUMBER_WORDS) + r"))"


def season_number(word: str) -> int | None:
    """'7', 'VII', 'sept', 'seven' -> 7."""
    word = word.lower()
    if word.isdecimal():
        return int(word)
    if word in _NUMBER_WORDS:
        return _NUMBER_WORDS[word]
    if word and all(c in _ROMAN for c in word):
        values = [_ROMAN[c] for c in word]
        total = sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
        return total if 0 < total <= 30 else None
    return None


# A season without an episode: "S01", "S01-S03", "S07D1" (a DVD disc),
# "Season 2", "Seasons 1 & 2", "Season 1-3", "Saison VII", "1xAll", "3. série".
# "S02P02": a season's second part, as a pack.
# After an ordinal ("2nd Season 05") the season is already said: the number
# that follows is the episode.
_SEASON_PACK = re.compile(
    r"(?<![a-z0-9])(?:S(?P<s1>\d{1,2})(?:-S?(?P<s2>\d{1,2})|\s*-\s*S(?P<s6>\d{1,2}))?(?:D\d{1,2}(?:[-&]\d{1,2})*)?(?:P\d{1,2})?(?:v\d)?"
    rf"|(?<!\d(?:st|nd|rd|th)[ ._]){SEASON_WORDS}(?:[ ._]*|-)(?P<s3>{SEASON_NUMBER})"
    r"(?:(?:-|\s*(?:to|&|and)\s*)(?P<s4>\d{1,2}))?"
    r"(?:[ ._]?of[ ._]?\d{1,2})?"
    r"|(?P<s5>\d{1,2})xAll"
    # "4ª Temporada" (ª folded to "a"), "1ª a 8ª Temporada" (seasons from the first), the Russian "4 сезон"
    r"|(?P<s7>\d{1,2})(?:(?:o|a|°)\.?(?:[ ._]+(?:a|e|y|-)[ ._]+\d{1,2}(?:o|a|°)\.?)?[ ._]+Temporadas?"
    r"|[ ._]+сезон(?![^\W\d_]))"
    r"|(?P<s8>\d{1,2})\.[ ._]*(?:s[ée]ri[ea]|řada))(?![0-9a-z])",  # the Czech "3. série", "2. řada"
    re.IGNORECASE,
)
# Words that make a dotted name a scene release (for the compact "103").
_SCENE_WORDS = re.compile(
    r"(?<![a-z0-9])(?:hdtv|pdtv|webrip|web-?dl|bluray|bdrip|brrip|dvdrip)"
    r"|(?<![a-z0-9])(?:web|x26[45]|h\.?26[45]|xvid|\d{3,4}p)(?![a-z0-9])",
    re.IGNORECASE,
)
# Streaming services that carry anime only. Their releases number episodes
# from the series' start ("One.Piece.1071.1080p.CR.WEB-DL" is episode 1071),
# so a name tagged with one has no compact "1071" = S10E71.
_ANIME_SERVICE = re.compile(r"(?<![a-z0-9])(?:CR|HIDIVE|HIDI|ADN|BILI|B-Global|FUNi)(?![a-z0-9])", re.IGNORECASE)
# A number standing alone between dots or underscores: the compact "103"
# (S1E03), "1013" (S10E13), "10708" (S1E07-08), "010910" (S01E09-10), or
# "103.104" / "103-104" (S1E03-04).
_COMPACT_NUMBER = re.compile(r"(?<=[._])(?P<num>\d{3,6})(?=[._-]|$)(?=[._-](?P<num2>\d{3,4})(?:[._-]|$))?")
_YEAR_BEFORE = re.compile(r"(?:^|[._])(?:19|20)\d\d[._]$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
# "Cap.201" / "Cap.1503_1506": the Spanish scene way of writing S2E01.
_CAP = re.compile(r"(?<![a-z])Cap[ .]?(?P<num>\d{3,4})(?:_(?P<num2>\d{3,4}))?(?![0-9])", re.IGNORECASE)
# "Season 01 Episode 05", "Saison 2 - Episode 3", "Stagione 6 Episodio 13",
# "Temp. 1 Capitulos 1 al 8" (the Spanish abbreviation, with its dot).
_LONG_FORM = re.compile(
    r"(?<![a-z])(?:Season|Saison|Temporada|Temp\.|Stagione|Staffel)[ ._]*(?P<season>\d{1,4})[ ._]*(?:-[ ._]*)?"
    r"(?:Episodes?|Episodios?|[ÉE]pisodes?|Ep\.?|Folgen?|Cap[ií]tulos?)[ ._]*(?P<ep>\d{1,4})"
    r"(?:[ ._]*(?:-|~|&|\bto\b|\bal\b|\bà\b|\ba\b|\bbis\b)[ ._]*(?P<end>\d{1,4}))?(?![0-9])",
    re.IGNORECASE,
)


def _chain(text: str, start: int, season: int, first: int) -> tuple[int | None, int]:
    """The last episode of a list that continues at ``start``, and where it ends."""
    last, end = None, start
    previous = first
    while True:
        match = _NEXT_EPISODE.match(text, end)
        if not match:
            break
        named = match.group("s1") or match.group("s2")
        if named is not None and int(named) != season:
            break
        number = int(next(g for g in match.group("e1", "e2", "e3", "e4", "e5", "e6") if g is not None))
        if number <= previous or (match.group("e5") and number > previous + 50):
            break
        if match.group("e6") and number != previous + 1:
            break  # "S03E21.22": only the next episode, dotted ("S01E05.10.Bit" is no list)
        if match.group("e5") and match.group(0).startswith("_") and number != previous + 1:
            break  # "S01E07_08": only the next one; "S02E04_11_27" is a time or a code
        last, previous, end = number, number, match.end()
    return last, end


# "grp-zoos01e11-1080p": an obfuscated name glues the marker to the title's
# last word; only the two-digit lowercase form, ended by a separator, is read.
_GLUED_SXXEYY = re.compile(r"(?<=[a-z])s(?P<season>\d{2})e(?P<ep>\d{2,3})(?=[-._ ]|$)(?P<version>)")


# "The.Man.In.The.High.Castle1x01.HDTV": the same with the 1x05 form; the
# episode has two or three digits and a separator ends it, so a resolution
# ("HD1280x720") never matches.
_GLUED_NXNN = re.compile(r"(?<=[a-z])(?P<season>\d{1,2})x(?P<ep>\d{2,3})(?=[-._ \[(]|$)(?P<version>)")
# "s.4_ep.01": season and episode words each with a separator of their own.
_SPLIT_S_EP = re.compile(
    r"(?<![a-z0-9])S[._ ](?P<season>\d{1,2})[._ ]+EP[._ ]?(?P<ep>\d{1,3})(?![0-9])(?P<version>)", re.IGNORECASE
)


# "T02E22", "T01XE08": the Spanish and Portuguese temporada letter.
_TXXEYY = re.compile(r"(?<![a-z0-9])T(?P<season>\d{2})X?E(?P<ep>\d{1,3})(?![0-9])(?P<version>)", re.IGNORECASE)
# "The.Witcher.S01.07", "Breaking Bad S02 03", "NCIS Season 11 01": a season
# marker, then the bare episode (never a resolution written without its "p").
_SEASON_THEN_NUMBER = re.compile(
    r"(?<![a-z0-9])(?:S|Season[ ._]?)(?P<season>\d{1,2})[ ._]+(?P<ep>\d{2,3})"
    r"(?![0-9a-z])(?!\.\d{1,2}(?!\d))(?P<version>)",
    re.IGNORECASE,
)
_BARE_RESOLUTIONS = {"360", "480", "540", "576", "720"}
# "11.14 - The List.mp4": a library's file named season.episode, then a dash
# and the episode's own name (no series title: it is the folder's).
_LEADING_SEASON_DOT_EPISODE = re.compile(r"^(?P<season>\d{1,2})\.(?P<ep>\d{2})(?=\s+-\s+[^\W\d_])(?P<version>)")


def scene_episode(text: str) -> Marker | None:
    """``S01E05`` or ``1x05``, and the episodes listed after it."""
    match = _SXXEYY.search(text) or _GLUED_SXXEYY.search(text)
    if match is None:
        match = _NXNN.search(text)
        if match is not None and int(match.group("season")) == 0 and int(match.group("ep")) == 0:
            match = None
    if match is None:
        match = _TXXEYY.search(text) or _SPLIT_S_EP.search(text) or _GLUED_NXNN.search(text)
        match = match or _LEADING_SEASON_DOT_EPISODE.match(text)
    if match is None and season_list(text) is None:
        match = next((m for m in _SEASON_THEN_NUMBER.finditer(text) if m.group("ep") not in _BARE_RESOLUTIONS), None)
    if match is None:
        return None
    season, first = int(match.group("season")), int(match.group("ep"))
    last, end = _chain(text, match.end(), season, first)
    groups = match.groupdict()
    return Marker(
        start=match.start(),
        end=end,
        season=season,
        episode=first,
        episode_end=last,
        version=int(match.group("version")) if match.group("version") else None,
        part=groups.get("part") or "",
    )


def long_form_episode(text: str) -> Marker | None:
    """``Season 01 Episode 05`` written out, or the Spanish ``Cap.201``."""
    match = _LONG_FORM.search(text)
    if match:
        first = int(match.group("ep"))
        last = int(match.group("end")) if match.group("end") and int(match.group("end")) > first else None
        return Marker(match.start(), match.end(), season=int(match.group("season")), episode=first, episode_end=last)
    match = _CAP.search(text)
    if match:
        number = int(match.group("num"))
        last = int(match.group("num2")) % 100 if match.group("num2") else None
        episode = number % 100
        return Marker(
            match.start(),
            match.end(),
            season=number // 100,
            episode=episode,
            episode_end=last if last is not None and last > episode else None,
        )
    return None


def _compact_value(number: str) -> tuple[int, int, int | None] | None:
    """'103' -> (1, 3, None); '10708' -> (1, 7, 8); '010910' -> (1, 9, 10)."""
    if len(number) <= 4:
        season, episode, last = int(number[:-2]), int(number[-2:]), None
    else:
        season, episode, last = int(number[:-4]), int(number[-4:-2]), int(number[-2:])
        if last != episode + 1:
            return None
    if season == 0 or episode == 0 or season > 30:
        return None
    return season, episode, last


# "Film.Gaiden.2019.1080..Dual.Audio.BDRip": a name that writes no "1080p"
# anywhere has its frame height in a bare 1080/2160, not season 10 episode 80.
_LONE_HEIGHTS = {"1080", "2160"}
_HEIGHT_WITH_P = re.compile(r"\d{3,4}[pi](?![a-z])", re.IGNORECASE)
# The compact "1013" (season 10, episode 13) belongs to the television-rip
# era; in a name with no such source ("One.Piece.1112.1080p.WEB-DL") four
# digits are a long-running series' own episode number.
# A season of a compact-numbered scene series ("Show.103.HDTV") runs to a few
# dozen episodes at most; past this a three-digit number counts the series.
_LONGEST_SCENE_SEASON = 39
_TV_RIP_ERA = re.compile(r"(?<![a-z])(?:hdtv|pdtv|sdtv|dsr|tvrip|dvdrip|xvid|divx)(?![a-z])", re.IGNORECASE)


# "Title_154_(1280x720_h264)_[6AE05657]": a checksum bracket signs a fansub
# file, whose numbers are series-wide (never season 1, episode 54).
_CHECKSUM_AT_END = re.compile(r"\[[0-9A-F]{8}\]$", re.IGNORECASE)


# "Title.S04.720p.BluRay.2xRus.Eng.E180": a Russian release signs its name
# after the tags and the audio languages.
_SIGNATURE_AFTER_LANGUAGES = re.compile(r"\d{3,4}p\..*\.(?:Rus|Eng|Ukr)\.E\d{2,4}$", re.IGNORECASE)


def ends_with_signature(text: str) -> bool:
    """The name ends with its release's signature, which numbers nothing."""
    return _SIGNATURE_AFTER_LANGUAGES.search(text) is not None


def compact_episode(text: str) -> Marker | None:
    """``Title.103.720p.HDTV.x264-GRP``: season 1, episode 3. Only in a
    dotted or underscored scene name (no brackets, no spaces) where scene
    words follow the number or a year comes before it
    (``series.2009.416.hdtv``, ``Show_Name.2005.211.title``): anime names
    write long-running episode numbers the same way, but with spaces,
    dashes and brackets."""
    if "[" in text and _CHECKSUM_AT_END.search(text):
        return None
    text = re.sub(r"(?:\[[^\[\]]*\])+$", "", text)  # a tracker's "[ettv]" at the end
    if " " in text or "[" in text or _SEASON_PACK.search(text) or _ANIME_SERVICE.search(text):
        return None
    found, taken = None, -1
    scene_word = _SCENE_WORDS.search(text)
    scene_at = scene_word.start() if scene_word else len(text)
    heights = _LONE_HEIGHTS if _HEIGHT_WITH_P.search(text) is None else set()
    for match in _COMPACT_NUMBER.finditer(text, 0, scene_at):
        number = match.group("num")
        if _YEAR.match(number) or match.start() <= taken or number in heights:
            continue
        if len(number) == 4 and number[0] != "0" and _TV_RIP_ERA.search(text) is None:
            continue
        if len(number) == 3 and int(number[1:]) > _LONGEST_SCENE_SEASON:
            continue  # "Dragon.Ball.153.480p": a long-running series' own count, no season's 53rd
        after_year = _YEAR_BEFORE.search(text[: match.start()]) is not None
        if scene_word is None and not after_year:
            continue
        value = _compact_value(number)
        if value is None:
            continue
        season, episode, last = value
        end = match.end()
        if match.group("num2"):
            second = _compact_value(match.group("num2"))
            if second is not None and second[0] == season and second[1] > episode:
                last, end = second[1], match.end() + 1 + len(match.group("num2"))
                taken = end
        # the last number before the scene words wins ("the.100.109.hdtv")
        found = Marker(start=match.start() - 1, end=end, season=season, episode=episode, episode_end=last)
    return found


# Several seasons listed after one season word: "Season 1 2 3", "Seasons 1, 2
# & 3", "Season 20 21 22", "All Seasons (1-8)". Spaces alone list seasons only
# from three numbers on ("Season 11 01" is season 11's first episode).
_SEASON_LIST = re.compile(
    r"(?<![a-z])(?:Seasons?|Saisons?|Temporadas?)[ ._]*\(?\s*(?P<first>\d{1,2})"
    r"(?P<rest>(?:(?:\s*(?:,|&|\+|\band\b)\s*|-|\s+)\d{1,2}(?![0-9a-z.]))+)\s*\)?",
    re.IGNORECASE,
)


# "Coupling Season 1 - 4 Complete": a spaced dash joins seasons only in a
# name with a batch word after it ("Season 1 - 5 1080p Complete") and to a
# one-digit last season ("Season 1 - 04" is an episode).
_SEASON_SPAN_COMPLETE = re.compile(
    r"(?<![a-z])(?:Seasons?|Saisons?|Temporadas?)[ ._]*(?P<first>\d)\s+-\s+(?P<last>[1-9])(?![0-9])"
    r"(?=.*?(?<![a-z])(?:Complete|Batch)(?![a-z]))",
    re.IGNORECASE,
)


# "Seasons 1 ~ 3": a tilde spans seasons after the plural word ("Season 1 ~ 3"
# could be a season's episodes).
_SEASONS_TILDE = re.compile(
    r"(?<![a-z])(?:Seasons|Saisons|Temporadas)[ ._]*(?P<first>\d{1,2})\s*~\s*(?P<last>\d{1,2})(?![0-9])", re.IGNORECASE
)


def season_list(text: str) -> Marker | None:
    if "~" in text and (tilde := _SEASONS_TILDE.search(text)) and int(tilde.group("last")) > int(tilde.group("first")):
        return Marker(start=tilde.start(), end=tilde.end(), season=int(tilde.group("first")), pack=True)
    spanned = _SEASON_SPAN_COMPLETE.search(text)
    if spanned is not None and int(spanned.group("last")) > int(spanned.group("first")):
        return Marker(start=spanned.start(), end=spanned.end("last"), season=int(spanned.group("first")), pack=True)
    for match in _SEASON_LIST.finditer(text):
        rest = match.group("rest")
        numbers = re.findall(r"\d+", rest)
        joined = re.search(r"[,&+-]|\band\b", rest, re.IGNORECASE) is not None
        if joined or len(numbers) >= 2:
            return Marker(start=match.start(), end=match.end(), season=int(match.group("first")), pack=True)
    return None


def season_pack(text: str) -> Marker | None:
    """``S01``, ``S01-S03``, ``Season 2``: a season without an episode."""
    listed = season_list(text)
    if listed is not None:
        return listed
    match = _SEASON_PACK.search(text)
    if not match:
        return None
    first = season_number(
        match.group("s1") or match.group("s3") or match.group("s5") or match.group("s7") or match.group("s8")
    )
    if first is None:
        return None
    return Marker(start=match.start(), end=match.end(), season=first, pack=True)


def season_spans(text: str) -> list[tuple[int, int]]:
    """Where the name writes seasons: numbers there are no episodes."""
    listed = season_list(text)
    return [m.span() for m in _SEASON_PACK.finditer(text)] + ([(listed.start, listed.end)] if listed else [])


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


# 第05话 / 第1008話 / 第5集 / 第05-06话; a bracket holding only 05, 12END, 49_END, 24(END) (full-width
# parentheses folded), 13完, 05v2 or 19rev (a revised release), or the episode and what comes
# with it (05+小剧场).
# Korean raws write the same "제05화" (제 = 第, 화 = 話); Han numerals count
# as digits do ("第十七话", "第三十集"); "第03&04&05话" lists a range.
_CJK_EPISODE = re.compile(
    r"[第제]\s*(?P<ep>\d{1,4}(?:\.5)?|[一二三四五六七八九十]{1,3})\s*"
    r"(?:(?:[-~]|(?:&\s*\d{1,4}\s*)*&)\s*(?P<end>\d{1,4})\s*)?[话話集回화]"
)
# "第七話・第八話", "第7話、第8話": a second episode listed after the first.
_NEXT_CJK_EPISODE = re.compile(r"\s*[・、&＆]\s*[第제]\s*(?P<ep>\d{1,4}|[一二三四五六七八九十]{1,3})\s*[话話集回화]")
# "Title 05話", "Title 05集", "Title 1-26话": the same without 第, after a space
# ("全12集" and "12集全" count a batch).
_CJK_BARE_EPISODE = re.compile(r"(?<=\s)(?P<ep>\d{1,4})(?:\s*[-~]\s*(?P<end>\d{1,4}))?(?:[话話화]|集(?!全))(?![0-9])")
_BRACKET_EPISODE = re.compile(
    r"^(?:(?:EP?|TV|\#)\.?\s*)?(?P<ep>\d{1,4})(?P<frac>\.5)?[话話集回]?(?:\s*[vV](?P<version>\d)|rev)?\s*(?:\((?P<abs>\d{1,4})\)|_(?P<abs2>\d{2,4}))?"
    r"[\s_]*(?:\(?(?:END|End|end|Fin|FIN|完結?|完结|最终话|最終話)\)?)?(?:\s*[vV](?P<version2>\d))?"
    r"(?:\s*\+\s*[^\d\s+][^+]*)?$"
)
# "[04_半神们的卡农曲]", "[07 神自黄昏归来]", "[011北側諸国の冬]": the episode, then its own title.
_BRACKET_EPISODE_NAMED = re.compile(
    r"^(?P<ep>\d{1,3})(?:[vV](?P<version>\d))?(?:[_ ]+|(?=[\u3040-\u30ff\u3400-\u9fff]))(?P<name>.+)$"
)
# A unit glued to the number makes it a count or a title's number ("12集全", "8號"), no episode.
_UNIT_AFTER_NUMBER = "话話集回部章号號巻卷季期年月日"
# "[第32章]": a series that calls its episodes chapters; only a bracket of its
# own ("劇場版 … 第2章" inside a title is a film's part).
_CHAPTER_BRACKET = re.compile(r"^第\s*(?P<ep>\d{1,4})\s*章$")
# "[11(Director's Cut Ver.)]", "[13(OAD)]": the episode, then a note on it.
NOTED_EPISODE_BRACKET = re.compile(r"\[(?P<ep>\d{1,3})\s*\((?P<note>[^()\[\]]*[A-Za-z][^()\[\]]*)\)\]")
_RANGE_EXTRAS = re.compile(r"(?<![a-z])(?:OVAs?|OADs?|SPs?|Specials?|Movies?|TV|Fin|END)(?![a-z])", re.IGNORECASE)
_AIRING_WORDS = re.compile(r"[月季年期]|新番")
_CJK_CHARACTER = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
# "[01-12]", "[01~12]", "[05、06]" (two episodes listed with the CJK enumeration comma);
# "[正片01-27+番外01-03]": the main episodes (正片), then the extras (番外).
_BRACKET_RANGE = re.compile(
    r"^(?:(?:合集|全集|正片)\s*/?\s*)?(?:第\s*|TV\s*)?(?P<ep>\d{1,4})\s*(?:[-~～、]|to)\s*(?P<end>\d{1,4})\s*(?:[话話集])?(?:\s*(?:END|Fin|完))?(?P<rest>.*)$",
    re.IGNORECASE,
)
# "第2季", "第2期", "第2部", a Japanese broadcast's "第2シリーズ" and "シーズン2": the season.
_CJK_SEASON = re.compile(
    r"第\s*(?P<n>\d{1,2}|[一二三四五六七八九十]{1,3})\s*(?:[季期部]|シリーズ)|(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})期(?![间間])"
    r"|シーズン\s*(?P<k>\d{1,2})(?!\d)"
)
# "10月新番", "2024年新番", "春季番", "22年日剧" (a year's drama): when a work aired, no title.
_SEASON_TAG = re.compile(
    r"[★☆]?\s*(?:(?:\d{4}|\d{2})\s*年\s*(?:新番|[日韩韓美英泰台港陆陸国國]?[剧劇](?![场場]))|(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*(?:新番|番)|(?:\d{4}\s*年\s*)?[春夏秋冬]季?(?:新番|番)|新番(?:连载|連載)?|\d{4}\s*年\s*\d{1,2}\s*月|[一二三四五六七八九十]{1,2}月新番)\s*[★☆]?"
)


def cjk_episode(text: str) -> Marker | None:
    match = _CJK_EPISODE.search(text) or _CJK_BARE_EPISODE.search(text)
    if not match:
        return None
    first = match.group("ep")
    whole = cjk_number(first.split(".")[0])
    if whole is None:
        return None
    last = int(match.group("end")) if match.group("end") else None
    end = match.end()
    if last is None and (following := _NEXT_CJK_EPISODE.match(text, end)):
        last, end = cjk_number(following.group("ep")), following.end()
    return Marker(
        start=match.start(),
        end=end,
        episode=whole,
        episode_end=last if last is not None and last > whole else None,
        part=".5" if "." in first else "",
    )


def bracket_episode(content: str) -> Marker | None:
    """The episode a whole bracket of a CJK-style name holds: ``[05]``,
    ``[12END]``, ``[13完]``, ``[05v2]``, ``[01-28 精校合集]``."""
    content = content.strip()
    match = _BRACKET_EPISODE.match(content)
    if match and match.group("abs2") and int(match.group("abs2")) == int(match.group("ep")) + 1:
        match = None  # "[12_13]": two episodes, not one and its other number
    if match:
        version = match.group("version") or match.group("version2")
        other = match.group("abs") or match.group("abs2")  # "[42(186)]", "[42_186]"
        return Marker(
            start=0,
            end=len(content),
            episode=int(match.group("ep")),
            version=int(version) if version else None,
            part=".5" if match.group("frac") else "",
            absolute=int(other) if other else None,
        )
    match = _BRACKET_RANGE.match(content)
    if match:
        first, last = int(match.group("ep")), int(match.group("end"))
        rest = match.group("rest").strip()
        words = _RANGE_EXTRAS.sub(" ", rest)  # "[01-12TV全集+OVA]": the series and its extras
        two_years = _YEAR.match(match.group("ep")) is not None and _YEAR.match(match.group("end")) is not None
        # "[2024-2025]": the years a series aired, no range (no series reached episode 1900)
        worded = rest and re.search(r"[a-z]{3,}", words, re.IGNORECASE) and "batch" not in rest.lower()
        if last > first and not two_years and not worded:
            return Marker(start=0, end=len(content), episode=first, episode_end=last)
    cjk = cjk_episode(content)
    if cjk is not None and not content[: cjk.start].strip():
        return cjk
    match = _CHAPTER_BRACKET.match(content)
    if match:
        return Marker(start=0, end=len(content), episode=int(match.group("ep")))
    return None


def named_bracket_episode(content: str) -> Marker | None:
    """A bracket holding the episode and its own CJK title: ``[04_半神们的卡农曲]``.
    Only for whole brackets: loose text "29 岁单身… - 07" is a title with a number."""
    content = content.strip()
    match = _BRACKET_EPISODE_NAMED.match(content)
    if not match or not _CJK_CHARACTER.match(match.group("name")) or _AIRING_WORDS.search(match.group("name")):
        return None
    if match.group("name")[0] in _UNIT_AFTER_NUMBER:
        return None
    version = match.group("version")
    return Marker(start=0, end=len(content), episode=int(match.group("ep")), version=int(version) if version else None)


def cjk_season(text: str) -> Marker | None:
    match = _CJK_SEASON.search(text)
    if not match:
        return None
    number = cjk_number(match.group("n") or match.group("m") or match.group("k"))
    if number is None:
        return None
    return Marker(start=match.start(), end=match.end(), season=number)


def strip_season_tags(text: str) -> str:
    """Drop airing-season tags (``[10月新番]``, ``★10月新番★``): they are
    no title and anitopy takes them for one."""
    text = re.sub(r"\[\s*" + _SEASON_TAG.pattern + r"\s*\]", " ", text)
    return " ".join(_SEASON_TAG.sub(" ", text).split())


# --- ranges and parts ----------------------------------------------------

# "01 ~ 10", "01～10", "01 to 10" (and the Spanish, French, German words) after
# a title separator, ending the name or followed by tags; "EP01-EP12".
_TILDE_RANGE = re.compile(
    r"(?:^|[\s\[(_-]|(?<![a-z])EP?\.?)(?P<ep>\d{1,4})\s*(?:~|～|〜|\b(?:to|thru|through|al|ao|à|a|bis)\b|-(?=\s*EP?\.?\d))\s*"
    r"(?:EP?\.?)?(?P<end>\d{1,4})(?![0-9.])(?=\s*(?:$|[\[(]|v\d|END|Fin|\bBatch\b|[^\w]))",
    re.IGNORECASE,
)
# "#1-4", "#01-#04": a range written with the number sign.
# "#1-4", "#01-#04", a Japanese title's glued "Title#07~12".
_HASH_RANGE = re.compile(r"(?<![A-Za-z0-9_#])#(?P<ep>\d{1,4})\s*[-~]\s*#?(?P<end>\d{1,4})(?![0-9])")


def hash_range(text: str) -> Marker | None:
    match = _HASH_RANGE.search(text)
    if match is None or int(match.group("end")) <= int(match.group("ep")):
        return None
    return Marker(
        start=match.start(), end=match.end(), episode=int(match.group("ep")), episode_end=int(match.group("end"))
    )


# "Title E01 E02 E03", "[E41 E42 E43]", "E01-02-E04": episodes listed after an
# episode letter, without a season.
_E_LIST = re.compile(r"(?<![a-z0-9])E(?P<ep>\d{1,4})(?P<rest>(?:(?:[ ._+&]+|-)E?\d{1,4}(?![0-9a-z]))+)", re.IGNORECASE)


def episode_list(text: str) -> Marker | None:
    for match in _E_LIST.finditer(text):
        numbers = [int(match.group("ep"))] + [int(n) for n in re.findall(r"\d+", match.group("rest"))]
        if all(b > a for a, b in pairwise(numbers)) and numbers[-1] - numbers[0] < 50:
            return Marker(start=match.start(), end=match.end(), episode=numbers[0], episode_end=numbers[-1])
    return None


# "01-02-03": every episode listed.
_CHAIN = re.compile(r"(?:^|[\s\[(_])(?P<chain>\d{1,4}(?:-\d{1,4}){2,}|\d{1,4}(?:\+\d{1,4}){2,})(?=$|[\s\])\[(])")
_PART = re.compile(r"^(?P<ep>\d{1,4})(?P<part>[a-fA-F])$")


# "01 - 119 [Batch]": a range written with a spaced dash (or en dash: "Episode
# 1 – 12 (End)"), told from "Title 2 - 05" by a zero-padded first number, an
# episode word before it or a batch word.
_SPACED_RANGE = re.compile(
    r"(?<![\w.])(?P<ep>\d{1,4})\s+[-–]\s+(?P<end>\d{1,4})(?=\s*(?:$|[\[(]|(?:Season|Complete|Batch)(?![a-z])))",
    re.IGNORECASE,
)
_BATCH_WORD = re.compile(r"(?<![a-z])(?:batch|complete)(?![a-z])", re.IGNORECASE)


# "One Piece 1001-1200 [1080p]": a range glued with a dash before the tags
# (two digits at least on each side: "Today in Class 5-2", "22-7" are titles),
# maybe with its "Fin" glued to it ("01-24Fin").
# "Title 01-12 [BD]", "Title 875-1182 / ชื่อ (WEB-DL)": the range ends the name, or its first
# alias before " / " and another name.
_DASHED_RANGE = re.compile(
    r"(?<![\w.-])(?P<ep>\d{2,4})-(?P<end>\d{2,4})(?:Fin|END)?(?=\s*(?:$|[\[(])|\s/\s)", re.IGNORECASE
)


def _first_range(pattern: re.Pattern[str], text: str) -> Marker | None:
    """The first "first-last" the pattern finds that counts up and is not
    two years ("2019-2020")."""
    for match in pattern.finditer(text):
        first, last = int(match.group("ep")), int(match.group("end"))
        if last > first and not (_YEAR.match(match.group("ep")) and _YEAR.match(match.group("end"))):
            return Marker(start=match.start(), end=match.end(), episode=first, episode_end=last)
    return None


def dashed_range(text: str) -> Marker | None:
    return _first_range(_DASHED_RANGE, text)


# "Episode 301 - 312": after an episode word, a spaced range needs no padding.
_EPISODE_WORD_BEFORE = re.compile(r"(?<![a-z])(?:Episodes?|Eps?)\.?[ ._]*$", re.IGNORECASE)
# "Season 02 - 07", "Cour 02 - 09": the padded number before the dash is the
# season's or the cour's, and the number after it the episode.
_SEASON_OR_COUR_BEFORE = re.compile(rf"(?:{SEASON_WORDS}|Cour|Part)[ ._]*$", re.IGNORECASE)


def spaced_range(text: str) -> Marker | None:
    for match in _SPACED_RANGE.finditer(text):
        if _SEASON_OR_COUR_BEFORE.search(text, 0, match.start("ep")):
            continue
        first, last = int(match.group("ep")), int(match.group("end"))
        padded = match.group("ep").startswith("0") and first > 0
        worded = _EPISODE_WORD_BEFORE.search(text, 0, match.start("ep")) is not None
        if last > first and (padded or worded or _BATCH_WORD.search(text)):
            return Marker(start=match.start("ep"), end=match.end("end"), episode=first, episode_end=last)
    return None


# "S05E53 - Ep.129": after a season's marker, an "Ep." number past a dash is
# the series-wide number of the same episode, not a range's end.
_SEASON_EPISODE_BEFORE = re.compile(r"S\d{1,4}EP?\.?$", re.IGNORECASE)


def tilde_range(text: str, first: int | None) -> Marker | None:
    for match in _TILDE_RANGE.finditer(text):
        start, end = int(match.group("ep")), int(match.group("end"))
        dashed = "-" in text[match.end("ep") : match.start("end")]
        if dashed and _SEASON_EPISODE_BEFORE.search(text, 0, match.start("ep")):
            continue
        if end > start and (first is None or first in (start, end)):
            return Marker(start=match.start("ep"), end=match.end("end"), episode=start, episode_end=end)
    return None


# "Title - 103, 104 - Name": consecutive episodes listed with commas; after an
# episode word one digit is enough ("episodes 1,2 of XX", "Епізод 4,5 з 10").
_COMMA_LIST = re.compile(
    r"(?<![\w.,])(?P<list>\d{2,4}(?:,\s*\d{2,4})+)(?![\w.,])"
    r"|(?<![^\W\d_])(?:episodes?|епізоди?)\s+(?P<list2>\d{1,4}(?:,\s*\d{1,4})+)(?![\w.,])",
    re.IGNORECASE,
)


def comma_list(text: str) -> Marker | None:
    for match in _COMMA_LIST.finditer(text):
        if match.group("list") is None:
            numbers = [int(n) for n in re.split(r",\s*", match.group("list2"))]
            if all(b == a + 1 for a, b in pairwise(numbers)):
                return Marker(
                    start=match.start("list2"), end=match.end("list2"), episode=numbers[0], episode_end=numbers[-1]
                )
            continue
        numbers = [int(n) for n in re.split(r",\s*", match.group("list"))]
        if all(b == a + 1 for a, b in pairwise(numbers)):
            return Marker(start=match.start("list"), end=match.end("list"), episode=numbers[0], episode_end=numbers[-1])
    return None


def chained_episodes(text: str) -> Marker | None:
    for match in _CHAIN.finditer(text):
        numbers = [int(n) for n in re.split(r"[-+]", match.group("chain"))]
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


# "(0001-1000)", "[01-12]", "[EP: 29-31]", "(Episode 1 – 12)": a range in
# brackets, maybe with the set's extras ("(0001-1071+Movies+Specials)") or
# the season's count ("[1-11 из 12]", "[01-09 of 12]", "[1101-1125 из 1000+]"),
# or an unknown one ("[1-1050 из XXXX]", "[1-9 из ??]": the series still airs).
_BRACKETED_RANGE = re.compile(
    r"[\[(](?:EPS?\.?:?\s*|Episodes?\s+)?(?P<ep>\d{1,4})\s*[-~–]\s*(?P<end>\d{1,4})(?:\s*\+\s*[A-Za-z]+)*"
    r"(?:\s+(?:of|из)\s+(?:\d{1,4}\+?|X+|\?+))?\s*[\])]",
    re.IGNORECASE,
)


# "[63 64 65]": consecutive episodes listed with spaces in their own bracket
# (an Arabic tracker's way); only numbers that count up one by one.
_BRACKETED_SPACED_LIST = re.compile(r"[\[(](?P<list>\d{1,4}(?: \d{1,4})+)[\])]")


# A Russian tracker's "[13+2 из 13+2]", "[1-90+0 из >115+1]", "12+1 из 12+1
# эп.": the season's episodes plus its specials, each counted against its
# total. The first term (or the range before the "+") is the episodes held.
_TRACKER_SUM = re.compile(
    r"(?<![\d.])(?:(?P<ep>\d{1,4})\s*-\s*)?(?P<end>\d{1,4})\s*\+\s*\d{1,3}\s+из\s+>?\d{1,4}\+?\s*\+\s*\d{1,3}(?!\d)",
    re.IGNORECASE,
)


def tracker_sum_range(text: str) -> Marker | None:
    if "из" not in text:
        return None
    match = _TRACKER_SUM.search(text)
    if match is None:
        return None
    first, last = int(match.group("ep") or 1), int(match.group("end"))
    if last < first:
        return None
    return Marker(start=match.start(), end=match.end(), episode=first, episode_end=last if last > first else None)


def bracketed_range(text: str) -> Marker | None:
    found = _first_range(_BRACKETED_RANGE, text)
    if found is not None or " " not in text:
        return found
    for match in _BRACKETED_SPACED_LIST.finditer(text):
        numbers = [int(n) for n in match.group("list").split()]
        if all(b == a + 1 for a, b in pairwise(numbers)):
            return Marker(start=match.start(), end=match.end(), episode=numbers[0], episode_end=numbers[-1])
    return None
