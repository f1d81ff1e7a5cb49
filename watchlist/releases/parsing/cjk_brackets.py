"""Stage 2: CJK fansub names (``[组名][中文名 / English][05][1080P][简繁内封]``),
whose title anitopy takes from the wrong bracket and whose episode markers
(``第05话``, ``[12END]``, ``[13完]``) it does not know."""

from __future__ import annotations

import re

from .. import markers
from ..languages import LANGUAGE_WORDS, tokens
from ..text import has_cjk, has_latin, tagged_height
from .draft import (
    BARE_RESOLUTIONS,
    BATCH_CJK,
    BRACKET_YEAR,
    CATEGORY_TAGS,
    DASH_EPISODE,
    DASH_RANGE,
    EDITION_TAGS,
    GROUP_WORDS,
    MAX_CJK_LEFT_IN_TAG,
    MOVIE_WORDS,
    NOT_BEFORE_EPISODE,
    ONE_CHARACTER_TAGS,
    SEARCH_NOTE,
    SPECIAL_KINDS,
    TAG_CJK,
    TAG_WORDS,
    TRAILING_SPECIAL,
    Draft,
)

_SEGMENTS = re.compile(r"\[(?P<bracket>[^\[\]]*)\]|(?P<loose>[^\[\]]+)")


def _mostly_cjk_tag_words(content: str) -> bool:
    """'简繁日内封字幕', '粤日双语+内封繁体中文字幕', '(检索: 别名)': tag words and
    little else. A long title that happens to contain one ('开外挂的前勇者…',
    where 外挂 is "cheat", not "external subtitles") is no tag."""
    if SEARCH_NOTE.match(content.strip(" ()")):
        return True
    if not TAG_CJK.search(content):
        return False
    rest = TAG_CJK.sub("", content)
    return sum(1 for c in rest if has_cjk(c)) <= MAX_CJK_LEFT_IN_TAG


def is_tag(content: str) -> bool:
    if tagged_height(content) is not None:
        return True  # "(BS11 1280x720 x264 AAC)": a title never says its resolution
    words = [w for w in re.split(r"[\s_&+,]+|(?<=[a-z0-9])-(?=[a-z0-9])", content.strip(), flags=re.IGNORECASE) if w]
    if not words:
        return True
    if _mostly_cjk_tag_words(content) or content.strip() in CATEGORY_TAGS | EDITION_TAGS | ONE_CHARACTER_TAGS:
        return True
    return all(TAG_WORDS.match(w) or (tokens(w) and all(t in LANGUAGE_WORDS for t in tokens(w))) for w in words)


def strip_tag_words(text: str) -> str:
    """'Dungeon Meshi 10-bit 1080p HEVC BDRip' -> 'Dungeon Meshi'; a loose
    title followed by '(ABEMA 1920x1080 AVC AAC MP4)' loses the parentheses."""
    text = re.sub(r"\(([^()]*)\)\s*$", lambda m: " " if is_tag(m.group(1)) else m.group(0), text).strip()
    words = text.split(" ")
    # "HEVC/AVC": tags joined by a slash are tags
    while len(words) > 1 and all(TAG_WORDS.match(w) for w in words[-1].split("/")):
        words.pop()
    return " ".join(words)


def _bracket_episode(draft: Draft, brackets: list[str]) -> set[int]:
    """Number the name from its brackets; return the indexes used."""
    found = [(i, m) for i, content in enumerate(brackets) if (m := markers.bracket_episode(content)) is not None]
    if not found:
        found = [(i, m) for i, content in enumerate(brackets) if (m := markers.named_bracket_episode(content))]
    # "[斗罗大陆][2019][268]", "[OVA][480P][1987]": a bracket holding a year
    # alone is the year of the series; no series has reached episode 1950
    years = {i for i, m in found if BRACKET_YEAR.match(brackets[i])}
    if years:
        draft.year = int(brackets[min(years)])
        found = [(i, m) for i, m in found if i not in years]
    if not found:
        return years
    # "[WEB-DL][2160][TV Series][TV 04]": a bracket holding a bare frame
    # height is the resolution when another bracket holds an episode
    heights = [(i, m) for i, m in found if brackets[i] in BARE_RESOLUTIONS]
    if heights and len(heights) < len(found):
        found = [(i, m) for i, m in found if (i, m) not in heights]
        draft.resolution = draft.resolution or int(brackets[heights[0][0]])
    index, marker = found[0]
    draft.set_episodes(marker)
    return {index} | years


def _loose_episode(draft: Draft, content: str) -> str:
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
    dash = DASH_RANGE.match(content)
    if dash and dash.group("title").strip():
        draft.episode, draft.episode_end = int(dash.group("ep")), int(dash.group("end"))
        return dash.group("title").strip(" -_")
    dash = DASH_EPISODE.match(content)
    if dash and BRACKET_YEAR.match(dash.group("ep")) and dash.group("title").strip():
        # "中文名 English -Subtitle- 2024 [BDRip]": a film's year (no series reached episode 1950)
        draft.year = draft.year or int(dash.group("ep"))
        return dash.group("title").strip(" -_")
    after_word = dash is not None and dash.group("sep").isspace() and NOT_BEFORE_EPISODE.search(dash.group("title"))
    if dash and dash.group("title").strip() and _bare_year(content):
        draft.year = int(dash.group("ep"))  # "灯塔之夜 2016 1080p BluRay": a film's year, no episode
        return dash.group("title").strip(" -_")
    if dash and dash.group("title").strip() and not after_word:
        return _dash_episode(draft, dash)
    if "#" in content and (hashed := _HASH_EPISODE.match(content)):
        # "86 #02 スピアヘッド": a raw's "#02", then the episode's own title
        draft.episode = int(hashed.group("ep"))
        return hashed.group("title")
    special = TRAILING_SPECIAL.match(content)
    if special and special.group("title").strip():
        # "中文名 / English OVA01": the special's number, not part of the title
        draft.episode = int(special.group("n"))
        draft.kinds.append(SPECIAL_KINDS[special.group("kind").lower()])
        return special.group("title").strip(" -_")
    return content


# "Title #02 Episode Name": the episode after a hash, a raw's way.
_HASH_EPISODE = re.compile(r"^(?P<title>.*?\S)\s+#(?P<ep>\d{1,4})(?![\d.])")
# A year written bare after a space ("中文名 English 2019"), no dash nor
# episode word before it: no series in a CJK feed has reached episode 1900.
_BARE_YEAR_AT_END = re.compile(r"\s(?:19|20)\d\d$")


def _bare_year(content: str) -> bool:
    return _BARE_YEAR_AT_END.search(content) is not None


def _dash_episode(draft: Draft, dash: re.Match[str]) -> str:
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


def read_brackets(draft: Draft) -> None:
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
    return content is not None and bool(content.strip()) and not has_cjk(content) and is_tag(content)


# One bracket and nothing else before a scene marker ("[Title] S03E35").
LEADING_BRACKET_ONLY = re.compile(r"^\s*\[(?P<content>[^\[\]]*)\][\s._-]*$")


# "[Grp][Title][01][CHS].sc.ass": a subtitle file's language and extension
# after the last bracket are no loose title.
_SIDE_FILE_AFTER_BRACKET = re.compile(r"(?<=\])(?:\.[A-Za-z]{2,4}){0,2}\.(?:ass|ssa|srt|smi|sub|vtt|sup|idx)$", re.I)


# "[Title][00]": a name in two brackets, the second the episode alone; the
# first holds the title (a group would leave the name without one).
_TITLE_THEN_EPISODE = re.compile(r"^\[[^\[\]]*[^\W\d_][^\[\]]*\]\[\d{1,4}\]$")


def _bracket_segments(draft: Draft) -> tuple[Segments, str] | None:
    """The name's brackets and the loose text between them, the group taken
    off the first, and the name without its season tags; None when the name
    is not one this stage reads."""
    text = _SIDE_FILE_AFTER_BRACKET.sub("", draft.text)
    if not has_cjk(text) and text.count("[") < 3 and not _TITLE_THEN_EPISODE.match(text):
        return None
    scene = markers.scene_episode(text)
    if (
        scene is not None
        and re.search(r"S\d", text[scene.start : scene.end], re.IGNORECASE)
        and not has_cjk(text[: scene.start])
    ):
        return None  # "[Grp] Title - S03E23 (中文名; Alias)": a scene marker after a Latin title
    if scene is not None and LEADING_BRACKET_ONLY.match(text[: scene.start]):
        return None  # "【推しの子】.S03E03.第27話": the title's bracket, then a scene marker
    text = markers.strip_season_tags(text)
    segments: Segments = [(m.group("bracket"), m.group("loose")) for m in _SEGMENTS.finditer(text)]
    if not segments:
        return None
    # "[Grp][Title] 02 [BIG]": a bare number between brackets is the episode, no loose title
    worded = [(index, loose) for index, (_, loose) in enumerate(segments) if _worded(loose)]
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


def _worded(loose: str | None) -> bool:
    """Loose text with a word in it; a checksum after the last bracket
    ("[CHS_JP](B07242C7)") is none."""
    return bool(loose and re.search(r"[^\W_]", loose) and not _CHECKSUM.fullmatch(loose.strip("() ")))


def _bracket_titles(draft: Draft, segments: Segments, used: set[int]) -> tuple[list[str], list[str]]:
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
            if is_tag(content) or _not_a_title_bracket(content):
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


# "[E56E5DFE]": a file's CRC32, eight hex digits (at least one a digit).
_CHECKSUM = re.compile(r"(?=[A-Fa-f]*\d)[0-9A-Fa-f]{8}")


def _not_a_title_bracket(content: str) -> bool:
    """'[Movie]', '[OVA]', '[SP]', '[05]', '[0A1B2C3D]': a kind of release, an
    episode or a checksum, no title."""
    return (
        bool(MOVIE_WORDS.fullmatch(content))
        or bool(_CHECKSUM.fullmatch(content))
        or content.lower() in SPECIAL_KINDS
        or bool(markers.bracket_episode(content))
    )


def _loose_title(draft: Draft, loose: str) -> str:
    """Loose text between brackets as a title, or "" (a bare episode number,
    recorded; a star or dash between brackets; a tag)."""
    content = strip_tag_words(loose.strip(" -_"))
    kind = content.strip(" ★☆")
    if MOVIE_WORDS.fullmatch(kind) or kind.lower() in SPECIAL_KINDS:
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
    if _worded(content) and not is_tag(content):
        return content
    return ""


# "].Lighthouse.Watch.S02.2160p", "].Harbor.Tales.2021.1080p": after the last
# bracket, a dotted Latin title, then its season or year.
_SCENE_NAME_AFTER_BRACKETS = re.compile(
    r"\]\s*\.?(?P<latin>[A-Za-z][\w'&+-]*(?:\.[A-Za-z0-9][\w'&+-]*)*?)\.(?:S\d{1,2}(?:E\d{1,4})?|(?:19|20)\d\d)\.[^\[\]]*$",
    re.ASCII,
)


def _choose_bracket_title(draft: Draft, text: str, titles: list[str], loose_titles: list[str]) -> None:
    # Loose text between brackets is the title when there is one ("[Grp]
    # 中文名 / English - 05 [1080p]"); else the first bracket that is none of
    # group, episode, tag.
    # Several title brackets ("[国漫][斗罗大陆][Douro Mainland]") are aliases
    # of one another: the Latin one becomes the primary title.
    chosen = loose_titles[0] if loose_titles else " / ".join(titles)
    if chosen and not has_latin(chosen) and (scene := _SCENE_NAME_AFTER_BRACKETS.search(text)) is not None:
        # "入侵.第三季[全10集][字幕].Invasion.S03.2160p…": a Chinese site's name, the
        # CJK title and its brackets, then the scene name carrying the Latin title
        chosen = f"{chosen} / {scene.group('latin').replace('.', ' ')}"
    elif chosen and not has_latin(chosen) and loose_titles:
        # "【组】数码宝贝/数码兽[Digimon Ghost Game][65]": loose CJK names, then
        # the Latin name in a bracket of its own
        chosen = " / ".join([chosen, *[t for t in titles if has_latin(t) and not has_cjk(t)][:1]])
    named = draft.numbered() or " / " in draft.group or BATCH_CJK.search(text) is not None
    # "[Akira][BDRIP][1440x1080][H264_FLAC]": a film's name, then tags only
    film = not titles and not loose_titles and not draft.kinds
    if not chosen and (named or film) and draft.group and not GROUP_WORDS.search(draft.group):
        # "[吞噬星空][第161集][国语中字]", "[Deaimon][01][BDRIP]": nothing but
        # tags after the first bracket, which names no group: it is the title
        chosen, draft.group, draft.leading_title = draft.group, "", True
    if chosen and (has_cjk(text) or draft.numbered() or draft.leading_title):
        draft.title = chosen
        draft.cjk = True
    elif not draft.numbered():
        draft.group = ""  # not a bracket name after all: let anitopy read it whole
