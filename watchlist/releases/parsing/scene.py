"""Stage 3: scene markers: ``S01E05`` and the episodes listed after it,
``1x05``/``2009x09``, ``Season 1 Episode 5``, ``Cap.201``, the compact
``103``/``10708``, a mini-series' ``Part 2``."""

from __future__ import annotations

import re

from .. import markers
from .anitopy_reading import inside_brackets
from .cjk_brackets import LEADING_BRACKET_ONLY, is_tag
from .draft import (
    ABSOLUTE_AFTER_SXXEYY,
    BARE_ABSOLUTE,
    BARE_RESOLUTIONS,
    EPISODE_WORD,
    GROUP_WORDS,
    MINI_SERIES_PART,
    SCENE_GROUP,
    SCENE_GROUP_NOT,
    YEAR,
    Draft,
)


def scene_head(text: str, start: int) -> str:
    """The title a scene name writes before its marker: leading brackets
    (a group, a site) and trailing tag brackets ("[HDTV 720p]") left out."""
    head = re.sub(r"^\s*(?:\[[^\]]*\]\s*)+", "", text[:start])
    while True:
        tail = re.search(r"[\[(]([^\[\]()]*)[\])]\s*$", head)
        if tail is None or not is_tag(tail.group(1)):
            break
        head = head[: tail.start()]
    if " " not in head.strip():
        head = head.replace(".", " ").replace("_", " ")
    # "Title [2x05] Episode", "Title (S02E05)": the marker's own bracket opens the head's end
    return re.sub(r"[\s\-_.]*[\[({]\s*$", "", head)


# "S18E30 Pokémon - Pikachu en vedette !.mp4": a file opening with its marker,
# then the series and the episode's title parted by " - " (tags alone, "S03E09
# WS PDTV XviD", name no series).
_SERIES_THEN_EPISODE_TITLE = re.compile(r"^\s*(?P<series>[^\W\d_][^\[\]()]*?)\s+-\s+[^\W_]")


def _series_after_marker(rest: str) -> str:
    match = _SERIES_THEN_EPISODE_TITLE.match(rest)
    return match.group("series") if match is not None else ""


def read_scene(draft: Draft) -> None:
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
    if dash is not None and inside_brackets(text, marker.start) and not draft.title:
        # "[Grp] Title - 07 (S2E03)": the series-wide number, then the season's
        draft.absolute = dash.episode
        draft.title = re.sub(r"^\s*(?:\[[^\]]*\]\s*)+", "", text[: dash.start])
        draft.title_is_scene = True
    if not draft.title:
        # An empty head is an answer too ("S03E09 WS PDTV XviD"): what
        # follows the marker is the episode's title, not the series'.
        draft.title = _absolute_in_head(draft, scene_head(text, marker.start)) or _bracket_before(text, marker)
        draft.title_is_scene = True
    if not draft.title and draft.video_file and not text[: marker.start].strip():
        draft.title = _series_after_marker(text[marker.end :])
    absolute = ABSOLUTE_AFTER_SXXEYY.search(text)
    if absolute and int(absolute.group(1)) == draft.episode and int(absolute.group(2)) >= draft.episode:
        draft.absolute = int(absolute.group(2))
    elif draft.absolute is None:
        _bare_absolute(draft, text[marker.end :])
    if not draft.group and not text.startswith("["):
        group = SCENE_GROUP.search(text)
        if group and group.group("group").lower() not in SCENE_GROUP_NOT and not group.group("group").isdecimal():
            draft.group = group.group("group")


# "Bleach - 012 - s02e03", "165.Naruto Shippuuden.s08e014", "07-GHOST - 012-013 -
# s02e03e04": the series-wide number (or range) written before the scene
# marker belongs to no title.
_HEAD_ABSOLUTE_AFTER = re.compile(r"\s+-\s+(?P<abs>\d{2,4})(?:-(?P<end>\d{2,4}))?$")
_HEAD_ABSOLUTE_BEFORE = re.compile(r"^(?P<abs>\d{2,4})(?:-(?P<end>\d{2,4}))?\.(?=\S)")
_HEAD_RANGE_BEFORE = re.compile(r"^(?P<abs>\d{2,4})-(?P<end>\d{2,4})[ .](?=\S)")


def _absolute_in_head(draft: Draft, head: str) -> str:
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


# "Title.(2023).E45.Episode.Name": an episode marked by a lone E and its number.
_BARE_EPISODE_MARKER = re.compile(r"(?<![^ ._(\[-])E\d{1,4}(?=[ ._)\]-])", re.IGNORECASE)


def _read_mini_series_part(draft: Draft) -> None:
    """'Title Part 02 720p HDTV', 'Title.Part.Two.720p': a mini-series' part,
    numbered as season 1's episode the way TV databases list them. Not in
    fansub names ('[Grp] Title Movie Part 1') nor when a number follows
    ('Title Final Season Part 2 - 05 1080p')."""
    text = draft.text
    match = MINI_SERIES_PART.search(text)
    if match is None or text.startswith("[") or markers.season_spans(text) or EPISODE_WORD.search(text):
        return  # "Title_Ep05_Name_Part1": the part of an episode's title
    if _BARE_EPISODE_MARKER.search(text, 0, match.start()):
        return  # "Title.(2023).E45.Name.Part.3": the episode is marked, the part is its title's
    if re.search(r"(?<![\w.])\d{1,4}(?![\w.])", text[match.end() :]):
        return
    if re.match(r"[ ._-]*\(?(?:19|20)\d\d(?![0-9])", text[match.end() :]):
        return  # "Dune.Part.Two.2024.1080p": a film's second part, released that year
    word = match.group("n").lower()
    draft.episode = int(word) if word.isdecimal() else markers.season_number(word)
    draft.season = 1
    draft.scene = True
    draft.title = scene_head(text, match.start()).rstrip(" -._")
    draft.title_is_scene = True


def _bracket_before(text: str, marker: markers.Marker) -> str:
    """'【OSHI NO KO】 S03E35', '【推しの子】.S03E03': a name whose only words
    before the marker are in one bracket has its title there (a group would
    leave the name without one)."""
    only = LEADING_BRACKET_ONLY.match(text[: marker.start])
    content = only.group("content").strip() if only else ""
    return "" if not content or is_tag(content) or GROUP_WORDS.search(content) else content


# "【推しの子】.S03E03.第27話": the series-wide number in CJK right after the
# marker; "Title S05E53 - Ep.129": the same, written with an episode word.
_CJK_ABSOLUTE_AFTER = re.compile(
    r"^[\s._-]*(?:[第제]\s*(?=\d{1,4}\s*[话話集回화])|Ep\.?\s*(?=\d{2,4}(?![0-9])))(?P<abs>\d{1,4})", re.IGNORECASE
)


# "Series - S03E12 - 412 - Episode Title" (a library's anime naming): the
# series-wide number between spaced dashes after the marker.
_DASHED_ABSOLUTE = re.compile(r"^\s+-\s+\d{3,4}\s+-\s")


def _bare_absolute(draft: Draft, after: str) -> None:
    cjk = _CJK_ABSOLUTE_AFTER.match(after)
    if cjk is not None and draft.episode is not None and int(cjk.group("abs")) >= draft.episode:
        draft.absolute = int(cjk.group("abs"))
        return
    match = BARE_ABSOLUTE.match(after)
    if match is None or draft.episode is None:
        return
    raw = match.group("abs")
    if raw in BARE_RESOLUTIONS or YEAR.match(raw) or int(raw) < draft.episode:
        return
    if draft.text.lstrip().startswith("[") or (len(raw) >= 3 and raw.startswith("0")) or _DASHED_ABSOLUTE.match(after):
        draft.absolute = int(raw)
