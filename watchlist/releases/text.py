"""Small text helpers the parsing stages share: one clean form of a name,
scripts, and heights."""

from __future__ import annotations

import re
import unicodedata

MAX_NAME_LENGTH = 300

# Han, kana, hangul: the scripts of CJK fansub names.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
# 1280×720: the multiplication sign is not the letter x that anitopy knows.
# A Cyrillic "х" glued between digits ("3х01", typed on a Russian keyboard) too.
_TIMES_BETWEEN_DIGITS = re.compile(r"(?<=\d)(?:\s*[×✕*]\s*|[хХ])(?=\d)")
# "1280 x 720": a resolution written with spaces.
_SPACED_RESOLUTION = re.compile(r"(?<![0-9])(\d{3,4}) x (\d{3,4})(?![0-9])")
# "Citrus+Episode+3": a name taken from a URL, "+" for its spaces.
_PLUS_SPACES = re.compile(r"^[^\s+]+(?:\+[^\s+]+){2,}$")
_EXTENSION = re.compile(r"\.(?:mkv|mp4|avi|webm|m4v|ts|m2ts|mov|wmv|flv|ogv|mpg|mpeg|rmvb|torrent|nzb)$", re.IGNORECASE)
# Lenticular and other CJK brackets used like [ ].
_BRACKET_TRANSLATION = str.maketrans({"〔": "[", "〕": "]", "［": "[", "］": "]"})

# "10 bits" written apart (or "10.bits" in a dotted name) is the bit depth
# anitopy knows as "10bit", never an episode; "2.10 bits" is no bit depth.
_BIT_DEPTH_APART = re.compile(r"(?<![0-9])(?<![0-9]\.)(8|10|12)[ ._]bits?(?![a-z])", re.IGNORECASE)
# "DD 5 1", "AAC 2 0", "DTS-HD MA 5 1": audio channels written apart, read as
# "DD5.1" (never an episode).
_CHANNELS_APART = re.compile(
    r"(?<![a-z])(DDP?|DD\+|E-?AC-?3|AC3|AAC|DTS|MA|TrueHD|Atmos|FLAC|Opus)[ ._]?([1-7])[ ._]([01])(?![0-9])",
    re.IGNORECASE,
)
# "IPTVRip.2x2", "2x2 SATRip": the channel a TV rip was recorded from (a
# Russian anime channel), dropped so it is never read as S2E2.
_RIP = r"(?:(?:IP|DVB|HD)?TV|SAT)-?Rip"
_CHANNEL_BESIDE_RIP = re.compile(
    rf"(?<![a-z])(?P<rip>{_RIP})[ ._]2x2(?![0-9a-z])|(?<![0-9a-z])2x2[ ._](?P<rip2>{_RIP})(?![a-z])", re.IGNORECASE
)
# "Title (1-8 серии из 8) / Alias / 2024 / …", "Title (S2) / Alias [TV]",
# "Title (S1E1-13 of 13) / Alias": a
# Russian tracker's count or season note between a title and its alias,
# moved after the alias ("Title / Alias [1-8 серии из 8]") so both names are
# read as the title (an alias's number that its season note names dropped).
_NOTE_BEFORE_ALIAS = re.compile(
    r"^(?P<title>[^/()\[\]]+?)\s*\((?P<note>S\d{1,2}(?:E\d{1,3}(?:-\d{1,3})?(?:\s+of\s+\d{1,4})?)?|[^()/]*\d\s*(?:серии|серия|эп\.?)?\s*из\s*\d+[^()/]*)\)"
    r"\s*/\s*(?P<alias>[^/()\[\]|]+?)(?=\s*(?:[/(\[|]|$))"
)
# "IPTVRip", "SATRip", "DVB-Rip": TV rips anitopy does not know as a source
# tag, written as the "TVRip" it knows so they never stay in a title.
_TV_RIP = re.compile(r"(?<![a-z])(?:IP-?TV|SAT|DVB)-?Rip(?![a-z])", re.IGNORECASE)
# Russian trackers' seasons and episodes: "2 сезон", "Сезон: 1-4", "Серии: 1-8
# из 8", written as the "S2", "S1-S4", "[1-8 из 8]" the rest of the parser reads.
_RU_SEASON_AFTER = re.compile(r"(?<![\w.])(?P<a>\d{1,2})(?:-?(?:й|ый|ой|ий))?\s+сезон(?:а|ы)?(?!\w)", re.IGNORECASE)
_RU_SEASON_BEFORE = re.compile(
    r"(?<!\w)Сезон(?:ы)?:?\s*(?P<a>\d{1,2})(?:\s*-\s*(?P<b>\d{1,2}))?(?![\d\w])", re.IGNORECASE
)
_RU_EPISODES = re.compile(
    r"(?<!\w)Серии:?\s*(?P<range>\d{1,4}\s*-\s*\d{1,4}\s+из\s+(?:\d{1,4}\+?|X+|\?))", re.IGNORECASE
)


# Ukrainian episode words: "Серія 4 з 8", "1-8 серії з 8", written as the
# Russian "Серия 4 из 8", "1-8 серии из 8" read elsewhere.
_UK_EPISODE_WORD = re.compile(r"(?<!\w)(?P<c>[Сс])ері(?P<end>[яї])(?!\w)")
_UK_OF = re.compile(r"(?<=\d) з (?=\d)|(?<=сери[яи]) з (?=\d)", re.IGNORECASE)


# "EPOVA2", "EPSP1": an episode marker glued to a special's word; the
# special's word and number say it all ("OVA2" is read as OVA 2).
_EP_BEFORE_SPECIAL = re.compile(r"(?<![A-Za-z])EP(?=(?:OVA|OAD|SP)\s?\d)")
# "Title - CUSTOM DVDRIP": a rip made to its own taste; the word is a tag
# like the source after it, not the title's.
_CUSTOM_BEFORE_RIP = re.compile(r"(?<![\w-])custom\s+(?=(?:dvd|bd|web|tv|hdtv)-?rip(?![a-z]))", re.IGNORECASE)


def _uk_episode_word(match: re.Match[str]) -> str:
    return match.group("c") + ("ерия" if match.group("end") == "я" else "ерии")


def _ru_season(match: re.Match[str]) -> str:
    last = match.groupdict().get("b")
    return f"S{match.group('a')}" + (f"-S{last}" if last else "")


# French "(Intégrale)" and Spanish/Portuguese "Temporadas Completas": the whole
# series, written as the "Complete Series" read elsewhere; "1-3 temporada":
# a span of seasons before the word, written after it ("Temporada 1-3").
_WHOLE_SERIES = re.compile(r"\(?\s*\bInt[ée]grale\s*\)?(?![a-z])|\bTemporadas\s+Completas\b", re.IGNORECASE)
# Turkish sites: "2. Sezon 7. Bölüm" (the number before its word, with a dot),
# "3. Sezon" alone; written as the "S02E07", "S03" read elsewhere.
_TR_SEASON = re.compile(r"(?<![\w.])(?P<s>\d{1,2})\.\s*Sezon(?:\s+(?P<e>\d{1,4})\.\s*B[öo]l[üu]m)?(?![^\W\d_])", re.I)


def _tr_season(match: re.Match[str]) -> str:
    episode = match.group("e")
    return f"S{int(match.group('s')):02d}" + (f"E{int(episode):02d}" if episode else "")


# "S01–S05": an en dash between seasons, written as the hyphen every stage reads.
_EN_DASH_BETWEEN_SEASONS = re.compile(r"(?:(?<=S\d)|(?<=S\d\d))–(?=S?\d)", re.IGNORECASE)
# "(Full 3 Seasons + Extras)", "All 5 Seasons": a count of seasons, the whole
# series as well.
_SEASONS_COUNTED = re.compile(r"\b(?:Full|All|Complete)\s+\d{1,2}\s+Seasons\b", re.IGNORECASE)
# "Title.T02.2019.1080p": the Spanish/Portuguese temporada letter alone (no
# episode), before a year or a resolution: season 2's pack, read as "S02".
_TEMPORADA_LETTER = re.compile(r"(?<=[.\s])T(?=\d{2}[.\s](?:(?:19|20)\d\d|\d{3,4}p)(?![0-9a-z]))", re.IGNORECASE)
# "1-3 temporada": the seasons before their word, turned round ("temporada 1-3").
_SEASONS_BEFORE_WORD = re.compile(r"(?<![\w.])(\d{1,2})\s*-\s*(\d{1,2})\s+(temporadas?)\b", re.IGNORECASE)
# "(Saison-4)", "Season-2": a season word joined to its number by a hyphen,
# read as "Saison 4" (the way every other reading expects it).
_SEASON_WORD_HYPHEN = re.compile(
    r"(?<![a-z])(Seasons?|Saisons?|Temporadas?|Stagione|Staffel)-(?=\d{1,2}(?!\d))", re.IGNORECASE
)
# "H 264", "H 265": the codec written apart (never episode 264), read as "H.264".
_CODEC_APART = re.compile(r"(?<![a-z0-9.])H (26[45])(?![0-9])", re.IGNORECASE)
# "AAC2.0x2", "FLAC 5.1x2": the audio tracks counted after their channels; spaced
# off ("AAC2.0 x2") so "0x2" is never read as season 0, episode 2.
_TRACKS_AFTER_CHANNELS = re.compile(r"(?<=[a-z][1-7]\.[01])x(?=[1-9](?![0-9]))", re.IGNORECASE)
_QUOTED = re.compile(r"「[^」]*」|『[^』]*』")
_FILM_QUOTED = re.compile(r"映画「([^」]+)」\s*(?:[^\s\[\]]*版(?=$|[\s\[]))?")
# 「第３話 狐と狸」: a broadcast's episode title that opens with the episode's number.
_EPISODE_IN_QUOTE = re.compile(r"「\s*(第\s*\d{1,4}\s*[話话回])[^」]*」")
# A Japanese broadcast's programme title: the series quoted first, alone or
# after its slot's name ("『Title』第2クール", "日5「Title」 #32「Episode」",
# "TVアニメ「Title」"): the quote is the series, not an episode's title.
_QUOTED_SERIES_FIRST = re.compile(
    r"^(?P<marks>(?:\s*\[[^\]]{1,2}\])*)\s*(?:[日月火水木金土]\d{1,2}|(?:TV)?アニメ|ドラマ|(?:中国|韓国|台湾)?時代劇)?\s*"
    r"[「『](?P<title>[^」』]+)[」』]"
)
# ... and the slot's label before the series ("アニメ 〇〇", "アニメA・〇〇",
# "<アニメギルド>〇〇", "水曜アニメ<水もん>〇〇", "<時代劇>〇〇"), or an old raw's
# genre in parentheses ("(アニメ) 〇〇 第02話").
_SLOT_LABEL = re.compile(
    r"^(?P<marks>(?:\s*\[[^\]]{1,2}\])*)\s*"
    r"(?:(?:[日月火水木金土]曜)?(?:TV)?アニメ(?:[A-Z]・|\s+|(?=<))|<[^<>\[\]]{1,12}>\s*|\(アニメ\)\s*"
    r"|(?:中国|韓国|台湾)?時代劇\s+|ドラマ\d{0,2}\s+)+"
)
# ".chs&jpn.ass", ".ja[cc].srt": a subtitle file's languages, or its language
# and caption kind, before its extension; no title, no group.
_SIDE_FILE_LANGUAGES = re.compile(r"\.[a-z]{2,3}(?:(?:&[a-z]{2,4})+|\[(?:cc|sdh)\])(?=\.(?:ass|ssa|srt|vtt)$)", re.I)
# "2024年03月05日23時30分00秒-Title #5_HD-1.ts": a recorder's file named by
# its recording time first and its service last; neither is the title.
_RECORDING_TIME = re.compile(r"^\s*\d{4}年\d{1,2}月\d{1,2}日\d{1,2}時\d{1,2}分(?:\d{1,2}秒)?\s*[-_]?\s*")
_RECORDING_SERVICE = re.compile(r"_[^_\s\[\]]+((?:\.[A-Za-z0-9]{2,4})*)$")
# A capture's air date and time ("[10-21_18-30-00]", "08-14 20-00-00"), its
# air date first ("(2021.05.03)_Title") and a date after the episode
# ("#16-2024-05-02-Tag"): never episodes, no title.
_AIR_TIME = re.compile(r"\[\d{2}-\d{2}[ _]\d{2}-\d{2}-\d{2}\]|(?<![\d-])\d{2}-\d{2}[ _]\d{2}-\d{2}-\d{2}(?![\d-])")
_AIR_DATE_FIRST = re.compile(r"^\s*\((?:19|20)\d\d\.[01]\d\.[0-3]\d\)[\s_]*")
_DATE_AFTER = re.compile(r"(?<=\d)-(?:19|20)\d\d-[01]\d-[0-3]\d(?=[-_ .\]]|$)")
# ".srt", ".ja.srt", ".sc-jp.ass", ".ja[cc].srt": a subtitle file's extension
# and the languages before it.
_SIDE_FILE_EXTENSION = re.compile(
    r"(?:\.(?:ja|jp|jpn|en|eng|zh|chs|cht|sc|tc|ru|rus)(?:[&-][a-z]{2,4})*(?:\[(?:cc|sdh)\])?)?"
    r"\.(?:ass|ssa|srt|vtt|smi|sup)$",
    re.IGNORECASE,
)
# "Title - AniLiberty.TOP [WEBRip 1080p]": a Russian dub site's tag after the title.
_DUB_SITE_AFTER_TITLE = re.compile(r"\s+-\s+AniLib(?:ria|erty)\.(?:TV|TOP)(?=\s*(?:\[|$))", re.IGNORECASE)
# 🈟 (new), 🈑 (captioned), 🈚 (free): a broadcast's enclosed marks, which the
# folding would turn into the ideographs 新, 字, 無 glued to the title.
_BROADCAST_MARKS = re.compile(r"[\U0001F200-\U0001F2FF]")
# "最狂輔助職業【話術士】世界最強…": lenticular brackets inside a CJK title, glued
# to it on both sides, belong to the title; elsewhere they are [ ].
_LENTICULAR = re.compile(r"【([^【】]*)】")
_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
# "（仅限港澳台地区）", "(僅限台灣)": where a release may be shown, no part of a title.
# "（2007年）": the year, written the Chinese way.
_CJK_YEAR = re.compile(r"(?<=[(\[])\s*((?:19|20)\d\d)\s*年\s*(?=[)\]])")
_REGION_NOTE = re.compile(r"\(\s*(?:仅限|僅限|限定)[^()]*\)")
# "[国王排名\Ousama Ranking]", "[简日\CHS_JP]": a backslash separates a
# title's aliases (or two tags) the way " / " does; no title contains one.
_BACKSLASH = re.compile(r"\s*\\+\s*")
# "[26_END]", "[24 end]", "[13.END]": the last episode marked in its own bracket. The CJK
# reading knows it; anitopy does not, so a Latin name ("Title_[26_END]_[Grp]")
# kept no episode. The bracket is left as "[26]", what every stage reads.
_END_BRACKET = re.compile(r"\[(\d{1,4})[ _.]?END\]", re.IGNORECASE)
# "Title - 07_5 [480p]": a recap between 7 and 8 written with an underscore
# (a file system's stand-in for the dot) right after a spaced dash; read as
# "07.5", the form every stage knows. Only the half, and only there: an
# underscored name's "_-_07_5_" may be two numbers.
_UNDERSCORED_HALF = re.compile(r"(?<= - )(\d{1,4})_5(?=$|[ \[(])")
# "[BDMV][200101][KIXA-12345] Title": a disc's catalogue number (its label's
# letters, a dash, the number) says which product, never the series.
_CATALOGUE_NUMBER = re.compile(r"\[[A-Z]{3,4}-\d{4,5}\]")
_SITE_PREFIX = re.compile(
    r"^\s*(?:\[\s*(?:www\.)?[a-z0-9-]+\.(?:com|org|net|to|se|me|io|cc|xyz|info)\s*\][\s.]*"
    r"|(?:www\.)[a-z0-9-]+\.(?:com|org|net|to|se|me|io|cc|xyz|info)\s*(?:-\s*|\.(?=\S)))",
    re.IGNORECASE,
)

HEIGHTS = frozenset({240, 288, 360, 368, 480, 540, 576, 720, 810, 900, 1080, 1440, 1600, 2160, 4320})
HEIGHT_WORDS = {"4k": 2160, "uhd": 2160, "2k": 1440, "qhd": 1440, "fhd": 1080}
_HEIGHT = re.compile(r"(?<![0-9a-z])(?:\d{3,4}\s*x\s*)?(\d{3,4})(?:[pi]|(?=\s*x\s*\d)|)(?![0-9a-z])", re.IGNORECASE)
_HEIGHT_TAGGED = re.compile(r"(?<![0-9a-z])(?:(\d{3,4})[pi]|\d{3,4}x(\d{3,4}))(?![0-9a-z])", re.IGNORECASE)


# "★四月新番【Title】第11話": an airing tag before the bracket or an episode
# marker after it make it a bracket of its own, not one glued inside a title.
_AIRING_TAG_BEFORE = re.compile(r"新番$")
_EPISODE_MARKER_AFTER = re.compile(r"第\s*\d")


def _lenticular(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    glued = start > 0 and end < len(text) and _CJK_CHAR.match(text[start - 1]) and _CJK_CHAR.match(text[end])
    if glued and (_AIRING_TAG_BEFORE.search(text, 0, start) or _EPISODE_MARKER_AFTER.match(text, end)):
        glued = False
    return match.group(0) if glued else f"[{match.group(1)}]"


def is_video_file(name: str) -> bool:
    """Whether a name ends with a video file's extension (one file, not a
    torrent's or a folder's name)."""
    return _EXTENSION.search(name.strip()) is not None and not name.strip().lower().endswith((".torrent", ".nzb"))


def _note_after_alias(match: re.Match[str]) -> str:
    """'Title (S2) / Alias 2' -> 'Title / Alias [S2]': the alias's last number
    is the season its note names."""
    note, alias = match.group("note"), match.group("alias")
    if note[0] in "Ss" and note[1:].isdecimal() and alias.endswith(f" {int(note[1:])}"):
        alias = alias[: alias.rindex(" ")]
    return f"{match.group('title')} / {alias} [{note}]"


def _star_fields(text: str) -> str:
    """'组★中文名 English★04★1920x1080★AVC AAC MP4★繁体中文' -> '[组][中文名 English][04]…':
    a name in ★-separated fields and no brackets reads as brackets."""
    if "[" in text or text.count("★") < 3:
        return text
    return "".join(f"[{field.strip()}]" for field in text.split("★") if field.strip())


# "(1920x1080 x264 FLAC softSub(chi+eng) chap)": a tag's own parentheses
# inside a tag list's; flattened so the list reads as one bracket.
_NESTED_TAG_PARENTHESES = re.compile(r"(?<=[A-Za-z])\(([^()]*)\)(?=[^()]*\))")
# "Title - 04: Episode Name" (a media player's window title): the colon glued
# to the episode hides it from anitopy, which then takes a number of the
# title ("Title 2", "Title 100 II") for the episode; read as " - 04 - ".
_EPISODE_BEFORE_COLON = re.compile(r"(\s-\s\d{1,4}(?:v\d)?):\s")
# "Title 23: Episode Name" (an episode list's line, no dash): the number before
# the colon is the episode when nothing after it is a number of its own; a
# title's number is followed by more ("Title 100: Name 100 no Uta 04").
_NUMBER_BEFORE_COLON = re.compile(r"(?<=[^\W\d_])\s(?P<ep>\d{2,4}):\s(?=[^\W\d_])")
_LONE_NUMBER = re.compile(r"(?<![\w:.])\d{1,4}(?![\w:])")
_YEAR_LIKE = re.compile(r"^(?:19|20)\d\d$")


def prepare(name: str) -> str:
    """One clean form of a name: compatibility forms folded (full-width
    letters and digits, ², Ⅱ), CJK brackets as [ ] (【】 glued inside a CJK
    title stay), × between digits as x, a backslash as " / ", a region note
    dropped, whitespace collapsed, a recap's half written "- 07_5" as "07.5", the file extension dropped, the length
    capped.

    The steps run in this order (each reads what the one before wrote), and
    each rewrite is guarded by a cheap substring test where it can be: most
    names need none of them."""
    text = _folded(name)
    text = _without_broadcast_notes(text)
    text = _technical_tags_joined(text)
    text = _other_languages_read(text)
    text = _noise_tags_dropped(text)
    text = _BACKSLASH.sub(" / ", text)
    text = _END_BRACKET.sub(r"[\1]", text)
    text = " ".join(text.replace("\x00", " ").split())[:MAX_NAME_LENGTH]
    if "_5" in text:
        text = _UNDERSCORED_HALF.sub(r"\1.5", text)
    return _EXTENSION.sub("", _SIDE_FILE_EXTENSION.sub("", text)).strip()


def _folded(name: str) -> str:
    """Unicode compatibility forms, CJK brackets, × and spaced resolutions,
    a URL's "+" for spaces."""
    text = unicodedata.normalize("NFKC", _BROADCAST_MARKS.sub(" ", name))
    text = _LENTICULAR.sub(_lenticular, text).translate(_BRACKET_TRANSLATION)
    text = _TIMES_BETWEEN_DIGITS.sub("x", text)
    text = _star_fields(text)
    text = _SPACED_RESOLUTION.sub(r"\1x\2", text)
    if _PLUS_SPACES.match(text) and re.search(r"[a-z]\+[a-z]", text, re.IGNORECASE):
        text = text.replace("+", " ")
    return text


def _without_broadcast_notes(text: str) -> str:
    """What a recorder, a TV guide or a site adds around the series: the
    recording time and station, air dates, slot labels, quoted episode
    titles, a subtitle file's language tags, a region note."""
    if "年" in text and (recorded := _RECORDING_TIME.match(text)):
        text = _RECORDING_SERVICE.sub(r"\1", text[recorded.end() :])
    if text.startswith("("):
        text = _AIR_DATE_FIRST.sub("", text)
    if "-" in text:
        text = _DATE_AFTER.sub(" ", _AIR_TIME.sub(" ", text))
        text = _DUB_SITE_AFTER_TITLE.sub("", text)
    if "「" in text or "『" in text:
        text = _QUOTED_SERIES_FIRST.sub(r"\g<marks> \g<title> ", text)
    if "アニメ" in text or "<" in text or "劇" in text or "ドラマ" in text:
        text = _SLOT_LABEL.sub(r"\g<marks> ", text)
    if text[-4:].lower() in (".ass", ".ssa", ".srt", ".vtt"):
        text = _SIDE_FILE_LANGUAGES.sub("", text)
    # 「Episode title」 and the site a file was taken from say nothing we read.
    if "「第" in text:
        text = _EPISODE_IN_QUOTE.sub(r" \1 ", text)
    if "映画「" in text:
        text = _FILM_QUOTED.sub(r" \1 ", text)  # 映画「Title」限定版: the film named in its quotes, its edition dropped
    text = _QUOTED.sub(" ", text)
    text = _REGION_NOTE.sub(" ", text)
    return _CJK_YEAR.sub(r"\1", text)


def _technical_tags_joined(text: str) -> str:
    """Tags written apart joined the way anitopy knows them (`10bit`,
    `DD5.1`, `H.264`), so that none of their digits is read as an episode."""
    text = _BIT_DEPTH_APART.sub(r"\1bit", text)
    text = _CHANNELS_APART.sub(r"\1\2.\3", text)
    text = _CODEC_APART.sub(r"H.\1", text)
    text = _SEASON_WORD_HYPHEN.sub(r"\1 ", text)
    return _TRACKS_AFTER_CHANNELS.sub(" x", text)


def _other_languages_read(text: str) -> str:
    """Season and episode words of other languages (Ukrainian, Russian,
    French, Spanish, Portuguese, Turkish) rewritten into the forms the
    stages read."""
    if "ері" in text:
        text = _UK_OF.sub(" из ", _UK_EPISODE_WORD.sub(_uk_episode_word, text))
    if ") / " in text:
        text = _NOTE_BEFORE_ALIAS.sub(_note_after_alias, text)
    if "езон" in text or "ерии" in text:
        text = _RU_SEASON_BEFORE.sub(_ru_season, _RU_SEASON_AFTER.sub(_ru_season, text))
        text = _RU_EPISODES.sub(r"[\g<range>]", text)
    lowered = text.lower()  # "INTEGRALE", "TEMPORADA" written in capitals too
    if "tegrale" in lowered or "emporada" in lowered:
        text = _SEASONS_BEFORE_WORD.sub(r"\3 \1-\2", _WHOLE_SERIES.sub("Complete Series", text))
    if "Sezon" in text:
        text = _TR_SEASON.sub(_tr_season, text)
    if "–" in text:
        text = _EN_DASH_BETWEEN_SEASONS.sub("-", text)
    if "T0" in text or "T1" in text:
        text = _TEMPORADA_LETTER.sub("S", text)
    if "easons" in text:
        text = _SEASONS_COUNTED.sub("Complete Series", text)
    return text


def _noise_tags_dropped(text: str) -> str:
    """Tags that would be misread: a TV channel beside a rip (`2x2`), a
    `CUSTOM` rip, an `EP` glued to a special, a download site's prefix, a
    disc's catalogue number; a
    player's `- 04: Episode Name` read as `- 04 - Episode Name`."""
    if "2x2" in text:
        text = _CHANNEL_BESIDE_RIP.sub(lambda m: m.group("rip") or m.group("rip2"), text)
    if "rip" in text.lower():
        text = _TV_RIP.sub("TVRip", text)
        if "ustom" in text or "USTOM" in text:
            text = _CUSTOM_BEFORE_RIP.sub("", text)
    if "EPOVA" in text or "EPOAD" in text or "EPSP" in text:
        text = _EP_BEFORE_SPECIAL.sub("", text)
    text = _SITE_PREFIX.sub("", text)
    if "[" in text and ("BD" in text or "DVD" in text):
        text = _CATALOGUE_NUMBER.sub("", text)
    if "(" in text and ")" in text:
        text = _NESTED_TAG_PARENTHESES.sub(r" \1", text)
    if ": " in text:
        text = _EPISODE_BEFORE_COLON.sub(r"\1 - ", text)
        text = _episode_before_colon_alone(text)
    return text


def _episode_before_colon_alone(text: str) -> str:
    """'Title 23: Episode Name' read as 'Title - 23 - Episode Name'."""
    match = _NUMBER_BEFORE_COLON.search(text)
    if match is None or _YEAR_LIKE.match(match.group("ep")) or _LONE_NUMBER.search(text, match.end()):
        return text
    return f"{text[: match.start()]} - {match.group('ep')} - {text[match.end() :]}"


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def has_latin(text: str) -> bool:
    return _LATIN.search(text) is not None


def is_cjk_char(char: str) -> bool:
    return _CJK.match(char) is not None


def height_of(value: str) -> int | None:
    """'1080p', '1080i', '1080', '1920x1080', 'FHD', '4K' -> 1080/2160..."""
    text = value.strip().lower()
    if text in HEIGHT_WORDS:
        return HEIGHT_WORDS[text]
    if "x" in text:
        text = text.rsplit("x", 1)[1].strip()
    text = text.rstrip("pi")
    if text.isdecimal() and 144 <= int(text) <= 4320:
        return int(text)
    return None


def tagged_height(text: str) -> int | None:
    """The first ``1080p``/``1920x1080`` in free text (a CJK format tag like
    ``HEVC-10Bit-2160P`` that anitopy reads as part of the title)."""
    for match in _HEIGHT_TAGGED.finditer(text):
        height = int(match.group(1) or match.group(2))
        if height in HEIGHTS:
            return height
    return None
