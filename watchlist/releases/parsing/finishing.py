"""Stage 7: the title cleaned of season and year markers and split into
aliases, the numbers that are no episode dropped, the language, the batch
and special flags."""

from __future__ import annotations

import re
from typing import Any

from .. import markers
from ..languages import LANGUAGE_WORDS, guessit_language, language_of_tokens, tokens, without_run
from ..names import ReleaseName
from ..text import HEIGHT_WORDS, has_cjk, height_of, tagged_height
from ..titles import clean_title
from .cjk_brackets import is_tag, strip_tag_words
from .draft import (
    BATCH_CJK,
    BOX_SET,
    CHINESE_SUBS,
    DASHED_KIND,
    DATE,
    DISC,
    EPISODE_COUNT,
    FINISHED_BRACKET,
    MOVIE_RANGE,
    MOVIE_SEQUENCE,
    MOVIE_WORDS,
    NOT_BEFORE_EPISODE,
    PILOT_WORDS,
    SPECIAL_KINDS,
    SPECIAL_NUMBER,
    TAG_BRACKET,
    TRAILING_EPISODE_WORD,
    TV_PLUS_EXTRAS,
    TV_PLUS_TAIL,
    VERSION,
    VOLUME_RANGE,
    YEAR,
    YEAR_RANGE,
    Draft,
    as_list,
    first_int,
)
from .ranges import DISC_OR_SET


def finish(draft: Draft, guessed: dict[str, Any]) -> ReleaseName:
    text = draft.text
    dotted = " " not in text and text.count(".") >= 2
    _drop_numbers_that_are_not_episodes(draft, text)
    _number_before_film_year(draft, text)
    _season_number_before_discs(draft, text)
    _season_written_after_title(draft, text)
    title = _trim_title_tail(draft, _finished_title(draft, text, dotted), dotted)
    _read_cour(draft, text)
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
        draft.season_pack = draft.season_pack or DISC_OR_SET.search(text) is not None
    _read_episode_count(draft, text)
    resolution, language = _quality(draft, text, cleaned.aliases, guessed)
    batch_marked = (
        draft.batch
        or draft.season_pack
        or BATCH_CJK.search(text) is not None
        or _broadcast_set(draft, text)
        or _series_run_set(draft, text)
    )
    # "Complete" next to a single number marks the last episode, not a batch.
    is_batch = draft.episode_end is not None or (
        batch_marked and (not draft.numbered() or "batch" in text.lower() or draft.season_pack)
    )
    version = draft.version
    if version is None:
        match = VERSION.search(text)
        version = int(match.group(1)) if match else 1
    kinds = draft.kinds
    if season == 0 and draft.episode is not None and not kinds:
        # "S00E02": season 0 is where TV databases and media servers keep a
        # show's specials; its numbers are not the series' episodes.
        kinds = ["special"]
    if kinds and draft.episode_end is not None and "+" in text and TV_WITH_EXTRAS.search(text):
        # "[TV+Special] [1-12 из 12]": the season's episodes, its extras
        # beside them; a special's title would let a later season's pack
        # ("Title: Subtitle [TV+Special]") pass for the first season's.
        kinds = []
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
        cour=draft.cour,
    )


# A tracker's kind tag for a season and its extras: "[TV+Special]", "TV+OVA,".
TV_WITH_EXTRAS = re.compile(r"(?<![A-Za-z])TV ?\+ ?[A-Za-z]")


# "+特典+Scans" after a set's count: its extras listed, no title.
_EXTRAS_TAIL = re.compile(
    r"(?:\s*\+\s*(?:映像特典|特典|Scans?|CDs?(?:x\d+)?|OVAs?|OADs?|SPs?|Menus?|NC(?:OP|ED)s?))+$", re.IGNORECASE
)
# "[全26話]", "全24集 合集", "[22集全合集]": all N episodes, which a reader takes as 1-N.
_EPISODE_COUNT = re.compile(r"全\s*(?P<n>\d{1,4})\s*[话話集]|(?<![0-9])(?P<m>\d{1,4})\s*[话話集]全")


def _read_episode_count(draft: Draft, text: str) -> None:
    """A set that counts its episodes and numbers none holds episodes 1 to
    that count (so the matcher can fill each of them from it)."""
    match = _EPISODE_COUNT.search(text)
    if match is None or draft.numbered() or draft.kinds:
        return
    count = int(match.group("n") or match.group("m"))
    if count > 1:
        draft.episode, draft.episode_end, draft.batch = 1, count, True


# "(BS11 1920x1080 x264 AAC)", "(AT-X 1280x720 …)": a raw recorded from a TV
# channel; one that names no episode and no file holds the season's episodes.
_BROADCAST_TAG = re.compile(
    r"\((?:BS\d{1,2}|AT-X|TBS|TX|MX|EX|NTV|CX|KBS|TVA|YTV|ABC|MBS|NHK\w*|WOWOW)\s+\d{3,4}x\d{3,4}\b[^()]*\)"
)


def _broadcast_set(draft: Draft, text: str) -> bool:
    if draft.numbered() or draft.kinds or draft.video_file:
        return False
    return _BROADCAST_TAG.search(text) is not None


def _season_written_after_title(draft: Draft, text: str) -> None:
    """A bare number after a title word that the name also writes as its
    season marker ("Title 2 Alias Season 2 [BD]", "Title Season 2 (BD) |
    Alias 2") is that season, not an episode: an episode is written apart
    from the title ("- 02", "E02", "[02]") or zero-padded."""
    if draft.scene or draft.video_file or draft.kinds or draft.episode is None or draft.episode_end is not None:
        return
    pack = markers.season_pack(text)
    if pack is None or pack.season != draft.episode:
        return
    rest = text[: pack.start] + " " * (pack.end - pack.start) + text[pack.end :]
    number = re.compile(rf"(?<![\w.])0*{draft.episode}(?![\w.])")
    found = [match.start() for match in number.finditer(rest)]
    after_word = re.compile(rf"[^\W\d_] {draft.episode}(?![\w.])")
    if found and all(after_word.match(rest, start - 2) for start in found):
        draft.episode, draft.part = None, ""


# "Title (TV Series 2006-2007)": a series named with the years it ran.
_SERIES_RUN = re.compile(r"\(TV[\s-]+Series\s+(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d\)", re.IGNORECASE)


def _series_run_set(draft: Draft, text: str) -> bool:
    """A name that is a TV series and the years it ran, and no episode or
    file, holds the whole series."""
    return not (draft.numbered() or draft.kinds or draft.video_file) and _SERIES_RUN.search(text) is not None


def _pack_season(draft: Draft, text: str, season: int | None) -> int | None:
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


def _drop_numbers_that_are_not_episodes(draft: Draft, text: str) -> None:
    """Numbers read as the episode that the rest of the name shows to be a
    date, a film's place in a series, the years a season aired, volumes or
    a count of episodes."""
    date = DATE.search(text)
    if date is not None and not draft.scene and draft.episode in (int(date.group("m")), int(date.group("d"))):
        rest = text[: date.start()] + " " + text[date.end() :]
        if not re.search(rf"(?<![0-9]){draft.episode:02d}(?![0-9])|(?<![0-9]){draft.episode}(?![0-9])", rest):
            draft.episode, draft.episode_end, draft.part = None, None, ""  # "Show 2019 05 17": a daily show's date
    movies = MOVIE_RANGE.search(text)
    if movies is not None and (draft.episode, draft.episode_end) == (int(movies.group("a")), int(movies.group("b"))):
        # "Title (Movie 01~02) + (Two Specials)": the first two films, no episodes
        draft.episode, draft.episode_end, draft.batch = None, None, True
    movie = MOVIE_SEQUENCE.search(text)
    if movie is not None and draft.episode_end is None and not draft.scene:
        # "Dragon Ball Z Movie - 09 - Bojack": the ninth film, not an episode
        draft.episode, draft.absolute, draft.part = None, None, ""
        if "movie" not in draft.kinds:
            draft.kinds.append("movie")
    years = YEAR_RANGE.search(text)
    if years is not None and draft.episode is not None and draft.episode_end is None and not draft.scene:
        rest = text[: years.start()] + " " + text[years.end() :]
        if int(years.group("end")) == draft.episode and not re.search(rf"(?<![0-9])0*{draft.episode}(?![0-9])", rest):
            draft.episode, draft.part = None, ""  # "Season 1 (1988 - 89)": the years it aired
    _drop_volumes(draft, text)
    count = EPISODE_COUNT.search(text)
    if count is not None and draft.episode == int(count.group("n")) and draft.episode_end is None:
        draft.episode, draft.part, draft.batch = None, "", True  # "| 28 Episodes [BD]": how many, not which
    _drop_bit_depth(draft, text)


def _drop_volumes(draft: Draft, text: str) -> None:
    """Volumes of a set ("Vol.01-Vol.03", "Vols. 1-3") are a batch, not
    episodes; a number right before them ("Title 2 Vol.1-3") ends the title."""
    volumes = VOLUME_RANGE.search(text)
    if volumes is None or draft.episode is None:
        return
    first, end = int(volumes.group("first")), int(volumes.group("end"))
    if draft.video_file and (draft.episode, draft.episode_end) == (first, end):
        return  # "Title Vol.2-4 (BD).mkv": one file, its volumes are its episodes
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


def _drop_bit_depth(draft: Draft, text: str) -> None:
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


def _title_without_its_number(draft: Draft) -> str:
    title = draft.title
    match = _NUMBER_ENDING_TITLE.search(title) if draft.cjk else None
    if match is None or (int(match.group("n")), first_int(match.group("end"))) != (draft.episode, draft.episode_end):
        return title
    notes = re.findall(r"\(([^()]*)\)", match.group("rest"))
    if not all(is_tag(note) or YEAR.match(note.strip()) for note in notes) or not title[: match.start()].strip():
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


def _number_before_film_year(draft: Draft, text: str) -> None:
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


def _season_number_before_discs(draft: Draft, text: str) -> None:
    if draft.video_file or draft.episode not in range(2, 10) or draft.episode_end is not None or draft.kinds:
        return
    match = _NUMBER_BEFORE_TAG_BRACKETS.match(text)
    if match is None:
        return
    if int(match.group("n")) != draft.episode or not DISC_OR_SET.search(match.group("tags")):
        return
    if DISC.search(text) or NOT_BEFORE_EPISODE.search(match.group("head")) or MOVIE_WORDS.search(text):
        return  # "Title Disc 2 [DVD]", "Title Part 2 [BD]", "劇場版 Title 2 [BD]": a disc, a part, a film
    draft.episode, draft.part, draft.season, draft.season_pack = None, "", int(match.group("n")), True
    draft.title = match.group("head").strip()


def _without_range_note(draft: Draft, title: str) -> str:
    """'Title (BD REENCODE EP01-12+SP Fin)': a note ending the title that
    holds the set's range says what the set is, no part of its name."""
    if draft.episode_end is None:
        return title
    first, last = draft.episode, draft.episode_end
    note = re.search(rf"\s*\([^()]*(?<![0-9])0*{first}\s*[-~]\s*(?:EP?\.?\s*)?0*{last}(?![0-9])[^()]*\)$", title, re.I)
    return title[: note.start()] if note is not None and title[: note.start()].strip() else title


_BOX_WITH_NUMBER = re.compile(BOX_SET.pattern + r"(?:0?\d(?![\d~-]))?", re.IGNORECASE)
_DISC_FOLDER_SUFFIX = re.compile(r"[ ._-]+BDMV$")


def _finished_title(draft: Draft, text: str, dotted: bool) -> str:
    """The title with what marks a set (a disc, a box, "TV + SP", "[Fin]")
    or an episode word taken off; the set is recorded as a batch."""
    title = _without_range_note(draft, _title_without_its_number(draft))
    disc = DISC.search(text)
    if disc is not None and draft.episode == int(disc.group("n")) and draft.episode_end is None:
        draft.episode, draft.part, draft.batch = None, "", True
        title = re.sub(r"[ ._-]*(?:disc|disk)$", "", title, flags=re.IGNORECASE)
    if draft.numbered():
        title = TRAILING_EPISODE_WORD.sub("", title)  # "Title Capitulos 01 al 12"
    title = re.sub(r"\s+-\s+本[篇編]$", "", title)  # "犬夜叉 - 本篇": the main series, as against its films
    if BATCH_CJK.search(title):
        # "孤独摇滚 全12集 合集", "斗罗大陆.264集全.4K": what the set holds, and the tags after it
        title = BATCH_CJK.sub(" ", title)
        title = strip_tag_words(re.sub(r"[.\s]+", " ", title) if dotted else title).strip(" -_")
        title = _EXTRAS_TAIL.sub("", title).strip(" -_")  # "全13話+特典+Scans": what else the set holds
    if not draft.numbered() and not draft.kinds and FINISHED_BRACKET.search(text):
        draft.batch = True  # "[VCB-Studio] Title 10-bit 1080p HEVC BDRip [Fin]": the finished series
    if not draft.numbered() and (
        TV_PLUS_EXTRAS.search(text) or _plus_extras_on_discs(draft, text) or _tv_on_discs(draft, text)
    ):
        # "[Grp] Title [ x265-10Bit Ver. ] - TV + SP": the series and its specials
        draft.batch, draft.kinds = True, []
        title = TV_PLUS_TAIL.sub("", title).strip(" -_")
    if BOX_SET.search(text):
        draft.batch = draft.batch or not draft.numbered()  # "Title BD-BOX": the whole series on discs
        title = _BOX_WITH_NUMBER.sub(" ", title).strip(" -_")  # "BD-BOX1": the first box of the series
    if title.endswith("BDMV"):
        title = _DISC_FOLDER_SUFFIX.sub("", title)  # "Title_BDMV": a disc folder's own name
    # "Title [ x265-10Bit Ver. ] - Movie": a bracket of tags is never the title's
    title = " ".join(
        TAG_BRACKET.sub(lambda m: " " if is_tag(m.group(1).replace(".", " ")) else m.group(0), title).split()
    )
    if dotted and not draft.title_is_scene:
        title = re.sub(r"(?<=\w)\.(?=\w)", " ", title)
    return title


# "[Grp] Title + Special [BD]", "Title + OVA (BDRip)": the series and its extras on discs.
_PLUS_EXTRAS = re.compile(r"\s\+\s*(?:SPs?|OVAs?|OADs?|Specials?)\s*(?=[\[(]|$)", re.IGNORECASE)
# "Title + Especial [PT-BR]" (Portuguese, Spanish): a word no single episode is
# named with, so no disc tag is needed to read the pack.
_PLUS_ESPECIAL = re.compile(r"\s\+\s*Especia(?:l|les|is)\s*(?=[\[(]|$)", re.IGNORECASE)


def _plus_extras_on_discs(draft: Draft, text: str) -> bool:
    if draft.video_file:
        return False
    return _PLUS_ESPECIAL.search(text) is not None or (
        _PLUS_EXTRAS.search(text) is not None and DISC_OR_SET.search(text) is not None
    )


# "(TV)", "[TV Series]": the note of a series, which a film never carries.
_TV_NOTE = re.compile(r"[\[(]TV(?:\s+Series)?[\])]", re.IGNORECASE)


def _tv_on_discs(draft: Draft, text: str) -> bool:
    """'[Grp] Title (TV) [BD 1080p]': a series' discs with no batch word."""
    return (
        not draft.video_file
        and _TV_NOTE.search(text) is not None
        and DISC_OR_SET.search(text) is not None
        and not MOVIE_WORDS.search(text)
    )


# What a title's end may carry that names no series: a cour ("Spy x Family
# Cour 2"), the extras of a set ("Title + OVAs + Specials"), subtitle and dub
# tags ("Death Note MULTi VF/VOSTFR").
# "Title - S01SP1", "Title S02OVA": a season's numbered special, no part of the title.
_SEASON_SPECIAL_AT_END = re.compile(r"[\s._-]+S\d{1,2}(?:SP|OVA|OAD)\d{0,3}$", re.IGNORECASE)
# "Title 第2クール": the Japanese way of writing the cour.
# "港の刑事SP": a Japanese broadcast's special, "SP" glued to the title.
_CJK_GLUED_SPECIAL = re.compile(r"(?<=[\u3040-\u30ff\u3400-\u9fff])SP$")
# "Title #02": the episode's "#" number, read already, left at the title's end.
_HASH_NUMBER_AT_END = re.compile(r"[\s_]+#0*(?P<n>\d{1,4})[\s_(]*$")
_COUR_AT_END = re.compile(r"[\s._-]+Cour[\s._]*(?P<n>\d{1,2})$|\s*第\s*\d{1,2}\s*クール$", re.IGNORECASE)
# "Title 2nd Season Part 2 - 05", "Title Season 3 Part 2 - 04", "Title S2
# Cour 2 - 07": a later cour written after the season marker (anitopy reads
# it as the episode's title). A zero-padded "Part 03" numbers a group's own
# packs ("Season 4 Part 03 [EP: 13-24]"), no cour.
_COUR_AFTER_SEASON = re.compile(
    r"(?<![a-z0-9])(?:S\d{1,2}|Season[\s._]*\d{1,2}|\d{1,2}(?:st|nd|rd|th)[\s._]+Season)[\s._-]*"
    r"(?:Part[\s._]*(?P<part>[2-9]|II|III|IV)|Cour[\s._]*0?(?P<cour>[2-9]))(?![\w])",
    re.IGNORECASE,
)
_ROMAN_COURS = {"ii": 2, "iii": 3, "iv": 4}


def _read_cour(draft: Draft, text: str) -> None:
    """A later cour named after the season marker (see ``_COUR_AFTER_SEASON``)."""
    lowered = text.lower()
    if draft.cour is not None or ("part" not in lowered and "cour" not in lowered):
        return
    found = _COUR_AFTER_SEASON.search(text)
    if found is not None:
        number = found.group("part") or found.group("cour")
        draft.cour = _ROMAN_COURS.get(number.lower()) or int(number)


# "Title Clean OP", "Title Creditless ED": what anitopy leaves of the extra's name.
_CREDITLESS_AT_END = re.compile(r"[\s._-]+(?:Clean|Creditless|Textless)$", re.IGNORECASE)
_EXTRAS_AT_END = re.compile(
    r"(?:\s*\+\s*(?:OVAs?|OADs?|OAVs?|Specials?|Especia(?:l|les|is)|SPs?|Movies?|Extras?))+[\s+]*$", re.IGNORECASE
)
_LAST_WORD = re.compile(r"[\s/._-]+(?P<word>[A-Za-z0-9]+)$")
# Tags that end a title alone; other language words ("French", "Dub") only in a run of two or more.
# French releases' "SUBFRENCH", "TRUEFRENCH", "MULTi" are tags of the same kind.
_LANGUAGE_TAGS = {
    "vostfr", "vostf", "vost", "vf", "vff", "vfi", "vfq", "multisub", "multisubs", "engsub", "gersub",
    "subfrench", "truefrench", "multi",
}  # fmt: skip
# "Dragon.Ball.Z.Movie.14.Battle.of.Gods.2013.EXTENDED.DUAL.AUDiO": a dotted
# film's title ends at its year (the last one, so "Blade Runner 2049 2017" keeps 2049).
_DOTTED_YEAR_THEN_TAGS = re.compile(r"^(?P<head>.*\S)\s+(?P<year>(?:19[3-9]|20[0-2])\d)\s+\S.*$")


# "Title - Movie 01 - Its Own Title", "Title the Movie 03 - Its Own Title", "Title (TV
# Special)": a film of the series or the kind of release, written after the series' title.
_DASHED_FILM = re.compile(r"(?:\s+-|\s+the)\s+(?P<kind>Movie|Film)[ ._]*0*\d{1,2}(?:\s+-\s+.+)?$", re.IGNORECASE)
# "Title OVA \ Alias", "Title the Movie / 别名": a kind word ending the first name.
_KIND_BEFORE_ALIAS = re.compile(
    r"(?:\s+the)?\s+(?P<kind>OVA|OAD|OAV|TVSP|Special|Movie|Film)(?=\s+[\\/|]\s)", re.IGNORECASE
)
_KIND_IN_PARENS = re.compile(r"\s*\((?:TV\s*)?(?P<kind>Special|SP|OVA|OAD|OAV|Movie|Film)s?\)$", re.IGNORECASE)


# "魔法少女 - 叛逆的物语 剧场版", "紫罗兰 剧场版 (2019)": the film word ending a CJK
# title (its year may follow), as "Title - Movie".
_CJK_FILM_AT_END = re.compile(r"\s+(?:剧场版|劇場版)(?=\s*(?:\((?:19|20)\d\d\))?$)")


def _cut_kind_at_end(draft: Draft, title: str) -> str:
    """'Title - OVA', 'Title - Movie 1', 'Title (TV Special)', '标题 剧场版' -> 'Title', the kind noted."""
    film = _CJK_FILM_AT_END.search(title)
    if film is not None and title[: film.start()].strip():
        title = title[: film.start()]
        draft.kinds += [] if "movie" in draft.kinds else ["movie"]
    for pattern in (DASHED_KIND, _DASHED_FILM, _KIND_IN_PARENS):
        found = pattern.search(title)
        if found is not None and title[: found.start()].strip():
            title = title[: found.start()]
            kind = SPECIAL_KINDS[found.group("kind").lower()]
            draft.kinds += [] if kind in draft.kinds else [kind]
    before_alias = _KIND_BEFORE_ALIAS.search(title)
    if before_alias is not None and title[: before_alias.start()].strip():
        # "Title OVA \ English Title": the first name's kind, read as the whole name's
        title = title[: before_alias.start()] + title[before_alias.end("kind") :]
        kind = SPECIAL_KINDS[before_alias.group("kind").lower()]
        draft.kinds += [] if kind in draft.kinds else [kind]
    return title


# "Title 2012 Season Collection 1080p BluRay": the season's set, no part of the title.
_SEASON_COLLECTION_AT_END = re.compile(r"[\s._-]+Seasons?[\s._]+Collection$", re.IGNORECASE)
# "Title Movies BDRemux": a disc remux's source tag that anitopy left in the title.
_REMUX_AT_END = re.compile(r"(?<=\w)[\s._-]+(?:BD|UHD|DVD|Blu-?ray)[ ._-]?Remux$", re.IGNORECASE)


def _trim_title_tail(draft: Draft, title: str, dotted: bool) -> str:
    if (cour := _COUR_AT_END.search(title)) is not None:
        # "Title Cour 2 - 03": the cour, apart from the title. A Japanese
        # broadcast's "第2クール ＃15" numbers on through the show: the
        # whole show's episode, no cour's.
        if cour.group("n") is not None and int(cour.group("n")) >= 2:
            draft.cour = int(cour.group("n"))
        title = title[: cour.start()]
    title = _REMUX_AT_END.sub("", _SEASON_SPECIAL_AT_END.sub("", title))
    if "opening" in draft.kinds or "ending" in draft.kinds:
        title = _CREDITLESS_AT_END.sub("", title)
    if (collection := _SEASON_COLLECTION_AT_END.search(title)) is not None and title[: collection.start()].strip():
        title = title[: collection.start()]
        draft.batch = draft.batch or not draft.numbered()  # "Title 2012 Season Collection": the season's set
    extras = _EXTRAS_AT_END.search(title)
    if extras is not None and title[: extras.start()].strip():
        title = title[: extras.start()]
        draft.batch = draft.batch or not draft.numbered()  # the series with its extras
    title = _cut_kind_at_end(draft, title)
    if (hashed := _HASH_NUMBER_AT_END.search(title)) is not None and int(hashed.group("n")) == draft.episode:
        title = title[: hashed.start()]
    if title.endswith("SP") and (glued := _CJK_GLUED_SPECIAL.search(title)) is not None:
        title = title[: glued.start()]
        if not draft.numbered() and "special" not in draft.kinds:
            draft.kinds.append("special")
    head, stripped = title, []
    while (last := _LAST_WORD.search(head)) is not None and last.group("word").lower() in LANGUAGE_WORDS:
        stripped.append(last.group("word").lower())
        head = head[: last.start()]
    if head.strip() and (len(stripped) > 1 or (stripped and stripped[0] in _LANGUAGE_TAGS)):
        title = head
    if dotted and not draft.title_is_scene and (cut := _DOTTED_YEAR_THEN_TAGS.match(title)):
        title = f"{cut.group('head')} {cut.group('year')}"
    return title


def _mark_kinds(draft: Draft, text: str) -> None:
    """Movies, pilots, recaps and parts, and numbered specials."""
    if not draft.numbered() and MOVIE_WORDS.search(text) and "movie" not in draft.kinds:
        draft.kinds.append("movie")
    if not draft.numbered() and PILOT_WORDS.search(text) and "pilot" not in draft.kinds:
        draft.kinds.append("pilot")
    if draft.part:
        draft.kinds.append("recap" if draft.part.startswith(".") else "part")
    if not draft.kinds and "[SP]" in text:
        draft.kinds.append("special")  # "[Grp][Title][SP][1080P]": a special of a disc set, unnumbered
    if not draft.numbered() and not draft.kinds and (special := SPECIAL_NUMBER.search(text)):
        draft.kinds.append(SPECIAL_KINDS[special.group("kind").lower()])
        draft.episode = int(special.group("n"))


def _quality(draft: Draft, text: str, aliases: tuple[str, ...], guessed: dict[str, Any]) -> tuple[int | None, str]:
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
        resolution = next((height_of(str(v)) for v in as_list(guessed.get("screen_size"))), None)
    language = language_of_tokens(name_tokens) or guessit_language(guessed)
    if not language and has_cjk(text) and CHINESE_SUBS.search(text.replace(draft.group, "")):
        language = "zh"
    return resolution, language


# "2018.斗罗大陆.264集全.4K": a year leading a dotted CJK name is the series'
# year; "2022.8.2.Twelve.Monkeys.1995…": a date leading a name is the day it
# was saved, no part of the title (the film's year comes later).
LEADING_CJK_YEAR = re.compile(r"^(?P<year>(?:19|20)\d\d)\.(?=[\u3040-\u30ff\u3400-\u9fff])")
LEADING_DATE = re.compile(r"^(?:19|20)\d\d\.(?:0?[1-9]|1[0-2])\.(?:0?[1-9]|[12]\d|3[01])\.(?=[^\W\d_])")


# "01.Danganronpa The Animation S01 1080p BDRip": a collection's order of its
# parts leading a folder's name (a disc set, no file), no episode.
LEADING_INDEX = re.compile(r"^\d{2}\.(?=[A-Z][a-z]+ )")
